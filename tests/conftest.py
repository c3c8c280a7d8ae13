"""Shared fixtures: dataset trees built from a dict, the CLI runner, an isolated environment.

Everything a test writes lives under `tmp_path`; HOME and the XDG folders point there too,
and `OGPCTL_TODAY` pins "today" so that date-dependent checks are deterministic.

The tests run in parallel (pytest-xdist, `-n auto` in pyproject.toml), so no test may
depend on another's leftovers or on the terminal pytest was started from.
"""

from __future__ import annotations

import functools
import os
import socket
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from helpers import (
    BASELINE,
    GIT_QUIET,
    REPO,
    TODAY,
    DatasetFactory,
    Files,
    Result,
    Run,
    build_tree,
    copy_repository,
    git,
    init_repo,
)
from typer.testing import CliRunner

from ogpctl.cli import app


def _bytecode_kept_outside_the_checkout() -> None:
    """With PYTHONDONTWRITEBYTECODE set, Python compiles every module it imports without a
    cached .pyc beside it on every start: each worker its 190 test modules again (with
    pytest's assertion rewriting: 2 s of CPU), each `ogpctl` a test runs the package. Then
    the bytecode goes to a folder of this user's in the system's temporary folder instead
    (PYTHONPYCACHEPREFIX, for the programs the tests start too), kept from run to run;
    never to the checkout. Left as it is when that folder is not this user's alone."""
    if not sys.dont_write_bytecode:
        return
    folder = Path(tempfile.gettempdir()) / f"ogpctl-tests-pycache-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        found = folder.lstat()
    except OSError:
        return
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
        return
    sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


_bytecode_kept_outside_the_checkout()

# Test modules whose tests all run on one pytest-xdist worker (modules of one name, on the
# same one), which then sets up what they share once, not once per worker: the fault
# trials, run side by side (tests/commands/test_faults.py); Java and chromium, started
# once; the shipped dataset's site, built once (tests/site/conftest.py).
TOGETHER = {
    "tests/commands/test_faults.py": "faults",
    "tests/site/test_site_tools.py": "site tools",
    "tests/site/test_site.py": "shipped site",
    "tests/site/test_search.py": "shipped site",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first, so that the other workers fill in around them, not after."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_sessionstart(session: pytest.Session) -> None:
    """pytest removes the folders of the sessions before the last three (`pytest-N` in the
    system's temporary folder) when the session ends, after the last test, while nothing
    else runs. A passing test's folder goes as the test ends (`tmp_path_retention_policy`
    in pyproject.toml), so what is left is a failed run's; but a whole run used to leave
    73,000 files (19 and 40 s at the end of two whole runs under load, 150 s for one whole
    run's folder). Here (in pytest-xdist's controller, or the only process) a thread
    removes them while the tests run; the session waits for it at the end, as it waited
    for pytest's own removal."""
    from _pytest.pathlib import LOCK_TIMEOUT, cleanup_numbered_dir

    config = session.config
    keep = int(config.getini("tmp_path_retention_count"))
    keep *= config.getini("tmp_path_retention_policy") != "none"
    if hasattr(config, "workerinput") or config.option.basetemp is not None or keep == 0:
        return  # a worker, --basetemp (no numbered folders), or none kept: left to pytest
    ours = config._tmp_path_factory.getbasetemp()  # pytest-N, made now if not yet
    dead = ours.stat().st_mtime - LOCK_TIMEOUT  # as pytest's own cleanup takes it
    arguments = (ours.parent, "pytest-", keep, dead)
    config.stash[_CLEANING] = threading.Thread(target=cleanup_numbered_dir, args=arguments)
    config.stash[_CLEANING].start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if (cleaning := session.config.stash.get(_CLEANING, None)) is not None:
        cleaning.join()


_CLEANING = pytest.StashKey[threading.Thread]()


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hooks
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """pytest-xdist's `load` distribution, but the tests of each module of TOGETHER go to
    one worker, as one task. The tasks go out largest first: these, then the slow tests,
    then the many short ones, which even the workers out at the end."""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Together(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return TOGETHER.get(nodeid.split("::", 1)[0], nodeid)

    return Together(config, log)


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hooks
def pytest_configure_node(node: Any) -> None:
    """Tells each worker that TOGETHER's modules come to it whole (tests/commands/test_faults.py
    then runs its trials side by side)."""
    if node.config.getoption("dist") == "load":
        node.workerinput["together"] = True


@pytest.fixture(scope="session", autouse=True)
def command_line_built_once() -> Iterator[None]:
    """typer builds the whole command line (every command's options, from the signatures)
    on each `CliRunner.invoke` and each `app()`: 35 ms of CPU, more than most tests' own
    work, thousands of times a run. The program builds it once per process; the tests,
    once per worker (and the processes forked from it, tests/commands/test_faults.py)."""
    built = functools.cache(typer.main.get_command)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.main, "get_command", built)  # `app()`
        patch.setattr(typer.testing, "_get_command", built)  # `CliRunner().invoke(app)`
        yield


@pytest.fixture(scope="session", autouse=True)
def fsync_skipped() -> Iterator[None]:
    """`os.fsync` only checks its file descriptor: no test can see whether the disk was
    flushed (a killed process's writes survive it in the page cache), but each flush waits
    for the disk, and for everything else written on the machine: ms each, 14 a fault
    trial. The tests that make fsync fail patch it themselves."""

    def checked(fd: int) -> None:
        os.fstat(fd)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", checked)
        yield


@pytest.fixture(scope="session", autouse=True)
def checkout_cache_elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The commands that tests run on the checkout's own dataset (REPO) keep their
    validation cache in a folder of the test session, not in the checkout's git folder,
    which tests must not write (the tests running ogpctl as a program copy the dataset)."""
    from ogpctl.check.fast import cache

    real, folder = cache.location, tmp_path_factory.mktemp("checkout-cache")

    def location(root: Path) -> Path:
        found = real(root)
        return folder / found.name if root.resolve().is_relative_to(REPO) else found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "location", location)
        yield


def _merged(files: Files | None, baseline: bool) -> dict[str, str | bytes | None]:
    """The baseline (or nothing) with `files` laid over it."""
    return {**(BASELINE if baseline else {}), **(files or {})}


@pytest.fixture
def dataset(tmp_path: Path) -> DatasetFactory:
    """`dataset({path: text})` builds the baseline plus (or minus, with None) these files.

    `dataset(files, baseline=False)` builds only `files`. Each call makes a new tree.
    """
    counter = iter(range(1_000_000))

    def make(files: Files | None = None, *, baseline: bool = True) -> Path:
        return build_tree(tmp_path / f"ds{next(counter)}", _merged(files, baseline))

    return make


@pytest.fixture
def run() -> Run:
    """`run(root, "validate", ...)`: the CLI with `--root root`, stdout and stderr apart."""

    def invoke(root: Path | None, *args: str) -> Result:
        runner = CliRunner()
        argv = (["--root", str(root)] if root is not None else []) + list(args)
        result = runner.invoke(app, argv, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr, result.output)

    return invoke


@pytest.fixture
def terminal(run: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`terminal(root, "rename", input="france\\n…")`: the CLI as at a terminal, where a
    missing value is asked for; `input` answers the questions in turn."""
    from ogpctl.cli import write as cli_write

    monkeypatch.setattr(cli_write, "interactive", lambda: True)

    def invoke(root: Path | None, *args: str, input: str) -> Result:
        argv = (["--root", str(root)] if root is not None else []) + list(args)
        result = CliRunner().invoke(app, argv, input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr, result.output)

    return invoke


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real home; today is pinned; no stray dataset settings."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name, value in GIT_QUIET.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OGPCTL_TODAY", TODAY)
    monkeypatch.delenv("OGPCTL_ROOT", raising=False)
    monkeypatch.setenv("OGPCTL_NO_CACHE", "")  # `validate --no-cache` sets it: undone after
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name in ("COLUMNS", "LINES"):  # the terminal's size is each test's own choice
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Files], Path]:
    """`committed(files)`: a git repository of these files in one commit, made once per
    worker (`git init` and `git commit` cost more than most tests); `git_dataset` copies
    it. Its objects are packed: two files to copy, not a folder for each object."""
    made: dict[tuple[tuple[str, str | bytes | None], ...], Path] = {}
    folder = tmp_path_factory.mktemp("committed")

    def repository(files: Files) -> Path:
        key = tuple(sorted(files.items()))
        if key not in made:
            made[key] = init_repo(build_tree(folder / f"r{len(made)}", files))
            git(made[key], "repack", "-a", "-d", "-q")
        return made[key]

    return repository


@pytest.fixture
def git_dataset(dataset: DatasetFactory, committed: Callable[[Files], Path]) -> DatasetFactory:
    """Like `dataset`, but a real git repository whose files are all committed: a copy of
    one that `committed` made."""

    def make(files: Files | None = None, *, baseline: bool = True) -> Path:
        root = dataset({}, baseline=False)  # a new, empty folder of this test's own
        return copy_repository(committed(_merged(files, baseline)), root)

    return make


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to open or use an internet socket is recorded and refused."""
    attempts: list[str] = []
    real_init = socket.socket.__init__

    def guarded_init(self: socket.socket, family: Any = -1, *args: Any, **kwargs: Any) -> None:
        if family in (socket.AF_INET, socket.AF_INET6, -1):
            attempts.append(f"socket({family})")
            raise OSError("network access in a test of ogpctl")
        real_init(self, family, *args, **kwargs)

    def refuse(name: str) -> Any:
        def guard(*args: Any, **kwargs: Any) -> Any:
            attempts.append(name)
            raise OSError(f"{name} in a test of ogpctl")

        return guard

    monkeypatch.setattr(socket.socket, "__init__", guarded_init)
    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts
