"""The entry point answers `--version` and `--help` without importing typer: the same text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ogpctl import __main__ as entry
from ogpctl.cli import app

PROBE = (
    "import sys\n"
    "sys.argv = ['ogpctl', *sys.argv[1:]]\n"
    "from ogpctl.__main__ import main\n"
    "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\nelse:\n    code = 0\n"
    "print('typer' in sys.modules, code, file=sys.stderr)\n"
)


def _run(args: list[str], cache: Path) -> tuple[str, str]:
    """(stdout, 'typer imported? exit code') of the entry point in a fresh process."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env
    )
    return done.stdout, done.stderr.strip()


def test_version_without_typer(tmp_path: Path) -> None:
    typer_says = CliRunner().invoke(app, ["--version"]).stdout
    assert _run(["--version"], tmp_path) == (typer_says, "False 0")


def test_help_is_typer_s_then_kept(tmp_path: Path) -> None:
    first = _run(["--help"], tmp_path)
    assert first[1] == "True 0"  # not kept yet: typer wrote it
    assert first[0].startswith("Usage: ogpctl [OPTIONS] COMMAND")
    assert _run(["--help"], tmp_path) == (first[0], "False 0")
    assert _run(["-h"], tmp_path) == (first[0], "False 0")


def test_kept_help_follows_the_code_and_the_width(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "ogpctl"
    shutil.copytree(Path(entry.__file__).parent / "cli", package / "cli")
    monkeypatch.setattr(entry, "__file__", str(package / "__main__.py"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["ogpctl", "--help"])
    monkeypatch.setenv("COLUMNS", "100")
    wide = entry._kept_help()
    monkeypatch.setenv("COLUMNS", "60")
    narrow = entry._kept_help()
    assert wide is not None and narrow is not None and wide != narrow
    assert entry._kept_help() == narrow
    with (package / "cli" / "program.py").open("a", encoding="utf-8") as handle:
        handle.write("# an edit\n")
    assert entry._kept_help() != narrow


def test_a_failing_help_run_is_not_kept(tmp_path: Path) -> None:
    kept = tmp_path / "help.txt"

    def failing() -> None:
        print("half a help")
        raise SystemExit(2)

    with pytest.raises(SystemExit) as done:
        entry._run_keeping_help(failing, kept)
    assert done.value.code == 2
    assert not kept.exists()
