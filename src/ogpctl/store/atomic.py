"""Writing a file so that a crash leaves the old content or the new, never half of one."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ogpctl.errors import OgpctlError


@contextlib.contextmanager
def replacing(path: Path, *, new: bool = False) -> Iterator[Path]:
    """A temporary file beside `path` to fill; once the block is done, it is flushed to
    disk and put in place: linked if `new` (a link, unlike a rename, never replaces a file
    that appeared meanwhile), else renamed over `path` (keeping its permissions)."""
    temporary: Path | None = None
    try:
        fd, temporary = _temporary(path)
        os.close(fd)
        yield temporary
        _put_in_place(temporary, path, new)
    except OSError as err:
        raise OgpctlError(f"cannot write {path}: {err.strerror or err}") from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _temporary(path: Path) -> tuple[int, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    return fd, Path(name)


def _put_in_place(temporary: Path, path: Path, new: bool) -> None:
    existing = None if new else _mode(path)
    temporary.chmod(0o666 & ~_umask() if existing is None else existing)
    _fsync(temporary, os.O_RDONLY)
    if new:
        os.link(temporary, path)
    else:
        temporary.replace(path)
    _fsync(path.parent, os.O_RDONLY)


class Replacement:
    """`replacing(path)` written piece by piece, by one object: `write` as the content
    comes, then `done` (put in place) or `drop` (nothing changes). OSError as it comes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, self.temporary = _temporary(path)
        self.file = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def done(self) -> None:
        try:
            self.file.close()
            _put_in_place(self.temporary, self.path, False)
        finally:
            self.drop()

    def drop(self) -> None:
        self.file.close()
        self.temporary.unlink(missing_ok=True)


def temporaries(path: Path) -> list[Path]:
    """The temporary files of `replacing(path)` that a killed process left behind."""
    return sorted(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block is done, then deliver it: what the block
    starts (a git program, deciding what a write became) runs to its end."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals
        return
    pending = False

    def hold(signum: int, frame: object) -> None:
        nonlocal pending
        pending = True

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    except KeyboardInterrupt:
        pending = False  # the block ends interrupted already: once is enough
        raise
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
        if pending:
            signal.raise_signal(signal.SIGINT)


def read_regular(path: Path) -> bytes:
    """The bytes of `path` if it is a regular file; OSError otherwise. Opening never
    blocks (a named pipe in place of a cache file would wait forever for a writer), and
    what was opened is checked, not what the name pointed at a moment before."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read()
    finally:
        os.close(fd)


def write_file(path: Path, content: bytes, *, new: bool) -> None:
    """Write `content` to `path` atomically (see `replacing`)."""
    with replacing(path, new=new) as temporary:
        temporary.write_bytes(content)


def remove_file(path: Path) -> None:
    """Delete `path`, and make the deletion last (the folder flushed to disk)."""
    try:
        path.unlink()
        _fsync(path.parent, os.O_RDONLY)
    except OSError as err:
        raise OgpctlError(f"cannot delete {path}: {err.strerror or err}") from None


def replace_folder(
    target: Path,
    files: Iterable[tuple[str, bytes | Path | int]],
    started: Callable[[Path], None] | None = None,
) -> tuple[int, int]:
    """Fill a new folder beside `target` with `files` ((relative path, bytes) pairs, which
    may be made as they are written, or (relative path, a file's path): that file's bytes,
    copied then removed), then swap it in for `target` by two renames: readers see the old
    folder or the new one, whole. `started`, if given, is told the new folder first: what
    makes `files` may write some there itself, and give their sizes ((relative path, int)
    pairs); it must stop writing when `files` is closed (which it is, before the new folder
    is removed, if this fails). Returns how many files, how many bytes."""
    count = size = 0
    target = target.absolute()
    old = target.parent / f".{target.name}.old.{os.getpid()}"
    building: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new."))
        if started is not None:
            started(building)
        for name, data in files:
            if isinstance(data, int):  # written there already
                count, size = count + 1, size + data
                continue
            path = building / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                shutil.copyfile(data, path)
                data.unlink()
                count, size = count + 1, size + path.stat().st_size
                continue
            path.write_bytes(data)
            count, size = count + 1, size + len(data)
        building.chmod(0o777 & ~_umask())
        if target.exists():
            target.rename(old)
        building.rename(target)
    except OSError as err:
        raise OgpctlError(f"cannot write {target}: {err.strerror or err}") from None
    finally:
        close = getattr(files, "close", None)
        if close is not None:
            close()  # nothing writes in `building` any more
        if building is not None:
            shutil.rmtree(building, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return count, size


def restore(path: Path, before: bytes | None, created: list[Path]) -> None:
    """Put back the file as it was before a write (absent if it was new)."""
    if before is None:
        path.unlink(missing_ok=True)
        _remove_folders(created)
    elif not path.exists():
        write_file(path, before, new=True)
    elif path.read_bytes() != before:
        write_file(path, before, new=False)


def _remove_folders(created: list[Path]) -> None:
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _fsync(path: Path, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
