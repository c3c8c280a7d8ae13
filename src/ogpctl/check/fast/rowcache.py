"""The export cache: each record file's row (`tables.Entry`), reused while the file is
unchanged, so that an export after a validation reads rows, not YAML.

It lives beside the validation cache (`cache.location`, suffix `.rows`) and follows its
rules: an entry holds for a file whose `lstat` still gives the signature it was made
from; a file changed less than `RACY_NS` before the run is not cached; the whole cache is
dropped when the validation cache's stamp changes (ogpctl, its code, Python, the settings)
or the code that makes rows does. Entries are marshal data (never pickle), each read only
when its row is wanted: the file is a magic line, the offset of its index, the entries one
after another, then the index (path → signature, offset, length, CRC-32 of the entry)
behind a BLAKE2 digest. An entry whose bytes no longer give its CRC is not used. The file
is written whole beside the old one (`.NAME.PID.tmp`, removed by the next writer once that
process is gone) and renamed over it. Any failure to read or write it is ignored: the rows
are then made from the record files.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import struct
import zlib
from pathlib import Path
from typing import IO, Any

from ogpctl.check.fast import cache
from ogpctl.check.fast.cache import Signature
from ogpctl.model.dataset import Settings
from ogpctl.store.scratch import Unfinished, remove_orphans

MAGIC = b"ogpctl export rows 2\n"
_OFFSET = struct.Struct("<Q")
Place = tuple[int, int, int, int, int, int, int]  # the signature, offset, length, CRC-32
MAKERS = ("check/fast/rowcache.py", "check/fast/rows.py", "inert.py", "model/tables.py")


def stamp(settings: Settings) -> str:
    """What the rows depend on besides the files: the validation cache's stamp, and the
    code that makes rows."""
    return f"{cache.stamp(settings)}|{cache.files_stamp(cache.PACKAGE / n for n in MAKERS)}"


def location(root: Path) -> Path:
    return cache.location(root).with_suffix(".rows")


def trusted(found: Signature | None, started: int) -> Signature | None:
    """The signature of a file read for a run that started at `started`; None if it
    changed too recently to trust (it could change again without its timestamps moving)."""
    if found is None or max(found[1], found[2]) >= started - cache.RACY_NS:
        return None
    return found


class Reader:
    """The entries of the cache file, each read when asked for."""

    def __init__(
        self, file: IO[bytes] | None, index: dict[str, Place], path: Path | None = None
    ) -> None:
        self.file, self.path = file, path
        self.index = index
        self.position = -1  # where the next read starts, if known
        self.damaged = False  # whether an entry did not match its CRC

    @classmethod
    def open(cls, path: Path | None, stamp_: str) -> Reader:
        """The cache at `path`; an empty one if there is none or it cannot be read."""
        with contextlib.suppress(Exception):  # a cache must never break an export
            assert path is not None
            file = path.open("rb")
            try:
                return cls(file, _index(file, stamp_), path)
            except Exception:
                file.close()
        return cls(None, {})

    def holds(self, path: str, found: Signature) -> bool:
        """Whether the entry of `path` was made from a file with this signature."""
        place = self.index.get(path)
        return place is not None and place[:4] == found

    def read(self, path: str) -> bytes | None:
        """The entry of `path` (marshal data); None if it cannot be read or is damaged."""
        place = self.index[path]
        with contextlib.suppress(OSError, ValueError):
            assert self.file is not None
            if place[4] != self.position:  # entries are mostly read in the order written
                self.file.seek(place[4])
            data = self.file.read(place[5])
            self.position = place[4] + len(data)
            if len(data) == place[5] and zlib.crc32(data) == place[6]:
                return data
            self.damaged = True
            return None
        self.position = -1
        return None

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _index(file: IO[bytes], stamp_: str) -> dict[str, Place]:
    if file.read(len(MAGIC)) != MAGIC:
        raise ValueError("not an export cache")
    file.seek(_OFFSET.unpack(file.read(_OFFSET.size))[0])
    data = file.read()
    digest, payload = data[:16], data[16:]
    if hashlib.blake2b(payload, digest_size=16).digest() != digest:
        raise ValueError("damaged")
    content: Any = marshal.loads(payload)
    if not (isinstance(content, tuple) and len(content) == 2 and content[0] == stamp_):
        raise ValueError("another stamp")
    if not isinstance(content[1], dict):
        raise ValueError("not an index")
    return content[1]


# The index is written as it is made, not held as a dict (at 184,000 files that would be
# tens of MiB at an export's end): each pair is marshal data of a version without
# back-references, so that pairs made apart join into the dict `_index` reads.
_VERSION = 2
_TUPLE_OF_2 = b"(" + struct.pack("<i", 2)


def _pair(path: str, place: Place) -> bytes:
    return marshal.dumps(path, _VERSION) + marshal.dumps(place, _VERSION)


class Writer(Unfinished):
    """A new cache file, filled entry by entry, put in place by `done` (else removed by
    `discard`)."""

    def __init__(self, path: Path | None, stamp_: str) -> None:
        self.path, self.stamp = path, stamp_
        self.index = bytearray()  # the index's pairs as marshal data (`_pair`), as they come
        with contextlib.suppress(OSError):
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                remove_abandoned(path)
                file = self.open(path.with_name(f".{path.name}.{os.getpid()}.tmp"))
                file.write(MAGIC + _OFFSET.pack(0))
                self.offset = len(MAGIC) + _OFFSET.size

    def add(self, path: str, found: Signature | None, entry: bytes) -> None:
        if self.file is None or found is None:
            return
        try:
            self.file.write(entry)
        except OSError:
            self.discard()
            return
        self.index += _pair(path, (*found, self.offset, len(entry), zlib.crc32(entry)))
        self.offset += len(entry)

    def done(self) -> None:
        """Write the index and put the file in place (failures are ignored)."""
        if self.file is None or self.path is None or self.temporary is None:
            return
        try:
            # the bytes of marshal.dumps((stamp, index), _VERSION), in pieces, not copied
            pieces = (_TUPLE_OF_2 + marshal.dumps(self.stamp, _VERSION) + b"{", self.index, b"0")
            digest = hashlib.blake2b(digest_size=16)
            for piece in pieces:
                digest.update(piece)
            self.file.write(digest.digest())
            for piece in pieces:
                self.file.write(piece)
            self.file.seek(len(MAGIC))
            self.file.write(_OFFSET.pack(self.offset))
            self.finish(self.path)
        except OSError:
            pass
        self.discard()


def remove_abandoned(path: Path) -> list[Path]:
    """Remove the temporary files a killed export left beside the cache at `path` (those
    of processes that are gone); the files removed."""
    files = path.parent.glob(f".{path.name}.*.tmp")
    return remove_orphans(files, lambda name: name[len(path.name) + 2 : -len(".tmp")])
