"""Rewriting only the changed top-level keys of a record file keeps everything else."""

from __future__ import annotations

from ogpctl.store.rewrite import rewrite

ORDER = ["name", "type", "country", "acronym", "website", "sources"]
TEXT = (
    "# yaml-language-server: $schema=../../schemas/member.schema.json\n"
    "# France's record: ask etalab before changing it\n"
    "name: France   # the short name\n"
    "type: national-government\n"
    "\n"
    "# ISO code\n"
    "country: FR\n"
    "website: https://example.org  # old site\n"
    "# the end\n"
)
OLD = {"name": {"en": "France"}, "type": "national-government", "country": "FR",
       "website": "https://example.org"}  # fmt: skip


def test_unchanged_keys_and_comments_stay_byte_for_byte():
    new = {**OLD, "website": "https://www.gouvernement.fr/"}
    assert rewrite(TEXT, OLD, new, ORDER) == TEXT.replace(
        "website: https://example.org  # old site\n",
        "website: https://www.gouvernement.fr/  # old site\n",
    )


def test_a_quoted_value_keeps_no_guessed_comment():
    text = "acronym: 'A #1'\n"
    assert rewrite(text, {"acronym": "A #1"}, {"acronym": "B"}, ORDER) == "acronym: B\n"


def test_a_new_key_goes_after_the_key_before_it_in_model_order():
    new = {**OLD, "acronym": "FR"}
    assert rewrite(TEXT, OLD, new, ORDER) == TEXT.replace(
        "country: FR\n", "country: FR\nacronym: FR\n"
    )


def test_a_removed_key_keeps_the_comments_above_it():
    new = {k: v for k, v in OLD.items() if k != "country"}
    assert rewrite(TEXT, OLD, new, ORDER) == TEXT.replace("country: FR\n", "")


def test_a_changed_nested_value_is_written_in_canonical_form():
    new = {**OLD, "name": {"en": "France", "fr": "La France"}}
    assert rewrite(TEXT, OLD, new, ORDER) == TEXT.replace(
        "name: France   # the short name\n", "name:\n  en: France\n  fr: La France\n"
    )


def test_a_key_before_every_other_goes_below_the_schema_comment():
    text = "# yaml-language-server: $schema=x\n# about type\ntype: other\n"
    old = {"type": "other"}
    assert rewrite(text, old, {"name": {"en": "X"}, **old}, ORDER) == (
        "# yaml-language-server: $schema=x\nname:\n  en: X\n# about type\ntype: other\n"
    )


def test_a_missing_final_newline_is_added():
    assert rewrite("type: other", {"type": "other"}, {"type": "civil-society"}, ORDER) == (
        "type: civil-society\n"
    )
