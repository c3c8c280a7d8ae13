"""Finding a dataset's `.git` folder without GitPython: a repository, a worktree, none."""

from __future__ import annotations

from pathlib import Path

from ogpctl.store.gitquery import find_git_dir as git_dir


def test_a_repository_above_the_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "sub" / "root").mkdir(parents=True)
    assert git_dir(tmp_path / "sub" / "root") == tmp_path / ".git"


def test_a_worktree_points_at_its_git_dir(tmp_path: Path) -> None:
    (tmp_path / "main" / ".git" / "worktrees" / "wt").mkdir(parents=True)
    (tmp_path / "wt").mkdir()
    (tmp_path / "wt" / ".git").write_text("gitdir: ../main/.git/worktrees/wt\n")
    assert git_dir(tmp_path / "wt") == (tmp_path / "main" / ".git" / "worktrees" / "wt")


def test_a_git_file_that_says_nothing_and_no_repository(tmp_path: Path) -> None:
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / ".git").write_text("not a pointer\n")
    assert git_dir(tmp_path / "odd") is None
    assert git_dir(Path("/")) is None or Path("/.git").exists()
