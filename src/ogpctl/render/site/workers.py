"""The record pages rendered on every core: worker processes forked from the one that
collected the site each render a share of the pages and send them back through a pipe,
while this process writes them, and renders the other pages in between.

A worker is forked once the site is collected (the records it reads are inherited, not
sent), with the collector's objects frozen (`gc.freeze`: its collections would otherwise
touch, so copy, every memory page they sit on). Its pages go back as bytes, each a
message of the page's path, a NUL and the page; or, given the folder the site is being
built in, it writes them there itself and sends their sizes. A worker that fails sends
what went wrong (a bug), and this process raises it. The workers are killed and waited for
whatever ends the build (an error, Ctrl-C, the writer stopping): none outlives it, and
one whose parent is gone dies at its next write to the pipe. Ctrl-C stops a worker
outright (SIGINT's default action): the build exits as interrupted, from this process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, Pipe, wait
from pathlib import Path
from typing import TypeVar

from ogpctl.errors import OgpctlError

MIN_PAGES = 300  # fewer records are rendered faster than workers start
# All processes together stay under this (DESIGN's target): a worker ends up copying
# part of what this process holds privately (reading an object writes its reference
# count), measured at 0.64-0.72 of it at 46,000 and 184,000 files (`COPIED`, rounded up),
# so there are workers only while this process and their copies fit (at 46,000 files
# this process holds 82-100 MiB: two workers; at 184,000, 250 MiB: none).
MEMORY = 300 * 2**20
COPIED = 0.75

T = TypeVar("T")
Pages = Iterator[tuple[str, bytes | int]]  # a page, or the size of one written in place


class Workers:
    """Workers rendering `render(item)` for each of `items`, a share each: `ready()` the
    pages sent so far, `rest()` all the others; `stop()` ends them (also on leaving a
    `with` block). With one worker wanted, or few items, the pages are rendered here, by
    `rest()`."""

    def __init__(
        self,
        items: Sequence[T],
        render: Callable[[T], Pages],
        count: int,
        into: Path | None = None,
    ) -> None:
        self._items, self._render, self._into = items, render, into
        self._count = count if len(items) >= MIN_PAGES else 1
        if self._count > 1 and private_memory() * (1 + COPIED * self._count) > MEMORY:
            self._count = 1
        self._readers: dict[Connection, int] = {}  # a worker's pipe → its process id

    def __enter__(self) -> Workers:
        if self._count > 1:
            self._start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _start(self) -> None:
        frozen = gc.get_freeze_count()  # the command's own (`cli/site.py`), kept
        gc.collect()
        gc.freeze()
        try:
            for share in range(self._count):
                reader, writer = Pipe(duplex=False)
                pid = os.fork()
                if pid == 0:  # pragma: no cover (the worker: never returns from here)
                    try:
                        reader.close()
                        for other in self._readers:
                            other.close()
                        share_of = self._items[share :: self._count]
                        _work(writer, share_of, self._render, self._into)
                    finally:
                        os._exit(1)
                writer.close()
                self._readers[reader] = pid
        except BaseException:
            self.stop()
            raise
        finally:
            if not frozen:
                gc.unfreeze()

    def ready(self) -> Pages:
        """The pages the workers have sent, without waiting for more."""
        while self._readers:
            ready = wait(list(self._readers), timeout=0)
            if not ready:
                return
            for reader in ready:
                yield from self._receive(reader)  # type: ignore[arg-type]

    def rest(self) -> Pages:
        """Every page not yet handed on (rendered here if there are no workers)."""
        if self._count == 1:
            for item in self._items:
                yield from self._render(item)
            return
        while self._readers:
            for reader in wait(list(self._readers)):
                yield from self._receive(reader)  # type: ignore[arg-type]

    def _receive(self, reader: Connection) -> Pages:
        try:
            message = reader.recv_bytes()
        except EOFError:
            self._ended(reader)
            return
        kind, path, page = message[:1], *message[1:].split(b"\0", 1)
        if kind == _FAILED:
            raise RuntimeError(f"a worker rendering the site failed: {page.decode()}")
        yield path.decode(), int(page) if kind == _WRITTEN else page

    def _ended(self, reader: Connection) -> None:
        """A worker has sent all it will: it must have ended well."""
        pid = self._readers.pop(reader)
        reader.close()
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGINT:
            raise KeyboardInterrupt
        if status:
            raise OgpctlError(f"a worker rendering the site stopped (status {status})")

    def stop(self) -> None:
        """End the workers still running, and wait for them."""
        while self._readers:
            reader, pid = self._readers.popitem()
            reader.close()
            with contextlib.suppress(ProcessLookupError):  # ended meanwhile
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def private_memory() -> int:
    """The bytes this process holds alone (shared with none), from Linux's accounting;
    where there is none to read (elsewhere, no workers are forked), more than `MEMORY`."""
    try:
        lines = Path("/proc/self/smaps_rollup").read_text().splitlines()
    except OSError:
        return MEMORY
    fields = dict(line.split(":", 1) for line in lines[1:])
    return (
        sum(int(fields.get(k, "0 kB").split()[0]) for k in ("Private_Clean", "Private_Dirty"))
        * 1024
    )


_PAGE, _WRITTEN, _FAILED = b"P", b"W", b"F"  # what a message is: its first byte


def _work(
    writer: Connection, items: Sequence[T], render: Callable[[T], Pages], into: Path | None
) -> None:
    """A worker's life: render its share, send each page (or, `into` a folder, write it
    there and send its size), exit (never returning)."""
    status = 0
    try:  # pragma: no cover (the worker's process)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        for item in items:
            for path, page in render(item):
                assert isinstance(page, bytes)
                if into is None:
                    writer.send_bytes(_PAGE + path.encode() + b"\0" + page)
                    continue
                file = into / path
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_bytes(page)
                writer.send_bytes(_WRITTEN + path.encode() + b"\0" + str(len(page)).encode())
    except BrokenPipeError:  # pragma: no cover (the parent is gone)
        status = 1
    except BaseException as err:  # pragma: no cover (a bug: the parent says what)
        status = 1
        with contextlib.suppress(OSError):
            writer.send_bytes(_FAILED + b"\0" + f"{type(err).__name__}: {err}".encode())
    finally:
        writer.close()
        os._exit(status)
