"""A participant's `left:` date, a member's `formerly:`, second updates on one day, and
the likely-duplicate warning: each rule made to fail once and to pass once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import ACTION, BASELINE, MEMBER_CSO, PART_CSO, PART_GOV, TODAY

from ogpctl.check.validate import check_dataset
from ogpctl.model.keys import Kind, RecordKey, key_for, update_name
from ogpctl.problems import Problem

OC = "data/actions/open-contracting"


def check(root: Path) -> list[Problem]:
    return check_dataset(root, date.fromisoformat(TODAY))[1].problems


def found(root: Path) -> list[tuple[str, int, int, str, str]]:
    return [(p.path, p.line, p.column, p.code, p.message) for p in check(root)]


# --- left ------------------------------------------------------------------------------


def test_left_before_joined_is_an_error(dataset):
    root = dataset({PART_CSO: "joined: 2016-12-07\nleft: 2016-12-01\n"})
    assert (PART_CSO, 2, 7, "OGP107", "left (2016-12-01) is before joined (2016-12-07)") in (
        found(root)
    )


def test_a_member_who_left_no_longer_leads(dataset):
    root = dataset({PART_CSO: "joined: 2016-12-07\nleft: 2017-05-01\n"})
    assert found(root) == [
        (
            ACTION,
            9,
            18,
            "OGP210",
            "leaders.civil_society: 'transparency-international' left open-contracting on "
            "2017-05-01; name another leader (`ogpctl lead open-contracting --civil-society "
            "MEMBER`)",
        )
    ]


def test_an_update_after_its_author_left(dataset):
    later = f"{OC}/updates/2017-06-02-transparency-international.yaml"
    root = dataset(
        {
            PART_CSO: "joined: 2016-12-07\nleft: 2017-06-01\n",
            later: "completion: limited\nsummary: x\n",
            ACTION: BASELINE[ACTION].replace("  civil_society: transparency-international\n", ""),
        }
    )
    problems = [p for p in found(root) if p[3] == "OGP209"]
    assert problems == [
        (
            later,
            1,
            1,
            "OGP209",
            "author 'transparency-international' left open-contracting on 2017-06-01, before "
            "this update's date 2017-06-02; only a current participant publishes updates",
        )
    ]


def test_an_update_on_the_day_its_author_left_is_fine(dataset):
    root = dataset(
        {
            PART_GOV: "joined: 2016-12-07\nleft: 2017-06-01\n",
            ACTION: BASELINE[ACTION].replace("  government: france\n", ""),
        }
    )
    assert [p[3] for p in found(root)] == ["OGP301"]  # no government leader: a warning only


# --- formerly -------------------------------------------------------------------------


def test_formerly_lists_ids(dataset):
    good = BASELINE[MEMBER_CSO] + "formerly: [ti, transparency-intl]\n"
    assert found(dataset({MEMBER_CSO: good})) == []
    bad = BASELINE[MEMBER_CSO] + "formerly: [Transparency Intl]\n"
    assert [p[3] for p in found(dataset({MEMBER_CSO: bad}))] == ["OGP101"]


# --- a second update on one day -------------------------------------------------------


def test_update_names_with_a_sequence_number():
    day = date(2017, 6, 1)
    assert update_name("2017-06-01-france") == (day, "france", 1)
    assert update_name("2017-06-01-france-2") == (day, "france", 2)
    assert update_name("2017-06-01-france-12") == (day, "france", 12)
    assert update_name("2017-06-01-france-1") == (day, "france-1", 1)  # no `-1`: an id
    key = key_for(f"{OC}/updates/2017-06-01-france-3.yaml")
    assert key is not None
    assert (key.member, key.sequence, key.label) == (
        "france",
        3,
        "open-contracting/2017-06-01-france-3",
    )
    assert key == RecordKey(Kind.UPDATE, "open-contracting", "france", day, 3)


def test_a_second_update_on_one_day_is_valid(dataset):
    second = f"{OC}/updates/2017-06-01-france-2.yaml"
    root = dataset({second: "completion: substantial\nsummary: Corrected figures.\n"})
    assert found(root) == []
    dataset_, _ = check_dataset(root, date.fromisoformat(TODAY))
    assert [u.key.sequence for u in dataset_.updates["open-contracting"]] == [1, 2]


def test_a_second_update_by_an_unknown_author_names_the_author(dataset):
    second = f"{OC}/updates/2017-06-01-spain-2.yaml"
    root = dataset({second: "completion: limited\nsummary: x\n"})
    assert [(p[0], p[3]) for p in found(root)] == [(second, "OGP204")]
    assert "author 'spain' is not a member" in found(root)[0][4]  # not 'spain-2'


# --- likely duplicates ----------------------------------------------------------------

FR = "name: France\ntype: national-government\ncountry: FR\n"


def test_two_national_governments_of_one_country(dataset):
    root = dataset({"data/members/republique-francaise.yaml": FR.replace("France", "RF")})
    problems = [p for p in found(root) if p[3] == "OGP304"]
    assert problems == [
        (
            "data/members/republique-francaise.yaml",
            3,
            10,
            "OGP304",
            "'republique-francaise' has the same type and country FR as 'france': if they are "
            "one member, `ogpctl merge republique-francaise france`",
        )
    ]


def test_same_name_in_another_case_or_spacing(dataset):
    path = "data/members/ti.yaml"  # before transparency-international: that one is flagged
    root = dataset({path: "name:\n  en: transparency  international\ntype: civil-society\n"})
    problems = [p for p in found(root) if p[3] == "OGP304"]
    assert [(p[0], p[1], p[2]) for p in problems] == [(MEMBER_CSO, 1, 7)]
    assert problems[0][4].startswith(
        "'transparency-international' has the same type and name 'Transparency International' "
        "as 'ti'"
    )


def test_same_website_however_written(dataset):
    cso = "name: {n}\ntype: civil-society\nwebsite: {w}\n"
    root = dataset(
        {
            "data/members/a.yaml": cso.format(n="A", w="https://www.example.org/"),
            "data/members/b.yaml": cso.format(n="B", w="http://EXAMPLE.org"),
        }
    )
    problems = [p for p in found(root) if p[3] == "OGP304"]
    assert [(p[0], p[4][:40]) for p in problems] == [
        ("data/members/b.yaml", "'b' has the same type and website as 'a'")
    ]


def test_alike_members_of_different_types_are_fine(dataset):
    files = {
        "data/members/fr-cso.yaml": "name: France\ntype: civil-society\n",
        "data/members/paris.yaml": (
            "name: Paris\ntype: subnational-government\ncountry: FR\nsubdivision: FR-75C\n"
        ),
        "data/members/lyon.yaml": (
            "name: Lyon\ntype: subnational-government\ncountry: FR\nsubdivision: FR-69M\n"
        ),
    }
    assert [p for p in found(dataset(files)) if p[3] == "OGP304"] == []
