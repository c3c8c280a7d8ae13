"""Writing a file so that a crash leaves the old content or the new, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ogpctl.errors import OgpctlError


def write_file(path: Path, content: bytes, *, new: bool) -> None:
    """Write atomically: a temporary file beside it, flushed to disk, then renamed."""
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".ogpctl-", suffix=".tmp")
        temporary = Path(name)
        os.fchmod(fd, 0o666 & ~_umask() if new else path.stat().st_mode & 0o777)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if new:  # a link, unlike a rename, never replaces a file that appeared meanwhile
            os.link(temporary, path)
            temporary.unlink()
        else:
            temporary.replace(path)
        _fsync_folder(path.parent)
    except OSError as err:
        raise OgpctlError(f"cannot write {path}: {err.strerror or err}") from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


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


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
