"""What a change does to the record, in words: `ogpctl diff BASE [HEAD]`.

Git says which files changed; this says which members, actions, participations and
updates were added, changed, renamed or removed, with their names, for a pull-request
comment or `$GITHUB_STEP_SUMMARY` (rendered by `ogpctl.render.diff`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ogpctl.model.keys import Kind, RecordKey, key_for
from ogpctl.store.config import load_settings
from ogpctl.store.git import FileChange, Repository

if TYPE_CHECKING:  # the records (pydantic, PyYAML) load only when a record file changed
    from ogpctl.model.records import Record

_VERBS = {"A": "added", "M": "changed", "T": "changed", "D": "removed", "R": "renamed"}


@dataclass(frozen=True)
class RecordChange:
    change: str  # added, changed, renamed, removed
    kind: str  # member, action, participant, update; "file" for anything else
    path: str
    old_path: str
    description: str  # in words, with names


@dataclass(frozen=True)
class Summary:
    base: str
    head: str  # a ref, or "work tree"
    changes: list[RecordChange]


class _Names:
    """Names of members and actions as of HEAD (else BASE), read only when needed."""

    def __init__(self, root: Path, repo: Repository, base: str, head: str | None) -> None:
        self.root, self.repo, self.base, self.head = root, repo, base, head
        self.language = load_settings(root).default_language

    def record(self, key: RecordKey, *, at_base: bool = False) -> Record | None:
        from ogpctl.check import record_file as records

        raw = None
        if not at_base:
            path = self.root / key.path
            if self.head is not None:
                raw = self.repo.read_at(self.head, key.path)
            elif path.is_file() and not path.is_symlink():
                raw = records.read_bytes(path)
        if raw is None:
            raw = self.repo.read_at(self.base, key.path)
        loaded = records.parse(key, raw, self.language)[0] if raw is not None else None
        return loaded.record if loaded else None

    def of(self, kind: Kind, name: str) -> str:
        from ogpctl.status import localised

        key = RecordKey(kind, member=name) if kind is Kind.MEMBER else RecordKey(kind, name)
        record = self.record(key)
        text = getattr(record, "name" if kind is Kind.MEMBER else "title", None)
        return localised(text, self.language, self.language) or name


def summarise(root: Path, base: str, head: str | None = None) -> Summary:
    repo = Repository(root)
    head_sha = repo.resolve(head) if head else None
    base_sha = repo.fork_point(base, head_sha)
    names = _Names(root, repo, base_sha, head_sha)
    changes = [_describe(change, names) for change in repo.changed_files(base_sha, head_sha)]
    return Summary(base, head or "work tree", changes)


def _describe(change: FileChange, names: _Names) -> RecordChange:
    verb = _VERBS.get(change.status, "changed")
    key = key_for(change.path)
    if key is None:
        return RecordChange(verb, "file", change.path, change.old_path, change.path)
    if key.kind is Kind.MEMBER:
        words = names.of(Kind.MEMBER, key.member)
    elif key.kind is Kind.ACTION:
        words = names.of(Kind.ACTION, key.action)
    elif key.kind is Kind.PARTICIPANT:
        words = f"{names.of(Kind.MEMBER, key.member)} in {names.of(Kind.ACTION, key.action)}"
    else:
        record = names.record(key, at_base=change.status == "D")
        completion = getattr(record, "completion", None)
        words = (
            f"{names.of(Kind.ACTION, key.action)}: update of {key.published} by "
            f"{names.of(Kind.MEMBER, key.member)}" + (f" ({completion})" if completion else "")
        )
    return RecordChange(verb, str(key.kind), change.path, change.old_path, words)
