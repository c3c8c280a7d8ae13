"""Read commands' kept answers (`ogpctl.check.fast.answers`): used only while nothing changed.

Each test counts the answers really made: a kept one must be used where it can, and
never once the data, the day, the question, the code or the last result differ.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import MEMBER_GOV, PART_GOV, TODAY, DatasetFactory, Run, rewrite

from ogpctl.check.fast import answers, cache
from ogpctl.check.report import Report
from ogpctl.check.validate import check_dataset
from ogpctl.model.dataset import Settings, Shown

DAY = date.fromisoformat(TODAY)


@pytest.fixture(autouse=True)
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust what was written a moment ago: the tests run faster than timestamps tick."""
    monkeypatch.setattr(cache, "RACY_NS", -60_000_000_000)


class Asker:
    """Asks through `answers.answer`; the answer made is the member file's text."""

    def __init__(self, root: Path) -> None:
        self.root, self.made = root, 0

    def make(self, settings: Settings, report: Report) -> str:
        self.made += 1
        return f"{report.checked} {(self.root / MEMBER_GOV).read_text()}"

    def __call__(self, key: tuple[object, ...] = ("q",), day: date = DAY) -> tuple[str, Report]:
        return answers.answer(self.root, day, key, self.make)


def test_an_answer_is_kept_while_nothing_changes(dataset: DatasetFactory) -> None:
    ask = Asker(dataset())
    first = ask()
    assert ask.made == 1
    assert ask() == first
    assert ask.made == 1  # kept, and the report with it
    assert first[1] == check_dataset(ask.root, DAY, records=False)[1]


def test_an_edit_or_a_new_file_is_answered_afresh(dataset: DatasetFactory) -> None:
    ask = Asker(dataset())
    ask()
    rewrite(ask.root / MEMBER_GOV, "name: République\ntype: national-government\ncountry: FR\n")
    text, _ = ask()
    assert "République" in text
    assert ask.made == 2
    extra = ask.root / "data/members/chile.yaml"
    rewrite(extra, "name: Chile\ntype: national-government\ncountry: CL\n")
    text, report = ask()
    assert ask.made == 3
    assert "data/members/chile.yaml" in report.files
    assert ask() == (text, report)
    assert ask.made == 3


def test_each_question_and_day_has_its_own_answer(dataset: DatasetFactory) -> None:
    ask = Asker(dataset())
    ask(("status", "json"))
    ask(("members", "json"))
    assert ask.made == 2
    ask(("status", "json"))
    ask(("members", "json"))
    assert ask.made == 2  # both kept
    ask(("status", "json"), DAY + timedelta(days=1))
    assert ask.made == 3


def test_no_answer_is_kept_for_a_dataset_replaced_meanwhile(dataset: DatasetFactory) -> None:
    """Another process validating a changed dataset while the answer is made: the answer
    may have been read from either state, so it is not kept."""
    ask = Asker(dataset())
    made = ask.make

    def meanwhile(settings: Settings, report: Report) -> str:
        rewrite(ask.root / PART_GOV, "joined: 2017-02-01\n")
        check_dataset(ask.root, DAY, records=False)  # replaces the last result
        return made(settings, report)

    ask.make = meanwhile  # type: ignore[method-assign]
    ask()
    ask.make = made  # type: ignore[method-assign]
    ask()
    assert ask.made == 2


def test_answers_are_dropped_with_the_code_that_made_them(
    dataset: DatasetFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask = Asker(dataset())
    ask()
    monkeypatch.setattr(answers, "_code_stamp", lambda: "another")
    ask()
    assert ask.made == 2


def test_a_damaged_answers_file_is_ignored(dataset: DatasetFactory) -> None:
    ask = Asker(dataset())
    first = ask()
    kept = cache.location(ask.root).with_suffix(".answers")
    kept.write_bytes(kept.read_bytes()[:-3] + b"xyz")
    assert ask() == first
    assert ask.made == 2
    assert ask() == first
    assert ask.made == 2  # kept again


def test_at_most_the_newest_answers_are_kept(dataset: DatasetFactory) -> None:
    ask = Asker(dataset())
    for n in range(answers.KEPT + 1):
        ask(("q", n))
    ask(("q", answers.KEPT))
    assert ask.made == answers.KEPT + 1
    ask(("q", 0))
    assert ask.made == answers.KEPT + 2


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["status", "--format", "json"],
        ["members", "--format", "csv"],
        ["show", "france"],
        ["show", "open-contracting", "--format", "json"],
    ],
)
def test_commands_print_a_kept_answer_as_they_made_it(
    dataset: DatasetFactory, run: Run, args: list[str]
) -> None:
    root = dataset()
    first = run(root, *args)
    assert first.exit_code == 0, first.output
    assert cache.location(root).with_suffix(".answers").exists()
    again = run(root, *args)
    assert (again.exit_code, again.stdout, again.stderr) == (0, first.stdout, first.stderr)
    rewrite(root / MEMBER_GOV, "name: République\ntype: national-government\ncountry: FR\n")
    edited = run(root, *args)
    assert "République" in edited.stdout or "France" not in first.stdout


def test_invalid_data_is_said_from_a_kept_answer_too(dataset: DatasetFactory, run: Run) -> None:
    root = dataset({MEMBER_GOV: "name: France\ntype: national-government\n"})  # no country
    for _ in range(2):
        result = run(root, "members")
        assert result.exit_code == 1
        assert "the dataset has 1 errors; only the members that are valid" in result.stderr


def test_answers_made_from_what_is_shown_are_kept_as_others(dataset: DatasetFactory) -> None:
    """`answer_shown`: made from the records a first validation builds, or read after a
    validation that found every file's results cached; kept while nothing changes."""
    root = dataset()
    made: list[str] = []

    def make(settings: Settings, shown: Shown) -> str:
        made.append(shown.members["france"].record.type)
        return made[-1]

    assert answers.answer_shown(root, DAY, ("q",), make)[0] == "national-government"
    assert answers.answer_shown(root, DAY, ("q",), make)[0] == "national-government"
    assert len(made) == 1  # kept
    assert answers.answer_shown(root, DAY, ("other",), make)[0] == "national-government"
    assert len(made) == 2  # a new question after a warm validation: read from the cache


def test_no_answer_from_what_is_shown_is_kept_for_a_dataset_replaced_meanwhile(
    dataset: DatasetFactory,
) -> None:
    root = dataset()
    check_dataset(root, DAY, records=False)  # the answer is read after the next validation
    made: list[str] = []

    def meanwhile(settings: Settings, shown: Shown) -> str:
        rewrite(root / PART_GOV, "joined: 2017-02-01\n")
        check_dataset(root, DAY, records=False)  # replaces the last result
        made.append("made")
        return "made"

    answers.answer_shown(root, DAY, ("q",), meanwhile)
    answers.answer_shown(root, DAY, ("q",), meanwhile)
    assert len(made) == 2
