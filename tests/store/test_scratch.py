"""Scratch folders: what a killed command left in the temporary folder, the next removes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import DatasetFactory, Run

from ogpctl.store.scratch import Unfinished, remove_abandoned, scratch

KILLED_INSIDE = """
import os, signal, sys
from ogpctl.store.scratch import scratch
with scratch(sys.argv[1]) as folder:
    (folder / "half-written").write_text("x")
    print(folder, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture
def temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder, for this process and the ones it starts."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def killed_inside(what: str) -> Path:
    """The scratch folder of a process killed (kill -9) while it used it."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_INSIDE, what], capture_output=True, text=True, check=False
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    left = Path(done.stdout.strip())
    assert left.is_dir() and left.name.startswith(f"ogpctl-{what}-")
    return left


def test_a_killed_commands_folder_is_removed_by_the_next_and_nothing_else(
    temporary: Path,
) -> None:
    left = killed_inside("rows")
    running = temporary / f"ogpctl-rows-{os.getppid()}-abc"  # a process that still runs
    running.mkdir()
    others = [temporary / "ogpctl-bench-12345678", temporary / "someone-else-1-x"]
    for other in others:
        other.mkdir()
    with scratch("site") as folder:
        assert folder.parent == temporary and folder.is_dir()
        assert not left.exists()
    assert not folder.exists()
    assert sorted(temporary.iterdir()) == sorted([running, *others])
    assert remove_abandoned(temporary) == []


def test_an_export_after_a_killed_one_leaves_the_temporary_folder_empty(
    temporary: Path, git_dataset: DatasetFactory, run: Run, tmp_path: Path
) -> None:
    left = killed_inside("rows")
    result = run(git_dataset(), "export", "--format", "json", "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 0, result.output
    assert not left.exists()
    assert list(temporary.iterdir()) == []


def test_an_unfinished_file_is_put_in_place_whole_or_removed(tmp_path: Path) -> None:
    tmp_path /= "cache"
    tmp_path.mkdir()
    kept, dropped = Unfinished(), Unfinished()
    kept.open(tmp_path / f".kept.{os.getpid()}.tmp").write(b"whole")
    dropped.open(tmp_path / f".dropped.{os.getpid()}.tmp").write(b"half")
    kept.finish(tmp_path / "kept")
    kept.discard()  # once in place, the file stays
    dropped.discard()
    dropped.discard()  # and twice is harmless
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]
    assert (tmp_path / "kept").read_bytes() == b"whole"
