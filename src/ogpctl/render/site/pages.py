"""What each page shows, beyond the `Site` itself: groupings, countries, feed entries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import pycountry
from babel import Locale

from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.vocabulary import MemberType, Theme
from ogpctl.render.site import worldmap
from ogpctl.site import Site
from ogpctl.status import ActionRow


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    members: list[str]  # member ids taking part in an action, from this country
    path: str | None  # SVG path data; None when the 1:110m map lacks it


class Entry(NamedTuple):
    """An Atom entry: a progress update or a new participation (a tuple: the feed has one
    for each update and participation of the dataset)."""

    kind: str  # update, participation
    day: date
    action: str
    member: str


def themes(site: Site) -> dict[str, list[ActionRow]]:
    found: dict[str, list[ActionRow]] = {str(t): [] for t in Theme}
    for row in site.status.rows:
        found[row.theme].append(row)
    return {theme: rows for theme, rows in found.items() if rows}


def members_by_type(site: Site) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {str(t): [] for t in MemberType}
    for member, loaded in site.members.items():
        found[str(loaded.record.type)].append(member)
    for members in found.values():
        members.sort(key=lambda m: (_sort_name(site, m), m))
    return found


def _sort_name(site: Site, member: str) -> str:
    name = site.members[member].record.name
    return (name.get(site.default_language) or next(iter(name.values()))).casefold()


def countries(site: Site, language: str = "en") -> list[Country]:
    taking_part: dict[str, list[str]] = defaultdict(list)
    for member, loaded in site.members.items():
        if loaded.record.country and site.involved(member):
            taking_part[loaded.record.country].append(member)
    shapes = worldmap.countries()
    found = []
    for code in sorted(taking_part, key=lambda c: (country_name(c, language).casefold(), c)):
        known = pycountry.countries.get(alpha_2=code)
        shape = shapes.get(known.numeric) if known else None
        found.append(Country(code, taking_part[code], shape[1] if shape else None))
    return found


def country_name(code: str, language: str) -> str:
    """The country's name in `language` (CLDR, through Babel), else pycountry's English."""
    name = Locale.parse(language).territories.get(code)
    if name:
        return str(name)
    known = pycountry.countries.get(alpha_2=code)
    return str(known.name) if known else code


def other_shapes(found: list[Country]) -> list[str]:
    """The map's countries that take no part, as path data, in the file's order."""
    taking_part = set()
    for country in found:
        known = pycountry.countries.get(alpha_2=country.code)
        if known:
            taking_part.add(known.numeric)
    return [path for key, (_, path) in worldmap.countries().items() if key not in taking_part]


def feed(site: Site) -> list[Entry]:
    entries = []
    summary = site.records.summary
    for action in site.actions:
        entries += [
            Entry("update", u.key.published, action, u.key.member)
            for u in summary.updates.get(action, [])
            if u.key.published is not None
        ]
        entries += [
            Entry("participation", p.record.joined, action, member)
            for member, p in sorted(summary.participants.get(action, {}).items())
        ]
    return sorted(entries, key=lambda e: (e.day, e.kind, e.action, e.member), reverse=True)


def action_file(action: str) -> str:
    return RecordKey(Kind.ACTION, action=action).path


def member_file(member: str) -> str:
    return RecordKey(Kind.MEMBER, member=member).path
