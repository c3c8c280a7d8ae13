"""The write journal: what an ogpctl write is doing, for the next writer to undo.

Before a write puts its files in place it names them here, with what was there before
and the digest of what it writes (or that it deletes the file), and the folders it makes.
Once git has committed them, or they are put back, the journal goes. If the process dies
in between (kill -9, power loss), the next writer, holding the dataset lock, finds the
journal and decides once, for all the files together, whether git committed the write: if
not, it puts back every file that nobody changed since (`recover`). A write of many files
(`ogpctl rename`) is thus undone whole or kept whole, never half. There is one journal
per dataset (`.git/ogpctl/journal.json`, or `journal-<hash>.json` for a dataset below the
top of the work tree), so two datasets in one repository never undo each other's writes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ogpctl.errors import OgpctlError
from ogpctl.store.atomic import remove_file, replacing, restore, temporaries, write_file
from ogpctl.store.git import Repository


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def journal_file(repo: Repository) -> Path:
    """The journal of the dataset's writes: one per dataset, for a repository may hold
    several (paths in it are relative to the dataset root, so one dataset must never
    recover from another's)."""
    folder = repo.dataset_folder
    if folder == ".":
        return repo.git_dir / "ogpctl" / "journal.json"
    return repo.git_dir / "ogpctl" / f"journal-{digest(folder.encode())[:16]}.json"


def journal_folder(journal: Path) -> Path:
    """The folder of `journal` (`.git/ogpctl/`), made if missing; it also holds what a
    write works in (`ogpctl.store.pending`)."""
    try:
        if journal.parent.exists() and not journal.parent.is_dir():
            raise NotADirectoryError(0, "it is not a folder")
        journal.parent.mkdir(exist_ok=True)
    except OSError as err:
        raise OgpctlError(
            f"cannot keep the journal of this write in {journal.parent}: "
            f"{err.strerror or err} (ogpctl keeps its journal and cache in that folder: "
            "move what is there away)"
        ) from None
    return journal.parent


@dataclass(frozen=True)
class Entry:
    """One file of a write: what was there before, what is written (None: the file is
    deleted), the folders made."""

    path: str  # relative to the dataset root
    target: Path
    before: bytes | None
    written: bytes | None
    created: list[Path]


def entry(root: Path, path: str, written: bytes | None) -> Entry:
    target = root / path
    before = target.read_bytes() if target.exists() else None
    created = [folder for folder in reversed(target.parents) if not folder.exists()]
    return Entry(path, target, before, written, created if written is not None else [])


def put_in_place(entries: list[Entry], step: Callable[[str], None]) -> None:
    """Write the entries' files atomically, then delete those to delete; `step` is told
    "temporary" (a file written, not yet in place) and "removed" (a first file deleted)."""
    for entry in entries:
        if entry.written is not None:
            with replacing(entry.target, new=entry.before is None) as temporary:
                temporary.write_bytes(entry.written)
                step("temporary")
    for entry in entries:
        if entry.written is None:
            remove_file(entry.target)
            step("removed")


def put_back(entries: list[Entry]) -> None:
    """Every file of the entries as it was before the write (once it was not committed)."""
    for entry in reversed(entries):
        restore(entry.target, entry.before, entry.created)


def begin(repo: Repository, root: Path, entries: list[Entry]) -> Path:
    """Name the files about to be written, and the folders made for them, until they are
    committed or put back: if this process dies meanwhile, the next writer puts them back
    (`_recover`)."""
    journal = journal_file(repo)
    journal_folder(journal)
    files = [
        {
            "path": entry.path,
            "before": None if entry.before is None else base64.b64encode(entry.before).decode(),
            "written": None if entry.written is None else digest(entry.written),
            "created": [folder.relative_to(root).as_posix() for folder in entry.created],
        }
        for entry in entries
    ]
    journal.unlink(missing_ok=True)
    write_file(journal, json.dumps({"files": files}).encode(), new=True)
    return journal


def recover(root: Path, repo: Repository, deadline: float) -> list[str]:
    """Undo the write of an ogpctl process that died before git committed it."""
    journal = journal_file(repo)
    for leftover in temporaries(journal):
        leftover.unlink(missing_ok=True)
    if not journal.exists():
        return []
    try:
        found = json.loads(journal.read_text(encoding="utf-8"))
        files = found.get("files", [found])  # a journal of one file, as first written
        entries = [
            (
                str(entry["path"]),
                None if entry["written"] is None else str(entry["written"]),
                None if entry["before"] is None else base64.b64decode(entry["before"]),
                [root / str(folder) for folder in entry.get("created", [])],
            )
            for entry in files
        ]
    except (ValueError, KeyError, TypeError):
        journal.unlink()
        return ["ignored an unreadable journal of an interrupted write"]
    repo.wait_for_index(deadline)  # the dead writer's git may still be committing
    for path, *_ in entries:
        for leftover in temporaries(root / path):  # killed while writing the file
            leftover.unlink(missing_ok=True)
    found = {path: (written, repo.committed(path)) for path, written, *_ in entries}
    if all(_same(written, committed) for written, committed in found.values()):
        journal.unlink()  # git committed the whole write: it stays
        return []
    notes = []
    for path, written, before, created in reversed(entries):
        target = root / path
        committed = found[path][1]
        current = target.read_bytes() if target.is_file() else None
        ours = _same(written, current) if written is not None else current is None
        if _same(written, committed) or not (ours or current is None):
            continue  # as git holds it, or changed by someone since: theirs to keep
        # never committed, and not changed by anyone since: put back what was there
        if ours or before is None:
            restore(target, before, created)  # and the folders made for it, if still empty
        if before is None and committed is None:
            repo.forget([path], deadline)  # our `git add`, if it happened
        undone = "deletion" if written is None else "write"
        notes.append(f"undid the interrupted {undone} of {path} (it was never committed)")
    journal.unlink()
    return notes


def _same(written: str | None, content: bytes | None) -> bool:
    """Whether `content` is what the journal says was written (None: deleted)."""
    if written is None or content is None:
        return written is None and content is None
    return digest(content) == written
