"""Writes check what they will commit, and commit only that (issue 13, findings 7 and 8).

What a commit holds is HEAD plus the files it names: a write command checks that state,
not the work tree, and `ogpctl commit PATH…` takes only the paths it is given.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from helpers import ACTION, MEMBER_CSO, UPDATE, DatasetFactory, Run, git, state

from ogpctl.check.validate import check_dataset
from ogpctl.store.git import Repository


def head_is_valid(root: Path, tmp_path: Path) -> bool:
    """Whether the dataset as HEAD holds it is valid on its own."""
    folder = tmp_path / "head"
    folder.mkdir()
    Repository(root).snapshot("HEAD", folder)
    _, report = check_dataset(folder, date(2017, 9, 1), cache=False)
    return report.ok


def test_a_write_is_checked_against_head_not_uncommitted_edits(
    git_dataset: DatasetFactory, run: Run, tmp_path: Path
) -> None:
    root = git_dataset()
    action = root / ACTION
    action.write_text(
        action.read_text() + "  - id: new\n    title: A milestone added by hand\n"
    )  # not committed
    before = state(root)
    result = run(root, "update", "open-contracting", "--by", "france", "--completion",
                 "limited", "--summary", "More data.", "--milestone", "new=limited")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "OGP205" in result.stderr and "new" in result.stderr
    assert state(root) == before
    assert head_is_valid(root, tmp_path)


def test_a_write_still_works_beside_unrelated_uncommitted_edits(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset()
    (root / MEMBER_CSO).write_text("name: TI\ntype: civil-society\n")  # not committed
    result = run(root, "update", "open-contracting", "--by", "france", "--completion",
                 "limited", "--summary", "More data.")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert git(root, "status", "--porcelain") == f" M {MEMBER_CSO}\n"


def _edit(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text)


def test_commit_with_paths_commits_only_those(
    git_dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = git_dataset()
    monkeypatch.chdir(root)  # paths are taken from the current folder, as git takes them
    uruguay = "data/members/uruguay.yaml"
    _edit(root, uruguay, "name: Uruguay\ntype: national-government\ncountry: UY\n")
    (root / MEMBER_CSO).write_text("name: TI\ntype: civil-society\n")
    result = run(root, "commit", uruguay)
    assert result.exit_code == 0, result.output
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == [uruguay]
    assert git(root, "status", "--porcelain") == f" M {MEMBER_CSO}\n"


def test_commit_with_paths_checks_head_plus_those_paths(
    git_dataset: DatasetFactory, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = git_dataset()
    monkeypatch.chdir(root)
    part = "data/actions/open-contracting/participants/uruguay.yaml"
    _edit(root, "data/members/uruguay.yaml", "name: Uruguay\ntype: national-government\n"
          "country: UY\n")  # fmt: skip
    _edit(root, part, "joined: 2017-01-01\n")
    before = state(root)
    result = run(root, "commit", part)  # the member it names would stay uncommitted
    assert result.exit_code == 1, result.output
    assert "uruguay" in result.stderr and "nothing committed" in result.stderr
    assert state(root) == before
    assert head_is_valid(root, tmp_path)


def test_commit_refuses_a_path_outside_the_dataset_files(
    git_dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = git_dataset()
    monkeypatch.chdir(root)
    before = state(root)
    result = run(root, "commit", "README.md")
    assert result.exit_code == 2, result.output
    assert "README.md" in result.stderr and "data/" in result.stderr
    assert state(root) == before


def test_commit_refuses_to_edit_a_published_update(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    (root / UPDATE).write_text((root / UPDATE).read_text().replace("adopted", "changed"))
    before = state(root)
    result = run(root, "commit")
    assert result.exit_code == 1, result.output
    assert "OGP401" in result.stderr
    assert f"published update {UPDATE} edited: updates are append-only" in result.stderr
    assert state(root) == before


def test_commit_refuses_to_delete_or_rename_a_published_update(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset()
    moved = UPDATE.replace("2017-06-01", "2017-06-02")
    git(root, "mv", UPDATE, moved)
    before = state(root)
    result = run(root, "commit")
    assert result.exit_code == 1, result.output
    assert "OGP401" in result.stderr and "renamed" in result.stderr
    assert state(root) == before
    git(root, "mv", moved, UPDATE)
    (root / UPDATE).unlink()
    result = run(root, "commit", str(root / UPDATE))
    assert result.exit_code == 1, result.output
    assert f"published update {UPDATE} deleted" in result.stderr
    assert subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=root).returncode == 1


def test_the_next_write_removes_the_folders_a_killed_write_left_and_no_others(
    git_dataset: DatasetFactory, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state a write checks is made in `.git/ogpctl/`, not the system's temporary
    folder, so that the next writer removes what a killed one (kill -9) left there; the
    folders of another dataset in the same repository are that dataset's to remove."""
    root = git_dataset()
    (root / MEMBER_CSO).write_text("name: TI\ntype: civil-society\n")  # a state to make
    temporary = tmp_path / "system-tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr("tempfile.tempdir", None)
    ours = root / ".git/ogpctl/journal.commit-k1ll3d"
    theirs = root / ".git/ogpctl/journal-0123456789abcdef.commit-k1ll3d"
    for left in (ours, theirs):
        (left / "data/members").mkdir(parents=True)
        (left / "data/members/france.yaml").write_text("name: France\n")
    result = run(root, "update", "open-contracting", "--by", "france", "--completion",
                 "limited", "--summary", "More data.")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not ours.exists()
    assert (theirs / "data/members/france.yaml").read_text() == "name: France\n"
    assert sorted(p.name for p in (root / ".git/ogpctl").glob("*.commit-*")) == [theirs.name]
    assert list(temporary.iterdir()) == []
