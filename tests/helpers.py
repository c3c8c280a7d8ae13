"""What many tests share: a small valid dataset, tree builders, git helpers, result types.

Imported by the tests as `helpers` (pytest puts `tests/` on the path, see pyproject.toml);
the fixtures that use these live in `conftest.py`.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]  # the checkout, wherever a test file lives
EXAMPLES = REPO / "tests" / "examples"
TODAY = "2017-09-01"

MEMBER_GOV = "data/members/france.yaml"
MEMBER_CSO = "data/members/transparency-international.yaml"
ACTION = "data/actions/open-contracting/action.yaml"
PART_GOV = "data/actions/open-contracting/participants/france.yaml"
PART_CSO = "data/actions/open-contracting/participants/transparency-international.yaml"
UPDATE = "data/actions/open-contracting/updates/2017-06-01-france.yaml"

# A minimal valid dataset: one action led by one government and one CSO, both taking part,
# and one progress update recent enough (relative to TODAY) not to be overdue.
BASELINE: dict[str, str] = {
    "ogpctl.toml": '[dataset]\nname = "test dataset"\n',
    MEMBER_GOV: "name:\n  en: France\ntype: national-government\ncountry: FR\n",
    MEMBER_CSO: "name: Transparency International\ntype: civil-society\nacronym: TI\n",
    ACTION: (
        "number: 1\n"
        "title:\n"
        "  en: Open contracting\n"
        "theme: transparency-integrity-anticorruption\n"
        "status: active\n"
        "launched: 2016-12-07\n"
        "leaders:\n"
        "  government: france\n"
        "  civil_society: transparency-international\n"
        "milestones:\n"
        "  - id: publish-data\n"
        "    title: Publish contracting data\n"
        "    due: 2017-12-31\n"
    ),
    PART_GOV: "joined: 2016-12-07\n",
    PART_CSO: "joined: 2016-12-07\n",
    UPDATE: (
        "period:\n"
        "  start: 2016-12-07\n"
        "  end: 2017-05-31\n"
        "completion: limited\n"
        "summary:\n"
        "  en: Data standard adopted.\n"
        "milestones:\n"
        "  publish-data: limited\n"
    ),
}

Files = Mapping[str, "str | bytes | None"]

# git settings for every test (environment variables): no `git maintenance run --auto`
# process after each commit (a test repository never has enough objects to need one)
GIT_QUIET = {
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "maintenance.auto",
    "GIT_CONFIG_VALUE_0": "false",
}


def build_tree(root: Path, files: Files) -> Path:
    """Write `files` ({relative path: text or bytes}) under `root`; returns `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        if content is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
    return root


DatasetFactory = Callable[..., Path]


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    output: str  # stdout and stderr interleaved


Run = Callable[..., Result]


def run_plain(answer: Callable[[list[str]], int | None], argv: list[str]) -> Result | None:
    """A plain path (`ogpctl.__main__`'s `_plain_validate`, `_plain_export`) in this
    process: what it printed and its exit code, or None if it left the answer to the full
    command line (then it must have printed nothing)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = answer(argv)
    if code is None:
        assert out.getvalue() == err.getvalue() == ""
        return None
    return Result(code, out.getvalue(), err.getvalue(), "")


def git(root: Path, *args: str) -> str:
    """Run git in `root`; its stdout. Fails the test if git fails."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def init_repo(root: Path) -> Path:
    """Make `root` a git repository with a fixed identity and everything in one commit."""
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.name", "Ana Tester")
    git(root, "config", "user.email", "ana@example.org")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--allow-empty", "-m", "initial dataset")
    return root


def copy_repository(template: Path, root: Path) -> Path:
    """A copy at `root` of the git repository `template` (faster than `init_repo`), its
    index brought up to date with the copied files, whose inodes and ctimes differ, as
    `git status` would; returns `root`. Not copied: git's sample hooks (`*.sample`, which
    git never runs), 13 of a new repository's 59 files."""
    ignored = shutil.ignore_patterns("*.sample")
    shutil.copytree(template, root, symlinks=True, dirs_exist_ok=True, ignore=ignored)
    git(root, "update-index", "-q", "--refresh")
    return root


def state(root: Path) -> tuple[str, str, str, str]:
    """HEAD, the index, the work tree's status and its files: what a refusal must keep."""
    files = sorted(
        f"{p.relative_to(root)}:{p.read_bytes()!r}"
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    )
    return (
        git(root, "rev-parse", "HEAD"),
        git(root, "ls-files", "--stage"),
        git(root, "status", "--porcelain", "--untracked-files=all"),
        "\n".join(files),
    )


def last_commit(root: Path) -> tuple[str, list[str]]:
    """(message, files touched) of HEAD."""
    message = git(root, "log", "-1", "--format=%B")
    files = git(root, "show", "--name-only", "--format=", "HEAD").split()
    return message, files


def fork_ogpctl(argv: list[str], log: Path, env: Mapping[str, str] | None = None) -> int:
    """Start `ogpctl ARGV` (the real entry point, `ogpctl.cli.main`) in a process of its
    own, forked from this one, where ogpctl is imported already: it starts in a
    millisecond, not in the 0.3 s of CPU of a new Python. `env` is added to its
    environment; what it prints goes to `log`. Returns its pid, for `reap`."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            sys.stdout = sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
            os.environ.update(env or {})
            tempfile.tempdir = None  # found again, from TMPDIR
            sys.argv = ["ogpctl", *argv]
            from ogpctl.cli import main

            main()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        finally:
            sys.stderr.flush()
            os._exit(code)
    return pid


def reap(pid: int, log: Path) -> tuple[int, str]:
    """A forked ogpctl's exit code (or -signal, as subprocess gives them) and output."""
    _, status = os.waitpid(pid, 0)
    returned = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return returned, log.read_text()


URUGUAY = {"data/members/uruguay.yaml": "name: Uruguay\ntype: national-government\ncountry: UY\n"}


def rewrite(path: Path, text: str) -> None:
    """Write `text` and move the mtime on, as a later edit would (timestamps are coarse)."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


BIN = Path(sys.executable).parent  # where the test extra's tools are installed


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    """The real actionlint (with its shellcheck) on workflow files."""
    tool = shutil.which("actionlint", path=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    assert tool, "actionlint is missing: pip install -e '.[test]'"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}  # its shellcheck
    return subprocess.run(
        [tool, "-no-color", *map(str, paths)],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip


def rename_by_hand(
    root: Path,
    old: str,
    new: str,
    *,
    merge: bool = False,
    formerly: bool = True,
    commit: bool = True,
) -> list[str]:
    """On a branch `pr`, commit with plain git what renaming (or merging) member `old` into
    `new` commits: the member file moved (for a merge, deleted) and `formerly` gaining the
    old id; each participation and update moved to the new id in its name (an update byte
    for byte, numbered `-2`… after one the new author has that day; a participation of a
    member taking part already dropped); the leaders in `action.yaml` rewritten. Returns
    the paths the updates moved to. `commit=False`: staged, not committed."""
    from ogpctl.model.keys import Kind, RecordKey, key_for

    git(root, "checkout", "--quiet", "-B", "pr")
    old_file = RecordKey(Kind.MEMBER, member=old).path
    new_file = RecordKey(Kind.MEMBER, member=new).path
    if merge:
        git(root, "rm", "--quiet", old_file)
    else:
        git(root, "mv", old_file, new_file)
    if formerly:
        with (root / new_file).open("a") as member:
            member.write(f"formerly: [{old}]\n")
    moved = []
    for path in sorted((root / "data/actions").rglob("*.yaml")):
        key = key_for(path.relative_to(root).as_posix())
        if key is not None and key.kind is Kind.ACTION:
            path.write_text(path.read_text().replace(f": {old}\n", f": {new}\n"))
        if key is None or key.member != old:
            continue
        target = RecordKey(key.kind, key.action, new, key.published)
        while (root / target.path).exists():
            if key.kind is Kind.PARTICIPANT:
                git(root, "rm", "--quiet", key.path)
                break
            target = RecordKey(key.kind, key.action, new, key.published, target.sequence + 1)
        else:
            git(root, "mv", key.path, target.path)
            moved += [target.path] * (key.kind is Kind.UPDATE)
    git(root, "add", "--all")
    if commit:
        git(root, "commit", "--quiet", "-m", f"{'merge' if merge else 'rename'} {old} into {new}")
    return moved
