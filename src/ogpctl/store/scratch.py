"""Scratch folders in the system's temporary folder, and what killed commands left there.

A read command (an export, the site, `validate --changed-since`) works in a folder of its
own under the temporary folder, removed when it ends. A command killed outright (kill -9,
power loss) cannot remove it, so each folder is named after the process that made it
(`ogpctl-<what>-<pid>-…`), and `scratch()` first removes those of processes that no longer
run. (A write's scratch folder lives in `.git/ogpctl/`, removed under the dataset's lock:
`ogpctl.store.pending`.)
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

PREFIX = "ogpctl-"
NAMED = re.compile(r"ogpctl-[a-z]+-(\d+)-.+")  # the process's id in the name


@contextlib.contextmanager
def scratch(what: str) -> Iterator[Path]:
    """A new folder, removed after the block; `what` names the command's use of it."""
    remove_abandoned()
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{what}-{os.getpid()}-") as folder:
        yield Path(folder)


def remove_abandoned(where: Path | None = None) -> list[Path]:
    """Remove the scratch folders under `where` (the temporary folder) whose process is
    gone; the folders removed. Others' folders, and any that cannot be removed, stay."""
    removed = []
    for folder in Path(where or tempfile.gettempdir()).glob(f"{PREFIX}*-*-*"):
        named = NAMED.fullmatch(folder.name)
        if named and folder.is_dir() and not running(int(named[1])):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def remove_orphans(files: Iterable[Path], pid: Callable[[str], str]) -> list[Path]:
    """Remove those of `files` (temporary files named after the process that writes them,
    `pid(name)` its id) whose process is gone; the files removed."""
    removed = []
    for file in files:
        found = pid(file.name)
        if found.isdigit() and not running(int(found)):
            with contextlib.suppress(OSError):
                file.unlink()
                removed.append(file)
    return removed


class Unfinished:
    """A file being written under a temporary name that names this process (for
    `remove_orphans`), not synced to disk (a cache: losing it only costs time): put in
    place by `finish`, else closed and removed by `discard`."""

    file: IO[bytes] | None = None
    temporary: Path | None = None

    def open(self, temporary: Path) -> IO[bytes]:
        self.temporary, self.file = temporary, temporary.open("wb")
        return self.file

    def finish(self, path: Path) -> None:
        """Close the file and rename it to `path` (OSError if either fails)."""
        assert self.file is not None and self.temporary is not None
        self.file.close()
        self.temporary.replace(path)
        self.temporary = None

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)
            self.temporary = None


def running(pid: int) -> bool:
    """Whether the process `pid` runs (another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True
