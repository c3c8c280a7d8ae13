"""The warm path of `ogpctl validate` (`__main__`, `check.fast.warm`): when nothing changed
since the last run, the kept report is printed without typer, pydantic or PyYAML, and
what it prints, on stdout and stderr, and its exit code are those of the full command, on
the shipped dataset and every example dataset, valid and invalid, in every format.

The datasets are copied once, and the tests start 2 s later: files changed less than
`cache.RACY_NS` before a run are never trusted from the cache.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import Result, Run

from ogpctl import __main__ as entry
from ogpctl.check.fast import cache

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = Path(__file__).parent / "examples"
CASES = ["shipped"] + [
    f"{kind}/{case.name}"
    for kind in ("valid", "invalid")
    for case in sorted((EXAMPLES / kind).iterdir())
    if case.is_dir()
]
# a file name that cannot live in the repository (as in test_examples.py)
EXTRA_FILES = {"invalid/hostile": {"data/members/\x1b[31mevil.yaml": "name: Evil\ntype: other\n"}}
FORMATS = (["--format", "text"], ["-f", "json"], ["--format=github"], [])  # [] is auto


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each dataset copied, and old enough to be trusted from the cache."""
    base = tmp_path_factory.mktemp("warm")
    roots = {}
    for case in CASES:
        root = base / case.replace("/", "-")
        if case == "shipped":
            shutil.copytree(REPO / "data", root / "data")
            shutil.copy(REPO / "ogpctl.toml", root)
        else:
            shutil.copytree(EXAMPLES / case, root)
        for relative, text in EXTRA_FILES.get(case, {}).items():
            (root / relative).write_text(text, encoding="utf-8")
        roots[case] = root
    time.sleep(cache.RACY_NS / 1e9 + 0.1)
    return roots


def warm(argv: list[str]) -> Result | None:
    """The warm path in this process: what it printed and its exit code, or None if it
    left the answer to the full command line (then it must have printed nothing)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = entry._warm_validate(argv)
    if code is None:
        assert out.getvalue() == err.getvalue() == ""
        return None
    return Result(code, out.getvalue(), err.getvalue(), "")


@pytest.mark.parametrize("arguments", FORMATS, ids=lambda a: "=".join(a) or "default")
@pytest.mark.parametrize("case", CASES)
def test_warm_answer_is_the_full_command_s(
    case: str, arguments: list[str], datasets: dict[str, Path], run: Run
) -> None:
    root = datasets[case]
    assert warm(["--root", str(root), "validate", *arguments]) is None  # nothing kept yet
    full = run(root, "validate", *arguments)  # keeps its report
    assert full.exit_code == (0 if case.startswith(("shipped", "valid/")) else 1)
    again = warm(["validate", *arguments, "--root", str(root)])
    assert again is not None, "the warm path did not answer"
    assert (again.exit_code, again.stdout, again.stderr) == (
        full.exit_code,
        full.stdout,
        full.stderr,
    )


def test_auto_is_github_under_github_actions(
    datasets: dict[str, Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    root = datasets["invalid/references"]
    full = run(root, "validate")
    assert full.stdout.startswith("::error file=")
    again = warm(["--root", str(root), "validate"])
    assert again is not None and (again.exit_code, again.stdout) == (1, full.stdout)


def test_any_change_goes_to_the_full_command(
    datasets: dict[str, Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = shutil.copytree(datasets["valid/minimal"], datasets["valid/minimal"].parent / "edit")
    time.sleep(cache.RACY_NS / 1e9 + 0.1)
    argv = ["--root", str(root), "validate"]
    assert run(root, "validate").exit_code == 0
    assert warm(argv) is not None
    member = next((root / "data" / "members").iterdir())
    member.write_text(member.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert warm(argv) is None  # a file changed
    assert run(root, "validate").exit_code == 0
    (root / "data" / "members" / "new.yaml").write_text("name: New\ntype: other\n")
    assert warm(argv) is None  # a file added (and this one too new to trust)
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09-02")
    assert warm(argv) is None  # another day


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "data/members"],  # paths
        ["validate", "--changed-since", "HEAD"],
        ["validate", "--no-cache"],
        ["validate", "--format", "JSON"],  # typer folds the case
        ["validate", "--format", "xml"],  # a usage error, typer's to say
        ["validate", "--format"],
        ["validate", "--format", "text", "--format", "json"],
        ["--format", "text", "validate"],  # not an option of the program
        ["validate", "--help"],
        ["validate", "validate"],
        ["status"],
        ["--root", "validate"],  # no command
        ["validate", "--root", "--no-color"],
    ],
)
def test_other_command_lines_go_to_the_full_command(argv: list[str]) -> None:
    assert entry._warm_options(argv) is None


def test_plain_command_lines_are_warm() -> None:
    assert entry._warm_options(["validate"]) == {}
    assert entry._warm_options(["--no-color", "--root", "x", "validate", "-f", "json"]) == {
        "root": "x",
        "format": "json",
    }
    assert entry._warm_options(["validate", "--root=x", "--no-color"]) == {"root": "x"}


PROBE = (
    "import sys\n"
    "sys.argv = ['ogpctl', *sys.argv[1:]]\n"
    "from ogpctl.__main__ import main\n"
    "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\nelse:\n    code = 0\n"
    "heavy = sorted({'typer', 'pydantic', 'yaml', 'git', 'rich'} & set(sys.modules))\n"
    "print('imported:', *heavy, 'exit:', code, file=sys.stderr)\n"
)


def test_the_program_answers_without_heavy_imports(datasets: dict[str, Path]) -> None:
    """`ogpctl validate` run as users run it: the same bytes as the full command line."""
    root = datasets["invalid/yaml-syntax"]
    env = {**os.environ, "OGPCTL_ROOT": str(root)}

    def program(*code: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-c", *code, "validate"], capture_output=True, env=env, check=False
        )

    full = program("from ogpctl.cli import main\nmain()")
    assert full.returncode == 1 and full.stdout
    lean = program(PROBE)
    assert lean.stderr.endswith(b"imported: exit: 1\n")
    assert lean.stdout == full.stdout
    assert lean.stderr.removesuffix(b"imported: exit: 1\n") == full.stderr
