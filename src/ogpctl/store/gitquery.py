"""Questions the read path asks git, without GitPython (slow to import): which stray
files git ignores, whether a sparse checkout left files out, which commit removed a
member's file. Each is one `git` process, asked only when needed; outside git, or
without git, the answer is "nothing"."""

from __future__ import annotations

import os
from pathlib import Path

from ogpctl.model.keys import DATA


def find_git_dir(root: Path) -> Path | None:
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


def not_checked_out(root: Path) -> int:
    """How many files under the dataset's data/ a sparse checkout left out of the work
    tree (0 when sparse checkout is off, outside git, or when git cannot say). In the
    usual case a look for `.git/info/sparse-checkout`; git is asked only if it is there."""

    import subprocess  # only when sparse checkout may be on: the warm path seldom needs it

    def run(*args: str) -> bytes | None:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False,
                                  timeout=60)  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    git_dir = find_git_dir(root)
    if git_dir is None or not (git_dir / "info" / "sparse-checkout").is_file():
        return 0  # git writes that file whenever sparse checkout is set up: off, at no cost
    sparse = run("config", "--bool", "core.sparseCheckout")
    if sparse is None or sparse.strip() != b"true":
        return 0
    listed = run("ls-files", "-t", "-z", "--", DATA) or b""
    return sum(entry.startswith(b"S ") for entry in listed.split(b"\0"))


def ignored(root: Path, paths: list[str]) -> set[str] | None:
    """Those of `paths` (relative to `root`) that git ignores (`.gitignore`,
    `.git/info/exclude`, the user's excludes file); None when `root` is in no git work
    tree or git cannot say. One `git check-ignore` for all of them; tracked files are
    never ignored."""
    if not paths:
        return set()
    import subprocess

    try:
        done = subprocess.run(
            ["git", "check-ignore", "--stdin", "-z"], cwd=root, input="\0".join(paths).encode(),
            capture_output=True, check=False, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode not in (0, 1):  # 1: none is ignored; 128: not in a work tree
        return None
    return {os.fsdecode(p) for p in done.stdout.split(b"\0") if p}


def removal(root: Path, path: str, other: str) -> tuple[str, str, str | None] | None:
    """The last commit that removed the file at `path` (dataset-relative; a rename removes
    it too): its id, its date (`YYYY-MM-DD`), and what it did to the file at `other` (`A`
    added, `M` modified, ..., None nothing). None if no commit did, or git cannot say."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "log", "--no-renames", "--relative", "--name-status", "-z",
             "--format=%x1e%H %cs", "--", path, other],
            cwd=root, capture_output=True, check=False, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    for record in os.fsdecode(done.stdout).split("\x1e")[1:]:
        head, *fields = [f.strip() for f in record.split("\0") if f.strip()]
        pairs = zip(fields[::2], fields[1::2], strict=False)  # status, path; status, path…
        statuses = {name: status[0] for status, name in pairs}
        if statuses.get(path) == "D":
            sha, day = head.split(" ")
            return sha, day, statuses.get(other)
    return None
