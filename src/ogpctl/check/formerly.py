"""A member's former ids (`formerly:`), read straight from its file.

`show OLD-ID`, `log MEMBER` and `validate --changed-since` need only this one field of a
few member files, not the records: the file is parsed safely (`store.yamlsafe`) and only
the ids that are slugs count. A file that does not parse lists none (what is wrong with it
is validation's to say). Scanning the member files for an old id reads each file's bytes
and parses only those that hold the id, so it stays cheap on a large dataset. How an old
id became its holder's (renamed or merged, when) is git's to say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ogpctl.check.record_file import read_bytes
from ogpctl.model.keys import Kind, RecordKey, is_slug
from ogpctl.store import yamlsafe
from ogpctl.store.scan import ids_on_disk


def former_ids(raw: bytes | None) -> list[str]:
    """The ids a member file's `formerly:` lists, in its order ([] for no file)."""
    if raw is None or b"formerly" not in raw:
        return []
    try:
        data = yamlsafe.parse(yamlsafe.decode(raw)).data
    except yamlsafe.LoadError:
        return []
    listed = data.get("formerly")
    if not isinstance(listed, list):
        return []
    return [i for i in listed if isinstance(i, str) and is_slug(i)]


def read(path: Path) -> bytes | None:
    """A record file's bytes, or None if there is no such file (a link is never followed)."""
    try:
        return read_bytes(path)
    except OSError:
        return None


def of_member(root: Path, member: str) -> list[str]:
    """The former ids of `member`, from data/members/<member>.yaml."""
    return former_ids(read(root / RecordKey(Kind.MEMBER, member=member).path))


def holders(root: Path, old: str) -> list[str]:
    """The members whose file lists `old` in `formerly` (one, unless the data is wrong)."""
    needle = old.encode()
    found = []
    for member in ids_on_disk(root, Kind.MEMBER):
        raw = read(root / RecordKey(Kind.MEMBER, member=member).path)
        if raw is not None and needle in raw and old in former_ids(raw):
            found.append(member)
    return found


@dataclass(frozen=True)
class Former:
    """A former id, and how it became its holder's."""

    id: str
    how: str  # renamed, merged, or "renamed or merged" where no git history says which
    commit: str | None = None
    date: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "how": self.how, "commit": self.commit, "date": self.date}

    def into(self, holder: str) -> str:
        """`old was renamed into new on 2026-11-30 (commit 40a416edb9)`"""
        when = f" on {self.date} (commit {self.commit[:10]})" if self.commit else ""
        return f"{self.id} was {self.how} into {holder}{when}"


def former(root: Path, old: str, holder: str) -> Former:
    """How `old` became `holder`'s: the commit that removed `old`'s file added `holder`'s
    (renamed) or changed it (merged)."""
    from ogpctl.store.gitquery import removal

    found = removal(root, *(RecordKey(Kind.MEMBER, member=m).path for m in (old, holder)))
    if found is None:  # not in git: the data alone does not say
        return Former(old, "renamed or merged")
    sha, day, done = found
    how = {"A": "renamed", "M": "merged"}.get(done or "", "renamed or merged")
    return Former(old, how, sha, day)
