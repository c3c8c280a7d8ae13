"""The validation cache: each record file's own check results, reused while the file is unchanged.

Only per-file results (`facts.Summary`: the file's problems and what the cross-file checks
read of it) are kept; the cross-file checks always run again, over every record. An entry
is used only when the file's `lstat` still gives the same size, mtime, ctime and inode, as
git's index does. Like git, the cache refuses to trust a "racily clean" entry: a file
changed less than `RACY_NS` before validation started could change again without its
timestamps moving, so such an entry is not written (it is checked again next time).

The cache lives in `.git/ogpctl/` when the dataset is inside a git repository (so it is
never committed), else in `$XDG_CACHE_HOME/ogpctl/<hash of the root>/`. It is a marshal
of plain values (never pickle: loading it cannot run code) behind a magic line and a
BLAKE2 digest, and is replaced atomically (`atomic.write_file`), so that two
validations at once leave a whole file. It is dropped when ogpctl, its code, Python or the
dataset settings change. Any failure to read or write it is ignored: validation then
simply checks every file.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ogpctl import __version__
from ogpctl.errors import OgpctlError
from ogpctl.store.atomic import read_regular
from ogpctl.store.folders import user_cache
from ogpctl.store.gitquery import find_git_dir

if TYPE_CHECKING:  # not imported on the warm path (`check.fast.warm`), which needs neither
    from ogpctl.check.fast.facts import Summary
    from ogpctl.model.dataset import Settings

FORMAT = 1
MAGIC = b"ogpctl validation cache\n"
RACY_NS = 2_000_000_000  # coarser than any file system's timestamps (FAT: 2 s)
Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


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


def _code_stamp() -> str:
    package = Path(__file__).parents[2]
    stats = []
    for name in MAKERS:
        found = (package / name).stat()
        stats.append((name, found.st_size, found.st_mtime_ns))
    return hashlib.blake2b(repr(stats).encode(), digest_size=8).hexdigest()


def stamp(settings: Settings) -> str:
    """What the cached results depend on besides the files themselves."""
    python = ".".join(map(str, sys.version_info[:3]))
    return f"{FORMAT}|{__version__}|{_code_stamp()}|{python}|{settings!r}"


class Cache:
    """Per-file results by dataset-relative path, with the signature they hold for."""

    def __init__(self, file: Path | None, settings: Settings) -> None:
        self.file = file
        self.stamp = stamp(settings)
        self.started = time.time_ns()  # before any file is examined
        self._old: dict[str, tuple[Signature, Summary]] = {}
        self._new: dict[str, tuple[Signature, Summary]] = {}
        self._changed = False

    @classmethod
    def open(cls, root: Path, settings: Settings) -> Cache:
        """The cache of the dataset at `root`; empty if there is none or it cannot be read."""
        cache = cls(None, settings)
        try:
            cache.file = location(root)
            entries = read(cache.file, cache.stamp)
        except Exception:  # a cache must never break validation
            entries = None
        cache._old = entries if isinstance(entries, dict) else {}
        return cache

    def get(self, path: str, found: Signature) -> Summary | None:
        """The results kept for `path` if the file still has the signature they were made for."""
        entry = self._old.get(path)
        if entry is None or entry[0] != found:
            return None
        self._new[path] = entry
        return entry[1]

    def put(self, path: str, found: Signature | None, summary: Summary) -> None:
        """Keep new results for `path`, unless the file changed too recently to trust."""
        if found is None or max(found[1], found[2]) >= self.started - RACY_NS:
            return
        self._new[path] = (found, summary)
        self._changed = True

    def save(self) -> None:
        """Write the entries used or made in this run, if they differ from those read;
        and beside them what `status` and `members` show of each file (`read_shown`)."""
        if self.file is None:
            return
        shown = self.file.with_suffix(".shown")
        if self._changed or len(self._new) != len(self._old):
            write(self.file, self.stamp, self._new)
        elif shown.exists():
            return
        with contextlib.suppress(Exception):  # nonsense kept: `read_shown` finds none
            entries = {path: (found, s[2]) for path, (found, s) in self._new.items()}
            write(shown, self.stamp, entries)


def read_shown(root: Path, settings: Settings) -> dict[str, tuple[Signature, Any]] | None:
    """What `status` and `members` show of each file (`facts.Summary`'s third part), with
    the signature it holds for, as the last `Cache.save` kept it: a fraction of the
    cache's size. None if there is none."""
    with contextlib.suppress(Exception):  # a cache must never break a command
        found = read(location(root).with_suffix(".shown"), stamp(settings))
        return found if isinstance(found, dict) else None
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
