"""The disk scan: which record files are under `data/`, and which layout problems.

`scan` walks `data/` without following links and sorts what it finds into record files
and layout problems (stray files, links, bad ids, action folders without `action.yaml`).
Paths are named by `ogpctl.model.keys`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ogpctl import codes
from ogpctl.model.keys import (
    DATA,
    RESERVED_HINT,
    Kind,
    RecordKey,
    is_reserved,
    is_slug,
    update_name,
)
from ogpctl.problems import Problem, Severity

_PLACEHOLDERS = {".gitkeep"}  # empty files that keep empty folders in git


@dataclass
class Scan:
    records: list[RecordKey] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # every folder listed, with its stamp from just before (see `ogpctl.check.fast.incremental`)
    folders: list[tuple[str, tuple[int, int, int, int] | None]] = field(default_factory=list)
    # git's ignore rules decided about some files (their changes change no folder stamp)
    asked_git: bool = False


def _problem(path: str, code: str, message: str) -> Problem:
    return Problem(path, 1, 1, code, Severity.ERROR, message)


def folder_stamp(folder: str) -> tuple[int, int, int, int] | None:
    """What changes when a folder's entries do: taken before listing it, as git does."""
    try:
        found = os.lstat(folder)
    except OSError:
        return None
    return found.st_mode, found.st_ino, found.st_mtime_ns, found.st_ctime_ns


def _entries(folder: Path, result: Scan) -> list[os.DirEntry[str]]:
    name = folder.as_posix()
    result.folders.append((name, folder_stamp(name)))
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):  # removed while we scanned: gone
        return []


def scan(root: Path) -> Scan:
    """Every record file under `root/data`, and every layout problem, in path order."""
    result = Scan()
    for _ in scanning(root, result):
        pass
    return result


def scanning(root: Path, result: Scan) -> Iterator[None]:
    """`scan` into `result`, pausing after each action folder and after the members: the
    caller may start on the records found so far (`result.records`) while the rest is
    scanned. The layout problems are complete only at the end."""
    data = root / DATA
    if data.is_symlink():
        result.problems.append(_problem(DATA, codes.SYMLINK, "`data` is a symbolic link"))
        return
    if not data.is_dir():
        return
    for entry, rel in _walk_level(
        data, DATA, result, dirs={"members", "actions"}, files={"README.md"}
    ):
        if entry.name == "members":
            _scan_members(Path(entry.path), rel, result)
            yield
        elif entry.name == "actions":
            yield from _scan_actions(Path(entry.path), rel, result)
        # README.md: documentation of the dataset
    _skip_ignored(root, result)
    _check_case_clashes(result)


def _skip_ignored(root: Path, result: Scan) -> None:
    """Files and folders git ignores (`.DS_Store`, `*.bak`, an editor's swap or lock file)
    are not records: drop their OGP020 problems. Git is asked once, only about the stray
    files found, so a dataset without any costs nothing; outside git nothing changes."""
    strays = [p.path for p in result.problems if p.code == codes.STRAY_FILE]
    if not strays:
        return
    from ogpctl.store.gitquery import ignored

    skipped = ignored(root, strays)
    if skipped is None:
        return
    result.asked_git = True
    kept = []
    for problem in result.problems:
        if problem.code == codes.STRAY_FILE:
            if problem.path in skipped:
                continue
            problem = _problem(
                problem.path,
                problem.code,
                f"{problem.message}; if it is not part of the record, delete it, or add it "
                "to .gitignore (git and ogpctl then ignore it)",
            )
        kept.append(problem)
    result.problems = kept


def _walk_level(
    folder: Path,
    rel: str,
    result: Scan,
    *,
    dirs: set[str] | None = None,
    files: set[str] | None = None,
    hint: str = "",
) -> Iterator[tuple[os.DirEntry[str], str]]:
    """Entries of one folder; links and unexpected entries become problems, not entries.

    `dirs`/`files` name what is expected (None: any name, checked by the caller).
    """
    for entry in _entries(folder, result):
        path = f"{rel}/{entry.name}"
        if _admit(entry, path, result, dirs, files, hint):
            yield entry, path


def _admit(
    entry: os.DirEntry[str],
    path: str,
    result: Scan,
    dirs: set[str] | None,
    files: set[str] | None,
    hint: str,
) -> bool:
    """True if `_walk_level` yields this entry; else it reports why not (or skips it)."""
    if entry.is_symlink():
        result.problems.append(
            _problem(path, codes.SYMLINK, "symbolic link; records must be regular files")
        )
    elif entry.name in _PLACEHOLDERS and entry.is_file(follow_symlinks=False):
        return False
    elif entry.is_dir(follow_symlinks=False):
        if dirs is None or entry.name in dirs:
            return True
        result.problems.append(_problem(path, codes.STRAY_FILE, f"unexpected folder here{hint}"))
    elif not entry.is_file(follow_symlinks=False):  # reading a pipe would block
        result.problems.append(
            _problem(path, codes.STRAY_FILE, "not a regular file (a pipe, socket or device)")
        )
    elif files is None or entry.name in files:
        return True
    else:
        result.problems.append(_problem(path, codes.STRAY_FILE, _stray_message(entry.name, hint)))
    return False


def _record_ids(folder: Path, rel: str, result: Scan) -> Iterator[tuple[str, str]]:
    """(id, path) of each `<id>.yaml` of a folder of records, as `_walk_level(dirs=set())`
    and `_record_name` find them; a regular `.yaml` file, the usual entry, is decided at once.
    """
    for entry in _entries(folder, result):
        name = entry.name
        if name.endswith(".yaml") and entry.is_file(follow_symlinks=False):
            yield name[:-5], f"{rel}/{name}"
            continue
        path = f"{rel}/{name}"
        if _admit(entry, path, result, set(), None, ""):
            found = _record_name(entry, path, result)
            if found is not None:
                yield found, path


def _stray_message(name: str, hint: str) -> str:
    if name.endswith(".yml"):
        return f"records end in `.yaml`, not `.yml`: rename it to {name[:-4]}.yaml"
    return f"not a record file{hint}"


def _record_name(entry: os.DirEntry[str], path: str, result: Scan) -> str | None:
    """The id in `<id>.yaml`, or None after reporting why the file is not a record."""
    if entry.is_dir(follow_symlinks=False):
        result.problems.append(_problem(path, codes.STRAY_FILE, "unexpected folder here"))
        return None
    if not entry.name.endswith(".yaml"):
        result.problems.append(
            _problem(
                path, codes.STRAY_FILE, _stray_message(entry.name, " (records are `<id>.yaml`)")
            )
        )
        return None
    return entry.name[: -len(".yaml")]


def _bad_id(path: str, name: str, result: Scan) -> bool:
    if not is_slug(name):
        result.problems.append(
            _problem(
                path,
                codes.BAD_ID,
                f"{name!r} is not an id: use lowercase letters, digits and single hyphens "
                f"(`^[a-z0-9]+(-[a-z0-9]+)*$`, at most 64 characters)",
            )
        )
        return True
    if is_reserved(name):
        result.problems.append(
            _problem(path, codes.RESERVED_ID, f"{name!r} cannot be an id: {RESERVED_HINT}")
        )
        return True
    return False


def _scan_members(folder: Path, rel: str, result: Scan) -> None:
    for name, path in _record_ids(folder, rel, result):
        if not _bad_id(path, name, result):
            result.records.append(RecordKey(Kind.MEMBER, member=name))


def _scan_actions(folder: Path, rel: str, result: Scan) -> Iterator[None]:
    hint = " (an action is a folder `data/actions/<action>/`)"
    for entry, path in _walk_level(folder, rel, result, files=set(), hint=hint):
        if _bad_id(path, entry.name, result):
            continue
        action = entry.name
        has_action_file = False
        for sub, subpath in _walk_level(
            Path(entry.path),
            path,
            result,
            dirs={"participants", "updates"},
            files={"action.yaml"},
            hint=" (an action folder holds action.yaml, participants/ and updates/)",
        ):
            if sub.name == "action.yaml":
                has_action_file = True
                result.records.append(RecordKey(Kind.ACTION, action=action))
            elif sub.name == "participants":
                _scan_participants(Path(sub.path), subpath, action, result)
            else:
                _scan_updates(Path(sub.path), subpath, action, result)
        if not has_action_file and Path(entry.path).is_dir():  # (not removed meanwhile)
            result.problems.append(
                _problem(
                    path,
                    codes.NO_ACTION_FILE,
                    f"action folder without action.yaml: add {path}/action.yaml or remove it",
                )
            )
        yield


# A member's id and a day are named by many files: one object each for all their keys
# (sys.intern, and `_DAYS`), not one per file (memory at 184,000 files).
_DAYS: dict[date, date] = {}


def _scan_participants(folder: Path, rel: str, action: str, result: Scan) -> None:
    for name, path in _record_ids(folder, rel, result):
        if not _bad_id(path, name, result):
            member = sys.intern(name)
            result.records.append(RecordKey(Kind.PARTICIPANT, action=action, member=member))


def _scan_updates(folder: Path, rel: str, action: str, result: Scan) -> None:
    for name, path in _record_ids(folder, rel, result):
        named = update_name(name)
        if named is None:
            result.problems.append(
                _problem(
                    path,
                    codes.BAD_ID,
                    f"{name + '.yaml'!r}: an update is named <YYYY-MM-DD>-<member>.yaml, "
                    "the date it was published and its author (<YYYY-MM-DD>-<member>-2.yaml "
                    "for a second one that day)",
                )
            )
        elif not _bad_id(path, named[1], result):
            published, member, sequence = named
            published = _DAYS.setdefault(published, published)
            key = RecordKey(Kind.UPDATE, action, sys.intern(member), published, sequence)
            result.records.append(key)


def _check_case_clashes(result: Scan) -> None:
    """Names that differ only in case are one file on macOS and Windows."""
    seen: dict[str, str] = {}
    paths = {key.path for key in result.records} | {p.path for p in result.problems}
    if len({path.casefold() for path in paths}) == len(paths):
        return  # no two alike: the usual case, decided without sorting
    for path in sorted(paths):
        folded = path.casefold()
        if folded in seen and seen[folded] != path:
            result.problems.append(
                _problem(
                    path,
                    codes.CASE_CLASH,
                    f"same name as {seen[folded]} but for case: one file on macOS and Windows",
                )
            )
        seen.setdefault(folded, path)


def ids_on_disk(root: Path, kind: Kind, prefix: str = "") -> list[str]:
    """The action or member ids starting with `prefix`, from the file names alone (cheap
    enough for shell completion: nothing is parsed)."""
    folder = root / DATA / ("actions" if kind is Kind.ACTION else "members")
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    if kind is Kind.ACTION:
        found = [e.name for e in entries if e.is_dir(follow_symlinks=False)]
    else:
        found = [e.name[:-5] for e in entries if e.name.endswith(".yaml") and e.is_file()]
    return sorted(i for i in found if i.startswith(prefix) and is_slug(i))
