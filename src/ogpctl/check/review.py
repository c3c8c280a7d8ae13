"""What a change does to the dataset's problems: `validate --changed-since REF`.

The dataset is checked twice: as it is (the work tree), and as it was where the work
branched off REF (their merge base, as `git diff REF...` sees it, so that what REF gained
since is not blamed on the branch). A problem is the change's if the same problem (file,
code and message without its hints, renamed files matched to their old names) was not
there before. So a contributor is never blamed for old problems, and is blamed
for those the change causes in files it did not touch (a member removed while still
named elsewhere). Published updates are append-only: editing, renaming or deleting one
that existed at REF is itself a problem, except the moves that a rename or merge of their
author, recorded in the same change, explains (`check.moves`). The records such a rename
moves keep their old problems unblamed too: an old problem of `members/old.yaml` that
names 'old' is the same one as that of `members/new.yaml` naming 'new'.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ogpctl import codes
from ogpctl.check import moves as explain
from ogpctl.check.formerly import read
from ogpctl.check.validate import Report, check_dataset
from ogpctl.model.keys import Kind, key_for
from ogpctl.problems import Problem, Severity, gist
from ogpctl.store.git import FileChange, Repository
from ogpctl.store.scratch import scratch


@dataclass(frozen=True)
class Review:
    report: Report  # the problems the change brings
    old: int  # problems that were there at the base and still are


def changed_since(root: Path, ref: str, today: date, *, cache: bool = True) -> Review:
    repo = Repository(root)
    base = repo.fork_point(ref)
    changes = repo.changed_files(base, None)
    _, now = check_dataset(root, today, records=False, cache=cache)
    with scratch("base") as folder:
        repo.snapshot(base, folder)
        _, before = check_dataset(folder, today, records=False, cache=False)
        then = _reader(folder)
        moves = explain.explained(changes, then, _reader(root))
        rewritten = append_only(changes, moves, then, _reader(root))
    renamed = {c.old_path: c.path for c in changes if c.status == "R"}

    def seen(problem: Problem) -> tuple[str, str, str]:
        return problem.path, problem.code, gist(problem.message)

    def moved(problem: Problem) -> tuple[str, str, str]:
        """An old problem as it reads where the change moved its file."""
        path = moves.new_path(problem.path) or renamed.get(problem.path) or problem.path
        return path, problem.code, gist(moves.new_words(problem.message))

    remaining = Counter(moved(p) for p in before.problems)
    unmatched = []
    for problem in now.problems:
        if remaining[seen(problem)] > 0:
            remaining[seen(problem)] -= 1
        else:
            unmatched.append(problem)
    brought = sorted(unmatched + rewritten)
    return Review(Report(now.checked, brought, now.files), len(now.problems) - len(unmatched))


def _reader(root: Path) -> explain.Read:
    return lambda path: read(root / path)


def rewritten(repo: Repository, changes: list[FileChange], state: Path) -> list[Problem]:
    """`append_only` for a commit of `changes` onto HEAD that leaves the dataset as in the
    folder `state`: the moves a rename or merge in those changes records are accepted."""

    def before(path: str) -> bytes | None:
        return repo.read_at("HEAD", path)

    now = _reader(state)
    return append_only(changes, explain.explained(changes, before, now), before, now)


def append_only(
    changes: list[FileChange],
    moves: explain.Moves | None = None,
    before: explain.Read | None = None,
    now: explain.Read | None = None,
) -> list[Problem]:
    """An update that existed at the base may not be edited, renamed or deleted, except
    where `moves` (read from the `before` and `now` states) explains its move."""
    moves = moves or explain.Moves()
    arrived = set(moves.updates.values())
    found = []
    for change in changes:
        key = key_for(change.old_path)
        if key is None or key.kind is not Kind.UPDATE or change.status == "A":
            continue
        if change.old_path in moves.updates:
            continue
        if change.status == "R" and change.path in arrived:  # git paired it otherwise
            change = FileChange("D", change.old_path, change.old_path)
        done = {"D": "deleted", "R": "renamed"}.get(change.status, "edited")
        target = f" to {change.path}" if change.status == "R" else ""
        if before is not None and now is not None:
            target += explain.why_not(change, moves, before, now)
        found.append(
            Problem(
                change.path,
                1,
                1,
                codes.UPDATE_REWRITTEN,
                Severity.ERROR,
                f"published update {change.old_path} {done}{target}: updates are append-only, "
                "so that the record keeps what was said when; to correct one, publish a new "
                "update (`ogpctl update`) that says what changed",
            )
        )
    return found
