"""Loading the dataset (`ogpctl.model.dataset`): every file under `data/`, each checked.

`load` reads full records (pydantic models). `load(..., records=False)` is what
validation needs and is much faster: each file is checked on its own in worker processes
(`check.fast.parallel`), or its results are taken from the cache (`check.fast.cache`)
while it is unchanged, and the records hold only what the cross-file checks read
(`check.fast.facts`). `load_shown` takes the same path for what `status` and `members`
show.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from ogpctl.check import record_file as _records
from ogpctl.check.fast import facts, parallel
from ogpctl.check.fast.cache import Cache, Signature, read_shown, signature
from ogpctl.check.fast.facts import Summary
from ogpctl.errors import InvalidData
from ogpctl.model.dataset import Dataset, Facts, Settings, Shown
from ogpctl.model.keys import Kind, RecordKey, key_for
from ogpctl.model.loaded import Loaded
from ogpctl.problems import Problem
from ogpctl.store.scan import Scan, scan, scanning

if TYPE_CHECKING:
    from ogpctl.model.records import Record

_ORDER = attrgetter("kind", "action", "member", "published")


@overload
def load(
    root: Path,
    settings: Settings,
    *,
    records: Literal[True] = ...,
    cache: bool = ...,
    workers: int | None = ...,
    partial: bool = ...,
) -> tuple[Dataset, list[Problem]]: ...
@overload
def load(
    root: Path,
    settings: Settings,
    *,
    records: bool,
    cache: bool = ...,
    workers: int | None = ...,
    partial: bool = ...,
) -> tuple[Facts, list[Problem]]: ...
def load(
    root: Path,
    settings: Settings,
    *,
    records: bool = True,
    cache: bool = True,
    workers: int | None = None,
    partial: bool = False,
) -> tuple[Facts, list[Problem]]:
    """Read every file under `data/`; one bad file never hides another.

    With `partial=True`, records with invalid fields are kept without them (`Loaded.partial`)
    for the cross-file checks; the light records of `records=False` always are.

    With `records=False` the records hold only what the cross-file checks read, the files
    are checked on `workers` processes (default: every core), and unless `cache=False`
    their results are kept in, and taken from, the validation cache.
    """
    if not records:
        collecting = gc.isenabled()
        gc.disable()  # tens of thousands of small objects, none in a cycle: spare the scans
        try:
            return _light(root, settings, workers) if cache else _streamed(root, settings, workers)
        except Exception:
            if not cache:
                raise
            # a cache that passed its checksum yet holds nonsense: check every file
            return _streamed(root, settings, workers)
        finally:
            if collecting:
                gc.enable()
    found = scan(root)
    dataset: Dataset = Dataset(root, settings, files=set(found.records))
    problems = list(found.problems)
    for key in sorted(found.records):
        loaded, file_problems = _records.read(root, key, settings.default_language, partial=partial)
        problems += file_problems
        if loaded is not None:
            dataset.add(loaded)
    return dataset.sorted(), problems


def each_record(
    root: Path, settings: Settings, keys: Iterable[RecordKey]
) -> Iterator[Loaded[Record]]:
    """The full record of each key in turn, one file read at a time (for output written as
    it comes): a file that no longer loads since it was validated is an error."""
    for key in keys:
        loaded, problems = _records.read(root, key, settings.default_language)
        if loaded is None:
            first = problems[0] if problems else None
            where = f"{first.path}:{first.line}: {first.message}" if first else key.path
            raise InvalidData(f"{where} (changed while it was read: run again)")
        yield loaded


def add_records(dataset: Dataset, keys: Iterable[RecordKey]) -> Dataset:
    """Read the full records of `keys` into `dataset`: those that load (what is wrong with
    the others is validation's to say); returns the dataset."""
    language = dataset.settings.default_language
    for key in sorted(keys):
        loaded, _ = _records.read(dataset.root, key, language)
        if loaded is not None:
            dataset.add(loaded)
    return dataset.sorted()


def _light(root: Path, settings: Settings, workers: int | None) -> tuple[Facts, list[Problem]]:
    found = scan(root)
    keys = sorted(found.records, key=_ORDER)  # as RecordKey's order, at C speed
    with Cache.open(root, settings) as store:
        results = each_summary(root, keys, settings, store, workers)
        loaded = light(root, settings, found, keys, (summary for _, summary in results))
        store.save()
    return loaded


def _streamed(root: Path, settings: Settings, workers: int | None) -> tuple[Facts, list[Problem]]:
    """`light` without the cache, as it comes: the workers check the files the scan has
    found while it goes on, and each file's results become its light record as they come
    back (then dropped: none of the other files' are held). The records are then filed
    in the order of their keys, as `light` files them."""
    found = Scan()
    sent: list[RecordKey] = []  # the keys in the order they are checked

    def keys() -> Iterator[RecordKey]:
        """The keys as the scan finds them, in runs of one kind (the same model, file
        after file, is checked faster than the mix of kinds each action folder holds)."""
        runs: dict[Kind, list[RecordKey]] = {kind: [] for kind in Kind}
        done = 0
        for _ in scanning(root, found):
            for key in found.records[done:]:
                run = runs[key.kind]
                run.append(key)
                if len(run) == parallel.CHUNK:  # a task's worth
                    sent.extend(run)
                    yield from run
                    run.clear()
            done = len(found.records)
        for run in runs.values():
            sent.extend(run)
            yield from run

    built: list[Loaded[facts.Light]] = []
    problems: list[Problem] = []
    checked = parallel.check_stream(root, keys(), settings.default_language, workers, shown=False)
    for index, (_, summary) in enumerate(checked):
        key = sent[index]
        if summary[0]:
            problems += facts.problems(key, summary)
        loaded = facts.loaded(root, key, summary)
        if loaded is not None:
            built.append(loaded)
    dataset: Facts = Dataset(root, settings, files=set(found.records))
    for loaded in sorted(built, key=lambda record: _ORDER(record.key)):
        dataset.add(loaded)
    return dataset.sorted(), found.problems + problems


def light(
    root: Path,
    settings: Settings,
    found: Scan,
    keys: list[RecordKey],
    summaries: Iterable[Summary],
    *,
    shown: bool = False,
) -> tuple[Facts, list[Problem]]:
    """The dataset of light records (`ogpctl.check.fast.facts`) from each file's results,
    taken one at a time: each is dropped once its record is built. With `shown`, each
    valid record also holds what `status` and `members` show of it (`facts.shown`), and
    the others are marked partial (`shown_of` leaves them out)."""
    dataset: Facts = Dataset(root, settings, files=set(found.records))
    problems = list(found.problems)
    build = facts.seen if shown else facts.loaded
    for key, summary in zip(keys, summaries, strict=True):
        if summary[0]:
            problems += facts.problems(key, summary)
        loaded = build(root, key, summary)
        if loaded is not None:
            dataset.add(loaded)
    return dataset.sorted(), problems


def load_shown(
    root: Path, settings: Settings, workers: int | None = None, files: Sequence[str] = ()
) -> Shown:
    """The valid records, with what `status` and `members` show of them, from what the
    validation cache keeps of that (`cache.read_shown`: not the whole cache) while their
    files are unchanged, else checked (on `workers` processes); `files` as in
    `record_keys`. Without that, from the whole cache, as `load` does."""
    keys = sorted(record_keys(root, files), key=_ORDER)
    collecting = gc.isenabled()
    gc.disable()  # as in `load`: many small objects, none in a cycle
    try:
        kept = read_shown(root, settings)
        try:
            if kept is not None:
                return _shown_from(Dataset(root, settings, files=set(keys)), keys, kept, workers)
        except Exception:  # nonsense behind a valid checksum: from the whole cache instead
            pass
        dataset: Shown = Dataset(root, settings, files=set(keys))
        with Cache.open(root, settings) as store:
            for key, (_, summary) in zip(
                keys, each_summary(root, keys, settings, store, workers), strict=True
            ):
                _file(dataset, key, summary)
            store.save()
        return dataset.sorted()
    finally:
        if collecting:
            gc.enable()


def _shown_from(
    dataset: Shown, keys: list[RecordKey], kept: Iterable[dict[str, Any]], workers: int | None
) -> Shown:
    """`dataset` filled from `kept` (`read_shown`), read one piece at a time, the records
    filed in the order of `keys`; the files changed since, checked."""
    at = {key.path: index for index, key in enumerate(keys)}
    built: list[Loaded[facts.Seen] | None] = [None] * len(keys)
    done = bytearray(len(keys))  # 1: the record is built from what was kept
    folder, lstat, root = str(dataset.root), os.lstat, dataset.root
    for piece in kept:
        for path, entry in piece.items():
            index = at.pop(path, None)
            if index is None:
                continue
            try:
                found = signature(lstat(f"{folder}/{path}"))
            except OSError:
                continue
            if tuple(entry[0]) == found:
                built[index] = facts.shown(root, keys[index], ([], None, entry[1]))
                done[index] = 1
    todo = [index for index, made in enumerate(done) if not made]
    language = dataset.settings.default_language
    checked = parallel.check_files(root, [keys[i] for i in todo], language, workers)
    for index, (_, summary) in zip(todo, checked, strict=True):
        built[index] = facts.shown(root, keys[index], summary)
    for loaded in built:
        if loaded is not None:
            dataset.add(loaded)
    return dataset.sorted()


def shown_of(dataset: Facts) -> Shown:
    """What `status` and `members` show, from the light records of `light(..., shown=True)`:
    the valid ones (those not marked partial)."""
    found: Shown = Dataset(dataset.root, dataset.settings, files=dataset.files)
    kinds: list[Iterable[Loaded[Any]]] = [dataset.members.values(), dataset.actions.values()]
    kinds += [*(p.values() for p in dataset.participants.values()), *dataset.updates.values()]
    for records in kinds:
        for loaded in records:
            if not loaded.partial:
                found.add(loaded)
    return found


def _file(dataset: Shown, key: RecordKey, summary: Summary) -> None:
    loaded = facts.shown(dataset.root, key, summary)
    if loaded is not None:
        dataset.add(loaded)


def record_keys(root: Path, files: Sequence[str] = ()) -> list[RecordKey]:
    """The keys of the record `files` a validation just found (`Report.files`), which
    spares scanning the folders again; else (none, or not all record files) scanned."""
    named = [key for key in map(key_for, files) if key is not None]
    return named if named and len(named) == len(files) else scan(root).records


def each_summary(
    root: Path, keys: list[RecordKey], settings: Settings, store: Cache | None, workers: int | None
) -> Iterator[tuple[Signature | None, Summary]]:
    """Each file's own results, from the cache while the file is unchanged, else checked;
    with the file's signature when it was read (None: it could not be read). One file at
    a time in the order of `keys`, each as soon as the workers have checked it: the
    caller need not hold them all."""
    if store is None:
        yield from parallel.check_stream(root, keys, settings.default_language, workers)
        return
    held = bytearray(len(keys))  # 1: the cache holds the file's results
    todo: list[RecordKey] = []
    folder, kept = str(root), store.holds_any()
    # nothing kept (a first run): every file is checked, none needs an `lstat` first
    for index, key in enumerate(keys if kept else ()):
        try:
            found: Signature | None = signature(os.lstat(f"{folder}/{key.path}"))
        except OSError:
            found = None
        if found is not None and store.holds(key.path, found):
            held[index] = 1
        else:
            todo.append(key)
    todo = todo if kept else keys
    checked = parallel.check_stream(root, todo, settings.default_language, workers)
    for index, key in enumerate(keys):
        if held[index]:  # taken only now: not every file's results held at once
            yield store.take(key.path)
            continue
        found, summary = next(checked)
        store.put(key.path, found, summary)
        yield found, summary
