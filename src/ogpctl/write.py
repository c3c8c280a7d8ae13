"""Changing the record safely.

One command changes one record file. Under the dataset lock: load the dataset, check it
with the change applied (refusing any error the change would bring), write the file
atomically, commit exactly that file. A journal in the git folder names the file while it
is written but not yet committed, so that a killed process is undone by the next writer.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ogpctl.check import record_file as records
from ogpctl.check.load import load
from ogpctl.check.rules import run_checks
from ogpctl.errors import GitError, Interrupted, InvalidData, LockTimeout, OgpctlError, UsageError
from ogpctl.model.dataset import Dataset
from ogpctl.model.keys import DATA, SCHEMAS, RecordKey, key_for
from ogpctl.problems import Problem, Severity, count, gist
from ogpctl.store.atomic import deferred_interrupts, replacing, restore, temporaries, write_file
from ogpctl.store.config import load_settings
from ogpctl.store.git import Repository

DEFAULT_LOCK_TIMEOUT = 30.0


@dataclass(frozen=True)
class Change:
    """One record file to write, and how to describe it in the history."""

    key: RecordKey
    content: str
    command: str  # as typed: "join", "add member", …
    subject: str  # first line of the commit message
    action: str | None = None
    members: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        trailers = [f"Ogpctl-Command: {self.command}"]
        trailers += [f"Ogpctl-Action: {self.action}"] if self.action else []
        trailers += [f"Ogpctl-Member: {m}" for m in self.members]
        return f"{self.subject}\n\n" + "\n".join(trailers) + "\n"


@dataclass
class Outcome:
    path: str
    content: str
    commit: str | None = None
    warnings: list[Problem] = field(default_factory=list)  # brought by the change
    old_errors: int = 0  # errors elsewhere in the dataset, there before the change
    recovered: list[str] = field(default_factory=list)


class ChangeRejected(OgpctlError):
    """The change would make the dataset invalid; `problems` says how."""

    exit_code = InvalidData.exit_code

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


def lock_timeout() -> float:
    raw = os.environ.get("OGPCTL_LOCK_TIMEOUT", "")
    try:
        seconds = float(raw) if raw else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise UsageError(f"OGPCTL_LOCK_TIMEOUT={raw!r}: give a number of seconds, 0 or more")
    return seconds


@contextlib.contextmanager
def dataset_lock(root: Path, deadline: float) -> Iterator[None]:
    """Hold an exclusive lock on the dataset folder (released when the process ends)."""
    try:
        import fcntl
    except ImportError:  # Windows
        raise OgpctlError(
            "write commands lock the dataset with POSIX file locks: run them on Linux or "
            "macOS (on Windows, in WSL); reading and validating work everywhere"
        ) from None

    fd = os.open(root, os.O_RDONLY)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another ogpctl is writing to {root} and did not finish in time "
                        "(wait longer with OGPCTL_LOCK_TIMEOUT=SECONDS)"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


def apply(
    root: Path,
    build: Callable[[Dataset], Change],
    today: date,
    *,
    commit: bool = True,
    dry_run: bool = False,
) -> Outcome:
    """Check `build`'s change against the whole dataset, then write and commit it."""
    deadline = time.monotonic() + lock_timeout()
    no_commit = ", or pass --no-commit to write the file without committing it"
    repo = _repository(root, no_commit) if commit and not dry_run else None
    with dataset_lock(root, deadline):
        recovered = _recover(root, repo, deadline) if repo else []
        dataset, problems = load(root, load_settings(root), records=False)
        change = build(dataset)
        outcome = _check(dataset, problems, change, today)
        outcome.recovered = recovered
        if dry_run:
            return outcome
        if repo and repo.uncommitted([change.key.path]):
            raise OgpctlError(
                f"{change.key.path} has changes that are not committed: commit them first "
                "(`ogpctl commit`) or undo them, so that this commit holds only this change"
            )
        path = root / change.key.path
        before = path.read_bytes() if path.exists() else None
        written = change.content.encode()
        created = [folder for folder in reversed(path.parents) if not folder.exists()]
        journal = _journal(repo, root, change.key.path, before, written, created) if repo else None
        try:
            _fault("journal")
            with replacing(path, new=before is None) as temporary:
                temporary.write_bytes(written)
                _fault("temporary")
            _fault("linked")
            if repo:
                outcome.commit = repo.commit([change.key.path], change.message, deadline, _fault)
                _fault("done")
        except BaseException as err:
            with deferred_interrupts():  # decided once, from what the repository holds
                sha = repo.holds(change.key.path, written) if repo else None
                if sha is None:  # not committed: put back what was there
                    restore(path, before, created)
                    if journal and (before is not None or _forget(repo, change.key.path)):
                        journal.unlink(missing_ok=True)  # else the next writer finishes the job
                    raise
                if journal:  # committed: a change git has committed is never undone
                    journal.unlink(missing_ok=True)
                if isinstance(err, KeyboardInterrupt):
                    raise _interrupted([change.key.path], sha) from None
            outcome.commit = sha  # only what came after the commit failed
        if journal:
            journal.unlink(missing_ok=True)
        return outcome


@dataclass(frozen=True)
class Committed:
    paths: list[str]
    commit: str | None
    recovered: list[str]


def commit_edits(root: Path, today: date, message: str | None) -> Committed:
    """Commit the hand-edited files under data/ and schemas/ if the dataset is valid."""
    from ogpctl.check.validate import check_dataset

    deadline = time.monotonic() + lock_timeout()
    repo = _repository(root)
    with dataset_lock(root, deadline):
        recovered = _recover(root, repo, deadline)
        _, report = check_dataset(root, today, records=False)
        if not report.ok:
            errors = [p for p in report.problems if p.severity is Severity.ERROR]
            found = count(len(errors), "error")
            raise ChangeRejected(f"nothing committed: the dataset has {found}", errors)
        statuses = repo.status([DATA, SCHEMAS])
        changed = sorted({path for _, path in statuses})
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


def _repository(root: Path, hint: str = "") -> Repository:
    repo = Repository(root, hint=hint)
    repo.require_identity()
    return repo


def _check(dataset: Dataset, loaded: list[Problem], change: Change, today: date) -> Outcome:
    """Refuse the change if the dataset with it applied has an error it did not have."""
    path = change.key.path

    def seen(problem: Problem) -> tuple[str, str, str]:
        return problem.path, problem.code, gist(problem.message)

    before = {seen(p) for p in loaded + run_checks(dataset, today)}
    record, parsed = records.parse(
        change.key, change.content.encode(), dataset.settings.default_language
    )
    if record is not None:
        dataset.files.add(change.key)
        dataset.add(record)
        dataset.sorted()
    after = [p for p in loaded if p.path != path] + parsed + run_checks(dataset, today)
    brought = sorted(p for p in after if seen(p) not in before)
    errors = [p for p in brought if p.severity is Severity.ERROR]
    if errors:
        raise ChangeRejected(
            f"nothing written: the change would bring {count(len(errors), 'error')} into the "
            "dataset",
            errors,
        )
    old_errors = sum(p.severity is Severity.ERROR for p in after)
    return Outcome(path, change.content, warnings=brought, old_errors=old_errors)


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _forget(repo: Repository | None, path: str) -> bool:
    """Take a new file out of the index again; False if git does not let us now."""
    try:
        if repo is not None:
            repo.forget([path], time.monotonic() + lock_timeout())
    except (GitError, LockTimeout):
        return False
    return True


def _interrupted(paths: list[str], sha: str) -> Interrupted:
    what = paths[0] if len(paths) == 1 else count(len(paths), "file")
    return Interrupted(f"committed {what} ({sha[:12]}), then interrupted")


def _fault(step: str) -> None:
    """For tests only: `OGPCTL_FAULT=STEP:kill` (or `STEP:int`) kills this process outright
    (or sends it Ctrl-C) at that step of a write: journal, temporary, linked, added,
    committed, done."""
    wanted, _, how = os.environ.get("OGPCTL_FAULT", "").partition(":")
    if wanted == step:
        os.kill(os.getpid(), signal.SIGKILL if how == "kill" else signal.SIGINT)


def _journal(
    repo: Repository, root: Path, path: str, before: bytes | None, written: bytes,
    created: list[Path],
) -> Path:  # fmt: skip
    """Name the file about to be written, and the folders made for it, until it is
    committed or put back: if this process dies meanwhile, the next writer puts it back
    (`_recover`)."""
    journal = repo.git_dir / "ogpctl" / "journal.json"
    journal.parent.mkdir(exist_ok=True)
    entry = {
        "path": path,
        "before": None if before is None else base64.b64encode(before).decode(),
        "written": _digest(written),
        "created": [folder.relative_to(root).as_posix() for folder in created],
    }
    journal.unlink(missing_ok=True)
    write_file(journal, json.dumps(entry).encode(), new=True)
    return journal


def _recover(root: Path, repo: Repository, deadline: float) -> list[str]:
    """Undo the write of an ogpctl process that died before git committed it."""
    journal = repo.git_dir / "ogpctl" / "journal.json"
    for leftover in temporaries(journal):
        leftover.unlink(missing_ok=True)
    if not journal.exists():
        return []
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
        path, written = str(entry["path"]), str(entry["written"])
        before = None if entry["before"] is None else base64.b64decode(entry["before"])
        created = [root / str(folder) for folder in entry.get("created", [])]
    except (ValueError, KeyError, TypeError):
        journal.unlink()
        return ["ignored an unreadable journal of an interrupted write"]
    repo.wait_for_index(deadline)  # the dead writer's git may still be committing
    target = root / path
    for leftover in temporaries(target):  # killed while writing the file
        leftover.unlink(missing_ok=True)
    committed = repo.committed(path)
    current = target.read_bytes() if target.is_file() else None
    ours = current is not None and _digest(current) == written
    notes = []
    if (committed is None or _digest(committed) != written) and (ours or current is None):
        # never committed, and not changed by anyone since: put back what was there
        if ours or before is None:
            restore(target, before, created)  # and the folders made for it, if still empty
        if before is None and committed is None:
            repo.forget([path], deadline)  # our `git add`, if it happened
        notes.append(f"undid the interrupted write of {path} (it was never committed)")
    journal.unlink()
    return notes
