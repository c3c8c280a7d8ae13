"""The light facts: declared once (`model.facts`), and all that the cross-file checks read.

The rules run on light records during validation and on full records when a write command
or a read command checks; both must give the same problems. A rule that reads a field the
facts lack fails here (the light records have no such attribute), and mypy refuses it
(the rules take `Facts`; `test_every_rule_and_due_date_reads_facts_only` keeps it so).
"""

from __future__ import annotations

import shutil
import typing
from datetime import date
from pathlib import Path

import pytest
from helpers import TODAY

from ogpctl.check import rules
from ogpctl.check.fast import facts
from ogpctl.check.load import load
from ogpctl.model import monitoring
from ogpctl.model.dataset import Dataset, Facts
from ogpctl.model.keys import Kind
from ogpctl.model.records import Action, Member, Participant, Update
from ogpctl.problems import Problem
from ogpctl.store.config import load_settings

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "tests" / "examples"
EXAMPLE_CASES = sorted(
    p for kind in ("valid", "invalid") for p in (EXAMPLES / kind).iterdir() if p.is_dir()
)
CASES = [REPO, *EXAMPLE_CASES]
DAY = date.fromisoformat(TODAY)
MODELS = {Kind.MEMBER: Member, Kind.ACTION: Action, Kind.PARTICIPANT: Participant}
MODELS[Kind.UPDATE] = Update


def _name(case: Path) -> str:
    return "shipped" if case == REPO else f"{case.parent.name}/{case.name}"


def both(root: Path) -> tuple[Facts, Dataset]:
    """The dataset as light facts (no cache) and as full records (partial ones kept)."""
    settings = load_settings(root)
    light, _ = load(root, settings, records=False, cache=False, workers=1)
    full, _ = load(root, settings, partial=True)
    return light, full


def findings(dataset: Facts) -> list[tuple[Problem, tuple[str | int, ...]]]:
    return rules.located(dataset, DAY)


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_the_rules_find_the_same_on_light_and_on_full_records(case: Path, tmp_path: Path) -> None:
    root = case if case == REPO else shutil.copytree(case, tmp_path / case.name)
    light, full = both(root)
    assert findings(light) == findings(full)


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_the_light_facts_are_the_facts_of_the_full_records(case: Path, tmp_path: Path) -> None:
    root = case if case == REPO else shutil.copytree(case, tmp_path / case.name)
    light, full = both(root)

    def every(dataset: Facts) -> dict[str, tuple[object, ...]]:
        found = {}
        records = [
            *dataset.members.values(),
            *dataset.actions.values(),
            *(p for members in dataset.participants.values() for p in members.values()),
            *(u for updates in dataset.updates.values() for u in updates),
        ]
        for loaded in records:
            shape = facts.shape(facts.KINDS[loaded.key.kind])
            found[loaded.key.path] = shape.encode(loaded.record)
        return found

    assert every(light) == every(full)


def test_a_rule_reading_a_field_the_facts_lack_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reads_the_title(dataset: Facts, today: date) -> typing.Iterator[rules.Finding]:
        for action in dataset.actions.values():
            title = action.record.title  # type: ignore[attr-defined]  # (mypy's refusal)
            if not title:
                yield action, (), "no title"

    check = rules.Check("OGP999", rules.Severity.ERROR, "reads-the-title", "", reads_the_title)
    monkeypatch.setattr(rules, "CHECKS", [check])
    root = shutil.copytree(EXAMPLES / "valid" / "minimal", tmp_path / "minimal")
    light, full = both(root)
    assert findings(full) == []
    with pytest.raises(AttributeError, match="title"):
        findings(light)


def test_every_rule_and_due_date_reads_facts_only() -> None:
    # mypy checks what a function annotated `Facts` reads; one annotated `Dataset` could
    # read any field of the full records, which the light ones lack
    functions = [c.function for c in rules.CHECKS]
    functions += [monitoring.last_update, monitoring.cadence, monitoring.next_due]
    for function in functions:
        hints = typing.get_type_hints(function, vars(rules) | vars(monitoring))
        assert hints["dataset"] == Facts, function.__name__


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_every_fact_is_a_field_of_its_record(kind: Kind) -> None:
    fields = facts.fields(kind)
    assert fields
    assert set(fields) <= set(MODELS[kind].model_fields)
