"""A plain `ogpctl validate` runs without typer (`__main__`), and when nothing changed since
the last run, prints the kept report without pydantic or PyYAML either
(`check.fast.warm`). What it prints, on stdout and stderr, and its exit code are those of
the full command, cold and warm, on the shipped dataset and every example dataset, valid
and invalid, in every format.

The datasets are copied once. Files changed less than `cache.RACY_NS` before a run are
never trusted from the cache, so the tests move that window into the past instead of
waiting it out.
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
from helpers import EXAMPLES, REPO, Result, Run, run_plain

from ogpctl import __main__ as entry
from ogpctl.check.fast import cache
from ogpctl.check.fast.warm import unchanged
from ogpctl.store.config import load_settings, today

CASES = ["shipped"] + [
    f"{kind}/{case.name}"
    for kind in ("valid", "invalid")
    for case in sorted((EXAMPLES / kind).iterdir())
    if case.is_dir()
]
# a file name that cannot live in the repository (as in test_examples.py)
EXTRA_FILES = {"invalid/hostile": {"data/members/\x1b[31mevil.yaml": "name: Evil\ntype: other\n"}}
RACY_S = cache.RACY_NS / 1e9  # the real window, before `trust_files_just_written` moves it
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
    return roots


@pytest.fixture(autouse=True)
def trust_files_just_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", -60_000_000_000)


def plain(argv: list[str]) -> Result | None:
    return run_plain(entry._plain_validate, argv)


def kept(root: Path) -> bool:
    """Whether the last run's report answers for the dataset at `root` as it is now."""
    return unchanged(root, load_settings(root), today()) is not None


@pytest.mark.parametrize("arguments", FORMATS, ids=lambda a: "=".join(a) or "default")
@pytest.mark.parametrize("case", CASES)
def test_plain_answer_is_the_full_command_s(
    case: str, arguments: list[str], datasets: dict[str, Path], run: Run
) -> None:
    root = datasets[case]
    assert not kept(root)
    first = plain(["--root", str(root), "validate", *arguments])  # keeps its report
    assert first is not None, "the plain path did not answer"
    assert first.exit_code == (0 if case.startswith(("shipped", "valid/")) else 1)
    assert kept(root)
    full = run(root, "validate", *arguments)
    again = plain(["validate", *arguments, "--root", str(root)])  # from the kept report
    assert again is not None
    for answer in (first, again):
        assert (answer.exit_code, answer.stdout, answer.stderr) == (
            full.exit_code,
            full.stdout,
            full.stderr,
        )
    if not arguments:  # and without the caches
        fresh = plain(["--root", str(root), "validate", "--no-cache"])
        full = run(root, "validate", "--no-cache")
        assert fresh is not None
        assert (fresh.exit_code, fresh.stdout, fresh.stderr) == (
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
    again = plain(["--root", str(root), "validate"])
    assert again is not None and (again.exit_code, again.stdout) == (1, full.stdout)


def test_the_kept_report_answers_only_while_nothing_changed(
    datasets: dict[str, Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = shutil.copytree(datasets["valid/minimal"], datasets["valid/minimal"].parent / "edit")
    assert run(root, "validate").exit_code == 0
    assert kept(root)
    member = next((root / "data" / "members").iterdir())
    member.write_text(member.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert not kept(root)  # a file changed
    assert run(root, "validate").exit_code == 0
    (root / "data" / "members" / "new.yaml").write_text("name: New\ntype: other\n")
    assert not kept(root)  # a file added (and this one too new to trust)
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09-02")
    assert not kept(root)  # another day
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09")
    assert plain(["--root", str(root), "validate"]) is None  # an error: typer's to report
    assert plain(["--root", str(root / "nowhere"), "validate"]) is None


class FailingOutput(io.StringIO):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def write(self, text: str) -> int:
        raise self.error


@pytest.mark.parametrize(
    ("error", "code", "said"),
    [
        (BrokenPipeError(32, "Broken pipe"), 141, ""),  # quietly, as other Unix tools
        (ValueError("odd"), 4, "ogpctl: internal error (a bug in ogpctl): ValueError: odd;"),
    ],
)
def test_output_that_fails(
    error: Exception, code: int, said: str, datasets: dict[str, Path]
) -> None:
    """Once it prints, the plain path cannot leave the answer to the full command: it
    ends as that command would."""
    err = io.StringIO()
    with contextlib.redirect_stdout(FailingOutput(error)), contextlib.redirect_stderr(err):
        assert entry._plain_validate(["--root", str(datasets["shipped"]), "validate"]) == code
    assert err.getvalue().startswith(said)


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "data/members"],  # paths
        ["validate", "--changed-since", "HEAD"],
        ["validate", "--no-cache", "--no-cache"],
        ["--no-cache", "validate"],  # not an option of the program
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
    assert entry._plain_options(argv) is None


def test_plain_command_lines() -> None:
    assert entry._plain_options(["validate"]) == {}
    assert entry._plain_options(["--no-color", "--root", "x", "validate", "-f", "json"]) == {
        "root": "x",
        "format": "json",
    }
    assert entry._plain_options(["validate", "--root=x", "--no-cache"]) == {
        "root": "x",
        "no-cache": "yes",
    }


PROBE = (
    "import sys\n"
    "sys.argv = ['ogpctl', *sys.argv[1:]]\n"
    "from ogpctl.__main__ import main\n"
    "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\nelse:\n    code = 0\n"
    "heavy = sorted({'typer', 'pydantic', 'yaml', 'git', 'rich'} & set(sys.modules))\n"
    "print('imported:', *heavy, 'exit:', code, file=sys.stderr)\n"
)


def test_the_program_imports_only_what_it_needs(datasets: dict[str, Path]) -> None:
    """`ogpctl validate` run as users run it: the same bytes as the full command line;
    typer never imported, nor pydantic and PyYAML when nothing changed."""
    root = datasets["invalid/yaml-syntax"]
    env = {**os.environ, "OGPCTL_ROOT": str(root)}
    # these are other processes: their cache trusts files only once they are 2 s old
    newest = max(max(p.stat().st_mtime, p.stat().st_ctime) for p in [root, *root.rglob("*")])
    time.sleep(max(0.0, newest + RACY_S + 0.1 - time.time()))

    def program(*code: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-c", *code, "validate"], capture_output=True, env=env, check=False
        )

    cold, warm = program(PROBE), program(PROBE)
    full = program("from ogpctl.cli import main\nmain()")
    assert full.returncode == 1 and full.stdout
    for lean, imported in (
        (cold, b"imported: pydantic yaml exit: 1\n"),
        (warm, b"imported: exit: 1\n"),
    ):
        assert lean.stderr.endswith(imported)
        assert lean.stdout == full.stdout
        assert lean.stderr.removesuffix(imported) == full.stderr
