"""The templates CONTRIBUTING.md tells contributors to copy are valid records once placed."""

from __future__ import annotations

import pytest
from helpers import PART_GOV, REPO, DatasetFactory, Run

TEMPLATES = REPO / "docs" / "templates"
NEW_UPDATE = "data/actions/open-contracting/updates/2024-07-01-france.yaml"


def template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def test_templates_are_valid_records_once_placed(
    dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OGPCTL_TODAY", "2024-07-01")  # the templates' dates are in 2024
    root = dataset({PART_GOV: template("participant.yaml"), NEW_UPDATE: template("update.yaml")})
    result = run(root, "validate", "--format", "json", str(root / PART_GOV), str(root / NEW_UPDATE))
    assert result.exit_code == 0, result.output
    assert '"errors": 0' in result.stdout and '"checked": 2' in result.stdout


def test_member_and_action_templates_are_valid_records_once_placed(
    dataset: DatasetFactory, run: Run
) -> None:
    member, action = "data/members/open-data-club.yaml", "data/actions/open-budgets/action.yaml"
    root = dataset({member: template("member.yaml"), action: template("action.yaml")})
    result = run(root, "validate", "--format", "json", str(root / member), str(root / action))
    assert '"errors": 0' in result.stdout and '"checked": 2' in result.stdout, result.output
    assert run(root, "fmt", "--check", str(root / member), str(root / action)).exit_code == 0


def test_init_copies_the_same_templates() -> None:
    package = REPO / "src" / "ogpctl" / "templates"
    for name in ("member.yaml", "action.yaml", "participant.yaml", "update.yaml"):
        assert (package / name).read_text(encoding="utf-8") == template(name), name


def test_templates_are_documented_where_people_look() -> None:
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for name in ("participant.yaml", "update.yaml"):
        assert f"docs/templates/{name}" in contributing
        assert template(name).startswith("# yaml-language-server: $schema=")


def test_a_template_with_a_mistake_is_caught(dataset: DatasetFactory, run: Run) -> None:
    root = dataset({PART_GOV: template("participant.yaml").replace("2024-03-15", "15/03/2024")})
    result = run(root, "validate", str(root / PART_GOV))
    assert result.exit_code == 1
    assert "error OGP" in result.stdout and "joined" in result.stdout
