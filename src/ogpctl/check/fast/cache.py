"""The validation cache: each record file's own check results, reused while the file is unchanged.

Only per-file results (`facts.Summary`: the file's problems and what the cross-file checks
read of it) are kept; the cross-file checks always run again, over every record. An entry
is used only when the file's `lstat` still gives the same size, mtime, ctime and inode, as
git's index does. Like git, the cache refuses to trust a "racily clean" entry: a file
changed less than `RACY_NS` before validation started could change again without its
timestamps moving, so such an entry is not written (it is checked again next time).

The cache lives in `.git/ogpctl/` when the dataset is inside a git repository (so it is
never committed), else in `$XDG_CACHE_HOME/ogpctl/<hash of the root>/`. It is made of
marshals of plain values (never pickle: loading it cannot run code) behind a magic line,
with a BLAKE2 digest at its end, and is replaced atomically (`atomic.Replacement`), so
that two validations at once leave a whole file. It is written as the results come, in
pieces of `PIECE` entries (`Pieces`), and each entry is kept as its own marshal until it
is used: a validation never holds every file's results at once (what a killed one was
writing is removed by the next, once not written to for `ABANDONED_S`). It is dropped when
ogpctl, its code, Python or the dataset settings change. Any failure to read or write it
is ignored: validation then simply checks every file.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import struct
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ogpctl import __version__
from ogpctl.errors import OgpctlError
from ogpctl.store.atomic import Replacement, read_regular, temporaries
from ogpctl.store.folders import user_cache
from ogpctl.store.gitquery import find_git_dir

if TYPE_CHECKING:  # not imported on the warm path (`check.fast.warm`), which needs neither
    from ogpctl.check.fast.facts import Summary
    from ogpctl.model.dataset import Settings

FORMAT = 2
MAGIC = b"ogpctl validation cache\n"
PIECE = 1024  # entries per marshal written
ABANDONED_S = 3600  # a temporary cache file not written to for this long was left
RACY_NS = 2_000_000_000  # coarser than any file system's timestamps (FAT: 2 s)
Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


_SIGNATURE = struct.Struct("<QqqQ")  # a signature as the cache keeps it
_SIGNED = _SIGNATURE.size


def _signed(found: Signature) -> bytes:
    return _SIGNATURE.pack(*found)


def signature(stat: os.stat_result) -> Signature:
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def location(root: Path) -> Path:
    """Where the cache of the dataset at `root` (an absolute path) lives."""
    name = hashlib.blake2b(os.fsencode(root), digest_size=8).hexdigest()
    git_dir = find_git_dir(root)
    if git_dir is not None:
        return git_dir / "ogpctl" / f"validate-{name}.cache"
    base = user_cache()
    if base is None:
        raise OSError(0, "no cache folder: no home folder")
    return base / name / "validate.cache"


# The modules that make a file's results: when one changes, even within a version, the
# cache is dropped (a developer's edit must not leave stale results behind).
# the modules whose code decides a file's own results, relative to the package: a change
# to any of them drops the cache (tests/check/test_cache.py fails if one is missing)
MAKERS = (
    "check/fast/cache.py",
    "check/fast/facts.py",
    "check/record_file.py",
    "codes.py",
    "model/facts.py",
    "model/loaded.py",
    "model/records.py",
    "model/vocabulary.py",
    "problems.py",
    "store/yamlsafe.py",
)


PACKAGE = Path(__file__).parents[2]


def files_stamp(files: Iterable[Path]) -> str:
    """A digest of these files' paths, sizes and mtimes: the code a cached thing was made by."""
    stats = []
    for file in files:
        found = file.stat()
        stats.append((str(file), found.st_size, found.st_mtime_ns))
    return hashlib.blake2b(repr(stats).encode(), digest_size=8).hexdigest()


def _code_stamp() -> str:
    return files_stamp(PACKAGE / name for name in MAKERS)


def stamp(settings: Settings) -> str:
    """What the cached results depend on besides the files themselves."""
    python = ".".join(map(str, sys.version_info[:3]))
    return f"{FORMAT}|{__version__}|{_code_stamp()}|{python}|{settings!r}"


class Cache:
    """Per-file results by dataset-relative path, with the signature they hold for. Those
    used or made in a run are written as they come (`save` puts them in place)."""

    def __init__(self, file: Path | None, settings: Settings) -> None:
        self.file = file
        self.stamp = stamp(settings)
        self.started = time.time_ns()  # before any file is examined
        self._old: dict[str, bytes] = {}  # path: `_signed` signature, marshal of the summary
        self._count = 0  # entries read
        self._kept = 0
        self._changed = False
        self._out: tuple[Pieces, Pieces] | None = None  # the cache, and what is shown

    @classmethod
    def open(cls, root: Path, settings: Settings) -> Cache:
        """The cache of the dataset at `root`; empty if there is none or it cannot be read."""
        cache = cls(None, settings)
        try:
            cache.file = location(root)
            entries = read_pieces(cache.file, cache.stamp)
        except Exception:  # a cache must never break validation
            entries = None
        cache._old = entries or {}
        cache._count = len(cache._old)
        return cache

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def holds_any(self) -> bool:
        """Whether results are kept for any file (not yet taken)."""
        return bool(self._old)

    def holds(self, path: str, found: Signature) -> bool:
        """Whether results are kept for `path` made when the file had this signature."""
        kept = self._old.get(path)
        return kept is not None and kept[:_SIGNED] == _signed(found)

    def take(self, path: str) -> tuple[Signature, Summary]:
        """The signature and results kept for `path` (see `holds`), kept again by `save`."""
        kept = self._old.pop(path)
        found: Signature = _SIGNATURE.unpack_from(kept)
        summary: Summary = marshal.loads(memoryview(kept)[_SIGNED:])
        self._keep(path, kept, found, summary)
        return found, summary

    def put(self, path: str, found: Signature | None, summary: Summary) -> None:
        """Keep new results for `path`, unless the file changed too recently to trust."""
        if found is None or max(found[1], found[2]) >= self.started - RACY_NS:
            return
        with contextlib.suppress(struct.error):  # a signature out of range: not kept
            self._changed = True
            self._keep(path, _signed(found) + marshal.dumps(summary), found, summary)

    def _keep(self, path: str, kept: bytes, found: Signature, summary: Summary) -> None:
        self._kept += 1
        if self.file is None:
            return
        try:
            if self._out is None:
                shown = self.file.with_suffix(".shown")
                self._out = Pieces(self.file, self.stamp), Pieces(shown, self.stamp)
            self._out[0].add(path, kept)
            self._out[1].add(path, (found, summary[2]))
        except Exception:  # an unwritable cache only costs time
            self.close()
            self.file = None

    def save(self) -> None:
        """Put in place the entries used or made in this run, if they differ from those
        read; and beside them what `status` and `members` show of each file (`read_shown`)."""
        if self._out is None or self.file is None:
            return
        out, shown = self._out
        with contextlib.suppress(Exception):  # an unwritable cache only costs time
            if self._changed or self._kept != self._count:
                out.done()
                shown.done()
            elif not self.file.with_suffix(".shown").exists():
                shown.done()
            _sweep(self.file, self.file.with_suffix(".shown"))
        self.close()

    def close(self) -> None:
        """Drop what was written and not put in place."""
        if self._out is not None:
            for pieces in self._out:
                pieces.drop()
            self._out = None


def _sweep(*files: Path) -> None:
    """Remove what killed validations left being written in place of `files`: temporary
    files not written to for `ABANDONED_S` (a run writes to its own every few seconds)."""
    old = time.time() - ABANDONED_S
    for file in files:
        for temporary in temporaries(file):
            with contextlib.suppress(OSError):
                if temporary.lstat().st_mtime < old:
                    temporary.unlink()


class Pieces:
    """A cache file written as its entries come: the magic line, the marshal of the
    stamp, then of each `PIECE` entries (a dict), each after its length; last, the digest
    of all but the magic line."""

    def __init__(self, file: Path, stamp: str) -> None:
        self.out = Replacement(file)
        self.digest = hashlib.blake2b(digest_size=16)
        self.entries: dict[str, Any] = {}
        self.out.write(MAGIC)
        self._write(stamp)

    def add(self, path: str, entry: Any) -> None:
        self.entries[path] = entry
        if len(self.entries) >= PIECE:
            self._write(self.entries)
            self.entries = {}

    def _write(self, value: Any) -> None:
        data = marshal.dumps(value)
        for part in (struct.pack("<I", len(data)), data):
            self.digest.update(part)
            self.out.write(part)

    def done(self) -> None:
        if self.entries:
            self._write(self.entries)
        self.out.write(self.digest.digest())
        self.out.done()

    def drop(self) -> None:
        with contextlib.suppress(OSError):
            self.out.drop()


def read_pieces(file: Path, stamp: str) -> dict[str, Any] | None:
    """The entries `Pieces` wrote in `file` for this `stamp`; None if anything is amiss."""
    pieces = each_piece(file, stamp)
    if pieces is None:
        return None
    entries: dict[str, Any] = {}
    for piece in pieces:
        entries.update(piece)
    return entries


def each_piece(file: Path, stamp: str) -> Iterator[Any] | None:
    """The pieces of entries (dicts, if nothing is amiss) `Pieces` wrote in `file` for
    this `stamp`, each read as it is asked for; None if the file is not whole, or for
    another stamp."""
    data = read_regular(file)
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 16:
        return None
    # a view, not a copy: the payload is most of the file (tens of MB at 184,000 files)
    payload = memoryview(data)[len(MAGIC) : -16]
    if hashlib.blake2b(payload, digest_size=16).digest() != data[-16:]:
        return None
    pieces = _pieces(payload)
    return pieces if next(pieces, None) == stamp else None


def _pieces(payload: memoryview) -> Iterator[Any]:
    at = 0
    while at < len(payload):
        (size,) = struct.unpack_from("<I", payload, at)
        yield marshal.loads(payload[at + 4 : at + 4 + size])
        at += 4 + size


def read_shown(root: Path, settings: Settings) -> Iterator[dict[str, tuple[Signature, Any]]] | None:
    """What `status` and `members` show of each file (`facts.Summary`'s third part), with
    the signature it holds for, as the last `Cache.save` kept it (a fraction of the
    cache's size), in pieces (`each_piece`). None if there is none."""
    with contextlib.suppress(Exception):  # a cache must never break a command
        return each_piece(location(root).with_suffix(".shown"), stamp(settings))
    return None


def read(file: Path, stamp: str) -> Any:
    """What `write` put in `file` for this `stamp`; None if anything is amiss."""
    data = read_regular(file)
    if not data.startswith(MAGIC):
        return None
    # a view, not a copy: the payload is most of the file (tens of MB at 184,000 files)
    digest, payload = data[len(MAGIC) : len(MAGIC) + 16], memoryview(data)[len(MAGIC) + 16 :]
    if hashlib.blake2b(payload, digest_size=16).digest() != digest:
        return None
    content: Any = marshal.loads(payload)
    if not (isinstance(content, tuple) and len(content) == 2 and content[0] == stamp):
        return None
    return content[1]


def write(file: Path, stamp: str, content: Any) -> None:
    """Replace `file` atomically with `content` (plain values); failures are ignored."""
    from ogpctl.store.atomic import write_file

    payload = marshal.dumps((stamp, content))
    digest = hashlib.blake2b(payload, digest_size=16).digest()
    with contextlib.suppress(OgpctlError):  # an unwritable cache only costs time
        write_file(file, MAGIC + digest + payload, new=False)
