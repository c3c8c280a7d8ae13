"""Validating a dataset: every file, then every rule across files, in one pass."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar, overload

from ogpctl.check.fast.collector import uncollected
from ogpctl.check.load import load
from ogpctl.check.report import Report
from ogpctl.check.rules import run_checks
from ogpctl.errors import UsageError
from ogpctl.model.dataset import Dataset, Facts, Settings, Shown
from ogpctl.problems import Problem
from ogpctl.store.config import load_settings

__all__ = ["Report", "check_dataset", "check_shown", "scope", "within"]
T = TypeVar("T")


@overload
def check_dataset(
    root: Path,
    today: date,
    settings: Settings | None = ...,
    *,
    records: Literal[True] = ...,
    cache: bool = ...,
    workers: int | None = ...,
) -> tuple[Dataset, Report]: ...
@overload
def check_dataset(
    root: Path,
    today: date,
    settings: Settings | None = ...,
    *,
    records: bool,
    cache: bool = ...,
    workers: int | None = ...,
) -> tuple[Facts, Report]: ...
def check_dataset(
    root: Path,
    today: date,
    settings: Settings | None = None,
    *,
    records: bool = True,
    cache: bool = True,
    workers: int | None = None,
) -> tuple[Facts, Report]:
    """Load the whole dataset and check it: the dataset as loaded, and every problem found.

    `records=False` is fastest when only the report is wanted: the dataset returned then
    may be empty (the report's `files` name the record files), and with the cache only
    what changed since the last run is done again (`check.fast.incremental`).
    """
    settings = settings or load_settings(root)
    with uncollected():
        dataset, files, problems = _check(root, settings, today, records, cache, workers)
    return dataset, Report(len(files), sorted(problems), tuple(files))


def _check(
    root: Path, settings: Settings, today: date, records: bool, cache: bool, workers: int | None
) -> tuple[Facts, list[str], list[Problem]]:
    if cache and not records:
        from ogpctl.check.fast.incremental import check

        try:
            files, problems = check(root, settings, today, workers)
            empty: Facts = Dataset(root, settings)
            return empty, files, problems
        except Exception:  # a cache that passed its checksum yet holds nonsense
            pass
    dataset, problems = load(
        root, settings, records=records, cache=False, workers=workers, partial=True
    )
    files = sorted(key.path for key in dataset.files)
    problems += run_checks(dataset, today)
    return dataset.drop_partial(), files, problems


def check_shown(
    root: Path, today: date, settings: Settings, show: Callable[[Shown], T]
) -> tuple[T | None, Report]:
    """`check_dataset(root, today, settings, records=False)`, and what `show` made of the
    valid records with what `status` and `members` show of them, if the validation built
    them (it read every file's results); else None: `load_shown` reads them."""
    from ogpctl.check.fast.incremental import check

    made: list[T] = []
    asked = False

    def shown(dataset: Shown) -> None:
        nonlocal asked
        asked = True
        made.append(show(dataset))

    with uncollected():
        try:
            files, problems = check(root, settings, today, show=shown)
            report = Report(len(files), sorted(problems), tuple(files))
        except Exception:  # a cache that passed its checksum yet holds nonsense
            if asked:
                raise
            _, report = check_dataset(root, today, settings, records=False, cache=False)
    return (made[0] if made else None), report


def scope(root: Path, paths: list[Path]) -> list[str]:
    """Dataset-relative prefixes for the PATH arguments of `validate`."""
    prefixes = []
    for path in paths:
        full = path.resolve()
        if not full.exists() and not full.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
        try:
            relative = full.relative_to(root)
        except ValueError:
            raise UsageError(f"{path} is outside the dataset at {root}") from None
        prefixes.append(relative.as_posix() if relative.parts else "")
    return prefixes


def within(report: Report, prefixes: list[str]) -> Report:
    """Only the problems of files under the given prefixes ('' is the whole dataset)."""
    if "" in prefixes:
        return report

    def inside(path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)

    files = tuple(path for path in report.files if inside(path))
    return Report(len(files), [p for p in report.problems if inside(p.path)], files)
