"""Acceptance tests: whole example datasets and the exact output of `ogpctl validate`.

`examples/valid/<case>/` must validate (exit 0); its `expected.txt`, when present, holds the
warnings it prints (none otherwise). `examples/invalid/<case>/` must fail (exit 1) with
exactly the `--format text` lines of its `expected.txt`. Each case is copied to `tmp_path`
first. A few hostile file names cannot live in the repository (control characters are not
portable file names), so they are added to the copy from `EXTRA_FILES`.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import EXAMPLES

from ogpctl import codes
from ogpctl.inert import inert

VALID = sorted(p.name for p in (EXAMPLES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p.name for p in (EXAMPLES / "invalid").iterdir() if p.is_dir())

EXTRA_FILES: dict[str, dict[str, str]] = {
    "hostile": {"data/members/\x1b[31mevil.yaml": "name: Evil\ntype: other\n"},
}

_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning) "
    r"(?P<code>OGP\d{3}) (?P<message>.+)$"
)
_RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _copy(kind: str, case: str, tmp_path: Path) -> Path:
    root = tmp_path / case
    shutil.copytree(EXAMPLES / kind / case, root)
    for relative, text in EXTRA_FILES.get(case, {}).items():
        (root / relative).write_text(text, encoding="utf-8")
    return root


def _expected(root: Path) -> str:
    path = root / "expected.txt"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_there_are_enough_examples() -> None:
    assert len(VALID) >= 3
    assert len(INVALID) >= 12


@pytest.mark.parametrize("case", VALID)
def test_valid_example(case, tmp_path, run):
    root = _copy("valid", case, tmp_path)
    result = run(root, "validate")
    assert result.stdout == _expected(root)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("valid: ")


@pytest.mark.parametrize("case", INVALID)
def test_invalid_example_text(case, tmp_path, run):
    root = _copy("invalid", case, tmp_path)
    result = run(root, "validate", "--format", "text")
    assert result.stdout == _expected(root)
    assert result.exit_code == 1
    assert result.stderr.startswith("INVALID: ")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", INVALID)
def test_expected_files_are_well_formed(case):
    """Each expected line has the documented shape; codes exist with their severity."""
    lines = (EXAMPLES / "invalid" / case / "expected.txt").read_text(encoding="utf-8")
    assert lines.endswith("\n")
    parsed = [_LINE.match(line) for line in lines.splitlines()]
    assert all(parsed), lines
    assert any(m["sev"] == "error" for m in parsed if m)
    for m in parsed:
        assert m is not None
        assert codes.CODES[m["code"]].severity == m["sev"]


@pytest.mark.parametrize("case", INVALID)
def test_invalid_example_json(case, tmp_path, run):
    root = _copy("invalid", case, tmp_path)
    result = run(root, "validate", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert set(document) == {"ok", "checked", "errors", "warnings", "problems"}
    assert document["ok"] is False
    assert isinstance(document["checked"], int)
    problems = document["problems"]
    assert document["errors"] == sum(p["severity"] == "error" for p in problems) > 0
    assert document["warnings"] == sum(p["severity"] == "warning" for p in problems)
    expected = [_LINE.match(line) for line in _expected(root).splitlines()]
    assert len(problems) == len(expected)
    for problem, m in zip(problems, expected, strict=True):
        assert m is not None
        assert set(problem) == {"path", "line", "column", "code", "severity", "message"}
        assert (problem["line"], problem["column"]) == (int(m["line"]), int(m["col"]))
        assert (problem["code"], problem["severity"]) == (m["code"], m["sev"])
        assert (inert(problem["path"]), inert(problem["message"])) == (m["path"], m["message"])
    assert f"{document['checked']} files checked" in result.stderr


@pytest.mark.parametrize("case", INVALID)
def test_invalid_example_github(case, tmp_path, run):
    root = _copy("invalid", case, tmp_path)
    result = run(root, "validate", "--format", "github")
    assert result.exit_code == 1
    expected = [_LINE.match(line) for line in _expected(root).splitlines()]
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected)
    for line, m in zip(lines, expected, strict=True):
        assert m is not None
        prefix = f"::{m['sev']} file="
        assert line.startswith(prefix)
        assert f",line={m['line']},col={m['col']},title={m['code']}::" in line


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_hostile_output_is_inert(fmt, tmp_path, run):
    """Escape codes in a file name and in values reach the output escaped, never raw."""
    root = _copy("invalid", "hostile", tmp_path)
    result = run(root, "validate", "--format", fmt)
    assert result.exit_code == 1
    assert not _RAW_CONTROL.search(result.stdout.replace("\n", "")), repr(result.stdout)
    assert "\x1b" not in result.stderr
    if fmt == "json":
        paths = [p["path"] for p in json.loads(result.stdout)["problems"]]
        assert "data/members/\x1b[31mevil.yaml" in paths  # JSON escapes it as \u001b
        assert "\\u001b[31mevil" in result.stdout


def test_hostile_github_output_is_inert(tmp_path, run):
    root = _copy("invalid", "hostile", tmp_path)
    result = run(root, "validate", "--format", "github")
    assert result.exit_code == 1
    assert not _RAW_CONTROL.search(result.stdout.replace("\n", "")), repr(result.stdout)
