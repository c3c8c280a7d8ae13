"""The last export of each format, kept while nothing changed since the validation it
followed: exporting an unchanged dataset again copies files instead of making them.

`export` validates first (`check.fast.warm`: one `lstat` of every folder and file when
nothing changed). What it then wrote for the same question (format, language, options,
the day) is still the answer while nothing changed, so a copy of each file it wrote is
kept beside the validation cache, in `….exports/<format>/`: one export per format, the
newest, and its index.

A kept export is tied, as the read commands' kept answers are (`answers`), to the last
result it followed (that file's own `lstat`: it is replaced whole whenever anything
changed) and to the record files it lists, and also to the export cache (`rowcache`) as
that file was once the export was made. It is used only when the warm path holds (no
folder or file changed since that result, for the same day, and the dataset valid), and is
dropped when ogpctl's code, Python or the dataset settings change. Each file kept is
named by the BLAKE2 digest of its bytes, checked as they are copied: a damaged copy is not
used (the export is then made as usual, and kept again). Any failure to read or write a
kept export is ignored: it only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from ogpctl.check.fast import cache, rowcache, warm
from ogpctl.check.report import Report
from ogpctl.errors import OgpctlError
from ogpctl.model.dataset import Settings
from ogpctl.store.atomic import replacing
from ogpctl.store.scratch import Unfinished, remove_orphans

CHUNK = 1 << 20  # bytes copied at a time: memory stays flat however large the export
Key = tuple[Any, ...]  # the question: format, language, options, day (plain values)
Part = tuple[str, str]  # where a file kept goes ("" for the target itself), its digest


class Damaged(ValueError):
    """A kept file whose bytes no longer give its digest."""


def _stamp(settings: Settings) -> str:
    """What an export depends on besides the records: every module of ogpctl, the settings."""
    code = cache.files_stamp(sorted(cache.PACKAGE.rglob("*.py")))
    return f"exports|{cache.stamp(settings)}|{code}"


def _tag(file: Path) -> list[int] | None:
    """`file` as it is now (None: there is none)."""
    try:
        return list(cache.signature(os.lstat(file)))
    except OSError:
        return None


def _files_digest(files: Iterable[str]) -> bytes:
    return hashlib.blake2b("\n".join(files).encode(), digest_size=16).digest()


def _folder(root: Path, key: Key) -> Path:
    return cache.location(root).with_suffix(".exports") / str(key[0])


def answer(
    root: Path, settings: Settings, key: Key, target: Path | None, csv: bool
) -> tuple[Iterable[str], list[Path]] | None:
    """The export kept for `key` (its day last) if nothing changed since it was made: the
    text for stdout without a `target`, else the files copied in place; None if there is
    none, or it could not be used (nothing was said, and what was copied is what an export
    writes)."""
    found = recall(root, settings, date.fromisoformat(key[-1]), key)
    if found is None:
        return None
    if target is None:
        chunks = text(found)
        return None if chunks is None else (chunks, [])
    written = give(found, target, csv)
    return None if written is None else ([], written)


def recall(root: Path, settings: Settings, today: date, key: Key) -> list[tuple[str, Path]] | None:
    """Each file of the export kept for `key` (where it goes, the copy kept), if nothing
    changed since it was made and the dataset is valid; else None."""
    with contextlib.suppress(Exception):  # a cache must never break an export
        folder = _folder(root, key)
        kept = cache.read(folder / "index", _stamp(settings))
        last_file = cache.location(root).with_suffix(".last")
        if (
            kept is None
            or kept["key"] != repr(key)
            or kept["tag"] != _tag(last_file)
            or kept["rows"] != _tag(rowcache.location(root))
        ):
            return None
        _, last = warm.last_result(root, settings)
        if last is None or warm.still(root, last, today) != []:
            return None
        report = warm.report(last)
        if report is None or report.errors or kept["files"] != _files_digest(report.files):
            return None
        return [(where, folder / digest) for where, digest in kept["parts"]]
    return None


def _copy(source: IO[bytes], name: str, out: Callable[[bytes], object] | None) -> None:
    """The bytes of `source` given to `out` (if any); `Damaged` if they do not give the
    digest `name`."""
    digest = hashlib.blake2b(digest_size=16)
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        if out is not None:
            out(chunk)
    if digest.hexdigest() != name:
        raise Damaged(name)


def give(kept: list[tuple[str, Path]], target: Path, csv: bool) -> list[Path] | None:
    """The kept files copied in place (to `target` itself, else beside it, or into it for
    csv); the files written. None if a kept file is missing or damaged, or cannot be
    copied (what was copied by then is what an export writes)."""
    written = []
    try:
        for where, part in kept:
            path = target if not where else (target if csv else target.parent) / where
            with (
                part.open("rb") as source,
                replacing(path) as temporary,
                temporary.open("wb") as copy,
            ):
                _copy(source, part.name, copy.write)
            written.append(path)
    except (OSError, Damaged, OgpctlError):  # OgpctlError: `replacing` could not write
        return None
    return written


def text(kept: list[tuple[str, Path]]) -> Iterator[str] | None:
    """The text of the one file kept (json, markdown), checked whole before any of it is
    given; None if it is missing or damaged."""
    try:
        [(_, part)] = kept
        source = part.open("rb")
    except (OSError, ValueError):
        return None
    try:
        _copy(source, part.name, None)
        source.seek(0)
    except (OSError, Damaged):
        source.close()
        return None
    return _chunks(source)


def _chunks(source: IO[bytes]) -> Iterator[str]:
    with io.TextIOWrapper(source, encoding="utf-8", newline="") as text_:
        while chunk := text_.read(CHUNK):
            yield chunk


class Keeper:
    """Keeps the export made after a validation (`tee` for text, `copy` for files), if the
    last result is still the one that validation left once the export is done."""

    def __init__(self, root: Path, settings: Settings, report: Report, key: Key) -> None:
        self.key, self.stamp = key, _stamp(settings)
        self.files = _files_digest(report.files)
        self.parts: list[Part] = []
        self.folder: Path | None = None
        self.tag: list[int] | None = None
        with contextlib.suppress(Exception):
            self.last_file = cache.location(root).with_suffix(".last")
            self.rows_file = rowcache.location(root)
            self.tag = _tag(self.last_file)
            if self.tag is not None and not report.errors:
                self.folder = _folder(root, key)
                self.folder.mkdir(parents=True, exist_ok=True)
                _sweep(self.folder)

    def tee(self, chunks: Iterable[str]) -> Iterator[str]:
        """`chunks`, and a copy of them kept (its place: the target itself)."""
        part = _Part(self.folder)
        try:
            for chunk in chunks:
                part.write(chunk.encode())
                yield chunk
            self._add("", part.done())
        finally:
            part.discard()

    def copy(self, files: list[Path], target: Path, csv: bool) -> None:
        """Keep a copy of each of the `files` an export wrote to `target`."""
        for file in files:
            part = _Part(self.folder)
            try:
                with file.open("rb") as source:
                    while chunk := source.read(CHUNK):
                        part.write(chunk)
                where = file.relative_to(target if csv else target.parent).as_posix()
                self._add("" if file == target else where, part.done())
            except OSError:
                self.folder = None
            finally:
                part.discard()

    def _add(self, where: str, digest: str | None) -> None:
        if digest is None:
            self.folder = None
        else:
            self.parts.append((where, digest))

    def done(self) -> None:
        """Write the index of what was kept, and remove what the last one named."""
        folder, tag = self.folder, self.tag
        if folder is None or tag is None or not self.parts:
            return
        with contextlib.suppress(Exception):  # an export not kept only costs time
            rows = _tag(self.rows_file)
            if rows is None or _tag(self.last_file) != tag:
                return
            content = {"key": repr(self.key), "tag": tag, "rows": rows, "files": self.files,
                       "parts": self.parts}  # fmt: skip
            cache.write(folder / "index", self.stamp, content)
            named = {digest for _, digest in self.parts}
            for file in folder.iterdir():
                if len(file.name) == 32 and file.name not in named:
                    file.unlink(missing_ok=True)


class _Part(Unfinished):
    """A file being kept, hashed as it is written; put in place (named by its digest) by
    `done`. Writes to nowhere when there is no folder, or once one failed."""

    def __init__(self, folder: Path | None) -> None:
        self.digest = hashlib.blake2b(digest_size=16)
        with contextlib.suppress(OSError):
            if folder is not None:
                self.open(folder / f".{os.getpid()}.{id(self)}.tmp")

    def write(self, data: bytes) -> None:
        if self.file is None:
            return
        try:
            self.file.write(data)
            self.digest.update(data)
        except OSError:
            self.discard()

    def done(self) -> str | None:
        """The digest of what was kept, now in place; None if it could not be kept."""
        if self.file is None or self.temporary is None:
            return None
        try:
            name = self.digest.hexdigest()
            self.finish(self.temporary.with_name(name))
            return name
        except OSError:
            return None


def _sweep(folder: Path) -> None:
    """Remove what killed exports left being written (those of processes that are gone)."""
    remove_orphans(folder.glob(".*.tmp"), lambda name: name.split(".")[1])
