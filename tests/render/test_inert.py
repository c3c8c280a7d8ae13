"""Text from the data is printed inertly by every output that exists: never interpreted.

Each hostile string of `hostile.py` (rich markup, terminal escapes, C1 controls, bidi
overrides, HTML, GitHub workflow commands) is put where a pull request could put it (a
file name, a key, a value, a title), then every renderer is run: `validate` as text, json
and github, `status` as table, csv and json. Outputs must hold no raw control character;
JSON must still carry the exact data; GitHub annotations must parse back to exactly one
command per problem, with the data in its escaped fields.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from helpers import ACTION, MEMBER_CSO, REPO, UPDATE
from hostile import HOSTILE, HOSTILE_PARAMS, assert_inert, file_name_safe, yaml_quoted

from ogpctl.check.validate import Report
from ogpctl.inert import inert, json_text
from ogpctl.problems import Problem, Severity
from ogpctl.render import validate as report

HOSTILE_MEMBER = "data/members/hostile.yaml"


def hostile_files(text: str) -> dict[str, str | bytes | None]:
    """The baseline dataset with `text` in a file name, a key, values and titles."""
    q = yaml_quoted(text)
    files: dict[str, str | bytes | None] = {
        HOSTILE_MEMBER: f"name: {q}\ntype: {q}\n{q}: 1\nsources:\n- url: {q}\n  title: {q}\n",
        # valid records whose text is hostile: they reach `status` and pass validation
        MEMBER_CSO: f"name: {q}\ntype: civil-society\nacronym: {q}\n",
        ACTION: (
            f"number: 1\ntitle:\n  en: {q}\n  fr: {q}\ntheme: digital-commons\nstatus: active\n"
            "launched: 2016-12-07\nleaders:\n  government: france\n"
            "  civil_society: transparency-international\n"
        ),
        UPDATE: f"completion: limited\nsummary: {q}\n",
    }
    if file_name_safe(text):
        files[f"data/members/{text}.yaml"] = "name: x\ntype: other\n"
    return files


# --- the helpers themselves -----------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_inert_leaves_nothing_raw(text: str) -> None:
    assert_inert(inert(text))
    assert_inert(inert(text, keep_newlines=True).replace("\n", ""), allow_tab=True)


@pytest.mark.parametrize("text", [*HOSTILE_PARAMS, pytest.param("a\udcffb", id="surrogate")])
def test_json_text_is_inert_and_faithful(text: str) -> None:
    document = {"value": text, text.replace("\ud800", ""): [text]}
    rendered = json_text(document)
    assert_inert(rendered)
    assert json.loads(rendered) == document


def test_inert_escapes_lone_surrogates_from_non_utf8_file_names() -> None:
    name = b"caf\xe9.yaml".decode("utf-8", "surrogateescape")
    assert inert(name) == "caf\\udce9.yaml"
    inert(name).encode("utf-8")  # printable on any UTF-8 stdout


# --- validate: text, json, github -----------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_validate_text_is_inert(text: str, dataset, run) -> None:
    result = run(dataset(hostile_files(text)), "validate", "--format", "text")
    assert result.exit_code == 1
    assert_inert(result.stdout)
    assert_inert(result.stderr)
    lines = result.stdout.splitlines()
    assert all(re.match(r"^[^\n]+:\d+:\d+: (error|warning) OGP\d{3} ", line) for line in lines)
    assert any(line.startswith(f"{HOSTILE_MEMBER}:2:7: error OGP101 type: ") for line in lines)
    if file_name_safe(text):  # the file name is shown, escaped, on one line of its own
        assert f"data/members/{inert(text)}.yaml:1:1: error OGP022 " in result.stdout


@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_validate_json_is_inert_and_exact(text: str, dataset, run) -> None:
    result = run(dataset(hostile_files(text)), "validate", "--format", "json")
    assert result.exit_code == 1
    assert_inert(result.stdout)
    document = json.loads(result.stdout)
    paths = {p["path"] for p in document["problems"]}
    if file_name_safe(text):  # JSON carries the real name, escaped only as JSON
        assert f"data/members/{text}.yaml" in paths
    assert HOSTILE_MEMBER in paths


_PROPERTY = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def _unescape(value: str) -> str:
    return re.sub("%25|%0D|%0A|%3A|%2C", lambda m: _PROPERTY[m.group()], value)


def parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command line as the runner reads it: (command, properties, message)."""
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match is not None, f"not one workflow command: {line!r}"
    properties = dict(part.split("=", 1) for part in match.group(2).split(","))
    assert set(properties) == {"file", "line", "col", "title"}, line
    return match.group(1), {k: _unescape(v) for k, v in properties.items()}, match.group(3)


@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_validate_github_cannot_forge_commands(text: str, dataset, run) -> None:
    root = dataset(hostile_files(text))
    expected = json.loads(run(root, "validate", "--format", "json").stdout)["problems"]
    result = run(root, "validate", "--format", "github")
    assert result.exit_code == 1
    assert_inert(result.stdout, allow_tab=True)
    lines = result.stdout.splitlines()  # splits on \r and other breaks, as a runner may
    assert len(lines) == len(expected)  # one command per problem, none forged
    for line, problem in zip(lines, expected, strict=True):
        command, properties, message = parse_annotation(line)
        assert command == problem["severity"]
        assert properties["file"] == inert(problem["path"])
        assert (properties["line"], properties["col"]) == (
            str(problem["line"]),
            str(problem["column"]),
        )
        assert properties["title"] == problem["code"]
        assert _unescape(message) == inert(problem["message"], keep_newlines=True)


def test_github_escapes_every_special_character() -> None:
    """The workflow-command rules: `%`, CR, LF in data; also `:` and `,` in properties."""
    nasty = "a%b\rc\nd:e,f::set-output name=x::y"
    problem = Problem(f"data/{nasty}", 3, 4, "OGP101", Severity.ERROR, nasty)
    [line] = report.github(Report(1, [problem])).splitlines()
    assert line == (
        "::error file=data/a%25b\\u000dc\\nd%3Ae%2Cf%3A%3Aset-output name=x%3A%3Ay,line=3,col=4,"
        "title=OGP101::a%25b\\u000dc%0Ad:e,f::set-output name=x::y"
    )
    command, properties, message = parse_annotation(line)
    assert (command, properties["file"]) == ("error", inert(problem.path))
    assert _unescape(message) == inert(nasty, keep_newlines=True)


@pytest.mark.parametrize("render", [report.text, report.as_json, report.github])
@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_renderers_directly(render, text: str) -> None:
    """Renderers do not rely on the loader's escaping: raw text in a problem stays inert."""
    problems = [
        Problem(f"data/members/{text}.yaml", 1, 1, "OGP022", Severity.ERROR, text),
        Problem("data/members/x.yaml", 2, 3, "OGP303", Severity.WARNING, f"'{text}'"),
    ]
    out = render(Report(2, problems))
    assert_inert(out, allow_tab=render is report.github)
    if render is report.as_json:
        assert [p["message"] for p in json.loads(out)["problems"]] == [text, f"'{text}'"]
    elif render is report.github:
        first, second = (parse_annotation(line) for line in out.splitlines())
        assert first[1]["file"] == inert(problems[0].path)
        assert _unescape(first[2]) == inert(text, keep_newlines=True)
        assert _unescape(second[2]) == inert(f"'{text}'", keep_newlines=True)
    else:
        assert out.splitlines() == [
            f"{inert(p.path)}:{p.line}:{p.column}: {p.severity} {p.code} {inert(p.message)}"
            for p in problems
        ]


# --- status: table, csv, json ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_status_is_inert(fmt: str, text: str, dataset, run) -> None:
    result = run(dataset(hostile_files(text)), "--no-color", "status", "--format", fmt)
    assert result.exit_code == 1  # the hostile member is invalid; the figures still show
    assert_inert(result.stdout)
    assert_inert(result.stderr)
    if fmt == "json":
        [row] = json.loads(result.stdout)["actions"]
        assert row["title"] == text  # exact data, escaped only as JSON
    elif fmt == "csv":
        [row] = list(csv.DictReader(io.StringIO(result.stdout)))
        assert row["title"] == inert(text, keep_newlines=True)


def test_hostile_list_is_exported_for_other_tests() -> None:
    assert len(HOSTILE) == len(set(HOSTILE)) >= 15
    assert all(isinstance(h, str) and h for h in HOSTILE)


def test_shipped_files_hold_no_hostile_text() -> None:
    """The repository's own data is clean: every character of it is inert already."""
    root = REPO / "data"
    for path in sorted(root.rglob("*.yaml")):
        assert_inert(path.read_text(encoding="utf-8"))
