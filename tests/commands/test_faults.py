"""Fault injection: kill -9 and Ctrl-C at every step of every write command.

Each trial runs the real entry point (`ogpctl.cli.main`) in a process of its own, forked
from this one so that it starts in milliseconds, and stops it at one step of its write:
with `OGPCTL_FAULT=STEP:kill|int` (read by `write.py`) or with a git hook that signals it
while git commits. Then the next ogpctl command runs (another write, which recovers, and
`validate`), and the repository must hold the old state or the new one, committed, with
the person's own staged and unstaged changes exactly as they were: the dataset valid,
`git fsck` clean, no staged deletion of a committed record, no temporary file or empty
folder left (in the dataset, in `.git/ogpctl/`, or in the trial's own TMPDIR), no
journal. Where the step comes after git committed, the new state is kept and the command,
if interrupted, says so and exits 130.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from helpers import (
    ACTION,
    BASELINE,
    GIT_QUIET,
    MEMBER_CSO,
    MEMBER_GOV,
    TODAY,
    Files,
    Result,
    copy_repository,
    fork_ogpctl,
    git,
    reap,
)  # fmt: skip
from typer.testing import CliRunner

from ogpctl.cli import app

OCP = "data/actions/open-contracting"
FILES = {
    "README.md": "A test dataset.\n",
    "data/members/uruguay.yaml": "name: Uruguay\ntype: national-government\ncountry: UY\n",
    "data/members/chile.yaml": "name: Chile\ntype: national-government\ncountry: CL\n",
    f"{OCP}/participants/uruguay.yaml": "joined: 2017-01-01\n",
    # a duplicate of uruguay, for `rename` and `merge`: a pledge, an update, a maintainer
    "data/members/oriental.yaml": (
        "name: República Oriental\ntype: national-government\ncountry: UY\n"
        "maintainers:\n- oriental-bot\n"
    ),
    f"{OCP}/participants/oriental.yaml": "joined: 2017-02-01\ncontribution:\n  es: Datos\n",
    f"{OCP}/updates/2017-08-01-oriental.yaml": "completion: limited\nsummary:\n  en: Portal.\n",
    f"{OCP}/updates/2017-08-01-uruguay.yaml": "completion: limited\nsummary:\n  en: Data.\n",
}
MOVED = [".github/CODEOWNERS", "data/members/oriental.yaml", f"{OCP}/participants/oriental.yaml",
         f"{OCP}/updates/2017-08-01-oriental.yaml"]  # fmt: skip

# command: (argv, the files it commits, first word of its commit's subject)
COMMANDS: dict[str, tuple[list[str], list[str], str]] = {
    "add member": (
        ["add", "member", "acme", "--type", "civil-society", "--name", "ACME"],
        ["data/members/acme.yaml"], "add",
    ),
    "add maintainer": (  # with .github/CODEOWNERS in the repository: it changes too
        ["add", "member", "acme", "--type", "civil-society", "--name", "ACME",
         "--maintainer", "acme-bot"],
        [".github/CODEOWNERS", "data/members/acme.yaml"], "add",
    ),
    "add action": (
        ["add", "action", "open-budgets", "--title", "Open budgets",
         "--theme", "transparency-integrity-anticorruption"],
        ["data/actions/open-budgets/action.yaml"], "add",
    ),
    "join": (
        ["join", "open-contracting", "chile", "--date", "2017-03-01"],
        [f"{OCP}/participants/chile.yaml"], "join",
    ),
    "lead": (
        ["lead", "open-contracting", "--government", "uruguay"], [ACTION], "lead",
    ),
    "set action": (
        ["set", "action", "open-contracting", "--status", "completed"], [ACTION], "set",
    ),
    "set member": (
        ["set", "member", "uruguay", "--website", "https://www.gub.uy/"],
        ["data/members/uruguay.yaml"], "set",
    ),
    "milestone": (
        ["milestone", "open-contracting", "train-staff", "--title", "Train staff"],
        [ACTION], "milestone",
    ),
    "resource": (
        ["resource", "open-contracting", "https://standard.open-contracting.org/",
         "--title", "Open Contracting Data Standard", "--type", "standard"],
        [ACTION], "resource",
    ),
    "leave": (
        ["leave", "open-contracting", "uruguay", "--date", "2017-08-01"],
        [f"{OCP}/participants/uruguay.yaml"], "leave",
    ),
    "update": (
        ["update", "open-contracting", "--by", "france", "--completion", "substantial",
         "--summary", "Portal live", "--date", "2017-08-15"],
        [f"{OCP}/updates/2017-08-15-france.yaml"], "update",
    ),
    "commit": (  # commits the person's hand edits under data/ (made in `_own_changes`)
        ["commit", "-m", "hand edits"],
        [f"{OCP}/participants/chile.yaml", MEMBER_CSO, MEMBER_GOV], "hand",
    ),
    "commit PATH": (  # only the named ones: the staged MEMBER_CSO stays out
        ["commit", "-m", "hand edits", f"{{root}}/{OCP}/participants", f"{{root}}/{MEMBER_GOV}"],
        [f"{OCP}/participants/chile.yaml", MEMBER_GOV], "hand",
    ),
    "rename": (  # deletes, writes and renames many files (CODEOWNERS too)
        ["rename", "oriental", "banda-oriental"],
        [*MOVED, "data/members/banda-oriental.yaml", f"{OCP}/participants/banda-oriental.yaml",
         f"{OCP}/updates/2017-08-01-banda-oriental.yaml"], "rename",
    ),
    "merge": (
        ["merge", "oriental", "uruguay"],
        [*MOVED, "data/members/uruguay.yaml", f"{OCP}/participants/uruguay.yaml",
         f"{OCP}/updates/2017-08-01-uruguay-2.yaml"], "merge",
    ),
}  # fmt: skip
MANY = {"rename", "merge"}  # the commands that delete files

# step: does git hold the change once the process stops there?
STEPS = {
    "journal": False,  # journal written, record not yet
    "temporary": False,  # temporary file written, not yet linked or renamed into place
    "removed": False,  # files written, a first one deleted (`rename`, `merge`)
    "linked": False,  # record in place, not yet given to git
    "added": False,  # `git add` done (for a new file), `git commit` not started
    "pre-commit": True,  # git commits (a pre-commit hook signals ogpctl, then lets it)
    "committed": True,  # `git commit` has ended, ogpctl not yet told what it made
    "post-commit": True,  # git has committed and runs its post-commit hook
    "done": True,  # ogpctl knows the commit, the journal still names the write
}
NOT_A_WRITE = {"journal", "temporary", "linked", "done"}  # `commit` writes no record

TRIALS = [
    pytest.param(command, step, how, id=f"{command}-{step}-{how}")
    for command in COMMANDS
    for step in STEPS
    if not (command.startswith("commit") and step in NOT_A_WRITE)
    and (step != "removed" or command in MANY)
    for how in ("kill", "int")
]

# The hook's parent is git, whose parent is ogpctl.
HOOK = "#!/bin/sh\nkill -{signal} $(awk '{{print $4}}' /proc/$PPID/stat)\n"


def _own_changes(root: Path, command: str) -> None:
    """The person's own work: one staged and one unstaged change outside data/ (no command
    may touch them), and two under data/ (which only `ogpctl commit` takes)."""
    (root / "notes.md").write_text("my notes\n")
    (root / "README.md").write_text("A test dataset, being described.\n")
    (root / MEMBER_CSO).write_text((root / MEMBER_CSO).read_text() + "website: https://ti.org\n")
    git(root, "add", "notes.md", MEMBER_CSO)
    (root / MEMBER_GOV).write_text((root / MEMBER_GOV).read_text() + "acronym: FR\n")
    if command.startswith("commit"):  # and a new file written by hand
        (root / OCP / "participants/chile.yaml").write_text("joined: 2017-03-01\n")


def _run_forked(root: Path, argv: list[str], fault: str | None) -> tuple[int, str]:
    """`ogpctl --root ROOT ARGV` in a child process, with the system's temporary folder
    (TMPDIR) `ROOT.tmp`: (its wait status as subprocess gives it: exit code, or -signal),
    its stderr."""
    log = root.parent / f"{root.name}.stderr"
    temporary = root.parent / f"{root.name}.tmp"
    temporary.mkdir()
    env = {"TMPDIR": str(temporary), **({"OGPCTL_FAULT": fault} if fault else {})}
    return reap(fork_ogpctl(["--root", str(root), *argv], log, env), log)


def _status(root: Path) -> list[str]:
    return sorted(git(root, "status", "--porcelain", "--untracked-files=all").splitlines())


def _last_commits(root: Path) -> list[tuple[str, str, str, list[str]]]:
    """HEAD, HEAD~1 and HEAD~2 (those there are): (hash, its 12-character short form,
    subject, the files it changed, renames as a deletion and an addition), in one git."""
    log = git(
        root, "log", "-3", "--no-renames", "--name-only", "--abbrev=12", "--format=%x01%H %h %s"
    )
    commits = []
    for entry in log.split("\x01")[1:]:
        first, *files = entry.splitlines()
        sha, short, subject = first.split(" ", 2)
        commits.append((sha, short, subject, [name for name in files if name]))
    return commits


def _committed(root: Path, paths: list[str]) -> dict[str, bytes | None]:
    """Each path's bytes in HEAD (None: not in HEAD), in one git."""
    asked = "".join(f"HEAD:{path}\n" for path in paths).encode()
    out = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=asked,
                         capture_output=True, check=True).stdout  # fmt: skip
    found: dict[str, bytes | None] = {}
    for path in paths:
        header, out = out.split(b"\n", 1)
        if header.endswith(b" missing"):
            found[path] = None
            continue
        size = int(header.split()[2])
        found[path], out = out[:size], out[size + 1 :]
    return found


def _leftovers(root: Path) -> list[str]:
    """Temporary files and empty folders under data/, the journal, the folders a write
    checks the dataset in (`ogpctl.store.pending`), anything in the trial's TMPDIR."""
    left = [
        p.relative_to(root).as_posix()
        for p in (root / "data").rglob("*")
        if p.name.endswith(".tmp") or (p.is_dir() and not any(p.iterdir()))
    ]
    left += [".git/ogpctl/journal.json"] * (root / ".git/ogpctl/journal.json").exists()
    left += [p.relative_to(root).as_posix() for p in (root / ".git/ogpctl").glob("*.commit-*")]
    return left + [p.as_posix() for p in (root.parent / f"{root.name}.tmp").iterdir()]


def _cli(root: Path, *args: str) -> Result:
    """The CLI in this process, as the `run` fixture runs it."""
    result = CliRunner().invoke(app, ["--root", str(root), *args], catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr, result.output)


class Start(NamedTuple):
    """The repository a command's trials start from (each in a copy), with its HEAD and
    `git status`: made once for all the trials that start alike (`_start_of`)."""

    root: Path
    head: str
    own: list[str]


def _start_of(command: str) -> tuple[bool, bool]:
    """What a trial's starting state depends on: CODEOWNERS committed, a hand-written file."""
    return ".github/CODEOWNERS" in COMMANDS[command][1], command.startswith("commit")


def _start(command: str, template: Path, root: Path) -> Start:
    """A copy of `template` (the repository of `FILES`) as `command`'s trials start from:
    with `.github/CODEOWNERS` committed where the command changes it, and the person's
    own changes (`_own_changes`)."""
    copy_repository(template, root)
    if _start_of(command)[0]:
        assert _cli(root, "codeowners").exit_code == 0
        git(root, "add", ".github/CODEOWNERS")
        git(root, "commit", "--quiet", "-m", "owners")
    _own_changes(root, command)
    return Start(root, git(root, "rev-parse", "HEAD").strip(), _status(root))


def _trial(command: str, step: str, how: str, root: Path, start: Start) -> str:
    """One trial, in a copy of `start`, checked; returns the state it left: "old" or
    "new"."""
    copy_repository(start.root, root)
    argv, paths, subject = COMMANDS[command]
    argv = [arg.format(root=root) for arg in argv]
    head, own = start.head, start.own  # the copy holds the same changes, staged or not
    contents = {p: (root / p).read_bytes() if (root / p).exists() else None for p in paths}
    fault = None
    if step in ("pre-commit", "post-commit"):
        hook = root / ".git/hooks" / step
        hook.write_text(HOOK.format(signal="KILL" if how == "kill" else "INT"))
        hook.chmod(0o755)
    else:
        fault = f"{step}:{how}"

    returned, stderr = _run_forked(root, argv, fault)
    for hook in (root / ".git/hooks").glob("p*-commit"):
        hook.unlink()
    assert "Traceback" not in stderr
    assert returned == (-signal.SIGKILL if how == "kill" else 130), stderr

    # the next ogpctl commands: another write (which recovers), then validate
    after = _cli(root, "add", "member", "zeta", "--type", "other", "--name", "Zeta")
    assert after.exit_code == 0, after.output
    assert _cli(root, "validate").exit_code == 0
    fsck = subprocess.run(["git", "fsck", "--strict"], cwd=root, capture_output=True, text=True)
    assert fsck.returncode == 0 and "error" not in fsck.stderr, fsck.stderr
    assert _leftovers(root) == []
    last, before, *earlier = _last_commits(root)
    assert last[3] == ["data/members/zeta.yaml"]

    status = _status(root)
    if before[0] == head:  # the old state: nothing committed
        assert {p: (root / p).read_bytes() if (root / p).exists() else None for p in paths} == (
            contents
        )
        if command.startswith("commit") and how == "kill":  # killed after `git add`: still staged
            status = sorted(f"??{line[2:]}" if line.startswith("A  data/") else line
                            for line in status)  # fmt: skip
        assert status == own
        return "old"
    # the new state: one commit of exactly the command's files, as written
    assert earlier[0][0] == head
    assert before[2].startswith(subject)
    assert before[3] == sorted(paths)
    # as committed, or deleted in both
    assert _committed(root, paths) == {
        p: (root / p).read_bytes() if (root / p).exists() else None for p in paths
    }
    if how == "int":
        sha = before[1]
        what = paths[0] if len(paths) == 1 else f"{len(paths)} files"
        assert f"committed {what} ({sha}), then interrupted" in stderr
    if command.startswith("commit"):  # the hand edits it committed are no longer changes
        own = [line for line in own if line[3:] not in paths]
    assert status == own
    return "new"


def _attempt(command: str, step: str, how: str, root: Path, start: Start) -> tuple[str, str]:
    """(state left, "") or ("", what went wrong), from a worker process. A trial that
    passed leaves nothing (removed before the disk writes it); one that failed, its files."""
    try:
        left = _trial(command, step, how, root, start)
    except Exception:
        return "", traceback.format_exc()
    for folder in (root, root.parent / f"{root.name}.tmp"):
        shutil.rmtree(folder)
    (root.parent / f"{root.name}.stderr").unlink()
    return left, ""


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    committed: Callable[[Files], Path],
) -> dict[str, tuple[str, str]]:
    """The selected trials, run on every core at once (each in its own repository): a trial
    spends much of its time waiting for git and the disk, which the others use. Under
    pytest-xdist, tests/conftest.py sends this module's tests all to one worker, which
    runs them so; under another distribution each test runs its own trial."""
    if not getattr(request.config, "workerinput", {"together": True}).get("together"):
        return {}
    wanted = [
        item.callspec.params
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.module is sys.modules[__name__]
    ]
    base = tmp_path_factory.mktemp("faults")
    trials = [(str(w["command"]), str(w["step"]), str(w["how"])) for w in wanted]
    with pytest.MonkeyPatch.context() as patch:  # as `isolated_env` does for one test
        home = base / "home"
        home.mkdir()
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_CACHE_HOME", str(home / "cache"))
        patch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for name, value in GIT_QUIET.items():
            patch.setenv(name, value)
        patch.setenv("OGPCTL_TODAY", TODAY)
        patch.delenv("OGPCTL_ROOT", raising=False)
        template = committed({**BASELINE, **FILES})
        starts: dict[tuple[bool, bool], Start] = {}
        for command, _, _ in trials:
            if _start_of(command) not in starts:
                folder = base / f"start{len(starts)}"
                starts[_start_of(command)] = _start(command, template, folder)
        jobs = [(*trial, base / f"t{i}", starts[_start_of(trial[0])])
                for i, trial in enumerate(trials)]  # fmt: skip
        with multiprocessing.get_context("fork").Pool((os.cpu_count() or 1) + 1) as pool:
            results = pool.starmap(_attempt, jobs)
    return {"-".join(trial): result for trial, result in zip(trials, results, strict=True)}


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self/stat").exists(),
                    reason="needs fork and /proc")  # fmt: skip
@pytest.mark.parametrize(("command", "step", "how"), TRIALS)
def test_a_write_stopped_at_any_step_leaves_the_old_state_or_the_new(
    outcomes: dict[str, tuple[str, str]],
    committed: Callable[[Files], Path],
    command: str,
    step: str,
    how: str,
    tmp_path: Path,
) -> None:
    found = outcomes.get(f"{command}-{step}-{how}")
    template = committed({**BASELINE, **FILES})
    if found is None:
        start = _start(command, template, tmp_path / "start")
        found = _attempt(command, step, how, tmp_path / "trial", start)
    left, error = found
    assert not error, error
    assert left == ("new" if STEPS[step] else "old")
