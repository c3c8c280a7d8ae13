"""One record file against its model: each failure a problem with code, line, column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ogpctl import codes
from ogpctl.check import record_file as records
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.records import Action, Member, Participant, Update
from ogpctl.problems import Severity

KEYS = {
    Kind.MEMBER: RecordKey(Kind.MEMBER, member="x"),
    Kind.ACTION: RecordKey(Kind.ACTION, action="x"),
    Kind.PARTICIPANT: RecordKey(Kind.PARTICIPANT, action="x", member="y"),
    Kind.UPDATE: RecordKey(Kind.UPDATE, action="x", member="y", published=date(2017, 6, 1)),
}
M, A, P, U = Kind.MEMBER, Kind.ACTION, Kind.PARTICIPANT, Kind.UPDATE
ACTION = "title: X\ntheme: digital-commons\n"
UPDATE = "completion: limited\nsummary: x\n"
MEMBER_TYPES = "'civil-society', 'national-government', 'other', 'subnational-government'"
COMPLETIONS = "'complete', 'limited', 'not-started', 'substantial', 'withdrawn'"

Found = list[tuple[int, int, str, str]]


def load(kind: Kind, text: str, language: str = "en") -> tuple[object, Found]:
    loaded, problems = records.parse(KEYS[kind], text.encode("utf-8"), language)
    assert all(p.path == KEYS[kind].path and p.severity is Severity.ERROR for p in problems)
    return (loaded.record if loaded else None), [
        (p.line, p.column, p.code, p.message) for p in problems
    ]


def problems(kind: Kind, text: str) -> Found:
    return load(kind, text)[1]


def valid(kind: Kind, text: str, language: str = "en") -> object:
    record, found = load(kind, text, language)
    assert found == []
    assert record is not None
    return record


# --- valid records --------------------------------------------------------------------


def test_minimal_member():
    member = valid(M, "name: Oxfam\ntype: civil-society\n")
    assert isinstance(member, Member)
    assert member.name == {"en": "Oxfam"}
    assert (member.type, member.country, member.maintainers) == ("civil-society", None, [])


def test_full_member():
    member = valid(
        M,
        """\
name:
  en: City of Paris
  fr: Ville de Paris
type: subnational-government
country: FR
subdivision: FR-75C
acronym: VP
website: https://www.paris.fr
ogp_member_since: 2016
maintainers: [octocat, ogp/data-team]
sources:
  - url: https://www.opengovpartnership.org/members/paris-france/
    title: OGP member page
    retrieved: 2017-01-15
""",
    )
    assert isinstance(member, Member)
    assert member.name == {"en": "City of Paris", "fr": "Ville de Paris"}
    assert member.subdivision == "FR-75C"
    assert member.sources[0].retrieved == date(2017, 1, 15)


def test_minimal_and_full_action():
    assert isinstance(valid(A, ACTION), Action)
    action = valid(
        A,
        """\
number: 1
title:
  en: Open public procurement
theme: transparency-integrity-anticorruption
summary: Publish contracting data.
status: active
launched: 2016-12-07
leaders:
  government: france
  civil_society: open-contracting-partnership
working_group: open-data
standards: [ocds]
milestones:
  - id: publish
    title: Publish
    due: 2017-12-31
resources:
  - title: OCDS
    url: https://standard.open-contracting.org
    type: standard
update_every_months: 12
sources:
  - url: https://www.opengovpartnership.org/paris-declaration/
""",
    )
    assert isinstance(action, Action)
    assert action.launched == date(2016, 12, 7)
    assert action.leaders is not None and action.leaders.civil_society == (
        "open-contracting-partnership"
    )
    assert action.milestones[0].due == date(2017, 12, 31)
    assert action.resources[0].type == "standard"


def test_minimal_and_full_participant():
    assert valid(P, "joined: 2016-12-07\n") == Participant(joined=date(2016, 12, 7))
    participant = valid(
        P,
        """\
joined: 2016-12-07
contribution:
  en: We publish.
  es: Publicamos.
national_action_plan:
  plan: Third NAP
  commitment: "5"
  url: https://example.org/nap
""",
    )
    assert isinstance(participant, Participant)
    assert participant.national_action_plan is not None
    assert participant.national_action_plan.commitment == "5"


def test_minimal_and_full_update():
    assert isinstance(valid(U, UPDATE), Update)
    update = valid(
        U,
        """\
period:
  start: 2016-12-07
  end: 2017-05-31
completion: substantial
summary:
  en: Done.
milestones:
  publish: complete
evidence:
  - https://example.org/report
""",
    )
    assert isinstance(update, Update)
    assert update.milestones == {"publish": "complete"}
    assert update.period is not None and update.period.end == date(2017, 5, 31)


def test_plain_string_is_the_default_language():
    assert valid(M, "name: Oxfam\ntype: other\n").name == {"en": "Oxfam"}  # type: ignore[attr-defined]
    assert valid(M, "name: Oxfam\ntype: other\n", language="fr").name == {  # type: ignore[attr-defined]
        "fr": "Oxfam"
    }


def test_yaml_1_1_traps_stay_text():
    member = valid(M, "name: Norway\ntype: national-government\ncountry: NO\nacronym: ON\n")
    assert isinstance(member, Member)
    assert (member.country, member.acronym) == ("NO", "ON")


def test_same_period_day_is_fine():
    valid(U, "period:\n  start: 2017-01-01\n  end: 2017-01-01\n" + UPDATE)


# --- unknown and missing keys ---------------------------------------------------------


def test_unknown_key_with_did_you_mean():
    assert problems(A, "titel: X\ntheme: digital-commons\n") == [
        (1, 1, codes.MISSING_FIELD, "`title` is required"),
        (
            1,
            1,
            codes.UNKNOWN_FIELD,
            "unknown key 'titel' (did you mean 'title'?); action records take: number, title, "
            "theme, summary, status, launched, leaders, working_group, standards, milestones, "
            "resources, update_every_months, sources",
        ),
    ]


def test_unknown_key_points_at_the_key():
    found = problems(M, "name: X\ntype: other\n  \nwebsit: https://x.org\n")
    assert found[0][:3] == (4, 1, codes.UNKNOWN_FIELD)
    assert "did you mean 'website'?" in found[0][3]


def test_unknown_nested_key():
    found = problems(A, ACTION + "leaders:\n  governmnt: france\n")
    assert found == [
        (
            4,
            3,
            codes.UNKNOWN_FIELD,
            "unknown key 'governmnt' (did you mean 'government'?); `leaders` take: government, "
            "civil_society",
        ),
    ]


def test_unknown_key_in_a_list_item():
    found = problems(A, ACTION + "milestones:\n  - id: a\n    title: A\n    date: 2017-01-01\n")
    assert found[0][:3] == (6, 5, codes.UNKNOWN_FIELD)
    assert found[0][3].startswith("unknown key 'date'; `milestones[0]` take: id, title, due")


def test_missing_enum_field_lists_allowed_values():
    assert problems(M, "name: X\n") == [
        (1, 1, codes.MISSING_FIELD, f"`type` is required: one of {MEMBER_TYPES}"),
    ]


def test_missing_field_points_at_the_parent_mapping():
    found = problems(U, "period:\n  start: 2017-01-01\n" + UPDATE)
    assert found == [(2, 3, codes.MISSING_FIELD, "`period.end` is required")]
    found = problems(A, ACTION + "milestones:\n  - id: a\n  - title: B\n")
    assert found == [
        (4, 5, codes.MISSING_FIELD, "`milestones[0].title` is required"),
        (5, 5, codes.MISSING_FIELD, "`milestones[1].id` is required"),
    ]


def test_every_model_error_is_reported():
    found = problems(M, "nam: X\ntype: nope\ncountry: XX\nacronym: 1\n")
    assert sorted((f[0], f[2]) for f in found) == [
        (1, codes.MISSING_FIELD),
        (1, codes.UNKNOWN_FIELD),
        (2, codes.INVALID_VALUE),
        (3, codes.BAD_CODE),
        (4, codes.WRONG_TYPE),
    ]


# --- wrong values and types -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            M,
            "name: X\ntype: civil-societyy\n",
            (
                2,
                7,
                f"type: 'civil-societyy' is not allowed; use one of {MEMBER_TYPES} "
                "(did you mean 'civil-society'?)",
            ),
        ),
        (
            A,
            "title: X\ntheme: climate\n",
            (
                2,
                8,
                "theme: 'climate' is not allowed; use one of 'climate-sustainable-development', "
                "'digital-commons', 'transparency-integrity-anticorruption'",
            ),
        ),
        (
            A,
            ACTION + "status: actve\n",
            (
                3,
                9,
                "status: 'actve' is not allowed; use one of 'active', 'completed', "
                "'discontinued', 'proposed' (did you mean 'active'?)",
            ),
        ),
        (
            U,
            "completion: partial\nsummary: x\n",
            (1, 13, f"completion: 'partial' is not allowed; use one of {COMPLETIONS}"),
        ),
        (
            U,
            UPDATE + "milestones:\n  a: done\n",
            (4, 6, f"milestones.a: 'done' is not allowed; use one of {COMPLETIONS}"),
        ),
        (
            A,
            ACTION + "resources:\n  - title: T\n    url: https://x.org\n    type: toolkit\n",
            (
                6,
                11,
                "resources[0].type: 'toolkit' is not allowed; use one of 'dataset', 'guide', "
                "'other', 'standard', 'tool' (did you mean 'tool'?)",
            ),
        ),
    ],
)
def test_wrong_enum_value(kind, text, expected):
    assert problems(kind, text) == [(*expected[:2], codes.INVALID_VALUE, expected[2])]


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            A,
            'number: "3"\n' + ACTION,
            (
                1,
                9,
                "number: expected a whole number, found text '3'; write the number without quotes",
            ),
        ),
        (A, "number: 3.0\n" + ACTION, (1, 9, "number: expected a whole number, found number 3.0")),
        (A, "number: true\n" + ACTION, (1, 9, "number: expected a whole number, found true")),
        (
            M,
            "name: X\ntype: other\nacronym: 123\n",
            (3, 10, "acronym: expected text, found number 123; put it in quotes to make it text"),
        ),
        (
            M,
            "name: X\ntype: other\nacronym: yes please\nmaintainers: octocat\n",
            (4, 14, "maintainers: expected a list (`- ` lines), found text 'octocat'"),
        ),
        (
            M,
            "name:\ntype: other\n",
            (1, 6, "name: expected a mapping (indented `key: value` lines), found no value"),
        ),
        (
            M,
            "name: [a]\ntype: other\n",
            (1, 7, "name: expected a mapping (indented `key: value` lines), found a list ['a']"),
        ),
        (
            A,
            ACTION + "leaders: [a, b]\n",
            (
                3,
                10,
                "leaders: expected a mapping (indented `key: value` lines), "
                "found a list ['a', 'b']",
            ),
        ),
        (
            U,
            "period: 2017\n" + UPDATE,
            (1, 9, "period: expected a mapping (indented `key: value` lines), found number 2017"),
        ),
        (
            M,
            "name: X\ntype: national-government\ncountry: FR\nogp_member_since: '2012'\n",
            (
                4,
                19,
                "ogp_member_since: expected a whole number, found text '2012'; "
                "write the number without quotes",
            ),
        ),
    ],
)
def test_wrong_type(kind, text, expected):
    assert problems(kind, text) == [(*expected[:2], codes.WRONG_TYPE, expected[2])]


def test_long_values_are_shortened_in_messages():
    (found,) = problems(M, "name: X\ntype: " + "x" * 200 + "\n")
    assert "'" + "x" * 50 in found[3]
    assert "x" * 100 not in found[3]
    assert "…" in found[3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            ACTION + "update_every_months: 0\n",
            (3, 22, "update_every_months: input should be greater than or equal to 1 (found 0)"),
        ),
        (
            "number: 0\n" + ACTION,
            (1, 9, "number: input should be greater than or equal to 1 (found 0)"),
        ),
    ],
)
def test_out_of_range_numbers(text, expected):
    assert problems(A, text) == [(*expected[:2], codes.INVALID_VALUE, expected[2])]


# --- ISO codes and rules within one record --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: X\ntype: national-government\ncountry: XX\n",
            (3, 10, "country: 'XX' is not an ISO 3166-1 alpha-2 country code (for example 'FR')"),
        ),
        (
            "name: X\ntype: national-government\ncountry: fr\n",
            (3, 10, "country: 'fr' is not an ISO 3166-1 alpha-2 country code (did you mean 'FR'?)"),
        ),
        (
            "name: X\ntype: national-government\ncountry: FRA\n",
            (3, 10, "country: 'FRA' is not an ISO 3166-1 alpha-2 country code (for example 'FR')"),
        ),
        (
            "name: X\ntype: subnational-government\ncountry: FR\nsubdivision: FR-XYZ\n",
            (
                4,
                14,
                "subdivision: 'FR-XYZ' is not an ISO 3166-2 subdivision code "
                "(for example 'GB-SCT')",
            ),
        ),
        (
            "name:\n  xx: X\ntype: other\n",
            (2, 3, "name.xx: 'xx' is not an ISO 639-1 language code (for example 'en')"),
        ),
        (
            "name:\n  eng: X\ntype: other\n",
            (2, 3, "name.eng: 'eng' is not an ISO 639-1 language code (for example 'en')"),
        ),
    ],
)
def test_bad_iso_codes(text, expected):
    assert problems(M, text) == [(*expected[:2], codes.BAD_CODE, expected[2])]


def test_bad_language_in_nested_text():
    found = problems(A, ACTION + "milestones:\n  - id: a\n    title:\n      zz: A\n")
    assert found == [
        (
            6,
            7,
            codes.BAD_CODE,
            "milestones[0].title.zz: 'zz' is not an ISO 639-1 language code (for example 'en')",
        )
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: X\ntype: subnational-government\ncountry: FR\nsubdivision: GB-SCT\n",
            (4, 14, "'GB-SCT' is not in country 'FR'"),
        ),
        (
            "name: X\ntype: national-government\n",
            (2, 7, "a national-government needs `country` (ISO 3166-1 alpha-2)"),
        ),
        (
            "name: X\ntype: subnational-government\nsubdivision: GB-SCT\n",
            (2, 7, "a subnational-government needs `country` (ISO 3166-1 alpha-2)"),
        ),
        (
            "name: X\ntype: civil-society\nogp_member_since: 2012\n",
            (3, 19, "only governments have `ogp_member_since`"),
        ),
        (
            "name: X\ntype: national-government\ncountry: FR\nsubdivision: FR-75C\n",
            (4, 14, "only a subnational-government has `subdivision`"),
        ),
    ],
)
def test_member_rules(text, expected):
    record, found = load(M, text)
    assert record is not None  # the record loads: the rule is about its fields together
    assert found == [(*expected[:2], codes.RECORD_RULE, expected[2])]


def test_subdivision_in_its_country_is_fine():
    valid(M, "name: Scotland\ntype: subnational-government\ncountry: GB\nsubdivision: GB-SCT\n")


# --- localised text -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: {}\n", (1, 7, "name: must not be empty (found {})")),
        ("name:\n  en: ''\n", (2, 7, "name.en: must not be empty (found '')")),
        ("name: ''\n", (1, 7, "name.en: must not be empty (found '')")),
        ("name: '  '\n", (1, 7, "name.en: must not be blank (found '  ')")),
        ('name:\n  fr: "\\n\\t"\n', (2, 7, "name.fr: must not be blank (found '\\n\\t')")),
    ],
)
def test_empty_localised_text(text, expected):
    assert problems(M, text + "type: other\n") == [
        (*expected[:2], codes.INVALID_VALUE, expected[2])
    ]


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("07/12/2016", "'07/12/2016'"),
        ("2016-13-01", "'2016-13-01'"),
        ("2016-02-30", "'2016-02-30'"),
        ("20161207", "20161207"),
        ("2016-12-07T10:00:00", "'2016-12-07T10:00:00'"),
        ("2016-12-7", "'2016-12-7'"),
        ("'7 December 2016'", "'7 December 2016'"),
        ("2016.12", "2016.12"),
    ],
)
def test_dates_must_be_iso(value, shown):
    assert problems(P, f"joined: {value}\n") == [
        (1, 9, codes.BAD_DATE, f"joined: {shown} is not a calendar date; write YYYY-MM-DD"),
    ]


def test_nested_dates():
    found = problems(U, "period:\n  start: 2017-01-01\n  end: 2017-02-29\n" + UPDATE)
    assert found == [
        (3, 8, codes.BAD_DATE, "period.end: '2017-02-29' is not a calendar date; write YYYY-MM-DD")
    ]


def test_period_end_before_start():
    record, found = load(U, "period:\n  start: 2017-02-01\n  end: 2017-01-31\n" + UPDATE)
    assert record is not None
    assert found == [
        (3, 8, codes.RECORD_RULE, "period ends (2017-01-31) before it starts (2017-02-01)")
    ]


def test_duplicate_milestone_ids():
    text = (
        ACTION + "milestones:\n  - id: a\n    title: A\n  - id: b\n    title: B\n"
        "  - id: a\n    title: C\n"
    )
    assert problems(A, text) == [(8, 9, codes.RECORD_RULE, "milestone 'a' twice")]


def test_duplicate_resource_urls():
    text = ACTION + (
        "resources:\n  - title: A\n    url: https://a.org/\n  - title: B\n    url: https://b.org/\n"
        "  - title: C\n    url: https://a.org/\n    type: tool\n"
    )
    assert problems(A, text) == [
        (9, 10, codes.RECORD_RULE, "resource 'https://a.org/' twice: one entry per address")
    ]


# --- urls, ids, handles ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            M,
            "name: X\ntype: other\nwebsite: example.org\n",
            (
                3,
                10,
                "website: 'example.org' is not a web address starting with http:// or https://",
            ),
        ),
        (
            M,
            "name: X\ntype: other\nwebsite: 'https:// x.org'\n",
            (
                3,
                10,
                "website: 'https:// x.org' is not a web address starting with http:// or https://",
            ),
        ),
        (
            P,
            "joined: 2017-01-01\nsources:\n  - url: ftp://x.org/a\n",
            (
                3,
                10,
                "sources[0].url: 'ftp://x.org/a' is not a web address starting with http:// or "
                "https://",
            ),
        ),
        (
            U,
            UPDATE + "evidence:\n  - https://ok.org\n  - javascript:alert(1)\n",
            (
                5,
                5,
                "evidence[1]: 'javascript:alert(1)' is not a web address starting with http:// "
                "or https://",
            ),
        ),
        (
            A,
            ACTION + "leaders:\n  government: France\n",
            (
                4,
                15,
                "leaders.government: 'France' is not an id: lowercase letters, digits and "
                "single hyphens",
            ),
        ),
        (
            A,
            ACTION + "leaders:\n  civil_society: trans_intl\n",
            (
                4,
                18,
                "leaders.civil_society: 'trans_intl' is not an id: lowercase letters, digits "
                "and single hyphens",
            ),
        ),
        (
            A,
            ACTION + "standards: [OCDS]\n",
            (
                3,
                13,
                "standards[0]: 'OCDS' is not an id: lowercase letters, digits and single hyphens",
            ),
        ),
        (
            U,
            UPDATE + "milestones:\n  Bad_Id: limited\n",
            (
                4,
                3,
                "milestones.Bad_Id: 'Bad_Id' is not an id: lowercase letters, digits and "
                "single hyphens",
            ),
        ),
        (
            M,
            "name: X\ntype: other\nmaintainers: ['-bad']\n",
            (3, 15, "maintainers[0]: '-bad' is not a GitHub user name (or org/team)"),
        ),
    ],
)
def test_bad_urls_ids_and_handles(kind, text, expected):
    assert problems(kind, text) == [(*expected[:2], codes.INVALID_VALUE, expected[2])]


def test_too_long_leader_id():
    found = problems(A, ACTION + "leaders:\n  government: " + "a" * 65 + "\n")
    assert found[0][:3] == (4, 15, codes.INVALID_VALUE)
    assert found[0][3].startswith("leaders.government: ")


# --- loading problems and duplicates come through -------------------------------------


def test_loading_problem_becomes_a_problem():
    assert problems(M, "name: [x\n") == [
        (
            1,
            7,
            codes.YAML_SYNTAX,
            "YAML syntax: did not find expected ',' or ']'; the '[' on "
            "line 1 starts a list or mapping that is never closed: close it with ']', or quote "
            "text that starts with '['",
        ),
    ]


def test_duplicate_keys_are_reported_and_the_record_still_loads():
    record, found = load(M, "name: X\ntype: other\nname: Y\n")
    assert found == [(3, 1, codes.DUPLICATE_KEY, "key 'name' appears twice (first on line 1)")]
    assert isinstance(record, Member) and record.name == {"en": "X"}


def test_unreadable_file(tmp_path: Path):
    loaded, found = records.read(tmp_path, KEYS[M], "en")
    assert loaded is None
    assert [(p.path, p.line, p.column, p.code) for p in found] == [
        ("data/members/x.yaml", 1, 1, codes.UNREADABLE)
    ]
    assert found[0].message == "cannot read the file: No such file or directory"


def test_read_never_follows_a_link(tmp_path: Path):
    (tmp_path / "data/members").mkdir(parents=True)
    (tmp_path / "target.yaml").write_text("name: X\ntype: other\n")
    (tmp_path / "data/members/x.yaml").symlink_to(tmp_path / "target.yaml")
    loaded, found = records.read(tmp_path, KEYS[M], "en")
    assert loaded is None
    assert [p.code for p in found] == [codes.UNREADABLE]


def test_loaded_record_keeps_positions():
    loaded, _ = records.parse(KEYS[A], (ACTION + "leaders:\n  government: fr\n").encode(), "en")
    assert loaded is not None
    assert loaded.mark("leaders", "government") == (4, 15)
    assert loaded.mark("theme") == (2, 8)
    assert loaded.mark() == (1, 1)
