"""The dataset as a commit would leave it: HEAD plus the files the commit takes.

A write command commits one file, `ogpctl commit PATH…` the files it is given; what else
the person changed stays out of the commit. So the state to check is HEAD with those files
as they are in the work tree, not the work tree. When nothing else differs from HEAD, the
two are the same and the work tree itself is checked (with its cache); otherwise HEAD's
`data/` and `ogpctl.toml` are extracted into a temporary folder and those files laid over.

That folder is made beside the dataset's write journal (`.git/ogpctl/journal.commit-…`),
not in the system's temporary folder: a writer killed meanwhile (kill -9, power loss)
cannot remove it, so the next writer of the dataset, holding the lock, removes it.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from ogpctl.model.keys import CONFIG, DATA
from ogpctl.store.git import Repository
from ogpctl.store.journal import journal_file, journal_folder


@contextlib.contextmanager
def committed_state(
    root: Path,
    repo: Repository,
    paths: list[str],
    overlay: Mapping[str, bytes | None] | None = None,
    changed: list[str] | None = None,
) -> Iterator[Path]:
    """A dataset folder holding what HEAD holds plus `paths` (dataset-relative) as they
    are in the work tree (a missing file: deleted), and the files of `overlay` (path →
    content, or None: deleted) not yet written. `changed`: the files under data/ and the
    settings file that differ from HEAD, when the caller has just asked git (else asked
    here)."""
    journal = journal_file(repo)
    prefix = f"{journal.stem}.commit-"  # this dataset's own: not another's in the repository
    for leftover in journal.parent.glob(f"{prefix}*"):  # a killed writer's (we hold the lock)
        shutil.rmtree(leftover, ignore_errors=True)
    if not overlay:  # with one, the folder is needed whatever else differs from HEAD
        if changed is None:
            changed = [path for _, path in repo.status([DATA, CONFIG])]
        if not set(changed) - set(paths):  # nothing else differs from HEAD
            yield root
            return
    with tempfile.TemporaryDirectory(prefix=prefix, dir=journal_folder(journal)) as folder:
        state = Path(folder)
        if repo.has_head():
            repo.snapshot("HEAD", state)
        for path in paths:
            source, target = root / path, state / path
            if source.is_file() and not source.is_symlink():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
            else:
                target.unlink(missing_ok=True)
        for path, content in (overlay or {}).items():
            if content is None:
                (state / path).unlink(missing_ok=True)
                continue
            (state / path).parent.mkdir(parents=True, exist_ok=True)
            (state / path).write_bytes(content)
        yield state
