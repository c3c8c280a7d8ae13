"""`ogpctl.store.git`: what it reads of a repository without starting git."""

from __future__ import annotations

from pathlib import Path

from helpers import build_tree, git, init_repo

from ogpctl.store.git import Repository


def test_head_is_read_from_git_files_loose_packed_or_detached(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch=main")
    unborn = Repository(root)
    assert unborn.head() is None and not unborn.has_head()
    assert unborn.committed("data/members/x.yaml") is None
    init_repo(build_tree(root, {"data/members/x.yaml": "name: X\ntype: other\n"}))
    repo = Repository(root)
    for how in ([], ["pack-refs", "--all"], ["checkout", "--quiet", "--detach"]):
        if how:
            git(root, *how)
        assert repo.head() == git(root, "rev-parse", "HEAD").strip(), how
        assert repo.committed("data/members/x.yaml") == b"name: X\ntype: other\n"
        assert repo.committed("data/members/y.yaml") is None
    assert not (root / ".git/refs/heads/main").exists()  # read from packed-refs, above
