"""The rows of `export` (`tables.Entry`), each record file parsed at most once: made by
validation's workers from the records they check, else read from the export cache
(`rowcache`), else made now.

`spooling()` gives a `Spool` and, while in force, has each chunk of valid records checked
(`parallel.keeping`) turned into entries, written as a file of its own in a temporary
folder (marshal data: each record's path, signature and entry). `Spool.entries` then gives
the entry of any keys in any order: kept by the workers, else from the cache when the file
is unchanged since the entry was made; the others are checked again first, in workers,
the same way, and a file that no longer loads is an error, as in `load.each_record`. The
cache is then replaced by the entries given, if any changed.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ogpctl.check.fast import cache, parallel, rowcache
from ogpctl.check.fast.cache import Signature
from ogpctl.check.load import each_record
from ogpctl.model.dataset import Settings
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.tables import entry_data, record_row, row_entry
from ogpctl.store.scratch import scratch

Kept = list[tuple[str, Signature | None, bytes]]  # path, signature, entry as marshal data


class Spool:
    """The entries kept so far, in files under `folder` (a `parallel.keeping` hook)."""

    def __init__(self, folder: Path, root: Path, settings: Settings) -> None:
        self.folder, self.root, self.settings = folder, root, settings
        self.started = time.time_ns()  # before any file is read
        self._where: dict[str, Path] = {}  # a record's path → the file holding its entry
        self._indexed: set[Path] = set()

    def __call__(self, checked: list[tuple[Signature | None, parallel.Valid | None]]) -> None:
        kept: Kept = []
        for found, loaded in checked:
            if loaded is not None:
                kind, row = record_row(loaded.key, loaded.record)
                entry = row_entry(kind, row, self.settings.default_language)
                trusted = rowcache.trusted(found, self.started)  # as the file was read
                kept.append((loaded.key.path, trusted, entry_data(entry)))
        if kept:
            with tempfile.NamedTemporaryFile(dir=self.folder, suffix=".rows", delete=False) as out:
                out.write(marshal.dumps(kept))

    def _signature(self, path: str) -> Signature | None:
        """The file's signature now, if it is old enough to trust."""
        try:
            found = cache.signature(os.lstat(f"{self.root}/{path}"))
        except OSError:
            return None
        return rowcache.trusted(found, self.started)

    def _index(self) -> None:
        for file in sorted(self.folder.iterdir()):
            if file not in self._indexed:
                self._indexed.add(file)
                self._where.update((path, file) for path in _kept(file))

    def entries(self, keys: list[RecordKey]) -> Iterator[tuple[Kind, bytes]]:
        """The entry of each key in turn: kept by the workers, else cached, else made now."""
        stamp, where = rowcache.stamp(self.settings), None
        with contextlib.suppress(OSError):
            where = rowcache.location(self.root)
        reader = rowcache.Reader.open(where, stamp)
        try:
            self._index()
            paths = [key.path for key in keys]
            kept = self._where
            cached = {path for path in paths if path not in kept and self._cached(path, reader)}
            missing = [
                key
                for key, path in zip(keys, paths, strict=True)
                if path not in kept and path not in cached
            ]
            if missing:
                with parallel.keeping(self):
                    parallel.check_files(self.root, missing, self.settings.default_language)
                self._index()
            unchanged = len(cached) == len(keys) == len(reader.index)
            writer = None if unchanged else rowcache.Writer(where, stamp)
            yield from self._given(keys, paths, reader, cached, writer)
        finally:
            reader.close()

    def _cached(self, path: str, reader: rowcache.Reader) -> bool:
        found = self._signature(path)
        return found is not None and reader.holds(path, found)

    def _given(
        self,
        keys: list[RecordKey],
        paths: list[str],
        reader: rowcache.Reader,
        cached: set[str],
        writer: rowcache.Writer | None,
    ) -> Iterator[tuple[Kind, bytes]]:
        try:
            for key, path in zip(keys, paths, strict=True):
                data = reader.read(path) if path in cached else None
                found, data = (reader.index[path][:4], data) if data else self._made(key)
                if writer is not None:
                    writer.add(path, found, data)
                yield key.kind, data
            self._forget()
            if writer is not None:
                writer.done()
            elif reader.damaged and reader.path is not None:  # made again by the next export
                reader.path.unlink(missing_ok=True)
        finally:
            if writer is not None:
                writer.discard()

    def _forget(self) -> None:
        """Every entry given: where they were kept let go (read again if asked for
        again), so that less is held while the cache's index is written."""
        _kept.cache_clear()
        self._where.clear()
        self._indexed.clear()

    def _made(self, key: RecordKey) -> tuple[Signature | None, bytes]:
        file = self._where.get(key.path)
        if file is not None:
            return _kept(file)[key.path]
        # not valid now, or not readable: says why
        loaded = next(each_record(self.root, self.settings, [key]))
        kind, row = record_row(loaded.key, loaded.record)
        return None, entry_data(row_entry(kind, row, self.settings.default_language))


@functools.lru_cache(maxsize=4)  # entries are asked for in about the order they were kept
def _kept(file: Path) -> dict[str, tuple[Signature | None, bytes]]:
    kept: Kept = marshal.loads(file.read_bytes())
    return {path: (found, data) for path, found, data in kept}


@contextlib.contextmanager
def spooling(root: Path, settings: Settings) -> Iterator[Spool]:
    """A `Spool` that validation's workers fill while in this block; removed after it."""
    with scratch("rows") as folder:
        spool = Spool(folder, root, settings)
        try:
            with parallel.keeping(spool):
                yield spool
        finally:
            _kept.cache_clear()
