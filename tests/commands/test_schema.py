"""The exported JSON Schemas: up to date, deterministic, and in agreement with ogpctl
when an independent validator (check-jsonschema) checks the same files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import REPO

from ogpctl import schema
from ogpctl.check.record_file import parse
from ogpctl.model.keys import Kind, RecordKey

CHECK_JSONSCHEMA = shutil.which("check-jsonschema")
needs_validator = pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="check-jsonschema missing")

GLOBS = {
    Kind.MEMBER: "data/members/*.yaml",
    Kind.ACTION: "data/actions/*/action.yaml",
    Kind.PARTICIPANT: "data/actions/*/participants/*.yaml",
    Kind.UPDATE: "data/actions/*/updates/*.yaml",
}


def run_validator(kind: Kind, files: list[Path]) -> dict[str, list[str]]:
    """check-jsonschema's verdict per file: the messages of its errors (none when valid)."""
    assert CHECK_JSONSCHEMA is not None
    result = subprocess.run(
        [
            CHECK_JSONSCHEMA,
            "--output-format",
            "json",
            "--schemafile",
            str(schema.schema_path(REPO, kind)),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    verdict: dict[str, list[str]] = {str(f): [] for f in files}
    for error in report.get("errors", []) + report.get("parse_errors", []):
        verdict[error["filename"]].append(error.get("message", ""))
    assert result.returncode == (1 if any(verdict.values()) else 0), result.stderr
    return verdict


def test_committed_schemas_are_up_to_date() -> None:
    assert schema.stale(REPO) == [], "run `ogpctl schema`"


def test_schemas_are_deterministic_and_declare_draft_and_id() -> None:
    for kind in Kind:
        text = schema.render(kind)
        assert text == schema.render(kind)
        assert text.endswith("}\n")
        document = json.loads(text)
        assert document["$schema"] == schema.DRAFT
        assert document["$id"] == f"urn:ogpctl:schema:{kind}"
        assert document["additionalProperties"] is False


@needs_validator
@pytest.mark.parametrize("kind", [Kind.MEMBER, Kind.ACTION, Kind.PARTICIPANT])
def test_independent_validator_accepts_every_shipped_file(kind: Kind) -> None:
    files = sorted(REPO.glob(GLOBS[kind]))
    assert files, f"the shipped dataset has no {kind} files"
    verdict = run_validator(kind, files)
    assert {f: m for f, m in verdict.items() if m} == {}


# (kind, YAML text, the code ogpctl gives): each a schema-level mistake.
MISTAKES = [
    (Kind.ACTION, "title: X\ntheme: transparency\n", "OGP101"),  # not in the vocabulary
    (Kind.ACTION, "title: X\n", "OGP102"),  # required field missing
    (Kind.PARTICIPANT, "joined: 2016-12-07\npledge: x\n", "OGP103"),  # unknown field
    (Kind.MEMBER, "name: {en: ''}\ntype: civil-society\n", "OGP101"),  # empty localised text
    (Kind.MEMBER, "name: {}\ntype: civil-society\n", "OGP101"),  # no language at all
    (Kind.PARTICIPANT, "joined: 07/12/2016\n", "OGP106"),  # not an ISO date
    (Kind.PARTICIPANT, "joined: 2016-02-30\n", "OGP106"),  # not a calendar date
    (Kind.MEMBER, "name: X\ntype: national-government\ncountry: XX\n", "OGP105"),
    (Kind.MEMBER, "name: {xx: X}\ntype: civil-society\n", "OGP105"),  # not ISO 639-1
    (Kind.MEMBER, "name: X\ntype: national-government\n", "OGP107"),  # government, no country
    (Kind.MEMBER, "name: X\ntype: civil-society\nsubdivision: GB-SCT\n", "OGP107"),
    (Kind.UPDATE, "completion: done\nsummary: x\n", "OGP101"),
    (Kind.ACTION, "title: X\ntheme: digital-commons\nnumber: '3'\n", "OGP104"),
    (Kind.MEMBER, "name: X\ntype: civil-society\nwebsite: example.org\n", "OGP101"),
]

VALID = [
    (
        Kind.MEMBER,
        "name: Scotland\ntype: subnational-government\ncountry: GB\n"
        "subdivision: GB-SCT\nacronym: 'NO'\n",
    ),
    (
        Kind.ACTION,
        "title: {en: Open data, fr: Données ouvertes}\ntheme: digital-commons\n"
        "launched: 2016-12-07\nmilestones:\n- id: m1\n  title: First\n  due: 2017-06-30\n",
    ),
    (
        Kind.UPDATE,
        "completion: limited\nsummary: Under way\nperiod: {start: 2017-01-01, "
        "end: 2017-06-30}\nmilestones: {m1: complete}\n",
    ),
]


def _key(kind: Kind) -> RecordKey:
    from datetime import date

    return RecordKey(kind, action="a", member="m", published=date(2017, 7, 1))


@needs_validator
def test_independent_validator_rejects_what_ogpctl_rejects(tmp_path: Path) -> None:
    cases: dict[Kind, list[Path]] = {}
    for number, (kind, text, code) in enumerate(MISTAKES):
        _, problems = parse(_key(kind), text.encode(), "en")
        assert code in {p.code for p in problems}, (text, problems)
        path = tmp_path / f"mistake{number}.yaml"
        path.write_text(text, encoding="utf-8")
        cases.setdefault(kind, []).append(path)
    for kind, files in cases.items():
        verdict = run_validator(kind, files)
        accepted = [Path(f).read_text() for f, messages in verdict.items() if not messages]
        assert accepted == [], f"check-jsonschema accepts what ogpctl rejects: {accepted}"


@needs_validator
def test_independent_validator_accepts_what_ogpctl_accepts(tmp_path: Path) -> None:
    for number, (kind, text) in enumerate(VALID):
        loaded, problems = parse(_key(kind), text.encode(), "en")
        assert loaded is not None and problems == [], problems
        path = tmp_path / f"valid{number}.yaml"
        path.write_text(text, encoding="utf-8")
        assert run_validator(kind, [path]) == {str(path): []}
