"""The command line as a whole: help for every command, fast start-up, docs in step."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO
from typer.testing import CliRunner

from ogpctl import __version__
from ogpctl.check import catalog
from ogpctl.cli import app

COMMANDS = sorted(
    [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    + [
        f"{group.name} {c.name}"
        for group in app.registered_groups
        if group.typer_instance
        for c in group.typer_instance.registered_commands
    ]
)


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"ogpctl {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    description = result.stdout.split("\n\n")[1].strip()
    assert len(description) > 20, f"`ogpctl {command} --help` says too little"
    assert f"ogpctl {command}" in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_ends_with_examples_of_that_command(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    head, _, examples = result.stdout.rpartition("Examples:\n")
    assert head, f"`ogpctl {command} --help` has no examples"
    lines = examples.strip().splitlines()
    assert 1 <= len(lines) <= 2
    assert all(f"{line.strip()} ".startswith(f"$ ogpctl {command} ") for line in lines), lines


def test_main_help_lists_commands_and_exit_codes() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command.split()[0] in result.stdout
    assert "130 interrupted" in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command" in result.output


def _modules_loaded_by(args: list[str]) -> set[str]:
    probe = (
        "import sys\n"
        f"sys.argv = ['ogpctl', *{args!r}]\n"
        "from ogpctl.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(*sys.modules, sep='\\n', file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stderr.split())


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_start_up_imports_no_heavy_module(args: list[str]) -> None:
    """--version and --help must not pay for git, pydantic, rich, YAML or ISO tables."""
    heavy = {"git", "pydantic", "rich", "yaml", "pycountry"}
    assert heavy & _modules_loaded_by(args) == set()


def test_command_help_imports_no_git_rich_or_yaml() -> None:
    # typer itself coerces option values with pydantic, so a command's help loads it.
    assert {"git", "rich", "yaml", "pycountry"} & _modules_loaded_by(
        ["validate", "--help"]
    ) == set()


def test_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ogpctl", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.strip() == f"ogpctl {__version__}"


def test_checks_doc_is_generated_from_the_registry() -> None:
    committed = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    assert committed == catalog.markdown(), "run `python -m ogpctl.catalog > docs/checks.md`"


def test_readme_documents_every_exit_code() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for code in ("0", "1", "2", "3", "4", "130", "141"):
        assert f"| `{code}` |" in readme


def _ogpctl(*args: str, root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ogpctl", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "OGPCTL_TODAY": "2017-09-01"},
    )


@pytest.mark.parametrize("command", [["status"], ["show", "open-contracting"], ["log"]])
def test_a_closed_pipe_ends_quietly_with_141(git_dataset, command: list[str]) -> None:
    """`ogpctl status | head -1`: the reader goes away; no traceback, not exit 1."""
    process = _ogpctl(*command, root=git_dataset())
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before ogpctl has started: its first write finds no reader
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert errors == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--no-color", "--root", "{root}"],
        ["status", "--root={root}", "--no-color"],
        ["--no-color", "status", "--root", "{root}"],
    ],
)
def test_global_options_after_the_command(git_dataset, argv: list[str]) -> None:
    root = git_dataset()
    args = [a.replace("{root}", str(root)) for a in argv]
    done = subprocess.run(
        [sys.executable, "-m", "ogpctl", *args],
        cwd=root.parent,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "OGPCTL_TODAY": "2017-09-01"},
    )
    assert done.returncode == 0, done.stderr
    assert "open-contracting" in done.stdout


def test_global_options_are_moved_before_the_command_only() -> None:
    from ogpctl.cli.support import global_options_first

    assert global_options_first(["update", "x", "--summary", "s", "--root", "r"]) == [
        "--root", "r", "update", "x", "--summary", "s",
    ]  # fmt: skip
    assert global_options_first(["commit", "-m", "m", "--", "--no-color"]) == [
        "commit", "-m", "m", "--", "--no-color",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ogpctl show open-c", ["open-contracting"]),
        ("ogpctl update open-contracting --by f", ["france"]),
        ("ogpctl join o", ["open-contracting"]),
        ("ogpctl lead open-contracting --civil-society trans", ["transparency-international"]),
    ],
)
def test_shell_completion_of_ids_from_file_names(git_dataset, words: str, expected) -> None:
    root = git_dataset()
    done = subprocess.run(
        [sys.executable, "-m", "ogpctl"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "_OGPCTL_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        },
    )
    assert done.stdout.split() == expected, done.stderr
