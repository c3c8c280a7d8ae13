"""Checking many record files on every core: the files are split into chunks, each worker
process checks a chunk on its own and sends back small plain results (`facts.Summary`).
A task carries its chunk's record keys as plain values (`_packed`): a forked worker that
read the keys it inherited would copy every memory page they sit on (reading an object
writes its reference count), as much again as the keys take in this process.

Results come back in the order of the files, so the output is the same with any number of
workers, and are handed on chunk by chunk as they come (`check_stream`): the caller turns
each into what it keeps while the workers check the next ones, and never holds them all.
`OGPCTL_WORKERS` sets the number of processes (1: check in this process).
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from ogpctl.check import record_file as records
from ogpctl.check.fast.cache import Signature, signature
from ogpctl.check.fast.facts import Summary, summarise
from ogpctl.model.isocodes import country_codes, language_codes, subdivision_codes
from ogpctl.model.keys import Kind, RecordKey

if TYPE_CHECKING:
    from collections.abc import Callable

    from ogpctl.model.loaded import Loaded
    from ogpctl.model.records import Record

MIN_FILES = 1000  # fewer files are checked faster than worker processes start
CHUNK = 250  # files per task: small enough to share the work out evenly

Result = tuple[Signature | None, Summary]


def workers_wanted() -> int:
    """`OGPCTL_WORKERS`, else the number of cores this process may run on."""
    wanted = os.environ.get("OGPCTL_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def check_file(root: Path, key: RecordKey, default_language: str) -> Result:
    """One file's results, and the signature of the file they were made from."""
    return _checked(root, key, default_language, True)[0]


def _checked(
    root: Path, key: RecordKey, default_language: str, shown: bool
) -> tuple[Result, Valid | None]:
    """`check_file`, and the record if the file is valid; the results without what
    `status` and `members` show unless `shown` (validation without the cache needs none)."""
    try:
        stat, raw = records.read_stat(f"{root}/{key.path}")
    except OSError:
        loaded, problems = records.read(root, key, default_language, partial=True)  # says why
        return (None, summarise(key, loaded, problems, shown)), None
    loaded, problems = records.parse(key, raw, default_language, partial=True)
    valid = loaded if loaded is not None and not problems and not loaded.partial else None
    return (signature(stat), summarise(key, loaded, problems, shown)), valid


# What every task of one `check_stream` shares, set in each worker as it starts: with
# "fork", inherited rather than sent (with "spawn", sent once to each worker, not per task).
_shared: tuple[Path, str, bool] | None = None


def _share(root: Path, default_language: str, shown: bool) -> None:
    global _shared
    _shared = root, default_language, shown


def _packed(keys: Sequence[RecordKey]) -> bytes:
    """Record keys as marshal data: a few bytes each, sent with a task."""
    return marshal.dumps(
        [
            (k.kind.value, k.action, k.member, k.published and k.published.toordinal(), k.sequence)
            for k in keys
        ]
    )


_KINDS = {kind.value: kind for kind in Kind}


def _check_packed(packed: bytes) -> bytes:
    """The results of the files of `_packed` keys, as marshal data: the results are plain
    values, which marshal writes and reads in a fraction of pickle's time."""
    assert _shared is not None, "set by _share as the worker starts"
    root, default_language, shown = _shared
    keys = [
        RecordKey(_KINDS[kind], action, member, day and date.fromordinal(day), sequence)
        for kind, action, member, day, sequence in marshal.loads(packed)
    ]
    return marshal.dumps(_check_keys(root, keys, default_language, shown))


def _check_keys(
    root: Path, keys: Sequence[RecordKey], default_language: str, shown: bool
) -> list[Result]:
    if _keep is None and shown:
        return [check_file(root, key, default_language) for key in keys]
    checked = [_checked(root, key, default_language, shown) for key in keys]
    if _keep is not None:
        _keep([(result[0], valid) for result, valid in checked])
    return [result for result, _ in checked]


def check_files(
    root: Path, keys: list[RecordKey], default_language: str, workers: int | None = None
) -> list[Result]:
    """The results of `check_file` for each key, in order, spread over `workers` processes."""
    return list(check_stream(root, keys, default_language, workers))


def check_stream(
    root: Path,
    keys: Iterable[RecordKey],
    default_language: str,
    workers: int | None = None,
    *,
    shown: bool = True,
) -> Iterator[Result]:
    """`check_files`, each result handed on as soon as its chunk is checked. `keys` may be
    made as the checking goes (by a scan): the workers start on the first chunks while
    the next ones are made."""
    count = workers or workers_wanted()
    rest = iter(keys)
    first = list(itertools.islice(rest, max(MIN_FILES, CHUNK * count)))
    if count <= 1 or not first or len(first) < MIN_FILES:
        every = itertools.chain(first, rest)
        while chunk := list(itertools.islice(every, CHUNK)):
            yield from _check_keys(root, chunk, default_language, shown)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    records.models()  # import pydantic once, before the workers are forked from here
    for table in (language_codes, country_codes, subdivision_codes):
        table()  # and read the ISO code lists once (each worker would, without a cache)
    size = max(1, min(CHUNK, -(-len(first) // count)))  # `first` is all, or > CHUNK each
    every = itertools.chain(first, rest)
    tasks = iter(lambda: _packed(list(itertools.islice(every, size))), _packed([]))
    method = "fork" if sys.platform == "linux" else "spawn"  # fork is unsafe on macOS
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        min(count, -(-len(first) // size)),
        mp_context=context,
        initializer=_share,
        initargs=(root, default_language, shown),
    ) as pool:
        for done in pool.map(_check_packed, tasks):  # submits every task, then waits
            yield from marshal.loads(done)


# A hook for a command that wants more of each file than its check (`export`: its rows),
# so that each file is parsed once. While `keeping(keep)` is in force, every chunk of
# files checked hands `keep` the signature each file was read with and the record of each
# valid file (None for the others), in the process that checked them: a worker (forked
# from here, so it sees the hook; a spawned worker does not, and the command then reads
# what it lacks itself) or this process.
Valid: TypeAlias = "Loaded[Record]"
Keep: TypeAlias = "Callable[[list[tuple[Signature | None, Valid | None]]], None]"
_keep: Keep | None = None


@contextlib.contextmanager
def keeping(keep: Keep) -> Iterator[None]:
    global _keep
    before, _keep = _keep, keep
    try:
        yield
    finally:
        _keep = before
