"""The rows of `export`, made from the records validation's workers check, so that an
export parses each record file once (not once to validate and once more to write).

`spooling()` gives a `Spool` and, while in force, has each chunk of valid records checked
(`parallel.keeping`) written as a file of its own in a temporary folder: a line per
record, its path, a tab, then its row (`tables.record_row`) as JSON. `Spool.rows` then
gives the rows of any keys in any order; the records no worker kept (their results came
from the validation cache, or the workers were spawned and did not see the hook) are
checked again first, in workers, the same way, and a file that no longer loads is an
error, as in `load.each_record`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ogpctl.check.fast import parallel
from ogpctl.check.load import each_record
from ogpctl.model.dataset import Settings
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.tables import Row, record_row
from ogpctl.store.scratch import scratch


class Spool:
    """The rows kept so far, in files under `folder` (a `parallel.keeping` hook)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._where: dict[str, Path] = {}  # a record's path → the file holding its row
        self._indexed: set[Path] = set()

    def __call__(self, valid: list[parallel.Valid | None]) -> None:
        lines = [
            f"{loaded.key.path}\t{json.dumps(record_row(loaded.key, loaded.record)[1])}\n"
            for loaded in valid
            if loaded is not None
        ]
        if lines:
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.folder, suffix=".rows", delete=False
            ) as out:
                out.writelines(lines)

    def _index(self) -> None:
        for file in sorted(self.folder.iterdir()):
            if file not in self._indexed:
                self._indexed.add(file)
                with file.open("rb") as lines:
                    for line in lines:
                        self._where[line[: line.index(b"\t")].decode()] = file

    def rows(
        self, root: Path, settings: Settings, keys: list[RecordKey]
    ) -> Iterator[tuple[Kind, Row]]:
        """The row of each key in turn: kept by the workers, else made now."""
        self._index()
        missing = [key for key in keys if key.path not in self._where]
        if missing:
            with parallel.keeping(self):
                parallel.check_files(root, missing, settings.default_language)
            self._index()
        for key in keys:
            file = self._where.get(key.path)
            if file is None:  # not valid now, or not readable: says why
                loaded = next(each_record(root, settings, [key]))
                yield record_row(loaded.key, loaded.record)
            else:
                yield key.kind, json.loads(_lines(file)[key.path])


@functools.lru_cache(maxsize=4)  # rows are asked for in about the order they were kept
def _lines(file: Path) -> dict[str, str]:
    with file.open(encoding="utf-8") as lines:
        return dict(line.rstrip("\n").split("\t", 1) for line in lines)


@contextlib.contextmanager
def spooling() -> Iterator[Spool]:
    """A `Spool` that validation's workers fill while in this block; removed after it."""
    with scratch("rows") as folder:
        spool = Spool(folder)
        try:
            with parallel.keeping(spool):
                yield spool
        finally:
            _lines.cache_clear()
