"""pycountry's code lists, kept in the user's cache folder: never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogpctl.store import isocodes as models


@pytest.fixture(autouse=True)
def fresh() -> None:
    for table in (models.language_codes, models.country_codes, models.subdivision_codes):
        table.cache_clear()


def kept_files() -> list[Path]:
    return sorted((Path.home() / "xdg_cache_home" / "ogpctl").glob("pycountry-*.list"))


def test_codes_are_kept_and_read_back() -> None:
    first = models.language_codes()
    assert {"en", "fr", "es"} <= first and "xx" not in first
    assert [f.name.split("-")[1] for f in kept_files()] == ["languages"]
    models.language_codes.cache_clear()
    assert models.language_codes() == first


@pytest.mark.parametrize("content", ["{not json", '{"en": 1}', "[1, 2]", ""])
def test_a_damaged_kept_list_is_ignored_and_rewritten(content: str) -> None:
    expected = models.country_codes()
    (kept,) = kept_files()
    kept.write_text(content)
    models.country_codes.cache_clear()
    assert models.country_codes() == expected
    assert kept.read_bytes().startswith(models.MAGIC)
    assert b'["AD", "AE"' in kept.read_bytes()


def test_an_unwritable_cache_folder_only_costs_time(monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = Path.home() / "blocked"
    blocker.write_text("a file where a folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert "FR-75C" in models.subdivision_codes()
