"""Writes under concurrency and faults: all land, or none leaves a trace.

Real processes and a real git: sixteen writers at once, a writer killed in the middle
of its commit, and faults injected into the rename, the fsync and the commit.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import (
    ACTION,
    URUGUAY,
    DatasetFactory,
    Run,
    build_tree,
    fork_ogpctl,
    git,
    init_repo,
    reap,
    state,
)

from ogpctl import write
from ogpctl.errors import GitError
from ogpctl.store import git as gitrepo

NEW = "data/actions/open-contracting/participants/uruguay.yaml"
JOIN = ("join", "open-contracting", "uruguay")


def ogpctl(root: Path, *args: str) -> tuple[int, str]:
    """`ogpctl --root ROOT ARGS` run to its end in a process of its own, forked from this
    one (a new Python costs 0.3 s of CPU to start): its exit code (or -signal) and output."""
    log = root.parent / "ogpctl.log"
    return reap(fork_ogpctl(["--root", str(root), *args], log), log)


def test_sixteen_writers_at_once_all_land(git_dataset: DatasetFactory, tmp_path: Path) -> None:
    root = git_dataset()
    start = git(root, "rev-parse", "HEAD").strip()
    logs = [tmp_path / f"writer-{i}.log" for i in range(16)]
    writers = [  # processes forked from this one: sixteen new Pythons would cost 6 s of CPU
        fork_ogpctl(["--root", str(root), "add", "member", f"m{i:02}", "--type", "other",
                     "--name", f"M {i}"], log)
        for i, log in enumerate(logs)
    ]  # fmt: skip
    results = [reap(pid, log) for pid, log in zip(writers, logs, strict=True)]
    assert [code for code, _ in results] == [0] * 16, results
    commits = git(root, "rev-list", f"{start}..HEAD").split()
    assert len(commits) == 16
    touched = sorted(git(root, "show", "--name-only", "--format=", sha).strip() for sha in commits)
    assert touched == [f"data/members/m{i:02}.yaml" for i in range(16)]
    fsck = subprocess.run(["git", "fsck", "--strict"], cwd=root, capture_output=True, text=True)
    assert fsck.returncode == 0 and "error" not in fsck.stderr, fsck.stderr
    assert git(root, "status", "--porcelain") == ""


def _hook(root: Path, body: str, name: str = "pre-commit") -> None:
    hook = root / ".git/hooks" / name
    hook.write_text(f"#!/bin/sh\n{body}\n")
    hook.chmod(0o755)


# The hook's parent is git, whose parent is ogpctl: kill ogpctl outright, once.
KILL_OGPCTL = (
    "[ -e killed ] && exit 0\n"  # hooks run at the top of the work tree
    "touch killed\n"
    "ogpctl=$(awk '{print $4}' /proc/$PPID/stat)\n"
    "kill -9 $ogpctl\n"
    "sleep 0.2\n"
)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("hook_result", ["exit 1", "exit 0"])
def test_a_writer_killed_while_committing_is_undone_or_kept(
    git_dataset: DatasetFactory, run: Run, hook_result: str
) -> None:
    """Killed before git commits: the next writer undoes the write. Killed after: kept."""
    root = git_dataset(URUGUAY)
    _hook(root, KILL_OGPCTL + hook_result)
    before = state(root)
    assert ogpctl(root, *JOIN)[0] == -9
    assert (root / ".git/ogpctl/journal.json").exists()  # the write is named
    (root / "killed").unlink()
    (root / ".git/hooks/pre-commit").unlink()

    result = run(root, "add", "member", "acme", "--type", "other", "--name", "ACME")
    assert result.exit_code == 0, result.output
    assert not (root / ".git/ogpctl/journal.json").exists()
    committed = git(root, "log", "--format=%s").splitlines()
    if hook_result == "exit 1":  # git never committed the join: it is undone
        assert f"undid the interrupted write of {NEW}" in result.stderr
        assert not (root / NEW).exists()
        assert committed == ["add member acme", "initial dataset"]
        git(root, "reset", "--quiet", "--hard", "HEAD~1")
        assert state(root) == before
    else:  # git committed it before the hook's kill took effect on the journal
        assert "undid" not in result.stderr
        assert (root / NEW).exists()
        assert committed == [
            "add member acme",
            "join open-contracting: uruguay",
            "initial dataset",
        ]
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("target", "name"),
    [(os, "link"), (os, "fsync"), (Path, "replace")],
    ids=["link", "fsync", "replace"],
)
def test_a_failing_disk_leaves_the_old_state(
    git_dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch,
    target: object, name: str,
) -> None:  # fmt: skip
    root = git_dataset(URUGUAY)
    if name == "replace":  # only a rewrite (lead) replaces a file
        (root / "data/actions/open-contracting/participants/uruguay.yaml").write_text(
            "joined: 2017-01-01\n"
        )
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "-m", "uruguay joins")
        argv: tuple[str, ...] = ("lead", "open-contracting", "--government", "uruguay")
    else:
        argv = JOIN
    before = state(root)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(target, name, full)
    result = run(root, *argv)
    monkeypatch.undo()
    assert result.exit_code == 3
    assert "cannot write" in result.stderr and "No space left on device" in result.stderr
    assert state(root) == before
    assert not list(root.rglob(".*.tmp"))  # no temporary file left behind


@pytest.mark.parametrize("when", ["add", "commit"])
def test_ctrl_c_while_committing_exits_130_and_undoes_or_keeps(
    git_dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """Ctrl-C before git commits undoes the write; once git has committed, it is kept."""
    root = git_dataset(URUGUAY)
    before = state(root)
    real = gitrepo.Repository._git

    def interrupted(self: gitrepo.Repository, *args: str, **kwargs: float | None) -> str:
        if args[0] == when:
            if when == "commit":
                real(self, *args, **kwargs)  # git commits, then Ctrl-C arrives
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(gitrepo.Repository, "_git", interrupted)
    result = run(root, *JOIN)
    monkeypatch.undo()
    assert result.exit_code == 130
    assert not (root / ".git/ogpctl/journal.json").exists()
    if when == "add":
        assert state(root) == before
    else:  # the commit landed before the interrupt: it stays, and the command says so
        sha = git(root, "rev-parse", "--short=12", "HEAD").strip()
        assert f"committed {NEW} ({sha}), then interrupted" in result.stderr
        assert git(root, "show", f"HEAD:{NEW}") == (root / NEW).read_text()
        assert git(root, "status", "--porcelain") == ""


def test_a_stale_journal_that_cannot_be_read_is_dropped(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset(URUGUAY)
    journal = root / ".git/ogpctl/journal.json"
    journal.parent.mkdir()
    journal.write_text("{not json")
    result = run(root, *JOIN)
    assert result.exit_code == 0, result.output
    assert "ignored an unreadable journal" in result.stderr
    assert not journal.exists()


def test_lock_timeout_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGPCTL_LOCK_TIMEOUT", "2.5")
    assert write.lock_timeout() == 2.5
    monkeypatch.delenv("OGPCTL_LOCK_TIMEOUT")
    assert write.lock_timeout() == write.DEFAULT_LOCK_TIMEOUT


def test_a_lock_taken_between_add_and_commit_leaves_nothing_staged(
    git_dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another git program takes the index lock after `git add`: the file is put back
    at once, and its index entry by the next writer, which the journal tells what to do."""
    root = git_dataset(URUGUAY)
    before = state(root)
    lock = root / ".git/index.lock"
    real = gitrepo.Repository._git

    def lock_before_commit(self: gitrepo.Repository, *args: str, **kwargs: float | None) -> str:
        if args[0] == "commit":
            lock.write_text("")
        return real(self, *args, **kwargs)

    monkeypatch.setenv("OGPCTL_LOCK_TIMEOUT", "0.05")
    monkeypatch.setattr(gitrepo.Repository, "_git", lock_before_commit)
    result = run(root, *JOIN)
    monkeypatch.undo()
    assert result.exit_code == 3
    assert "git's index is locked" in result.stderr
    assert not (root / NEW).exists()
    assert (root / ".git/ogpctl/journal.json").exists()  # the index entry is still to undo
    lock.unlink()
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09-01")
    after = run(root, "add", "member", "acme", "--type", "other", "--name", "ACME")
    assert after.exit_code == 0, after.output
    assert f"undid the interrupted write of {NEW}" in after.stderr
    git(root, "reset", "--quiet", "--hard", "HEAD~1")
    assert state(root) == before


def test_a_file_committed_by_hand_after_a_crash_is_left_alone(git_dataset: DatasetFactory,
                                                              run: Run) -> None:  # fmt: skip
    """The journal names a write that was never committed; the person then committed
    their own version of that file: the next writer must not undo their work."""
    root = git_dataset(URUGUAY)
    _hook(root, KILL_OGPCTL + "exit 1")
    assert ogpctl(root, *JOIN)[0] == -9
    (root / "killed").unlink()
    (root / ".git/hooks/pre-commit").unlink()
    for _ in range(200):  # the killed writer's git finishes its (refused) commit
        if not (root / ".git/index.lock").exists():
            break
        time.sleep(0.05)
    (root / NEW).write_text("joined: 2017-03-01\n")  # their own version
    git(root, "add", NEW)
    git(root, "commit", "--quiet", "-m", "uruguay joins, by hand")
    result = run(root, "add", "member", "acme", "--type", "other", "--name", "ACME")
    assert result.exit_code == 0, result.output
    assert "undid" not in result.stderr
    assert (root / NEW).read_text() == "joined: 2017-03-01\n"
    assert git(root, "status", "--porcelain") == ""


# --- the reproductions of issue 13 ---------------------------------------------------

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
# A post-commit hook runs once git has committed, while ogpctl still waits for git to end.
INTERRUPT_OGPCTL = "kill -INT $(awk '{print $4}' /proc/$PPID/stat)\nsleep 0.2\n"
JOINED = {
    **URUGUAY,
    "data/actions/open-contracting/participants/uruguay.yaml": "joined: 2017-01-01\n",
}
LEAD = ("lead", "open-contracting", "--government", "uruguay")


@needs_proc
@pytest.mark.parametrize(
    ("files", "argv", "path"), [(URUGUAY, JOIN, NEW), (JOINED, LEAD, ACTION)], ids=["join", "lead"]
)
def test_ctrl_c_after_git_committed_keeps_the_commit(
    git_dataset: DatasetFactory, files: dict[str, str], argv: tuple[str, ...], path: str
) -> None:
    """Ctrl-C while ogpctl waits for a git that has committed: the commit stays, in HEAD,
    the index and the work tree alike, and the command says so (exit 130)."""
    root = git_dataset(files)
    _hook(root, INTERRUPT_OGPCTL, "post-commit")
    returned, stderr = ogpctl(root, *argv)
    assert returned == 130, stderr
    assert "Traceback" not in stderr
    sha = git(root, "rev-parse", "--short=12", "HEAD").strip()
    assert f"committed {path} ({sha}), then interrupted" in stderr
    assert git(root, "log", "-1", "--format=%s").startswith(argv[0])
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "show", f"HEAD:{path}") == (root / path).read_text()
    assert not (root / ".git/ogpctl/journal.json").exists()


def _data_leftovers(root: Path) -> list[str]:
    """Temporary files and empty folders under data/: what a killed writer may leave."""
    return sorted(
        str(p.relative_to(root))
        for p in (root / "data").rglob("*")
        if p.name.endswith(".tmp") or (p.is_dir() and not any(p.iterdir()))
    )


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace to inject the kill")
def test_a_writer_killed_while_linking_leaves_no_temporary_file(
    git_dataset: DatasetFactory, run: Run
) -> None:
    """kill -9 at the link that puts the record in place (the journal's is the first):
    the temporary file is left, and the next writer removes it with the rest."""
    root = git_dataset(URUGUAY)
    before = state(root)
    strace = ["strace", "-f", "-o", os.devnull, "-e", "trace=link",
              "-e", "inject=link:signal=KILL:when=2"]  # fmt: skip
    killed = subprocess.run(
        [*strace, sys.executable, "-m", "ogpctl", "--root", str(root), *JOIN],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert killed.returncode != 0, killed.stderr
    assert [p for p in _data_leftovers(root) if p.endswith(".tmp")]  # the kill left one
    result = run(root, "add", "member", "acme", "--type", "other", "--name", "ACME")
    assert result.exit_code == 0, result.output
    assert _data_leftovers(root) == []
    assert run(root, "validate").exit_code == 0
    git(root, "reset", "--quiet", "--hard", "HEAD~1")
    assert state(root) == before


@needs_proc
def test_a_killed_add_action_leaves_no_empty_folder(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    before = state(root)
    _hook(root, KILL_OGPCTL + "exit 1")
    killed = ogpctl(root, "add", "action", "open-budgets", "--title", "Open budgets",
                    "--theme", "transparency-integrity-anticorruption")  # fmt: skip
    assert killed[0] == -9
    (root / "killed").unlink()
    (root / ".git/hooks/pre-commit").unlink()
    result = run(root, "add", "member", "acme", "--type", "other", "--name", "ACME")
    assert result.exit_code == 0, result.output
    assert "undid the interrupted write of data/actions/open-budgets/action.yaml" in result.stderr
    assert not (root / "data/actions/open-budgets").exists()
    assert run(root, "validate").exit_code == 0
    git(root, "reset", "--quiet", "--hard", "HEAD~1")
    assert state(root) == before


# Ctrl-C while Python imports what ogpctl needs: an import finder sends it, deterministically.
# Python keeps SIGINT ignored when it starts so (pytest run in the background, `pytest &`,
# passes that on to the processes it starts), and a Ctrl-C would then never come: the
# script first puts back what Python sets when started from a terminal.
INTERRUPT_WHILE_STARTING = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "typer.main":
            os.kill(os.getpid(), signal.SIGINT)
sys.meta_path.insert(0, Interrupt())
from ogpctl.cli import main
sys.exit(main())
"""

# A library that turns Ctrl-C into an error of its own, as pydantic-core does when it
# comes while a schema is built (`SchemaError: … KeyboardInterrupt`).
INTERRUPT_TURNED_INTO_AN_ERROR = """
import os, signal, sys, time
import ogpctl.check.validate
def check_dataset(*args, **kwargs):
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(10)
    except KeyboardInterrupt as err:
        raise RuntimeError("Error building schema: KeyboardInterrupt") from err
ogpctl.check.validate.check_dataset = check_dataset
from ogpctl.cli import main
sys.exit(main())
"""


@pytest.mark.parametrize(
    "script", [INTERRUPT_WHILE_STARTING, INTERRUPT_TURNED_INTO_AN_ERROR], ids=["import", "wrapped"]
)
def test_ctrl_c_anywhere_exits_130_without_a_traceback(
    git_dataset: DatasetFactory, script: str
) -> None:
    root = git_dataset()
    done = subprocess.run(
        [sys.executable, "-c", script, "--root", str(root), "validate"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A file system of 200 inodes of its own (a tmpfs: needs root, as in CI)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,nr_inodes=200", "tmpfs", str(mount_point)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=False)


def test_a_full_disk_is_reported_at_once_not_as_a_held_index_lock(tiny_disk: Path) -> None:
    """Git cannot create index.lock because the disk is full: that is no lock held by
    another program, so there is nothing to wait for (finding 5 of issue 13)."""
    root = build_tree(tiny_disk / "ds", {"data/members/x.yaml": "name: X\ntype: other\n"})
    init_repo(root)
    (root / "data/members/y.yaml").write_text("name: Y\ntype: other\n")
    filler = 0
    with contextlib.suppress(OSError):  # use up every inode left
        while True:
            (tiny_disk / f"filler-{filler}").touch()
            filler += 1
    start = time.monotonic()
    with pytest.raises(GitError) as failure:
        gitrepo.Repository(root).commit(["data/members/y.yaml"], "add y", start + 20)
    assert time.monotonic() - start < 10  # not retried until the deadline
    assert "No space left on device" in str(failure.value)


def test_a_snapshot_of_a_commit_keeps_links_as_links_on_every_python(
    git_dataset: DatasetFactory, tmp_path: Path
) -> None:
    """`--changed-since` and writes read a commit through `git archive`: a symbolic link
    committed under data/ stays a link, never followed, and nothing lands outside."""
    root = git_dataset()
    (root / "data/members/evil.yaml").symlink_to("/etc/passwd")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "a link")
    destination = tmp_path / "snapshot"
    gitrepo.Repository(root).snapshot("HEAD", destination)
    link = destination / "data/members/evil.yaml"
    assert link.is_symlink() and os.readlink(link) == "/etc/passwd"
    assert (destination / "data/members/france.yaml").read_bytes() == (
        root / "data/members/france.yaml"
    ).read_bytes()
    assert (destination / "ogpctl.toml").is_file()
