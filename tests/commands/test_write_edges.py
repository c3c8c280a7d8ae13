"""Writes in unusual repositories (issue 13, findings 4 and 11): two datasets in one
repository, a `.git/ogpctl` that is a file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import BASELINE, Run, build_tree, git, init_repo, state

NEW = "data/members/acme.yaml"
ADD = ("add", "member", "acme", "--type", "other", "--name", "ACME")


def _killed(root: Path, step: str, *args: str) -> None:
    """`ogpctl ARGS` in `root`, killed outright at `step` of its write."""
    env = {**os.environ, "OGPCTL_FAULT": f"{step}:kill"}
    done = subprocess.run([sys.executable, "-m", "ogpctl", "--root", str(root), *args],
                          env=env, capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == -9, done.stderr


def test_two_datasets_in_one_repository_recover_only_their_own_writes(
    tmp_path: Path, run: Run
) -> None:
    top = tmp_path / "repo"
    build_tree(
        top, {f"{name}/{path}": text for name in ("a", "b") for path, text in BASELINE.items()}
    )
    init_repo(top)
    _killed(top / "a", "added", *ADD)  # a's acme.yaml written and staged, not committed
    assert git(top, "status", "--porcelain") == f"A  a/{NEW}\n"

    other = run(top / "b", "add", "member", "zeta", "--type", "other", "--name", "Zeta")
    assert other.exit_code == 0, other.output
    assert "undid" not in other.stderr  # b's write does not touch a's
    assert git(top, "status", "--porcelain") == f"A  a/{NEW}\n"

    again = run(top / "a", *ADD)  # a's next write undoes a's interrupted one, then writes
    assert again.exit_code == 0, again.output
    assert f"undid the interrupted write of {NEW}" in again.stderr
    assert git(top, "status", "--porcelain") == ""
    assert git(top, "show", "--name-only", "--format=", "HEAD").split() == [f"a/{NEW}"]


def test_a_file_in_place_of_the_ogpctl_folder_is_exit_3(tmp_path: Path, run: Run) -> None:
    root = init_repo(build_tree(tmp_path / "ds", BASELINE))
    (root / ".git/ogpctl").write_text("not a folder\n")
    before = state(root)
    result = run(root, *ADD)
    assert result.exit_code == 3, result.output
    assert ".git/ogpctl" in result.stderr and "not a folder" in result.stderr
    assert "Traceback" not in result.output
    assert state(root) == before
    assert run(root, "validate").exit_code == 0


def test_a_sparse_checkout_is_said_and_refused_for_writes(tmp_path: Path, run: Run) -> None:
    root = init_repo(build_tree(tmp_path / "ds", BASELINE))
    git(root, "sparse-checkout", "set", "--no-cone", "/*", "!/data/actions/")
    assert not (root / "data/actions").exists()
    result = run(root, "validate")
    assert result.exit_code == 0, result.output  # what is present is valid
    assert "4 files under data/ are not checked out (sparse checkout)" in result.stderr
    assert "covers only the files present" in result.stderr
    before = state(root)
    added = run(root, *ADD)
    assert added.exit_code == 3, added.output
    assert "sparse checkout" in added.stderr and "git sparse-checkout disable" in added.stderr
    assert state(root) == before
    edited = root / "data/members/france.yaml"
    edited.write_text(edited.read_text() + "acronym: FR\n")
    committed = run(root, "commit")
    assert committed.exit_code == 3, committed.output
    assert "sparse checkout" in committed.stderr
