"""The dataset as a commit would leave it: HEAD plus the files the commit takes.

A write command commits one file, `ogpctl commit PATH…` the files it is given; what else
the person changed stays out of the commit. So the state to check is HEAD with those files
as they are in the work tree, not the work tree. When nothing else differs from HEAD, the
two are the same and the work tree itself is checked (with its cache); otherwise HEAD's
`data/` and `ogpctl.toml` are extracted into a temporary folder and those files laid over.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from ogpctl.model.keys import CONFIG, DATA
from ogpctl.store.git import Repository


@contextlib.contextmanager
def committed_state(
    root: Path,
    repo: Repository,
    paths: list[str],
    overlay: Mapping[str, bytes | None] | None = None,
) -> Iterator[Path]:
    """A dataset folder holding what HEAD holds plus `paths` (dataset-relative) as they
    are in the work tree (a missing file: deleted), and the files of `overlay` (path →
    content, or None: deleted) not yet written."""
    taken = set(paths)
    others = [path for _, path in repo.status([DATA, CONFIG]) if path not in taken]
    if not others and not overlay:
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="ogpctl-commit-") as folder:
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
