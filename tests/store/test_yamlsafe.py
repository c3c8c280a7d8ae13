"""The safe loader: every refusal with its code and 1-based position, and what it builds."""

from __future__ import annotations

import time

import pytest
import yaml

from ogpctl import codes
from ogpctl.store import yamlsafe
from ogpctl.store.yamlsafe import MAX_BYTES, MAX_DEPTH, Document, LoadError


def load(source: str | bytes) -> Document:
    raw = source.encode("utf-8") if isinstance(source, str) else source
    return yamlsafe.parse(yamlsafe.decode(raw))


def refusal(source: str | bytes) -> LoadError:
    with pytest.raises(LoadError) as info:
        load(source)
    return info.value


# --- bytes and text -------------------------------------------------------------------


def test_file_over_the_limit_is_refused():
    err = refusal(b"a: " + b"x" * MAX_BYTES)
    assert (err.code, err.mark) == (codes.TOO_LARGE, (1, 1))
    assert f"over {MAX_BYTES:,} bytes" in err.message


def test_file_at_the_limit_is_read():
    body = b"a: " + b"x" * (MAX_BYTES - 4) + b"\n"
    assert len(body) == MAX_BYTES
    assert len(load(body).data["a"]) == MAX_BYTES - 4


@pytest.mark.parametrize(
    ("raw", "mark", "byte"),
    [
        (b"name: caf\xe9\n", (1, 10), "0xe9"),  # latin-1 é
        (b"name: ok\ntitle: x\n\xff\n", (3, 1), "0xff"),
        (b"a: \xc3\xa9t\xc3\n", (1, 6), "0xc3"),  # truncated sequence after valid é
    ],
)
def test_non_utf8_reports_the_bad_byte(raw, mark, byte):
    err = refusal(raw)
    assert (err.code, err.mark) == (codes.NOT_UTF8, mark)
    assert byte in err.message
    assert "UTF-8" in err.message


def test_bom_is_accepted():
    assert load(b"\xef\xbb\xbfname: x\n").data == {"name": "x"}


@pytest.mark.parametrize(
    ("text", "mark", "marker"),
    [
        ("a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> topic\n", (2, 1), "<<<<<<<"),
        ("a: 1\nb: 2\n=======\n", (3, 1), "======="),
        ("a: 1\n>>>>>>> 4f2a9c1\n", (2, 1), ">>>>>>>"),
        ("a: 1\n||||||| merged common ancestors\n", (2, 1), "|||||||"),  # diff3 style
    ],
)
def test_merge_conflict_markers(text, mark, marker):
    err = refusal(text)
    assert (err.code, err.mark) == (codes.CONFLICT_MARKER, mark)
    assert marker in err.message
    assert "resolve the conflict" in err.message


def test_marker_like_text_inside_a_value_is_not_a_conflict():
    assert load("a: x <<<<<<< y\n").data == {"a": "x <<<<<<< y"}


@pytest.mark.parametrize(
    ("text", "mark"),
    [("a:\n\tb: 1\n", (2, 1)), ("a:\n  b:\n  \tc: 1\n", (3, 3))],
)
def test_tab_indentation(text, mark):
    err = refusal(text)
    assert (err.code, err.mark) == (codes.TAB_INDENT, mark)
    assert "tab" in err.message


def test_tab_inside_a_value_is_fine():
    assert load('a: "x\\ty"\nb: p\tq\n').data == {"a": "x\ty", "b": "p\tq"}


@pytest.mark.parametrize(
    ("text", "mark", "words"),
    [
        ("a: [1, 2\nb: 3\n", (1, 4), "the '[' on line 1 starts a list or mapping that is never"),
        ("a: b: c\n", (1, 4), "text that holds ': ' must be quoted: write `a: \"b: c\"`"),
        ("a: 1\n  b: 2\n", (2, 3), "this line is indented more than `a:` on line 1"),
        ('a: "open\n', (1, 4), "the quote opened on line 1 is never closed"),
        ("a: 1\nb:2\n", (2, 2), "put a space after the colon of `b:`: write `b: 2`"),
        (
            "a:\n  b: 1\n c: 2\n",
            (3, 2),
            "`c:` is indented by 1 space, the key above it (line 2) by 2",
        ),
        ("a: @x\n", (1, 4), "text that starts with '@' must be quoted: write `a: \"@x\"`"),
        ("a: `x`\n", (1, 4), "text that starts with '`' must be quoted"),
        (
            "a: 'it's'\n",
            (1, 4),
            "a ' inside text in single quotes is written '': write `a: 'it''s'`",
        ),
    ],
)
def test_syntax_errors_say_what_to_change_where(text, mark, words):
    err = refusal(text)
    assert (err.code, err.mark) == (codes.YAML_SYNTAX, mark)
    assert err.message.startswith("YAML syntax: ")
    assert words in err.message


@pytest.mark.parametrize("text", ["", "\n\n", "# only\n# comments\n", "---\n", "--- \n...\n"])
def test_no_document(text):
    err = refusal(text)
    assert (err.code, err.mark) == (codes.EMPTY, (1, 1))
    assert "holds no data" in err.message


def test_null_document_is_empty():
    assert refusal("~\n").code == codes.EMPTY


def test_second_document():
    err = refusal("a: 1\n---\nb: 2\n")
    assert (err.code, err.mark) == (codes.MULTI_DOC, (2, 1))
    assert "exactly one" in err.message


def test_explicit_single_document_is_fine():
    assert load("---\na: 1\n...\n").data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "mark", "kind"),
    [
        ("- a\n- b\n", (1, 1), "a list"),
        ("hello\n", (1, 1), "a single value"),
        ("\n\n  [1]\n", (3, 3), "a list"),
        ("42\n", (1, 1), "a single value"),
    ],
)
def test_top_level_must_be_a_mapping(text, mark, kind):
    err = refusal(text)
    assert (err.code, err.mark) == (codes.NOT_MAPPING, mark)
    assert f"the document is {kind}" in err.message


# --- duplicate keys -------------------------------------------------------------------


def test_duplicate_keys_are_all_reported_and_the_first_value_kept():
    doc = load("a: 1\nb: 2\na: 3\nb: 4\na: 5\n")
    assert doc.data == {"a": 1, "b": 2}
    assert doc.duplicates == [
        ((3, 1), "key 'a' appears twice (first on line 1)"),
        ((4, 1), "key 'b' appears twice (first on line 2)"),
        ((5, 1), "key 'a' appears twice (first on line 1)"),
    ]


def test_nested_duplicate_key():
    doc = load("x:\n  y: 1\n  z: 2\n  y: 3\n")
    assert doc.data == {"x": {"y": 1, "z": 2}}
    assert doc.duplicates == [((4, 3), "key 'y' appears twice (first on line 2)")]


def test_quoted_and_plain_spellings_are_one_key():
    doc = load("'a': 1\n\"a\": 2\n")
    assert doc.duplicates == [((2, 1), "key 'a' appears twice (first on line 1)")]


def test_same_key_in_different_mappings_is_not_a_duplicate():
    doc = load("a:\n  x: 1\nb:\n  x: 2\nc: [{x: 1}, {x: 2}]\n")
    assert doc.duplicates == []


def test_discarded_duplicate_value_leaves_the_kept_positions_alone():
    """The second `x:` mapping is dropped whole: none of its positions replace the first's."""
    doc = load("x:\n  a: 1\n  b: 2\nx:\n  a: 3\n  b: 4\n  c: 5\n")
    assert doc.data == {"x": {"a": 1, "b": 2}}
    assert doc.mark(("x", "b")) == (3, 6)
    assert doc.mark(("x", "b"), key=True) == (3, 3)
    assert ("x", "c") not in doc.value_marks
    assert ("x", "c") not in doc.key_marks
    assert [mark for mark, _ in doc.duplicates] == [(4, 1)]


# --- anchors, aliases, tags -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mark"),
    [("a: &x 1\nb: *x\n", (1, 4)), ("a: *x\n", (1, 4)), ("a:\n  - &y {k: 1}\n", (2, 5))],
)
def test_anchors_and_aliases_are_refused(text, mark):
    err = refusal(text)
    assert (err.code, err.mark) == (codes.ALIAS, mark)
    assert "anchors (&) and aliases (*)" in err.message


def test_billion_laughs_is_refused_at_once():
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for name, prev in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    err = refusal("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 0.5
    assert (err.code, err.mark) == (codes.ALIAS, (1, 4))


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        (
            "a: !!python/object/apply:os.system ['echo hi']\n",
            "tag:yaml.org,2002:python/object/apply:os.system",
        ),
        ("a: !!python/name:os.system\n", "tag:yaml.org,2002:python/name:os.system"),
        ("a: !custom x\n", "!custom"),
        ("a: !!int '12'\n", "tag:yaml.org,2002:int"),
        ("a: !!map {b: 1}\n", "tag:yaml.org,2002:map"),
    ],
)
def test_explicit_tags_are_refused(text, tag):
    err = refusal(text)
    assert (err.code, err.mark) == (codes.TAG, (1, 4))
    assert err.message == f"explicit tag {tag!r} is not allowed"


def test_tag_on_the_document_is_refused():
    err = refusal("!!python/object:builtins.dict\nx: 1\n")
    assert (err.code, err.mark) == (codes.TAG, (1, 1))


def test_str_tag_is_allowed_and_keeps_text():
    assert load("a: !!str 123\nb: !!str yes\n").data == {"a": "123", "b": "yes"}


def test_complex_key_is_refused():
    err = refusal("? [a, b]\n: 1\n")
    assert (err.code, err.mark) == (codes.NON_STRING_KEY, (1, 3))
    assert "a key must be plain text" in err.message


# --- depth ------------------------------------------------------------------------------


def test_nesting_up_to_the_limit_is_fine():
    inner = MAX_DEPTH - 1  # the top-level mapping is the first level
    doc = load("a: " + "[" * inner + "]" * inner + "\n")
    value = doc.data["a"]
    for _ in range(inner - 1):
        value = value[0]
    assert value == []


def test_nesting_past_the_limit_is_refused_where_it_happens():
    err = refusal("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert (err.code, err.mark) == (codes.TOO_DEEP, (1, 4 + MAX_DEPTH - 1))
    assert f"deeper than {MAX_DEPTH} levels" in err.message


def test_block_nesting_past_the_limit():
    text = (
        "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 1))
        + "  " * (MAX_DEPTH + 1)
        + "v: 1\n"
    )
    err = refusal(text)
    assert err.code == codes.TOO_DEEP
    assert err.mark == (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)


# Each parser PyYAML may use: libyaml (0.2.5 refuses nothing early; 0.2.6 stops reading
# ahead at 1,000 flow levels) and the pure-Python parser, used where no libyaml is built.
PARSERS = [
    pytest.param(getattr(yaml, "CSafeLoader", yaml.SafeLoader), id="libyaml"),
    pytest.param(yaml.SafeLoader, id="pure-python"),
]


@pytest.fixture(params=PARSERS)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "_Parser", request.param)


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize(
    ("opening", "column"),
    [("[" * 100_000, MAX_DEPTH + 1), ("{a: " * 50_000, 4 * MAX_DEPTH + 1)],
    ids=["sequences", "mappings"],
)
def test_tens_of_thousands_of_open_flows_are_too_deep_where_the_17th_level_begins(
    opening: str, column: int
) -> None:
    start = time.perf_counter()
    err = refusal(opening)
    assert time.perf_counter() - start < 2  # refused as it reads, not after parsing it all
    assert (err.code, err.mark) == (codes.TOO_DEEP, (1, column))


@pytest.mark.usefixtures("parser")
def test_other_syntax_errors_are_reported_by_either_parser() -> None:
    assert refusal("a: [b\n").code == codes.YAML_SYNTAX


# --- scalars: YAML 1.2 core, no 1.1 surprises -------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("NO", "NO"),
        ("no", "no"),
        ("ON", "ON"),
        ("on", "on"),
        ("YES", "YES"),
        ("yes", "yes"),
        ("y", "y"),
        ("n", "n"),
        ("off", "off"),
        ("Off", "Off"),
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("false", False),
        ("12", 12),
        ("-3", -3),
        ("+4", 4),
        ("0", 0),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("-0.25", -0.25),
        (".5", 0.5),
        ("007", "007"),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("1_000", "1_000"),
        ("12:30", "12:30"),
        (".inf", ".inf"),
        (".nan", ".nan"),
        ("2016-12-07", "2016-12-07"),
        ("2016-12-07T10:00:00", "2016-12-07T10:00:00"),
        ("~", None),
        ("null", None),
        ("", None),
        ("'true'", "true"),
        ('"12"', "12"),
        ("'~'", "~"),
    ],
)
def test_scalar_resolution(text, value):
    got = load(f"v: {text}\n").data["v"]
    assert got == value
    assert type(got) is type(value)


def test_yaml_1_1_traps_in_record_fields():
    doc = load("country: NO\nacronym: ON\nother: YES\n")
    assert doc.data == {"country": "NO", "acronym": "ON", "other": "YES"}


def test_keys_are_always_text():
    assert load("1: a\ntrue: b\n~: c\n").data == {"1": "a", "true": "b", "~": "c"}


@pytest.mark.parametrize(
    ("raw", "mark", "char"),
    [
        (b"a: b\x07c\n", (1, 5), r"'\x07'"),
        (b'a: 1\nb: "x\x1b[31m"\n', (2, 6), r"'\x1b'"),
        (b"a: ok\nb: \x00\n", (2, 4), r"'\x00'"),
    ],
)
def test_control_characters_are_refused_with_position(raw, mark, char):
    err = refusal(raw)
    assert (err.code, err.mark) == (codes.YAML_SYNTAX, mark)
    assert err.message == f"character {char} is not allowed in YAML text"


def test_escaped_control_character_is_data_not_a_refusal():
    # "\e" in a double-quoted scalar is a value; rendering it inertly is the reporter's job
    assert load('a: "\\e[31m"\n').data == {"a": "\x1b[31m"}


# --- positions --------------------------------------------------------------------------

NESTED = """\
name:
  en: France
list:
  - first
  - key: value
    other: [1, 2]
"""


def test_positions_of_values_and_keys_are_one_based():
    doc = load(NESTED)
    assert doc.value_marks == {
        (): (1, 1),
        ("name",): (2, 3),
        ("name", "en"): (2, 7),
        ("list",): (4, 3),
        ("list", 0): (4, 5),
        ("list", 1): (5, 5),
        ("list", 1, "key"): (5, 10),
        ("list", 1, "other"): (6, 12),
        ("list", 1, "other", 0): (6, 13),
        ("list", 1, "other", 1): (6, 16),
    }
    assert doc.key_marks == {
        ("name",): (1, 1),
        ("name", "en"): (2, 3),
        ("list",): (3, 1),
        ("list", 1, "key"): (5, 5),
        ("list", 1, "other"): (6, 5),
    }


def test_mark_falls_back_to_the_nearest_parent():
    doc = load(NESTED)
    assert doc.mark(("list", 1, "missing")) == (5, 5)
    assert doc.mark(("nothing", "here")) == (1, 1)
    assert doc.mark(("name",), key=True) == (1, 1)
    assert doc.mark(("list", 0), key=True) == (4, 5)  # no key: the value


def test_positions_after_a_bom_and_comments():
    doc = load(b"\xef\xbb\xbf# comment\n\nname: x\n")
    assert doc.key_marks[("name",)] == (3, 1)
    assert doc.value_marks[("name",)] == (3, 7)
