"""Changing the record safely.

One command changes one record file (and `.github/CODEOWNERS` with it when that changes),
or several at once (`ogpctl rename` writes, deletes and renames many). Under the dataset
lock (`ogpctl.store.lock`): load the dataset as the commit will leave it (HEAD plus the
change, `ogpctl.store.pending`), check it with the change applied (refusing any error the
change would bring), write the files atomically, commit exactly those files, in one
commit. A journal in the git folder (`ogpctl.store.journal`) names them while they are
written but not yet committed, so that a killed process is undone, whole, by the next
writer.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ogpctl import codeowners
from ogpctl.check import record_file as records
from ogpctl.check.load import load
from ogpctl.check.rules import run_checks
from ogpctl.errors import GitError, Interrupted, InvalidData, LockTimeout, OgpctlError, UsageError
from ogpctl.model.dataset import Facts
from ogpctl.model.keys import CONFIG, DATA, SCHEMAS, Kind, RecordKey, key_for
from ogpctl.problems import Problem, Severity, count, gist
from ogpctl.store.atomic import deferred_interrupts
from ogpctl.store.config import load_settings
from ogpctl.store.git import Repository
from ogpctl.store.journal import begin, entry as journal_entry, put_back, put_in_place, recover
from ogpctl.store.lock import DEFAULT_LOCK_TIMEOUT, dataset_lock, lock_timeout
from ogpctl.store.pending import committed_state

__all__ = ["DEFAULT_LOCK_TIMEOUT", "apply", "commit_edits", "dataset_lock", "lock_timeout"]


@dataclass(frozen=True)
class Change:
    """One record file to write (and maybe more), and how to describe it in the history."""

    key: RecordKey
    content: str
    command: str  # as typed: "join", "add member", …
    subject: str  # first line of the commit message
    action: str | None = None
    members: tuple[str, ...] = ()
    others: Mapping[str, str | None] = field(default_factory=dict)  # more: text, None: delete
    moves: Mapping[str, str] = field(default_factory=dict)  # old path → new path, among them
    body: tuple[str, ...] = ()  # lines of the commit message saying what it does, file by file

    @property
    def files(self) -> dict[str, str | None]:
        """Every record file the change writes (its text) or deletes (None)."""
        return {self.key.path: self.content, **self.others}

    @property
    def message(self) -> str:
        trailers = [f"Ogpctl-Command: {self.command}"]
        trailers += [f"Ogpctl-Action: {self.action}"] if self.action else []
        trailers += [f"Ogpctl-Member: {m}" for m in self.members]
        body = "".join(f"{line}\n" for line in self.body)
        return f"{self.subject}\n\n" + (f"{body}\n" if body else "") + "\n".join(trailers) + "\n"


@dataclass
class Outcome:
    path: str
    content: str
    commit: str | None = None
    change: Change | None = None
    warnings: list[Problem] = field(default_factory=list)  # brought by the change
    old_errors: int = 0  # errors elsewhere in the dataset, there before the change
    recovered: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # written and committed with it (CODEOWNERS)


class ChangeRejected(OgpctlError):
    """The change would make the dataset invalid; `problems` says how."""

    exit_code = InvalidData.exit_code

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


def apply(
    root: Path,
    build: Callable[[Facts], Change],
    today: date,
    *,
    commit: bool = True,
    dry_run: bool = False,
) -> Outcome:
    """Check `build`'s change against the whole dataset, then write and commit it."""
    deadline = time.monotonic() + lock_timeout()
    _whole(root)
    no_commit = ", or pass --no-commit to write the file without committing it"
    repo = _repository(root, no_commit) if commit and not dry_run else None
    with dataset_lock(root, deadline), contextlib.ExitStack() as stack:
        recovered = recover(root, repo, deadline) if repo else []
        # what the commit will hold: HEAD plus this change (the work tree if not committing)
        checked = stack.enter_context(committed_state(root, repo, [])) if repo else root
        settings = load_settings(checked)
        dataset, problems = load(checked, settings, records=False, cache=checked == root)
        change = build(dataset)
        outcome = _check(dataset, problems, change, today)
        outcome.recovered = recovered
        if dry_run:
            return outcome
        files = {p: None if text is None else text.encode() for p, text in change.files.items()}
        owners = repo is not None and _owners_follow(repo, change)
        # one `git status` for every file the commit may take, just before writing them
        asked = sorted(files) + ([codeowners.TARGET] if owners else [])
        unsaved = repo.uncommitted(asked) if repo else []
        mine = [path for path in unsaved if path in files]
        if mine:
            what = f"{mine[0]} has" if len(mine) == 1 else f"{', '.join(mine)} have"
            raise OgpctlError(
                f"{what} changes that are not committed: commit them first "
                "(`ogpctl commit`) or undo them, so that this commit holds only this change"
            )
        if repo and owners:
            files |= _codeowners(root, repo, change, codeowners.TARGET in unsaved)
        outcome.also = [path for path in files if path not in change.files]
        entries = [journal_entry(root, path, written) for path, written in files.items()]
        # none of them differs from HEAD: those not there yet are the ones git does not track
        new = sorted(e.path for e in entries if e.before is None and e.written is not None)
        journal = begin(repo, root, entries) if repo else None
        try:
            _fault("journal")
            put_in_place(entries, _fault)
            _fault("linked")
            if repo:
                outcome.commit = repo.commit(sorted(files), change.message, deadline, _fault, new)
                _fault("done")
        except BaseException as err:
            with deferred_interrupts():  # decided once, for every file, from what git holds
                sha = repo.holds(files) if repo else None
                if sha is None:  # not committed: put back what was there
                    put_back(entries)
                    new = [entry.path for entry in entries if entry.before is None]
                    if journal and (not new or _forget(repo, new)):
                        journal.unlink(missing_ok=True)  # else the next writer finishes the job
                    raise
                if journal:  # committed: a change git has committed is never undone
                    journal.unlink(missing_ok=True)
                if isinstance(err, KeyboardInterrupt):
                    raise _interrupted(sorted(files), sha) from None
            outcome.commit = sha  # only what came after the commit failed
        if journal:
            journal.unlink(missing_ok=True)
        return outcome


@dataclass(frozen=True)
class Committed:
    paths: list[str]
    commit: str | None
    recovered: list[str]


def commit_edits(
    root: Path, today: date, message: str | None, named: list[Path] | None = None
) -> Committed:
    """Commit the hand-edited files under data/ and schemas/ (or those of them `named`)
    if the dataset as the commit leaves it is valid and no published update is rewritten."""
    from ogpctl.check.review import rewritten
    from ogpctl.check.validate import check_dataset

    deadline = time.monotonic() + lock_timeout()
    _whole(root)
    repo = _repository(root)
    prefixes = _named(root, named) if named else None
    with dataset_lock(root, deadline):
        recovered = recover(root, repo, deadline)
        statuses = repo.status([DATA, SCHEMAS, CONFIG])  # also what the state to check needs
        differ = sorted({path for _, path in statuses})
        changed = [path for path in differ if path != CONFIG]
        if prefixes is not None:
            changed = [p for p in changed if any(p == n or p.startswith(f"{n}/") for n in prefixes)]
        in_state = [path for path in differ if not path.startswith(f"{SCHEMAS}/")]
        with committed_state(root, repo, changed, changed=in_state) as state:
            _, report = check_dataset(state, today, records=False, cache=state == root)
            errors = [p for p in report.problems if p.severity is Severity.ERROR]
            if repo.has_head():
                taken = set(changed)
                edits = repo.changed_files("HEAD", None)
                errors += rewritten(repo, [c for c in edits if {c.path, c.old_path} & taken], state)
        if errors:
            found = count(len(errors), "error")
            raise ChangeRejected(f"nothing committed: the dataset would have {found}", errors)
        new = {path for code, path in statuses if code in ("??", "A ", "AM")}
        if not changed:
            return Committed([], None, recovered)
        head = repo.head()
        try:
            sha = repo.commit(changed, describe(changed, message, new), deadline, _fault)
        except KeyboardInterrupt:
            after = repo.head()  # HEAD moved: git committed
            if after is None or after == head:
                raise
            raise _interrupted(changed, after) from None
        return Committed(changed, sha, recovered)


def _named(root: Path, paths: list[Path]) -> list[str]:
    """Dataset-relative forms of the PATH arguments of `commit` (relative to the current
    folder, as git takes them); each must be under data/ or schemas/."""
    top = root.resolve()
    found = []
    for path in paths:
        try:
            relative = Path(os.path.normpath(path.absolute())).relative_to(top).as_posix()
        except ValueError:
            relative = ""
        if relative.split("/")[0] not in (DATA, SCHEMAS):
            raise UsageError(
                f"{path}: `ogpctl commit` takes files or folders under {DATA}/ and {SCHEMAS}/ "
                f"of the dataset at {root}"
            )
        found.append(relative)
    return found


def describe(paths: list[str], message: str | None = None, new: set[str] | None = None) -> str:
    """A commit message naming the files changed (`add` when all are `new`), with trailers
    a script can read."""
    keys = [key for key in map(key_for, paths) if key is not None]
    labels = [key.label for key in keys] + [p for p in paths if key_for(p) is None]
    verb = "add" if new and set(paths) <= new else "edit"
    subject = f"{verb} {labels[0]}" if len(labels) == 1 else f"{verb} {len(labels)} files"
    subject = message.strip() if message and message.strip() else subject
    actions = sorted({k.action for k in keys if k.action})
    members = sorted({k.member for k in keys if k.member})
    lines = [subject, "", *(f"- {p}" for p in paths), "", "Ogpctl-Command: commit"]
    lines += [f"Ogpctl-Action: {a}" for a in actions] + [f"Ogpctl-Member: {m}" for m in members]
    return "\n".join(lines) + "\n"


def _whole(root: Path) -> None:
    """Refuse to write where a sparse checkout hides part of the dataset: the change could
    not be checked against what is not there (a duplicate action number, say)."""
    from ogpctl.store.gitquery import not_checked_out

    absent = not_checked_out(root)
    if absent:
        raise OgpctlError(
            f"this is a sparse checkout: {count(absent, 'file')} under {DATA}/ "
            "are not checked out, so the whole dataset cannot be checked before writing; "
            "write in a full checkout (`git sparse-checkout disable`)"
        )


def _repository(root: Path, hint: str = "") -> Repository:
    repo = Repository(root, hint=hint)
    repo.require_identity()
    return repo


def _check(dataset: Facts, loaded: list[Problem], change: Change, today: date) -> Outcome:
    """Refuse the change if the dataset with it applied has an error it did not have (one
    that a rename only carries to the new path and id is not new)."""
    language = dataset.settings.default_language

    def seen(problem: Problem) -> tuple[str, str, str]:
        return problem.path, problem.code, gist(problem.message)

    before = {seen(_carried(p, change.moves)) for p in loaded + run_checks(dataset, today)}
    parsed: list[Problem] = []
    for path, content in change.files.items():
        key = key_for(path)
        assert key is not None, f"{path} names no record"
        dataset.discard(key)
        if content is None:
            continue
        dataset.files.add(key)
        record, problems = records.parse(key, content.encode(), language)
        parsed += problems
        if record is not None:
            dataset.add(record)
    dataset.sorted()
    after = [p for p in loaded if p.path not in change.files] + parsed + run_checks(dataset, today)
    brought = sorted(p for p in after if seen(p) not in before)
    errors = [p for p in brought if p.severity is Severity.ERROR]
    if errors:
        raise ChangeRejected(
            f"nothing written: the change would bring {count(len(errors), 'error')} into the "
            "dataset",
            errors,
        )
    old_errors = sum(p.severity is Severity.ERROR for p in after)
    return Outcome(change.key.path, change.content, change=change, warnings=brought,
                   old_errors=old_errors)  # fmt: skip


def _carried(problem: Problem, moves: Mapping[str, str]) -> Problem:
    """`problem` as it reads once the members that `moves` rename have their new ids, and
    their files their new paths."""
    renamed = {}
    for old, new in moves.items():
        was, now = key_for(old), key_for(new)
        if was and now and was.kind is Kind.MEMBER and now.kind is Kind.MEMBER:
            renamed[repr(was.member)] = repr(now.member)
    message = problem.message
    for was_id, now_id in renamed.items():
        message = message.replace(was_id, now_id)
    path = moves.get(problem.path, problem.path)
    return problem if (path, message) == (problem.path, problem.message) else (
        dataclasses.replace(problem, path=path, message=message)
    )  # fmt: skip


def _owners_follow(repo: Repository, change: Change) -> bool:
    """Whether `.github/CODEOWNERS` may change with `change`: the repository has one
    committed at the dataset root; owners come from members, leaders and pledges."""
    if {key.kind for key in map(key_for, change.files) if key} <= {Kind.UPDATE}:
        return False
    return repo.dataset_folder == "." and repo.committed(codeowners.TARGET) is not None


def _codeowners(
    root: Path, repo: Repository, change: Change, unsaved: bool
) -> dict[str, bytes | None]:
    """`.github/CODEOWNERS` regenerated for the dataset as this commit leaves it, if the
    change alters it (a member's maintainers, an action's leaders, a pledge): the commit
    then holds both, so that the repository's own CODEOWNERS check passes. Else nothing.
    `unsaved`: the file has changes that are not committed (then refused, if it alters)."""
    overlay = {p: None if text is None else text.encode() for p, text in change.files.items()}
    with committed_state(root, repo, [], overlay) as state:
        planned = codeowners.plan(root, state)
    if not planned.stale:
        return {}
    if unsaved:
        raise OgpctlError(
            f"{codeowners.TARGET} has changes that are not committed, and this change "
            "alters it: commit them first or undo them (`ogpctl codeowners` regenerates it)"
        )
    return {codeowners.TARGET: planned.content.encode()}


def _forget(repo: Repository | None, paths: list[str]) -> bool:
    """Take new files out of the index again; False if git does not let us now."""
    try:
        if repo is not None:
            repo.forget(paths, time.monotonic() + lock_timeout())
    except (GitError, LockTimeout):
        return False
    return True


def _interrupted(paths: list[str], sha: str) -> Interrupted:
    what = paths[0] if len(paths) == 1 else count(len(paths), "file")
    return Interrupted(f"committed {what} ({sha[:12]}), then interrupted")


def _fault(step: str) -> None:
    """For tests only: `OGPCTL_FAULT=STEP:kill` (or `STEP:int`) kills this process outright
    (or sends it Ctrl-C) at that step of a write: journal, temporary, removed, linked, added,
    committed, done."""
    wanted, _, how = os.environ.get("OGPCTL_FAULT", "").partition(":")
    if wanted == step:
        os.kill(os.getpid(), signal.SIGKILL if how == "kill" else signal.SIGINT)
