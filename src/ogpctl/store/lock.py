"""The dataset lock: one writer at a time, the others wait their turn.

An exclusive `flock` on the dataset folder, released when the process ends however it
ends; `OGPCTL_LOCK_TIMEOUT` says how long a writer waits for it (and for git's index lock).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from ogpctl.errors import LockTimeout, OgpctlError, UsageError

DEFAULT_LOCK_TIMEOUT = 30.0


def lock_timeout() -> float:
    raw = os.environ.get("OGPCTL_LOCK_TIMEOUT", "")
    try:
        seconds = float(raw) if raw else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise UsageError(f"OGPCTL_LOCK_TIMEOUT={raw!r}: give a number of seconds, 0 or more")
    return seconds


@contextlib.contextmanager
def dataset_lock(root: Path, deadline: float) -> Iterator[None]:
    """Hold an exclusive lock on the dataset folder (released when the process ends)."""
    try:
        import fcntl
    except ImportError:  # Windows
        raise OgpctlError(
            "write commands lock the dataset with POSIX file locks: run them on Linux or "
            "macOS (on Windows, in WSL); reading and validating work everywhere"
        ) from None

    fd = os.open(root, os.O_RDONLY)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another ogpctl is writing to {root} and did not finish in time "
                        "(wait longer with OGPCTL_LOCK_TIMEOUT=SECONDS)"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)
