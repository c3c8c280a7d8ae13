"""The ISO code tables the records use (languages, countries, subdivisions), from pycountry.

Loading one of pycountry's tables takes some 50 ms, so where the codes come from is
pluggable: `ogpctl.store.isocodes`, once imported, keeps them in the user's cache folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

Compute = Callable[[Any], Iterable[str]]  # a pycountry database → its codes
Source = Callable[[str, Compute], frozenset[str]]  # (table name, compute) → the codes


def from_pycountry(table: str, codes: Compute) -> frozenset[str]:
    import pycountry

    return frozenset(codes(getattr(pycountry, table)))


_source: list[Source] = [from_pycountry]


def use(source: Source) -> None:
    """Take the tables from `source` from now on (and forget those already read)."""
    _source[0] = source
    for table in (language_codes, country_codes, subdivision_codes):
        table.cache_clear()


@cache
def language_codes() -> frozenset[str]:
    return _source[0](
        "languages", lambda db: (lang.alpha_2 for lang in db if hasattr(lang, "alpha_2"))
    )


@cache
def country_codes() -> frozenset[str]:
    return _source[0]("countries", lambda db: (country.alpha_2 for country in db))


@cache
def subdivision_codes() -> frozenset[str]:
    return _source[0]("subdivisions", lambda db: (subdivision.code for subdivision in db))


# Codes people write by habit, from other lists (the EU's `UK` and `EL`) or from the
# country a language is spoken in (`cz` for Czech): what ISO calls them.
HABITS = {
    "countries": {"UK": "GB", "EL": "GR"},
    "languages": {"cz": "cs", "dk": "da", "gr": "el", "jp": "ja", "se": "sv", "ua": "uk"},
}


def suggestion(value: str, codes: frozenset[str], table: str = "") -> str | None:
    """The code meant by a near miss: another case, `_` for `-`, a habit; else None."""
    spellings = [value.upper(), value.lower(), value.upper().replace("_", "-").replace(" ", "-")]
    habits = HABITS.get(table, {})
    spellings += [habits[s] for s in (value, value.upper(), value.lower()) if s in habits]
    return next((s for s in reversed(spellings) if s in codes and s != value), None)
