"""`set`, `milestone`, `leave` (and `lead`) against real git repositories: one commit of one
file that keeps the person's comments; every refusal changes nothing."""

from __future__ import annotations

import pytest
from helpers import (
    ACTION,
    BASELINE,
    MEMBER_GOV,
    URUGUAY,
    DatasetFactory,
    Run,
    git,
    last_commit,
    state,
)

OC = "data/actions/open-contracting"
COMMENTED_ACTION = (
    "# yaml-language-server: $schema=../../../schemas/action.schema.json\n"
    "# Agreed at the Paris summit; ask the leaders before changing it.\n"
    + BASELINE[ACTION].replace("status: active\n", "# see the minutes of 2017-03\nstatus: active\n")
)


def changed_lines(root, path: str) -> list[str]:
    diff = git(root, "diff", "HEAD~1", "--unified=0", "--", path)
    return [
        line for line in diff.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]  # fmt: skip


def assert_clean_commit(root, run: Run, path: str, subject: str) -> str:
    message, files = last_commit(root)
    assert files == [path]
    assert message.splitlines()[0] == subject
    assert git(root, "status", "--porcelain") == ""
    assert run(root, "validate").exit_code == 0
    review = run(root, "validate", "--changed-since", "HEAD~1")
    assert review.exit_code == 0, review.output
    return message


# --- set --------------------------------------------------------------------------------


def test_set_action_changes_only_its_fields_and_keeps_comments(
    git_dataset: DatasetFactory, run: Run
) -> None:
    root = git_dataset({ACTION: COMMENTED_ACTION})
    result = run(root, "set", "action", "open-contracting", "--status", "completed",
                 "--title", "fr=Commande publique ouverte")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"wrote {ACTION}, committed" in result.stderr
    message = assert_clean_commit(root, run, ACTION, "set action open-contracting: title, status")
    assert "Ogpctl-Command: set action" in message
    assert "Ogpctl-Action: open-contracting" in message
    assert changed_lines(root, ACTION) == [
        "+  fr: Commande publique ouverte",
        "-status: active",
        "+status: completed",
    ]
    text = (root / ACTION).read_text()
    assert "# Agreed at the Paris summit" in text and "# see the minutes of 2017-03\n" in text


def test_set_member_and_unset(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset()
    result = run(root, "set", "member", "france", "--website", "https://www.gouvernement.fr/",
                 "--acronym", "FR")  # fmt: skip
    assert result.exit_code == 0, result.output
    message = assert_clean_commit(root, run, MEMBER_GOV, "set member france: acronym, website")
    assert "Ogpctl-Member: france" in message
    assert "acronym: FR\nwebsite: https://www.gouvernement.fr/\n" in (root / MEMBER_GOV).read_text()
    assert run(root, "set", "member", "france", "--unset", "acronym").exit_code == 0
    assert "acronym" not in (root / MEMBER_GOV).read_text()
    assert_clean_commit(root, run, MEMBER_GOV, "set member france: acronym")


BILINGUAL = COMMENTED_ACTION.replace(
    "  en: Open contracting\n", "  en: Open contracting\n  fr: Commande publique ouverte\n"
)


def test_set_unset_one_language(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset({ACTION: BILINGUAL})
    result = run(root, "set", "action", "open-contracting", "--unset", "title.fr")
    assert result.exit_code == 0, result.output
    assert_clean_commit(root, run, ACTION, "set action open-contracting: title")
    assert changed_lines(root, ACTION) == ["-  fr: Commande publique ouverte"]
    assert (root / ACTION).read_text() == COMMENTED_ACTION


def test_lead_keeps_comments(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset({**URUGUAY, ACTION: COMMENTED_ACTION,
                        f"{OC}/participants/uruguay.yaml": "joined: 2017-01-01\n"})  # fmt: skip
    result = run(root, "lead", "open-contracting", "--government", "uruguay")
    assert result.exit_code == 0, result.output
    assert changed_lines(root, ACTION) == ["-  government: france", "+  government: uruguay"]


# --- milestone --------------------------------------------------------------------------


def test_milestone_added_then_changed(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset({ACTION: COMMENTED_ACTION})
    added = run(root, "milestone", "open-contracting", "train-staff", "--title", "Train staff",
                "--due", "2018-06-30")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert_clean_commit(root, run, ACTION, "milestone open-contracting: add train-staff")
    assert "- id: train-staff\n  title:\n    en: Train staff\n  due: 2018-06-30\n" in (
        (root / ACTION).read_text()
    )
    changed = run(root, "milestone", "open-contracting", "train-staff", "--due", "2018-09-30")
    assert changed.exit_code == 0, changed.output
    assert_clean_commit(root, run, ACTION, "milestone open-contracting: change train-staff")
    assert "due: 2018-09-30" in (root / ACTION).read_text()
    assert "# see the minutes of 2017-03\n" in (root / ACTION).read_text()


# --- leave ------------------------------------------------------------------------------


def test_leave_records_the_date(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset({**URUGUAY, f"{OC}/participants/uruguay.yaml": "joined: 2017-01-01\n"})
    path = f"{OC}/participants/uruguay.yaml"
    result = run(root, "leave", "open-contracting", "uruguay", "--date", "2017-08-01")
    assert result.exit_code == 0, result.output
    message = assert_clean_commit(root, run, path, "leave open-contracting: uruguay")
    assert "Ogpctl-Member: uruguay" in message
    assert (root / path).read_text() == "joined: 2017-01-01\nleft: 2017-08-01\n"


# --- refusals ---------------------------------------------------------------------------

LEFT = {**URUGUAY, f"{OC}/participants/uruguay.yaml": "joined: 2017-01-01\nleft: 2017-02-01\n"}


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["leave", "open-contracting", "uruguay"], 1,
         "uruguay left open-contracting on 2017-02-01 already: nothing to change"),
        (["leave", "open-contracting", "transparency-international"], 1,
         "error OGP210 leaders.civil_society: 'transparency-international' left open-contracting "
         "on 2017-09-01; name another leader (`ogpctl lead open-contracting --civil-society "
         "MEMBER`)"),
        (["leave", "open-contracting", "france", "--date", "2016-01-01"], 1,
         "error OGP107 left (2016-01-01) is before joined (2016-12-07)"),
        (["leave", "open-contracting", "frnace"], 1,
         "'frnace' does not take part in open-contracting (did you mean 'france'?)"),
        (["leave", "open-contractin", "france"], 1,
         "no action 'open-contractin' (did you mean 'open-contracting'?)"),
        (["milestone", "open-contracting", "Publish_Data", "--title", "x"], 2,
         "'Publish_Data' is not a valid milestone id: use lowercase letters"),
        (["milestone", "open-contracting", "new-step"], 2,
         "milestone 'new-step' is new: give its --title"),
        (["milestone", "open-contracting", "publish-data", "--remove"], 1,
         f"milestone 'publish-data' of open-contracting is reported on by {OC}/updates/"
         "2017-06-01-france.yaml: published updates are never edited, so it stays"),
        (["set", "action", "open-contracting"], 2, "nothing to change: give a field to set"),
        (["set", "action", "open-contracting", "--status", "active"], 2,
         f"{ACTION} already holds these values: nothing to change"),
        (["set", "action", "open-contracting", "--unset", "title"], 2,
         "--unset title: an action needs its title"),
        (["set", "action", "open-contracting", "--unset", "stauts"], 2,
         "--unset stauts: not a field `set action` changes (did you mean 'status'?)"),
        (["set", "member", "frnace", "--acronym", "F"], 1,
         "no member 'frnace' (did you mean 'france'?)"),
        (["set", "member", "france", "--country", "XX"], 1, "error OGP105 country: 'XX'"),
        (["set", "action", "open-contracting", "--theme", "nope"], 2, "Invalid value"),
        (["set", "action", "open-contractin", "--status", "completed"], 1,
         "no action 'open-contractin' (did you mean 'open-contracting'?)"),
        (["milestone", "open-contractin", "train-staff", "--title", "x"], 1,
         "no action 'open-contractin' (did you mean 'open-contracting'?)"),
        (["milestone", "open-contracting", "publish-dat", "--remove"], 1,
         "open-contracting has no milestone 'publish-dat' (did you mean 'publish-data'?)"),
        (["milestone", "open-contracting", "publish-data", "--remove", "--due", "2018-01-01"], 2,
         "--remove takes no --title or --due"),
        (["leave", "open-contracting", "uruguay", "--date", "2017-13-01"], 2,
         "'2017-13-01' is not a calendar date; write YYYY-MM-DD"),
        # one language of a text: --unset FIELD.LANG
        (["set", "action", "open-contracting", "--unset", "title.en"], 2,
         "--unset title.en: 'en' is the dataset's default language, the one shown where a "
         "reader's is missing, so it stays; give the new text with --title\n"),
        (["set", "member", "france", "--unset", "name.fr"], 1,
         "--unset name.fr: the name has no 'fr' text (it has: en)"),
        (["set", "action", "open-contracting", "--unset", "stauts.fr"], 2,
         "--unset stauts.fr: 'stauts' is not text in several languages; FIELD.LANG takes one of: "
         "summary, title (e.g. --unset summary.fr)"),
        (["set", "action", "open-contracting", "--unset", "titel.fr"], 2,
         "'titel' is not text in several languages (did you mean 'title'?)"),
        (["set", "action", "open-contracting", "--unset", "title.french"], 2,
         "--unset title.french: 'french' is not a language code: write two lowercase letters "
         "(ISO 639-1), e.g. --unset title.fr"),
        (["set", "action", "open-contracting", "--unset", "summary", "--unset", "summary.fr"], 2,
         "--unset summary and --unset summary.fr: give one of them"),
    ],
)  # fmt: skip
def test_refusals_change_nothing(
    git_dataset: DatasetFactory, run: Run, argv: list[str], code: int, message: str
) -> None:
    root = git_dataset(LEFT)
    before = state(root)
    result = run(root, *argv)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert state(root) == before


# a text in French only, where the dataset's default language is English
FRENCH = {ACTION: BASELINE[ACTION] + "summary:\n  fr: Publier les contrats\n"}


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--unset", "summary.fr"], 2,
         "--unset summary.fr: 'fr' is the summary's only language, and a text needs one; give "
         "it in another language first (--summary LANG=TEXT) (to remove the summary, --unset "
         "summary)"),
        (["--summary", "fr=Autre", "--unset", "summary.fr"], 2,
         "--summary fr=… and --unset summary.fr: give one of them"),
        (["--unset", "summary.en"], 1,
         "--unset summary.en: the summary has no 'en' text (it has: fr)"),
    ],
)  # fmt: skip
def test_unset_language_refusals_change_nothing(
    git_dataset: DatasetFactory, run: Run, argv: list[str], code: int, message: str
) -> None:
    root = git_dataset(FRENCH)
    before = state(root)
    result = run(root, "set", "action", "open-contracting", *argv)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert state(root) == before


def test_an_author_who_left_cannot_publish(git_dataset: DatasetFactory, run: Run) -> None:
    root = git_dataset(LEFT)
    before = state(root)
    result = run(root, "update", "open-contracting", "--by", "uruguay", "--completion",
                 "limited", "--summary", "x", "--date", "2017-03-01")  # fmt: skip
    assert result.exit_code == 1
    assert "error OGP209 author 'uruguay' left open-contracting on 2017-02-01" in result.stderr
    assert state(root) == before
