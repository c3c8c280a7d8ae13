"""Shared fixtures: dataset trees built from a dict, the CLI runner, an isolated environment.

Everything a test writes lives under `tmp_path`; HOME and the XDG folders point there too,
and `OGPCTL_TODAY` pins "today" so that date-dependent checks are deterministic.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ogpctl.cli import app

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


@pytest.fixture
def dataset(tmp_path: Path) -> DatasetFactory:
    """`dataset({path: text})` builds the baseline plus (or minus, with None) these files.

    `dataset(files, baseline=False)` builds only `files`. Each call makes a new tree.
    """
    counter = iter(range(1_000_000))

    def make(files: Files | None = None, *, baseline: bool = True) -> Path:
        merged: dict[str, str | bytes | None] = dict(BASELINE) if baseline else {}
        merged.update(files or {})
        return build_tree(tmp_path / f"ds{next(counter)}", merged)

    return make


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    output: str  # stdout and stderr interleaved


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """`run(root, "validate", ...)`: the CLI with `--root root`, stdout and stderr apart."""

    def invoke(root: Path | None, *args: str) -> Result:
        runner = CliRunner()
        argv = (["--root", str(root)] if root is not None else []) + list(args)
        result = runner.invoke(app, argv, catch_exceptions=False)
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
    monkeypatch.setenv("OGPCTL_TODAY", TODAY)
    monkeypatch.delenv("OGPCTL_ROOT", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)


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


@pytest.fixture
def git_dataset(dataset: DatasetFactory) -> DatasetFactory:
    """Like `dataset`, but a real git repository whose files are all committed."""

    def make(files: Files | None = None, *, baseline: bool = True) -> Path:
        return init_repo(dataset(files, baseline=baseline))

    return make
