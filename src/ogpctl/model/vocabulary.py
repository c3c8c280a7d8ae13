"""The controlled vocabularies of the records, as plain enums.

Kept apart from the models so that the command line can offer them as choices without
importing pydantic at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MemberType(StrEnum):
    NATIONAL_GOVERNMENT = "national-government"
    SUBNATIONAL_GOVERNMENT = "subnational-government"
    CIVIL_SOCIETY = "civil-society"
    OTHER = "other"


GOVERNMENTS = frozenset({MemberType.NATIONAL_GOVERNMENT, MemberType.SUBNATIONAL_GOVERNMENT})


class Theme(StrEnum):
    TRANSPARENCY = "transparency-integrity-anticorruption"
    CLIMATE = "climate-sustainable-development"
    DIGITAL = "digital-commons"


class ActionStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    DISCONTINUED = "discontinued"


class WorkingGroup(StrEnum):
    """OGP thematic working groups that an action may be attached to (2016)."""

    ANTI_CORRUPTION = "anti-corruption"
    ACCESS_TO_INFORMATION = "access-to-information"
    FISCAL_OPENNESS = "fiscal-openness"
    LEGISLATIVE_OPENNESS = "legislative-openness"
    NATURAL_RESOURCES = "natural-resources"
    OPEN_DATA = "open-data"
    OPEN_CLIMATE = "open-climate"


class Completion(StrEnum):
    """The IRM completion scale."""

    NOT_STARTED = "not-started"
    LIMITED = "limited"
    SUBSTANTIAL = "substantial"
    COMPLETE = "complete"
    WITHDRAWN = "withdrawn"


class ResourceType(StrEnum):
    TOOL = "tool"
    GUIDE = "guide"
    DATASET = "dataset"
    STANDARD = "standard"
    OTHER = "other"


@dataclass(frozen=True)
class Label:
    """How a value is shown to people: in full (reports, `show`), and short (table cells)."""

    full: str
    short: str


THEME_LABELS: dict[str, Label] = {
    Theme.TRANSPARENCY: Label(
        "Transparency, integrity and anti-corruption", "Transparency & anti-corruption"
    ),
    Theme.CLIMATE: Label(
        "Climate change and sustainable development", "Climate & sustainable development"
    ),
    Theme.DIGITAL: Label("Common digital tools and capacity", "Common digital tools & capacity"),
}

MEMBER_TYPE_LABELS: dict[str, Label] = {
    MemberType.NATIONAL_GOVERNMENT: Label("national government", "government"),
    MemberType.SUBNATIONAL_GOVERNMENT: Label("subnational government", "subnational"),
    MemberType.CIVIL_SOCIETY: Label("CSO", "CSO"),
    MemberType.OTHER: Label("other body", "other"),
}
