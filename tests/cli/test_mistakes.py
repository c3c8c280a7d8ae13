"""The common slips of people who write YAML by hand or type ogpctl commands, and what
ogpctl says to each: every case is run for real, its exit code asserted, and its message
must name the fix. `docs/mistakes.md` is the table of these answers; regenerate it with

    OGPCTL_WRITE_DOCS=1 pytest tests/cli/test_mistakes.py
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import BASELINE, PART_GOV, REPO, UPDATE, DatasetFactory, Run, state

DOC = REPO / "docs" / "mistakes.md"
HERE = Path(__file__).resolve().relative_to(REPO).as_posix()  # named in the page
PYTHON_WORDS = re.compile(r"dictionary|\bstr |Value error|%Y")


@dataclass(frozen=True)
class Mistake:
    what: str  # the slip, as a person would describe it
    fix: str  # words the answer must hold: the fix it names
    exit_code: int
    files: dict[str, str] = field(default_factory=dict)  # written over the baseline
    argv: tuple[str, ...] = ("validate",)
    shown: str = ""  # the line of the file or the command, for the table


def _member(extra: str) -> dict[str, str]:
    return {"data/members/france.yaml": f"name: France\ntype: national-government\n{extra}"}


MISTAKES = [
    Mistake(
        "an unquoted `: ` in text",
        'write `en: "Goal: train journalists"`',
        1,
        {UPDATE: "completion: limited\nsummary:\n  en: Goal: train journalists\n"},
        shown="en: Goal: train journalists",
    ),
    Mistake(
        "text starting with a character YAML reserves",
        'write `contribution: "@home first"`',
        1,
        {PART_GOV: "joined: 2016-12-07\ncontribution: @home first\n"},
        shown="contribution: @home first",
    ),
    Mistake(
        "no space after the colon (the whole file)",
        "write `joined: 2016-12-07`",
        1,
        {PART_GOV: "joined:2016-12-07\n"},
        shown="joined:2016-12-07",
    ),
    Mistake(
        "no space after the colon (the parser stops a line later)",
        "put a space after the colon of `start:`",
        1,
        {
            UPDATE: "period:\n  start:2016-12-07\n  end: 2017-05-31\n"
            "completion: limited\nsummary: x\n"
        },
        shown="  start:2016-12-07",
    ),
    Mistake(
        "a key not indented under its field",
        "indent it under `contribution:`",
        1,
        {PART_GOV: "joined: 2016-12-07\ncontribution:\nen: Open data\n"},
        shown="contribution:\\nen: Open data",
    ),
    Mistake(
        "a nested key one space short",
        "indent the keys of one mapping alike",
        1,
        {PART_GOV: "joined: 2016-12-07\ncontribution:\n  en: Data\n fr: Données\n"},
        shown="  en: Data\\n fr: Données",
    ),
    Mistake(
        "a key indented under a field that has a value",
        "line the keys of one mapping up",
        1,
        _member("country: FR\n  acronym: FR\n"),
        shown="country: FR\\n  acronym: FR",
    ),
    Mistake(
        "an unclosed quote",
        "never closed",
        1,
        {UPDATE: 'completion: limited\nsummary:\n  en: "Data published\n'},
        shown='en: "Data published',
    ),
    Mistake(
        "an unclosed `[`",
        "close it with ']'",
        1,
        _member("country: FR\nmaintainers: [octocat\n"),
        shown="maintainers: [octocat",
    ),
    Mistake(
        "`no` where a mapping belongs",
        "expected a mapping",
        1,
        {PART_GOV: "joined: 2016-12-07\nnational_action_plan: no\n"},
        shown="national_action_plan: no",
    ),
    Mistake(
        "a number in quotes",
        "write the number without quotes",
        1,
        _member("country: FR\nogp_member_since: '2011'\n"),
        shown="ogp_member_since: '2011'",
    ),
    Mistake(
        "a date in another order",
        "write YYYY-MM-DD",
        1,
        {PART_GOV: "joined: 07/12/2016\n"},
        shown="joined: 07/12/2016",
    ),
    Mistake(
        "the EU's `UK`", "did you mean 'GB'?", 1, _member("country: UK\n"), shown="country: UK"
    ),
    Mistake(
        "the EU's `EL`", "did you mean 'GR'?", 1, _member("country: EL\n"), shown="country: EL"
    ),
    Mistake(
        "a country code in lower case",
        "did you mean 'FR'?",
        1,
        _member("country: fr\n"),
        shown="country: fr",
    ),
    Mistake(
        "a subdivision code in lower case",
        "did you mean 'FR-IDF'?",
        1,
        {
            "data/members/paris.yaml": (
                "name: Paris\ntype: subnational-government\ncountry: FR\nsubdivision: fr-idf\n"
            )
        },
        shown="subdivision: fr-idf",
    ),
    Mistake(
        "a language code in upper case",
        "did you mean 'en'?",
        1,
        {
            "data/members/france.yaml": "name:\n  EN: France\n"
            "type: national-government\ncountry: FR\n"
        },
        shown="  EN: France",
    ),
    Mistake(
        "a country's code for its language",
        "did you mean 'cs'?",
        1,
        {
            "data/members/france.yaml": "name:\n  cz: Francie\n"
            "type: national-government\ncountry: FR\n"
        },
        shown="  cz: Francie",
    ),
    Mistake(
        "a completion that is not on the IRM scale",
        "did you mean 'complete'?",
        1,
        {UPDATE: BASELINE[UPDATE].replace("completion: limited", "completion: completed")},
        shown="completion: completed",
    ),
    Mistake(
        "an option value that is not on the scale",
        "did you mean 'complete'?",
        2,
        argv=("update", "open-contracting", "--by", "france", "--completion", "completed"),
    ),
    Mistake(
        "a misspelt member in `--by`",
        "did you mean 'france'?",
        1,
        argv=("update", "open-contracting", "--by", "frnace", "--completion", "limited"),
    ),
    Mistake(
        "a misspelt member to join",
        "did you mean 'france'?",
        1,
        argv=("join", "open-contracting", "frnace"),
    ),
    Mistake(
        "a misspelt action",
        "did you mean 'open-contracting'?",
        1,
        argv=("update", "open-contrcting", "--by", "france", "--completion", "limited"),
    ),
    Mistake(
        "a date in another order on the command line",
        "write YYYY-MM-DD",
        2,
        argv=("join", "open-contracting", "france", "--date", "07/12/2016"),
    ),
    Mistake(
        "`lead` with no leader",
        "give --government MEMBER, --civil-society MEMBER, or both",
        2,
        argv=("lead", "open-contracting"),
    ),
    Mistake(
        "`show` with a misspelt member",
        "did you mean 'france'?",
        1,
        argv=("show", "frnace"),
    ),
]


def _answer(mistake: Mistake, git_dataset: DatasetFactory, run: Run) -> tuple[int, str]:
    root = git_dataset(mistake.files)
    before = state(root)
    argv = [*mistake.argv, "--summary", "Done"] if mistake.argv[0] == "update" else mistake.argv
    result = run(root, *argv)
    if mistake.argv[0] != "validate":
        assert state(root) == before  # refused: nothing written, nothing committed
    message = result.stdout if mistake.argv == ("validate",) else result.stderr
    lines = [line for line in message.splitlines() if mistake.fix in line]
    return result.exit_code, lines[0] if lines else message


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.what for m in MISTAKES])
def test_each_mistake_is_answered_with_its_fix(
    mistake: Mistake, git_dataset: DatasetFactory, run: Run
) -> None:
    exit_code, answer = _answer(mistake, git_dataset, run)
    assert exit_code == mistake.exit_code, answer
    assert mistake.fix in answer
    assert "Traceback" not in answer
    assert not PYTHON_WORDS.search(answer), answer


def _row(mistake: Mistake, answer: str) -> str:
    slip = mistake.shown or "ogpctl " + " ".join(mistake.argv)
    said = re.sub(r"^Error: ", "", answer.strip())
    said = re.sub(r"^data/\S+: error ", "", said).replace("|", "\\|")
    return f"| {mistake.what} | `{slip}` | {mistake.exit_code} | {said} |"


def test_the_table_of_mistakes_is_what_ogpctl_says(git_dataset: DatasetFactory, run: Run) -> None:
    rows = [_row(m, _answer(m, git_dataset, run)[1]) for m in MISTAKES]
    table = "\n".join(
        [
            "# Common mistakes, and what ogpctl says to each",
            "",
            f"Generated by `{HERE}`, which runs each case for real",
            f"(`OGPCTL_WRITE_DOCS=1 pytest {HERE}` rewrites this page).",
            "",
            "| mistake | as written | exit | what ogpctl says |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
    )
    if os.environ.get("OGPCTL_WRITE_DOCS") == "1":
        DOC.write_text(table, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == table, f"run OGPCTL_WRITE_DOCS=1 pytest {HERE}"
