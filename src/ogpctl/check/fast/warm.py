"""The warm path of `ogpctl validate`: the last run's report, when nothing has changed since.

`check.fast.incremental` keeps the last run's whole result beside the per-file cache. When
no folder and no record file changed since (one `lstat` each), that result is the answer,
and reading it needs none of the checks: neither PyYAML nor pydantic is imported here, so
that the answer costs little more than the `lstat`s (the pre-commit hook pays it on every
commit). Anything else, a change or a cache that cannot be read, answers None, and the
caller validates as usual.
"""

from __future__ import annotations

import contextlib
import os
from datetime import date
from pathlib import Path
from typing import Any

from ogpctl.check.fast import cache
from ogpctl.check.report import Report
from ogpctl.model.dataset import Settings
from ogpctl.problems import Problem, Severity
from ogpctl.store.scan import folder_stamp

Entry = tuple[Any, ...]  # a problem as plain values: path, line, column, code, severity, msg


def last_result(root: Path, settings: Settings) -> tuple[Path | None, Any]:
    """Where the last run's result is kept, and what it holds (None if it cannot be read)."""
    with contextlib.suppress(Exception):  # a cache must never break validation
        file = cache.location(root).with_suffix(".last")
        with contextlib.suppress(Exception):
            return file, cache.read(file, cache.stamp(settings))
        return file, None
    return None, None


def unchanged(root: Path, settings: Settings, today: date) -> Report | None:
    """The last run's report if it was for `today` and no folder or record file changed
    since; None otherwise (the dataset must be validated)."""
    _, last = last_result(root, settings)
    if last is None or still(root, last, today) != []:
        return None
    return report(last)


def report(last: Any) -> Report | None:
    """The report the `last` result holds (None if it holds none)."""
    try:
        paths, entries, cross = last["result"][:3]
        problems = [problem(e) for e in entries] + [problem(c[:1] + c[2:]) for c in cross]
        return Report(len(paths), sorted(problems), tuple(paths))
    except (TypeError, ValueError, KeyError, IndexError):  # not a result of ours
        return None


def still(root: Path, last: Any, today: date) -> list[int] | None:
    """The indexes of the record files changed since the `last` result; None if that
    result is for another day, or a folder changed (a file added, removed or renamed)."""
    try:
        if last["today"] != today.toordinal() or not last["folders"]:
            return None
        for folder, stamp in last["folders"]:
            if folder_stamp(folder) != tuple(stamp):
                return None
        paths, _, _, signatures = last["result"][:4]
        return changed(f"{root}/", paths, signatures)
    except (TypeError, ValueError, KeyError, IndexError):  # not a result of ours
        return None


def changed(prefix: str, paths: list[str], signatures: list[Any]) -> list[int]:
    """Indexes of the files whose signature is not the one kept (the hot loop: kept lean)."""
    found_changed = []
    lstat = os.lstat
    for index, path in enumerate(paths):
        try:
            found = lstat(prefix + path)
        except OSError:
            found_changed.append(index)
            continue
        kept = signatures[index]
        if kept is None or kept != (
            found.st_size,
            found.st_mtime_ns,
            found.st_ctime_ns,
            found.st_ino,
        ):  # as `cache.signature`
            found_changed.append(index)
    return found_changed


def problem(entry: Entry) -> Problem:
    path, line, column, code, severity, message = entry
    return Problem(path, line, column, code, Severity(severity), message)
