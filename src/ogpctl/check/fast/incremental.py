"""Validation that redoes only what changed since the last run.

Beside each file's own results (`check.fast.cache`), the last run's whole result is kept in a
second, smaller file (`….last`): the folders the layout scan listed, with their `lstat`
stamps; each record file's path, signature and a digest of its facts (what the
cross-file checks read of it, `check.fast.facts`); the date it ran for; and every problem,
the cross-file ones with the field each is about. A later run for the same date:

- stops after an `lstat` of every folder and file when nothing changed (adding, removing
  or renaming a file changes its folder's stamp; editing it, its own signature);
- when only files' contents changed, checks those files again and, if their facts are
  what they were (a summary reworded, a comment added), keeps the cross-file problems,
  looking up again where they sit in the edited files, as lines may have moved;
- else validates as a first run does (with the per-file cache), and keeps the result.

The cross-file checks are functions of the record files present, their facts, the date
and the settings (part of the cache's stamp), so reuse never hides a problem. Entries
changed within `RACY_NS` of the run are not trusted, as in the per-file cache.
`tests/check/test_incremental.py` compares every reuse with a run from scratch.
"""

from __future__ import annotations

import hashlib
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any

from ogpctl.check.fast import cache, parallel, warm
from ogpctl.check.fast.cache import Cache, Signature
from ogpctl.check.fast.facts import Places, Summary, problems
from ogpctl.check.fast.warm import last_result, still
from ogpctl.check.load import each_summary, light, shown_of
from ogpctl.check.rules import located
from ogpctl.model.dataset import Settings, Shown
from ogpctl.model.keys import key_for
from ogpctl.problems import Problem
from ogpctl.store.scan import scan

_ORDER = attrgetter("kind", "action", "member", "published")
Entry = tuple[Any, ...]  # a problem as plain values: path, line, column, code, severity, msg
Located = tuple[Any, ...]  # a cross-file problem: path, field, line, column, code, …
_DIGEST = 8  # bytes of a file's facts' digest
# an untrusted signature, or one that does not fit in `_afresh`'s array (negative times,
# inodes of 2**63 and more: such a file is checked again each time, a cost, never an error)
_NONE = (-1, -1, -1, -1)


def check(
    root: Path,
    settings: Settings,
    today: date,
    workers: int | None = None,
    show: Callable[[Shown], object] | None = None,
) -> tuple[list[str], list[Problem]]:
    """The record files (paths) and every problem, as a validation from scratch finds them.

    When this run reads every file's results (a first run, a file added or removed, facts
    changed), `show` is called with the valid records, with what `status` and `members`
    show of them (`load.light`), before the last result is kept: those records and the
    lists kept are not held at once. An error it raises is raised once the result is kept.
    """
    started = time.time_ns()  # before any file is examined
    stamp = cache.stamp(settings)
    last_file, last = last_result(root, settings)
    again = _again(root, settings, last, today, started) if last else None
    error: Exception | None = None
    if last is not None and again is not None:
        result, folders = again, last["folders"]
    else:  # the per-file results are needed: read them (the larger file) only now
        last = None  # not held meanwhile: at 184,000 files, a hundred MB
        with Cache.open(root, settings) as store:
            compact, folders, error = _afresh(root, settings, today, store, workers, show)
        result = _listed(compact)  # its light records gone: room for the lists
    if last_file is not None and (last is None or result is not last["result"]):
        cache.write(last_file, stamp,
                    {"today": today.toordinal(), "folders": folders, "result": result})  # fmt: skip
    if error is not None:
        raise error
    paths, entries, cross = result[:3]
    return paths, [warm.problem(e) for e in entries] + [warm.problem(c[:1] + c[2:]) for c in cross]


def _afresh(
    root: Path,
    settings: Settings,
    today: date,
    store: Cache,
    workers: int | None,
    show: Callable[[Shown], object] | None,
) -> tuple[tuple[Any, ...], list[Any], Exception | None]:
    """Validate as a first run does; the result, the folders the scan listed (none if
    one changed too recently to trust its stamp), and the error `show` raised (see `check`)."""
    found = scan(root)
    keys = sorted(found.records, key=_ORDER)
    signatures = array("q")  # what the next run compares, 4 numbers a file (`_listed`)
    digests = bytearray()

    def noted(results: Iterable[tuple[Signature | None, Summary]]) -> Iterator[Summary]:
        for signature, summary in results:  # what the next run compares, as they come
            trusted = _trusted(signature, store.started)
            fits = trusted is not None and all(0 <= n < 1 << 63 for n in trusted)
            signatures.extend(trusted if fits else _NONE)  # type: ignore[arg-type]
            digests.extend(_digest(summary))
            yield summary

    results = each_summary(root, keys, settings, store, workers)
    shown = show is not None
    dataset, file_problems = light(root, settings, found, keys, noted(results), shown=shown)
    store.save()
    cross = [_located(p, loc) for p, loc in located(dataset, today)]
    error: Exception | None = None
    if show is not None:
        try:
            show(shown_of(dataset))
        except Exception as raised:  # raised once the result is kept
            error = raised
    del dataset  # room for what is kept
    stamps = [stamp for _, stamp in found.folders]
    racy = any(s is None or max(s[2], s[3]) >= store.started - cache.RACY_NS for s in stamps)
    # racy stamps, or git's ignore rules consulted (a .gitignore edit changes no stamp): no reuse
    fresh = racy or found.asked_git
    folders = [] if fresh else [(folder, list(stamp or ())) for folder, stamp in found.folders]
    result = (
        [k.path for k in keys],
        [_entry(p) for p in file_problems],
        cross,
        signatures,
        digests,
    )
    return result, folders, error


def _listed(result: tuple[Any, ...]) -> tuple[Any, ...]:
    """The result of `_afresh` as kept (`….last`): its signatures and digests, held as
    arrays of numbers and bytes while the light records are, as lists of values."""
    paths, entries, cross, packed, joined = result
    digests = bytes(joined)
    numbers = iter(packed)
    signatures = [
        None if s == _NONE else s for s in zip(numbers, numbers, numbers, numbers, strict=True)
    ]
    return (
        paths,
        entries,
        cross,
        signatures,
        [digests[i : i + _DIGEST] for i in range(0, len(digests), _DIGEST)],
    )


def _again(
    root: Path, settings: Settings, last: Any, today: date, started: int
) -> tuple[Any, ...] | None:
    """The last result, brought up to date, if no file was added or removed and no
    record's facts changed; else None."""
    changed = still(root, last, today)
    if changed is None:
        return None
    try:
        paths, entries, cross, signatures, digests = last["result"]
    except (TypeError, ValueError, KeyError, IndexError):  # not a result of ours: start over
        return None
    if not changed:
        return last["result"]  # type: ignore[no-any-return]
    keys = [key for key in (key_for(paths[i]) for i in changed) if key is not None]
    if len(keys) != len(changed):
        return None
    results = parallel.check_files(root, keys, settings.default_language)
    if any(
        _digest(summary) != digests[i] for i, (_, summary) in zip(changed, results, strict=True)
    ):
        return None  # the facts changed: the cross-file checks must run again
    edited = {paths[i] for i in changed}
    signatures = list(signatures)
    entries = [e for e in entries if e[0] not in edited]
    for i, key, (found, summary) in zip(changed, keys, results, strict=True):
        signatures[i] = _trusted(found, started)
        entries += [_entry(p) for p in problems(key, summary)]
    cross = [_moved(root, c) if c[0] in edited else c for c in cross]
    return paths, sorted(entries), cross, signatures, digests


def _trusted(found: Signature | None, started: int) -> Signature | None:
    """A signature to compare with next time; None for a file changed too recently."""
    if found is None or max(found[1], found[2]) >= started - cache.RACY_NS:
        return None
    return found


def _digest(summary: Summary) -> bytes:
    return hashlib.blake2b(repr(summary[1]).encode(), digest_size=_DIGEST).digest()


def _entry(problem: Problem) -> Entry:
    p = problem
    return p.path, p.line, p.column, p.code, str(p.severity), p.message


def _located(problem: Problem, loc: tuple[str | int, ...]) -> Located:
    return (problem.path, list(loc), *_entry(problem)[1:])


def _moved(root: Path, entry: Located) -> Located:
    line, column = Places(root, entry[0]).mark(tuple(entry[1]))
    return (entry[0], entry[1], line, column, *entry[4:])
