"""Rules across files: each check in `checks.CHECKS` fails once and passes once; every
problem code in `codes.CODES` is produced by at least one case of the table at the end."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from helpers import (
    ACTION,
    BASELINE,
    MEMBER_CSO,
    MEMBER_GOV,
    PART_CSO,
    PART_GOV,
    TODAY,
    UPDATE,
)

from ogpctl import codes
from ogpctl.check import record_file as records
from ogpctl.check.rules import CHECKS
from ogpctl.check.validate import check_dataset
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.problems import Problem, Severity

OC = "data/actions/open-contracting"
E, W = Severity.ERROR, Severity.WARNING


def check(root: Path, today: str = TODAY) -> list[Problem]:
    return check_dataset(root, date.fromisoformat(today))[1].problems


def replaced(path: str, old: str, new: str) -> str:
    assert old in BASELINE[path]
    return BASELINE[path].replace(old, new)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def where(p: Problem) -> tuple[str, int, int, str, Severity]:
    return p.path, p.line, p.column, p.code, p.severity


def test_baseline_is_clean(dataset):
    assert check(dataset()) == []


# --- the registry ---------------------------------------------------------------------


def test_every_check_has_a_docstring_and_a_unique_registered_code():
    assert len({c.code for c in CHECKS}) == len(CHECKS)
    assert len({c.name for c in CHECKS}) == len(CHECKS)
    for c in CHECKS:
        assert c.doc.strip(), c.name
        assert re.fullmatch(r"OGP[23]\d\d", c.code)
        registered = codes.CODES[c.code]
        assert (registered.severity, registered.stage) == (c.severity, "dataset")
        assert registered.summary == c.doc.splitlines()[0]


def test_registry_holds_the_documented_checks():
    assert [c.code for c in CHECKS] == [
        "OGP201",
        "OGP202",
        "OGP203",
        "OGP204",
        "OGP205",
        "OGP206",
        "OGP207",
        "OGP208",
        "OGP209",
        "OGP210",
        "OGP211",
        "OGP301",
        "OGP302",
        "OGP303",
        "OGP304",
    ]
    warnings = {"OGP207", "OGP301", "OGP302", "OGP303", "OGP304"}
    assert {c.code for c in CHECKS if c.severity is W} == warnings


def test_codes_are_well_formed():
    for code, entry in codes.CODES.items():
        assert re.fullmatch(r"OGP\d{3}", code)
        assert entry.code == code
        assert entry.summary.endswith(".")
        assert entry.stage in {"file", "layout", "record", "dataset", "change"}


# --- OGP201 participant → member ------------------------------------------------------


def test_participant_without_member(dataset):
    problem = only(check(dataset({f"{OC}/participants/frnace.yaml": "joined: 2016-12-07\n"})))
    assert where(problem) == (f"{OC}/participants/frnace.yaml", 1, 1, "OGP201", E)
    assert problem.message == (
        "member 'frnace' does not exist (did you mean 'france'?); "
        "add data/members/frnace.yaml or rename this file"
    )


def test_participant_with_member_passes(dataset):
    files = {
        "data/members/chile.yaml": "name: Chile\ntype: national-government\ncountry: CL\n",
        f"{OC}/participants/chile.yaml": "joined: 2016-12-07\n",
    }
    assert check(dataset(files)) == []


def test_invalid_member_does_not_cascade(dataset):
    """The member file exists but is invalid: its own error only, no "does not exist"."""
    root = dataset({MEMBER_GOV: "name: France\ntype: national-govt\ncountry: FR\n"})
    problem = only(check(root))
    assert where(problem) == (MEMBER_GOV, 2, 7, "OGP101", E)


def test_unloadable_member_does_not_cascade(dataset):
    root = dataset({MEMBER_CSO: "name: [broken\n"})
    problem = only(check(root))
    assert (problem.path, problem.code) == (MEMBER_CSO, codes.YAML_SYNTAX)


# --- OGP202 leader → participant ------------------------------------------------------


def test_leader_not_taking_part(dataset):
    problems = check(dataset({PART_CSO: None}))
    assert [p.code for p in problems] == ["OGP202", "OGP303"]
    assert where(problems[0]) == (f"{OC}/action.yaml", 9, 18, "OGP202", E)
    assert problems[0].message == (
        "leaders.civil_society: 'transparency-international' does not take part in this "
        "action; add data/actions/open-contracting/participants/transparency-international.yaml"
        " (`ogpctl join open-contracting transparency-international`)"
    )


def test_leader_not_a_member(dataset):
    root = dataset({ACTION: replaced(ACTION, "government: france", "government: frances")})
    problem = only(check(root))
    assert where(problem) == (f"{OC}/action.yaml", 8, 15, "OGP202", E)
    assert problem.message == (
        "leaders.government: 'frances' is not a member (did you mean 'france'?)"
    )


def test_leader_with_invalid_participation_does_not_cascade(dataset):
    problem = only(check(dataset({PART_GOV: "joined: soon\n"})))
    assert (problem.path, problem.code) == (PART_GOV, codes.BAD_DATE)


# --- OGP203 leader types --------------------------------------------------------------


def test_leaders_of_the_wrong_type(dataset):
    action = replaced(ACTION, "government: france", "government: transparency-international")
    action = action.replace("civil_society: transparency-international", "civil_society: france")
    problems = check(dataset({ACTION: action}))
    assert [where(p) for p in problems] == [
        (f"{OC}/action.yaml", 8, 15, "OGP203", E),
        (f"{OC}/action.yaml", 9, 18, "OGP203", E),
    ]
    assert problems[0].message == (
        "leaders.government: 'transparency-international' is of type civil-society; "
        "the government leader must be of type national-government or subnational-government"
    )
    assert problems[1].message == (
        "leaders.civil_society: 'france' is of type national-government; "
        "the civil-society leader must be of type civil-society"
    )


def test_subnational_government_may_lead(dataset):
    root = dataset({MEMBER_GOV: "name: Paris\ntype: subnational-government\ncountry: FR\n"})
    assert check(root) == []


# --- OGP204 update author -------------------------------------------------------------


def test_update_author_not_a_member_is_told_the_members_near_it(dataset):
    path = f"{OC}/updates/2017-07-01-frnace.yaml"
    problem = only(check(dataset({path: BASELINE[UPDATE]})))
    assert where(problem) == (path, 1, 1, "OGP204", E)
    assert problem.message == (
        "author 'frnace' is not a member (did you mean 'france'?); add data/members/frnace.yaml, "
        "or name the file after the member who wrote it"
    )


def test_update_author_not_taking_part(dataset):
    path = f"{OC}/updates/2017-07-01-oxfam.yaml"
    oxfam = {"data/members/oxfam.yaml": "name: Oxfam\ntype: civil-society\n"}
    found = check(dataset({path: BASELINE[UPDATE], **oxfam}))
    problem = only([p for p in found if p.code != "OGP303"])
    assert where(problem) == (path, 1, 1, "OGP204", E)
    assert problem.message == (
        "author 'oxfam' does not take part in open-contracting; add "
        "data/actions/open-contracting/participants/oxfam.yaml "
        "(`ogpctl join open-contracting oxfam`)"
    )


def test_update_before_the_author_joined(dataset):
    problem = only(check(dataset({PART_GOV: "joined: 2017-06-02\n"})))
    assert where(problem) == (UPDATE, 1, 1, "OGP204", E)
    assert problem.message == (
        "author 'france' joined open-contracting on 2017-06-02, after this update's date 2017-06-01"
    )


def test_update_on_the_day_the_author_joined(dataset):
    assert check(dataset({PART_GOV: "joined: 2017-06-01\n"})) == []


# --- OGP205 update milestones ---------------------------------------------------------


def test_update_milestone_not_in_the_action(dataset):
    root = dataset({UPDATE: replaced(UPDATE, "publish-data: limited", "publish-dta: limited")})
    problem = only(check(root))
    assert where(problem) == (UPDATE, 8, 16, "OGP205", E)
    assert problem.message == (
        "milestone 'publish-dta' is not a milestone of open-contracting "
        "(did you mean 'publish-data'?); it has: publish-data"
    )


def test_update_milestone_of_an_action_without_milestones(dataset):
    action = BASELINE[ACTION].split("milestones:")[0]
    problem = only(check(dataset({ACTION: action})))
    assert problem.code == "OGP205"
    assert problem.message.endswith("; it has: none")


def test_update_milestones_of_an_invalid_action_are_not_checked(dataset):
    problem = only(check(dataset({ACTION: replaced(ACTION, "theme: transparency", "theme: x")})))
    assert (problem.path, problem.code) == (ACTION, codes.INVALID_VALUE)


# --- OGP206 update dates --------------------------------------------------------------


def test_update_published_after_today(dataset):
    path = f"{OC}/updates/2017-09-02-france.yaml"
    problem = only(check(dataset({path: BASELINE[UPDATE]})))
    assert where(problem) == (path, 1, 1, "OGP206", E)
    assert problem.message == "published 2017-09-02, which is after today (2017-09-01)"


def test_update_published_today(dataset):
    assert check(dataset({f"{OC}/updates/2017-09-01-france.yaml": BASELINE[UPDATE]})) == []


def test_update_period_ends_after_publication(dataset):
    root = dataset({UPDATE: replaced(UPDATE, "end: 2017-05-31", "end: 2017-06-02")})
    problem = only(check(root))
    assert where(problem) == (UPDATE, 3, 8, "OGP206", E)
    assert problem.message == (
        "period.end 2017-06-02 is after the publication date 2017-06-01 (the date in the file name)"
    )


def test_update_period_ending_on_publication_day(dataset):
    assert check(dataset({UPDATE: replaced(UPDATE, "end: 2017-05-31", "end: 2017-06-01")})) == []


def test_today_is_pinned_by_the_environment(dataset, run, monkeypatch):
    root = dataset({f"{OC}/updates/2017-09-02-france.yaml": BASELINE[UPDATE]})
    assert run(root, "validate").exit_code == 1
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09-02")
    assert run(root, "validate").exit_code == 0


# --- OGP207 joined before launch ------------------------------------------------------


def test_joined_before_launch_is_a_warning(dataset):
    problem = only(check(dataset({PART_CSO: "joined: 2016-12-06\n"})))
    assert where(problem) == (PART_CSO, 1, 9, "OGP207", W)
    assert problem.message == (
        "joined 2016-12-06, before open-contracting was launched on 2016-12-07; "
        "check the date or its source"
    )


def test_joined_without_a_launch_date(dataset):
    root = dataset(
        {ACTION: replaced(ACTION, "launched: 2016-12-07\n", ""), PART_CSO: "joined: 2010-01-01\n"}
    )
    assert "OGP207" not in {p.code for p in check(root)}


# --- OGP208 action numbers ------------------------------------------------------------


def test_action_number_used_twice(dataset):
    path = "data/actions/zz-other/action.yaml"
    problem = only(check(dataset({path: "number: 1\ntitle: Other\ntheme: digital-commons\n"})))
    assert where(problem) == (path, 1, 9, "OGP208", E)
    assert problem.message == "number 1 is already used by open-contracting"


def test_distinct_action_numbers(dataset):
    path = "data/actions/zz-other/action.yaml"
    assert check(dataset({path: "number: 2\ntitle: Other\ntheme: digital-commons\n"})) == []


# --- OGP301 active without leaders ----------------------------------------------------


def test_active_action_missing_a_leader(dataset):
    root = dataset({ACTION: replaced(ACTION, "  civil_society: transparency-international\n", "")})
    problem = only(check(root))
    assert where(problem) == (ACTION, 8, 3, "OGP301", W)
    assert problem.message == (
        "active action without a civil-society leader (`ogpctl lead open-contracting …`)"
    )


def test_active_action_with_no_leaders_at_all(dataset):
    action = "title: X\ntheme: digital-commons\nstatus: active\n"
    problems = [p for p in check(dataset({ACTION: action})) if p.code == "OGP301"]
    assert [where(p) for p in problems] == [(ACTION, 3, 9, "OGP301", W)]
    assert problems[0].message.startswith(
        "active action without a government or a civil-society leader"
    )


def test_proposed_action_without_leaders_is_fine(dataset):
    action = (
        "title: X\ntheme: digital-commons\nstatus: proposed\nmilestones:\n"
        "  - id: publish-data\n    title: P\n"
    )
    assert check(dataset({ACTION: action})) == []


# --- OGP302 overdue update ------------------------------------------------------------


def test_overdue_update(dataset):
    problem = only(check(dataset(), today="2017-12-02"))
    assert where(problem) == (ACTION, 5, 9, "OGP302", W)
    assert problem.message == (
        "progress update overdue since 2017-12-01: last update 2017-06-01, "
        "one is due every 6 months"
    )


def test_update_due_today_is_not_overdue(dataset):
    assert check(dataset(), today="2017-12-01") == []


def test_overdue_without_any_update(dataset):
    problem = only(check(dataset({UPDATE: None}), today="2017-06-08"))
    assert problem.message == (
        "progress update overdue since 2017-06-07: no update since launch (2016-12-07), "
        "one is due every 6 months"
    )


def test_cadence_from_the_action_and_from_the_settings(dataset):
    slow = dataset({ACTION: BASELINE[ACTION] + "update_every_months: 12\n"})
    assert check(slow, today="2018-01-15") == []
    settings = dataset({"ogpctl.toml": "[dataset]\nupdate_every_months = 2\n"})
    assert only(check(settings, today="2017-08-02")).message.endswith("every 2 months")


# --- OGP303 member in no action -------------------------------------------------------


def test_member_in_no_action(dataset):
    path = "data/members/spain.yaml"
    root = dataset({path: "name: Spain\ntype: national-government\ncountry: ES\n"})
    problem = only(check(root))
    assert where(problem) == (path, 1, 1, "OGP303", W)
    assert problem.message == "'spain' takes part in no action"


def test_member_with_an_invalid_participation_takes_part(dataset):
    """An invalid participant file is reported once, not also as "takes part in no action"."""
    problem = only(check(dataset({PART_CSO: "joined: yesterday\n"})))
    assert where(problem) == (PART_CSO, 1, 9, "OGP106", E)


# --- every code is produced somewhere -------------------------------------------------

MEMBER = "name: X\ntype: other\n"
M = "data/members/x.yaml"

# code → files added to the baseline that produce it (at the given path)
CASES: dict[str, tuple[dict[str, str | bytes | None], str]] = {
    "OGP001": ({M: "name: " + "x" * 300_000 + "\n"}, M),
    "OGP002": ({M: b"name: \xe9\n"}, M),
    "OGP003": ({M: "<<<<<<< HEAD\nname: X\n"}, M),
    "OGP004": ({M: "name:\n\ten: X\n"}, M),
    "OGP005": ({M: "name: [\n"}, M),
    "OGP006": ({M: ""}, M),
    "OGP007": ({M: MEMBER + "---\n" + MEMBER}, M),
    "OGP008": ({M: "- x\n"}, M),
    "OGP009": ({M: MEMBER + "name: Y\n"}, M),
    "OGP010": ({M: "name: &a X\ntype: *a\n"}, M),
    "OGP011": ({M: "name: !!python/name:os.system\n"}, M),
    "OGP012": ({M: "name: " + "[" * 50 + "\n"}, M),
    "OGP013": ({M: "? {a: 1}\n: x\n"}, M),
    "OGP014": ({}, M),  # see test_every_code_is_produced: a file that goes before it is read
    "OGP020": ({"data/members/x.yml": MEMBER}, "data/members/x.yml"),
    "OGP021": ({}, "data/members/link.yaml"),  # a link, made in the test
    "OGP022": ({"data/members/X_Y.yaml": MEMBER}, "data/members/X_Y.yaml"),
    "OGP023": (
        {"data/actions/empty/participants/x.yaml": "joined: 2017-01-01\n"},
        "data/actions/empty",
    ),
    "OGP024": ({"data/members/France.yaml": MEMBER}, MEMBER_GOV),
    "OGP025": ({"data/members/nul.yaml": MEMBER}, "data/members/nul.yaml"),
    "OGP101": ({M: "name: X\ntype: nope\n"}, M),
    "OGP102": ({M: "name: X\n"}, M),
    "OGP103": ({M: MEMBER + "nmae: X\n"}, M),
    "OGP104": ({M: MEMBER + "acronym: 1\n"}, M),
    "OGP105": ({M: "name:\n  xx: X\ntype: other\n"}, M),
    "OGP106": ({PART_GOV: "joined: 2016/12/07\n"}, PART_GOV),
    "OGP107": ({M: "name: X\ntype: national-government\n"}, M),
    "OGP201": ({f"{OC}/participants/x.yaml": "joined: 2017-01-01\n"}, f"{OC}/participants/x.yaml"),
    "OGP202": ({PART_CSO: None}, ACTION),
    "OGP203": (
        {
            ACTION: replaced(ACTION, "government: france", "government: x"),
            f"{OC}/participants/x.yaml": "joined: 2017-01-01\n",
            M: MEMBER,
        },
        ACTION,
    ),
    "OGP204": ({PART_GOV: "joined: 2017-07-01\n"}, UPDATE),
    "OGP205": ({UPDATE: replaced(UPDATE, "publish-data:", "other:")}, UPDATE),
    "OGP206": ({UPDATE: replaced(UPDATE, "end: 2017-05-31", "end: 2017-06-30")}, UPDATE),
    "OGP207": ({PART_GOV: "joined: 2016-01-01\n"}, PART_GOV),
    "OGP208": (
        {"data/actions/x/action.yaml": "number: 1\ntitle: X\ntheme: digital-commons\n"},
        "data/actions/x/action.yaml",
    ),
    "OGP209": (
        {
            PART_CSO: "joined: 2016-12-07\nleft: 2017-01-01\n",
            f"{OC}/updates/2017-02-01-transparency-international.yaml": "completion: limited\n"
            "summary: x\n",
        },
        f"{OC}/updates/2017-02-01-transparency-international.yaml",
    ),
    "OGP210": ({PART_GOV: "joined: 2016-12-07\nleft: 2017-07-01\n"}, ACTION),
    "OGP211": (
        {MEMBER_CSO: replaced(MEMBER_CSO, "acronym: TI\n", "formerly: [france]\n")},
        MEMBER_CSO,
    ),
    "OGP301": ({ACTION: replaced(ACTION, "  government: france\n", "")}, ACTION),
    "OGP302": ({UPDATE: None}, ACTION),
    "OGP303": ({M: MEMBER}, M),
    "OGP304": ({M: "name: Transparency International\ntype: civil-society\n"}, M),
}


def test_the_table_covers_every_code():
    # codes of a change against a base need git history: see tests/check/test_review.py
    assert set(CASES) == {c for c, entry in codes.CODES.items() if entry.stage != "change"}


def _case_sensitive(folder: Path) -> bool:
    (folder / "probe").write_text("")
    sensitive = not (folder / "PROBE").exists()
    (folder / "probe").unlink()
    return sensitive


@pytest.mark.parametrize("code", sorted(CASES))
def test_every_code_is_produced(code, dataset, tmp_path):
    files, path = CASES[code]
    if code == "OGP024" and not _case_sensitive(tmp_path):
        pytest.skip("this filesystem ignores case")
    if code == "OGP014":  # listed by the scan, gone when read (root can read any mode)
        key = RecordKey(Kind.MEMBER, member="x")
        _, found = records.read(tmp_path, key, "en")
    else:
        root = dataset(files)
        if code == "OGP021":
            (root / path).symlink_to("france.yaml")
        found = check(root)
    matching = [p for p in found if p.code == code]
    assert matching, found
    assert all(p.path == path for p in matching)
    assert all(p.severity is codes.CODES[code].severity for p in matching)


@pytest.mark.parametrize(
    ("files", "said"),
    [
        (
            {MEMBER_CSO: replaced(MEMBER_CSO, "acronym: TI\n", "formerly: [ti, france]\n")},
            (
                MEMBER_CSO,
                3,
                16,
                "formerly: 'france' is a member's id now (data/members/france.yaml): "
                "if they are one member, `ogpctl merge france transparency-international`; else "
                "remove it from formerly",
            ),
        ),
        (
            {
                MEMBER_CSO: replaced(
                    MEMBER_CSO, "acronym: TI\n", "formerly:\n- transparency-international\n"
                )
            },
            (
                MEMBER_CSO,
                4,
                3,
                "formerly: 'transparency-international' is this member's own id: "
                "remove it from formerly",
            ),
        ),
        (
            {
                MEMBER_CSO: replaced(MEMBER_CSO, "acronym: TI\n", "formerly: [etalab]\n"),
                MEMBER_GOV: BASELINE[MEMBER_GOV] + "formerly: [etalab]\n",
            },
            (
                MEMBER_CSO,
                3,
                12,
                "formerly: 'etalab' is also a former id of 'france': keep it in one",
            ),
        ),
    ],
    ids=["a member's id", "its own id", "two members"],
)
def test_a_former_id_names_one_member(dataset, files, said):
    """OGP211: an old id whose address and history would be two members' is refused."""
    problem = only(check(dataset(files)))
    assert (problem.path, problem.line, problem.column, problem.message) == said
    assert (problem.code, problem.severity) == ("OGP211", E)
