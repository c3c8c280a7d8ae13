"""Where each collective action stands: one row per action, and totals."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from ogpctl.dataset import Dataset
from ogpctl.models import MemberType
from ogpctl.monitoring import last_update, next_due


def localised(text: dict[str, str] | None, language: str, fallback: str) -> str:
    """Text in `language`, else the dataset's default language, else any language present."""
    if not text:
        return ""
    return text.get(language) or text.get(fallback) or next(iter(text.values()))


@dataclass(frozen=True)
class ActionRow:
    number: int | None
    id: str
    title: str
    theme: str
    status: str | None
    government_leader: str | None
    civil_society_leader: str | None
    national_governments: int
    subnational_governments: int
    civil_society: int
    other: int
    last_update: date | None
    next_update_due: date | None
    overdue: bool

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        for key in ("last_update", "next_update_due"):
            row[key] = row[key].isoformat() if row[key] else None
        return row


@dataclass(frozen=True)
class Totals:
    actions: int
    participations: int
    national_governments: int  # distinct members taking part in at least one action
    subnational_governments: int
    civil_society: int
    other: int


def _kind_counts(dataset: Dataset, members: list[str]) -> dict[MemberType, int]:
    counts = dict.fromkeys(MemberType, 0)
    for member in members:
        if member in dataset.members:
            counts[MemberType(dataset.members[member].record.type)] += 1
    return counts


def rows(dataset: Dataset, today: date, language: str) -> list[ActionRow]:
    result = []
    fallback = dataset.settings.default_language
    for action_id, loaded in dataset.actions.items():
        action = loaded.record
        counts = _kind_counts(dataset, list(dataset.participants.get(action_id, {})))
        due = next_due(dataset, action_id)
        result.append(
            ActionRow(
                number=action.number,
                id=action_id,
                title=localised(action.title, language, fallback),
                theme=str(action.theme),
                status=action.status,
                government_leader=action.leaders.government if action.leaders else None,
                civil_society_leader=action.leaders.civil_society if action.leaders else None,
                national_governments=counts[MemberType.NATIONAL_GOVERNMENT],
                subnational_governments=counts[MemberType.SUBNATIONAL_GOVERNMENT],
                civil_society=counts[MemberType.CIVIL_SOCIETY],
                other=counts[MemberType.OTHER],
                last_update=last_update(dataset, action_id),
                next_update_due=due,
                overdue=action.status == "active" and due is not None and due < today,
            )
        )
    return sorted(result, key=lambda r: (r.number is None, r.number or 0, r.id))


def totals(dataset: Dataset) -> Totals:
    taking_part = sorted({m for members in dataset.participants.values() for m in members})
    counts = _kind_counts(dataset, taking_part)
    return Totals(
        actions=len(dataset.actions),
        participations=sum(len(m) for m in dataset.participants.values()),
        national_governments=counts[MemberType.NATIONAL_GOVERNMENT],
        subnational_governments=counts[MemberType.SUBNATIONAL_GOVERNMENT],
        civil_society=counts[MemberType.CIVIL_SOCIETY],
        other=counts[MemberType.OTHER],
    )
