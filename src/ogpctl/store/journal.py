"""The write journal: what an ogpctl write is doing, for the next writer to undo.

Before a write puts its files in place it names them here, with what was there before
and the digest of what it writes, and the folders it makes. Once git has committed them,
or they are put back, the journal goes. If the process dies in between (kill -9, power
loss), the next writer, holding the dataset lock, finds the journal and puts back every
file that git did not commit and nobody changed since (`recover`). There is one journal
per dataset (`.git/ogpctl/journal.json`, or `journal-<hash>.json` for a dataset below the
top of the work tree), so two datasets in one repository never undo each other's writes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ogpctl.errors import OgpctlError
from ogpctl.store.atomic import restore, temporaries, write_file
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


@dataclass(frozen=True)
class Entry:
    """One file of a write: what was there before, what is written, the folders made."""

    path: str  # relative to the dataset root
    target: Path
    before: bytes | None
    written: bytes
    created: list[Path]


def entry(root: Path, path: str, written: bytes) -> Entry:
    target = root / path
    before = target.read_bytes() if target.exists() else None
    created = [folder for folder in reversed(target.parents) if not folder.exists()]
    return Entry(path, target, before, written, created)


def begin(repo: Repository, root: Path, entries: list[Entry]) -> Path:
    """Name the files about to be written, and the folders made for them, until they are
    committed or put back: if this process dies meanwhile, the next writer puts them back
    (`_recover`)."""
    journal = journal_file(repo)
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
    files = [
        {
            "path": entry.path,
            "before": None if entry.before is None else base64.b64encode(entry.before).decode(),
            "written": digest(entry.written),
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
                str(entry["written"]),
                None if entry["before"] is None else base64.b64decode(entry["before"]),
                [root / str(folder) for folder in entry.get("created", [])],
            )
            for entry in files
        ]
    except (ValueError, KeyError, TypeError):
        journal.unlink()
        return ["ignored an unreadable journal of an interrupted write"]
    repo.wait_for_index(deadline)  # the dead writer's git may still be committing
    notes = []
    for path, written, before, created in reversed(entries):
        target = root / path
        for leftover in temporaries(target):  # killed while writing the file
            leftover.unlink(missing_ok=True)
        committed = repo.committed(path)
        current = target.read_bytes() if target.is_file() else None
        ours = current is not None and digest(current) == written
        if (committed is None or digest(committed) != written) and (ours or current is None):
            # never committed, and not changed by anyone since: put back what was there
            if ours or before is None:
                restore(target, before, created)  # and the folders made for it, if still empty
            if before is None and committed is None:
                repo.forget([path], deadline)  # our `git add`, if it happened
            notes.append(f"undid the interrupted write of {path} (it was never committed)")
    journal.unlink()
    return notes
