"""Where the `.git` folder of a dataset's repository is, found without GitPython.

Validation keeps its cache there and must not pay for importing git (`store/git.py`) to
find it: this reads the file system as git's own discovery does, for what ogpctl needs.
"""

from __future__ import annotations

from pathlib import Path


def git_dir(root: Path) -> Path | None:
    """The `.git` folder of the repository holding `root` (also for worktrees), if any."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return (folder / text.removeprefix("gitdir:").strip()).resolve()
            return None
    return None
