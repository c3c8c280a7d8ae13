"""Property-based and fuzz tests: hostile bytes never crash, hang or blow up the loader,
and every valid record survives the canonical writer unchanged.

- Loading: arbitrary bytes, YAML-shaped noise, and real shipped files mutated (bit flips,
  truncation, duplicated lines, inserted YAML syntax, conflict markers, NUL, BOM, deep
  nesting) give a record or problems, never an exception; each within a time bound.
- The whole dataset: `ogpctl validate` on a copy of the shipped dataset with mutated files
  exits 0 or 1 with a complete report, never a traceback.
- Memory: parsing the largest file a record may be stays under a bound.
- Round trip: records generated from the models' fields and vocabularies (localised text
  in several scripts, multi-line text, `NO`, `on`, `1e3`, `null`, `#x`, `: `, leading
  and trailing spaces, dates) written by `canonical.dump` load back equal, and writing
  again gives the same bytes.

Runs are reproducible (`derandomize=True`, no example database) and sized for CI: see the
`ogpctl-fuzz` profile and each test's `max_examples`. For a longer local hunt:
`OGPCTL_FUZZ_SCALE=20 python -m pytest tests/store/test_fuzz.py --hypothesis-show-statistics`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from helpers import REPO
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from typer.testing import CliRunner

from ogpctl import codes
from ogpctl.check import record_file as records
from ogpctl.cli import app
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.records import (
    ActionStatus,
    Completion,
    MemberType,
    ResourceType,
    Theme,
    WorkingGroup,
    country_codes,
    language_codes,
    subdivision_codes,
)
from ogpctl.problems import Problem
from ogpctl.store import canonical, yamlsafe
from ogpctl.store.scan import scan

SCALE = max(1, int(os.environ.get("OGPCTL_FUZZ_SCALE", "1")))

settings.register_profile(
    "ogpctl-fuzz",
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,
    deadline=None,  # time is bounded by each test's own generous check instead
    print_blob=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # no slow `explain`
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile("ogpctl-fuzz")


def examples(n: int) -> settings:
    return settings(FUZZ, max_examples=n * SCALE)


SECONDS_PER_FILE = 5.0  # a 256 KiB file parses in well under 0.1 s; this only catches hangs

SHIPPED: dict[str, RecordKey] = {key.path: key for key in scan(REPO).records}
SHIPPED_PATHS = sorted(SHIPPED)
KEYS = {
    Kind.MEMBER: RecordKey(Kind.MEMBER, member="x"),
    Kind.ACTION: RecordKey(Kind.ACTION, action="x"),
    Kind.PARTICIPANT: RecordKey(Kind.PARTICIPANT, action="x", member="y"),
    Kind.UPDATE: RecordKey(Kind.UPDATE, action="x", member="y", published=date(2017, 6, 1)),
}


def check_parse(key: RecordKey, raw: bytes) -> tuple[records.Loaded[Any] | None, list[Problem]]:
    """`records.parse` must answer, quickly, with a record or problems that make sense."""
    start = time.perf_counter()
    loaded, problems = records.parse(key, raw, "en")
    assert time.perf_counter() - start < SECONDS_PER_FILE
    assert loaded is not None or problems, "refused without saying why"
    assert len(problems) <= records.MAX_PROBLEMS
    for problem in problems:
        assert problem.path == key.path
        assert problem.line >= 1 and problem.column >= 1
        assert problem.code in codes.CODES
        assert problem.message and problem.message.strip() == problem.message
    return loaded, problems


def assert_round_trips(kind: Kind, record: Any) -> str:
    """Written canonically, `record` loads back equal; writing it again changes nothing."""
    text = canonical.dump(kind, record)
    loaded, problems = records.parse(KEYS[kind], text.encode("utf-8"), "en")
    assert problems == [], text
    assert loaded is not None
    assert loaded.record == record, text
    assert canonical.dump(kind, loaded.record) == text
    return text


# --- loading: arbitrary input ----------------------------------------------------------

YAML_BITS = [
    *"abcxyz019 :-?,[]{}&*!|>'\"#%@`~\\.\n\n\n",
    "\t",
    "\x00",
    "\ufeff",
    "\x1b",
    "\x85",
    "\u2028",
    "é",
    "&a ",
    "*a",
    "!!python/object/apply:os.system ",
    "!!str ",
    "!t ",
    "<<: ",
    "<<<<<<< HEAD\n",
    "=======\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "name: ",
    "type: ",
    "title:\n  en: ",
    "  ",
    "- ",
    "? ",
    "|\n",
    ">-\n",
    '"\\u00e9\\x1b\\N',
    "[" * 20,
    "{a: " * 20,
    "- " * 20,
]


@examples(300)
@given(kind=st.sampled_from(Kind), raw=st.binary(max_size=600))
def test_arbitrary_bytes_never_crash(kind: Kind, raw: bytes) -> None:
    check_parse(KEYS[kind], raw)


@examples(400)
@given(
    kind=st.sampled_from(Kind),
    text=st.lists(st.sampled_from(YAML_BITS), max_size=60).map("".join),
)
def test_yaml_shaped_noise_never_crashes(kind: Kind, text: str) -> None:
    check_parse(KEYS[kind], text.encode("utf-8"))


@examples(150)
@given(kind=st.sampled_from(Kind), text=st.text(max_size=300))
def test_arbitrary_unicode_never_crashes(kind: Kind, text: str) -> None:
    check_parse(KEYS[kind], text.encode("utf-8", "surrogatepass"))


# --- loading: mutated real files -------------------------------------------------------

INSERTS = [
    "&a ",
    "*a",
    "&a [*a, *a]",
    "!!python/object:os.system ",
    "!!python/object/apply:subprocess.call [[ls]] ",
    "!!binary ",
    "[",
    "{",
    "]",
    "}",
    "\t",
    "\n\t",
    "<<<<<<< HEAD\n",
    "\n=======\n",
    ">>>>>>> branch\n",
    "\x00",
    "\ufeff",
    "\x1b[2J",
    "\u202e",
    "\r",
    "\r\n",
    "---\n",
    "\n---\n",
    "%YAML 1.1\n",
    ": ",
    "- ",
    "? ",
    "#",
    "'",
    '"',
    "|",
    "NO",
    "on",
    "yes",
    "1e3",
    "~",
    "null",
    "<<: {a: 1}\n",
    "[" * 40 + "]" * 40,
    "{a: " * 40 + "}" * 40,
    "".join(f"{'  ' * i}- a{i}:\n" for i in range(30)),
    "\nname: dup\n",
    "\ntype: dup\n",
]


@st.composite
def mutations(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` with one to four random mutations of the kinds a bad PR produces."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["flip", "truncate", "duplicate", "insert", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "truncate":
            del data[at:]
        elif how == "duplicate":
            lines = bytes(data).splitlines(keepends=True)
            if lines:
                i = draw(st.integers(0, len(lines) - 1))
                lines.insert(i, lines[i] * draw(st.integers(1, 3)))
                data = bytearray(b"".join(lines))
        elif how == "insert":
            data[at:at] = draw(st.sampled_from(INSERTS)).encode("utf-8")
        else:
            del data[at : at + draw(st.integers(1, 16))]
    return bytes(data)


@st.composite
def mutated_shipped_file(draw: st.DrawFn) -> tuple[RecordKey, bytes]:
    path = draw(st.sampled_from(SHIPPED_PATHS))
    return SHIPPED[path], draw(mutations((REPO / path).read_bytes()))


@examples(400)
@given(case=mutated_shipped_file())
def test_mutated_shipped_files_never_crash(case: tuple[RecordKey, bytes]) -> None:
    key, raw = case
    loaded, problems = check_parse(key, raw)
    if loaded is not None and not problems:  # still a valid record: canonical form holds
        assert_round_trips(key.kind, loaded.record)


# --- the whole dataset through the CLI -------------------------------------------------


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shipped") / "dataset"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "ogpctl.toml", root / "ogpctl.toml")
    return root


@st.composite
def dataset_mutations(draw: st.DrawFn) -> dict[str, bytes]:
    paths = draw(st.lists(st.sampled_from(SHIPPED_PATHS), min_size=1, max_size=3, unique=True))
    return {p: draw(mutations((REPO / p).read_bytes())) for p in paths}


@examples(20)
@given(changed=dataset_mutations(), fmt=st.sampled_from(["text", "json", "github"]))
def test_validate_mutated_dataset_reports(
    shipped_copy: Path, changed: dict[str, bytes], fmt: str
) -> None:
    """Exit 0 or 1 with a report, never a traceback; each bad file named in the report."""
    try:
        for path, raw in changed.items():
            (shipped_copy / path).write_bytes(raw)
        start = time.perf_counter()
        result = CliRunner().invoke(
            app, ["--root", str(shipped_copy), "validate", "--format", fmt], catch_exceptions=False
        )
        assert time.perf_counter() - start < 60
    finally:
        for path in changed:
            shutil.copy(REPO / path, shipped_copy / path)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert re.search(r"(valid|INVALID): \d+ files checked", result.stderr)
    bad = {p for p, raw in changed.items() if check_parse(SHIPPED[p], raw)[0] is None}
    if fmt == "json":
        document = json.loads(result.stdout)
        assert document["ok"] is (result.exit_code == 0)
        assert document["checked"] == len(SHIPPED)
        assert bad <= {p["path"] for p in document["problems"]}
    else:
        assert all(path in result.stdout for path in bad)


# --- bounded memory --------------------------------------------------------------------


def _fill(head: str, unit: str, tail: str = "") -> bytes:
    count = (yamlsafe.MAX_BYTES - len(head) - len(tail)) // len(unit)
    return (head + unit * count + tail).encode("utf-8")


LARGEST = {
    "long-text": _fill("name: ", "x"),
    "flow-list": _fill("maintainers: [", "1,", "1]\n"),
    "block-list": _fill("maintainers:\n", "- 1\n"),
    "empty-maps": _fill("sources: [", "{},", "{}]\n"),
    "nested": _fill("sources: [", "[" * 15 + "1" + "]" * 15 + ",", "1]\n"),
    "duplicate-keys": _fill("", "a: 1\n"),
    "many-keys": "".join(f"k{i}: 1\n" for i in range(30_000)).encode()[: yamlsafe.MAX_BYTES],
    "just-under-nodes": ("maintainers: [" + "1," * 9_996 + "1]\n").encode(),
    "unclosed-flow": _fill("a: ", "["),
    "one-line": _fill("", "ab "),
    "scalars-with-marks": _fill("evidence:\n", "- 'https://e.x/ab'\n"),
}
PEAK_MIB = 64  # a 46,000-file dataset must fit in 300 MiB: one file gets a small share


@pytest.mark.parametrize("raw", LARGEST.values(), ids=LARGEST.keys())
def test_largest_files_parse_with_bounded_memory_and_time(raw: bytes) -> None:
    assert len(raw) <= yamlsafe.MAX_BYTES
    tracemalloc.start()
    try:
        check_parse(KEYS[Kind.MEMBER], raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_MIB * 2**20, f"{peak / 2**20:.1f} MiB"


def test_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "data" / "members" / "big.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"name: " + b"x" * (8 * yamlsafe.MAX_BYTES))
    assert len(records.read_bytes(path)) == yamlsafe.MAX_BYTES + 1
    _, problems = records.read(tmp_path, RecordKey(Kind.MEMBER, member="big"), "en")
    assert [p.code for p in problems] == [codes.TOO_LARGE]


def test_too_many_nodes_is_refused_early() -> None:
    """Regression: 256 KiB of `[1,1,…]` used to take ~1 s, 150 MiB and 131,000 problems."""
    _, problems = check_parse(KEYS[Kind.MEMBER], LARGEST["flow-list"])
    assert [(p.code, p.line) for p in problems] == [(codes.TOO_LARGE, 1)]
    assert f"more than {yamlsafe.MAX_NODES:,} keys and values" in problems[0].message


def test_problems_of_one_file_are_capped() -> None:
    """Regression: one file could add 10,000 problems to a report; now at most 100."""
    _, problems = check_parse(KEYS[Kind.MEMBER], LARGEST["just-under-nodes"])
    assert len(problems) == records.MAX_PROBLEMS
    assert problems[-1].message.endswith(" more problems in this file, not shown)")
    # 9,997 wrong maintainers, and no `name` or `type`: 9,999 problems, 100 shown
    assert "(and 9,899 more problems" in problems[-1].message


# --- round trip of generated valid records ---------------------------------------------

TRICKY = [
    "NO",
    "no",
    "No",
    "on",
    "Off",
    "yes",
    "Y",
    "n",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "1.0",
    "1e3",
    "1E+3",
    ".5e3",
    "-0",
    "+1",
    "0x1A",
    "0o17",
    "1_000",
    "12:30",
    ".inf",
    ".NaN",
    "2017-06-01",
    "#x",
    "x #y",
    ": ",
    "a: b",
    "- x",
    "? x",
    "---",
    "...",
    "&a",
    "*a",
    "!x",
    "%x",
    "@x",
    "`x",
    "|",
    ">",
    "'",
    '"',
    "[x]",
    "{x: 1}",
    "<<",
    " leading",
    "trailing ",
    " both ",
    "x\n",
    "x\n\n",
    "\nx",
    " x\ny",
    "x\n y ",
    "x  \ny",
    "line one\nline two\n",
    "tab\tinside",
    "cr\rinside",
    "crlf\r\nline",
    "nel\x85x",
    "ls\u2028ps\u2029x",
    "bom\ufeffx",
    "esc\x1b[31m",
    "del\x7f",
    "Ελληνικά",
    "Русский текст",
    "中文标题",
    "日本語のタイトル",
    "العربية",
    "עברית\u202e",
    "हिन्दी",
    "emoji 😀 🇫🇷",
    "combining e\u0301",
    "\u00a0nbsp\u00a0",
    "\u3000ideographic",
    "x" * 300,
    "word " * 60,
]
LANGUAGES = sorted(
    {"en", "fr", "es", "pt", "ar", "zh", "ja", "ru", "el", "he", "hi", "no", "is", "or", "to"}
    & language_codes()
)
TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30),
).filter(lambda s: re.search(r"\S", s) is not None)
LOCALISED = st.dictionaries(st.sampled_from(LANGUAGES), TEXT, min_size=1, max_size=4)
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
SLUG = st.one_of(
    st.sampled_from(["1e3", "0e0", "123", "0", "no", "on", "yes", "null", "true", "nan", "inf"]),
    st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}\Z"),
)
URL = st.builds(
    lambda scheme, host, rest: f"{scheme}://{host}{rest}",
    st.sampled_from(["http", "https"]),
    st.from_regex(r"\A[a-z0-9][a-z0-9.-]{0,20}\Z"),
    st.text(
        st.characters(
            exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
            exclude_characters='"<>\\^`{|}',  # refused in URLs: they would make invalid HTML
        ),
        max_size=30,
    ),
)
SOURCES = st.lists(
    st.fixed_dictionaries(
        {"url": URL},
        optional={"title": st.one_of(st.text(max_size=20), TEXT), "retrieved": DATES},
    ),
    max_size=3,
)


def _values(enum: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([str(member.value) for member in enum])


@st.composite
def members(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(_values(MemberType))
    data: dict[str, Any] = {"name": draw(LOCALISED), "type": kind}
    if kind == "subnational-government":
        subdivision = draw(st.sampled_from(sorted(subdivision_codes())))
        data |= {"country": subdivision[:2], "subdivision": subdivision}
    elif kind == "national-government" or draw(st.booleans()):
        data["country"] = draw(st.sampled_from(sorted(country_codes())))
    if kind in {"national-government", "subnational-government"} and draw(st.booleans()):
        data["ogp_member_since"] = draw(st.integers(2011, 2100))
    handles = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9-]{0,8}(/[A-Za-z0-9._-]{1,8})?\Z")
    optional = {
        "acronym": TEXT,
        "website": URL,
        "maintainers": st.lists(handles, max_size=3),
        "sources": SOURCES,
    }
    data |= draw(st.fixed_dictionaries({}, optional=optional))
    return data


@st.composite
def actions(draw: st.DrawFn) -> dict[str, Any]:
    milestone_ids = draw(st.lists(SLUG, max_size=3, unique=True))
    milestones = [
        draw(st.fixed_dictionaries({"id": st.just(i), "title": LOCALISED}, optional={"due": DATES}))
        for i in milestone_ids
    ]
    optional = {
        "number": st.integers(1, 10_000),
        "summary": LOCALISED,
        "status": _values(ActionStatus),
        "launched": DATES,
        # `leaders: {}` is written as no `leaders` at all: the same record, not an equal one
        "leaders": st.fixed_dictionaries(
            {}, optional={"government": SLUG, "civil_society": SLUG}
        ).filter(bool),
        "working_group": _values(WorkingGroup),
        "standards": st.lists(SLUG, max_size=3),
        "milestones": st.just(milestones),
        "resources": st.lists(
            st.fixed_dictionaries(
                {"title": LOCALISED, "url": URL}, optional={"type": _values(ResourceType)}
            ),
            max_size=2,
            unique_by=lambda resource: resource["url"],  # one entry per address (OGP107)
        ),
        "update_every_months": st.integers(1, 60),
        "sources": SOURCES,
    }
    required = {"title": LOCALISED, "theme": _values(Theme)}
    return draw(st.fixed_dictionaries(required, optional=optional))


def participants() -> st.SearchStrategy[dict[str, Any]]:
    plan = st.fixed_dictionaries({"plan": TEXT}, optional={"commitment": TEXT, "url": URL})
    optional = {"contribution": LOCALISED, "national_action_plan": plan, "sources": SOURCES}
    return st.fixed_dictionaries({"joined": DATES}, optional=optional)


def updates() -> st.SearchStrategy[dict[str, Any]]:
    period = st.lists(DATES, min_size=2, max_size=2).map(lambda d: {"start": min(d), "end": max(d)})
    optional = {
        "period": period,
        "milestones": st.dictionaries(SLUG, _values(Completion), max_size=3),
        "evidence": st.lists(URL, max_size=3),
        "sources": SOURCES,
    }
    required = {"completion": _values(Completion), "summary": LOCALISED}
    return st.fixed_dictionaries(required, optional=optional)


def check_generated(kind: Kind, data: dict[str, Any]) -> None:
    record = records.models()[kind].model_validate(data, context={"default_language": "en"})
    assert record.rule_violations() == []
    assert_round_trips(kind, record)


@examples(120)
@given(data=members())
def test_generated_members_round_trip(data: dict[str, Any]) -> None:
    check_generated(Kind.MEMBER, data)


@examples(120)
@given(data=actions())
def test_generated_actions_round_trip(data: dict[str, Any]) -> None:
    check_generated(Kind.ACTION, data)


@examples(120)
@given(data=participants())
def test_generated_participants_round_trip(data: dict[str, Any]) -> None:
    check_generated(Kind.PARTICIPANT, data)


@examples(120)
@given(data=updates())
def test_generated_updates_round_trip(data: dict[str, Any]) -> None:
    check_generated(Kind.UPDATE, data)


@examples(200)
@given(text=TEXT)
def test_any_text_round_trips_in_every_text_field(text: str) -> None:
    """One string everywhere a record holds text, keys and values alike."""
    record = records.models()[Kind.ACTION].model_validate(
        {
            "title": {"en": text, "no": text},
            "theme": "digital-commons",
            "summary": text,  # shorthand for the default language
            "milestones": [{"id": "1e3", "title": text}],
            "resources": [{"title": text, "url": f"https://x.example/{quote(text.split()[0])}"}],
            "sources": [{"url": "https://x.example/", "title": text}],
        },
        context={"default_language": "en"},
    )
    assert record.summary == {"en": text}
    assert_round_trips(Kind.ACTION, record)


def test_default_enum_values_are_written() -> None:
    """Regression: a resource without `type` (default `other`, an enum member the model
    never validated) made `canonical.dump` raise RepresenterError."""
    record = records.models()[Kind.ACTION].model_validate(
        {"title": "T", "theme": "digital-commons", "resources": [{"title": "R", "url": "http://x"}]}
    )
    assert "  type: other\n" in assert_round_trips(Kind.ACTION, record)


@pytest.mark.parametrize("text", ["1e3", "1E+3", ".5e3", "1.0e5", "-2e-2", "0e0"])
def test_numbers_only_yaml_1_2_sees_are_quoted(text: str) -> None:
    """Regression: YAML 1.1 (the dumper) read `1e3` as text and wrote it plain; ogpctl's
    YAML 1.2 loader then read a number, so a written record failed to load."""
    record = records.models()[Kind.ACTION].model_validate(
        {"title": {"en": text}, "theme": "digital-commons", "standards": ["1e3"]}
    )
    written = assert_round_trips(Kind.ACTION, record)
    assert f"en: '{text}'\n" in written
    assert "- '1e3'\n" in written


@pytest.mark.parametrize("path", SHIPPED_PATHS[:: max(1, len(SHIPPED_PATHS) // 40)])
def test_shipped_records_are_canonical_fixed_points(path: str) -> None:
    key = SHIPPED[path]
    loaded, problems = records.parse(key, (REPO / path).read_bytes(), "en")
    assert loaded is not None and not problems
    assert assert_round_trips(key.kind, loaded.record) == (REPO / path).read_text("utf-8")


# --- hostile dataset settings ----------------------------------------------------------


@pytest.mark.parametrize(
    "toml",
    [
        "dataset = 1\n",
        'dataset = "x"\n',
        "dataset = [1, 2]\n",
        "[dataset]\ndefault_language = []\n",
        "[dataset]\ndefault_language = {a = 1}\n",
        "[dataset]\nupdate_every_months = 1e400\n",
        "[dataset]\nname = 1\n",
        "[[dataset]]\nname = 'x'\n",
        "\x00",
        "[dataset\n",
    ],
)
def test_hostile_settings_are_a_clear_error(toml: str, dataset, run) -> None:
    """Regression: `dataset = 1` and `default_language = []` in ogpctl.toml raised
    TypeError (a traceback); a settings error is exit 3 with a one-line message."""
    result = run(dataset({"ogpctl.toml": toml}), "validate")
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("ogpctl: ogpctl.toml: ")
    assert "Traceback" not in result.output
