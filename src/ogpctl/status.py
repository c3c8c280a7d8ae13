"""Where each collective action stands: one row per action, filters, and totals.

An action is overdue when it is active and the date its next progress update is due (see
`monitoring.py`) is before today; leaders "publish a short update on a regular basis".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ogpctl.errors import NotFound, UsageError
from ogpctl.model.dataset import Shown
from ogpctl.model.monitoring import last_update, next_due
from ogpctl.model.records import MemberType, Theme
from ogpctl.problems import count, did_you_mean, one_of
from ogpctl.store.isocodes import language_codes


def localised(text: Mapping[str, str] | None, language: str, fallback: str) -> str:
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
    completion: str | None  # of the latest update (IRM scale)
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
    overdue: int
    participations: int
    national_governments: int  # distinct members taking part in at least one shown action
    subnational_governments: int
    civil_society: int
    other: int

    def sentence(self) -> str:
        """The totals in words, for people."""
        return (
            f"{count(self.actions, 'action')} ({self.overdue} overdue), "
            f"{count(self.participations, 'participation')} by "
            f"{count(self.national_governments, 'national government')}, "
            f"{count(self.subnational_governments, 'subnational government')}, "
            f"{count(self.civil_society, 'CSO')} and "
            f"{count(self.other, 'other body', 'other bodies')}."
        )


@dataclass(frozen=True)
class Filters:
    theme: str | None = None
    overdue: bool = False
    member: str | None = None


@dataclass(frozen=True)
class Status:
    today: date
    rows: list[ActionRow]
    totals: Totals
    names: dict[str, str]  # leader id → name, in the language asked for
    maintainers: dict[str, list[str]] = field(default_factory=dict)  # leader id → handles


def check_language(language: str) -> str:
    if language not in language_codes():
        raise UsageError(f"--lang {language!r} is not an ISO 639-1 language code (e.g. 'en')")
    return language


def is_overdue(dataset: Shown, action_id: str, today: date) -> bool:
    due = next_due(dataset, action_id)  # None for an action that is not active
    return due is not None and due < today


def current(dataset: Shown, action_id: str) -> list[str]:
    """The members taking part in an action now: those that joined and have not left."""
    members = dataset.participants.get(action_id, {})
    return [m for m, p in members.items() if p.record.left is None]


def roles(dataset: Shown, action_id: str, member: str) -> list[str]:
    """`participant` (or `former-participant`), `government-leader`, `civil-society-leader`:
    what `member` is here."""
    leaders = dataset.actions[action_id].record.leaders
    taking_part = dataset.participants.get(action_id, {}).get(member)
    found = []
    if taking_part is not None:
        found.append("participant" if taking_part.record.left is None else "former-participant")
    if leaders and leaders.government == member:
        found.append("government-leader")
    if leaders and leaders.civil_society == member:
        found.append("civil-society-leader")
    return found


def _kind_counts(dataset: Shown, members: list[str]) -> dict[MemberType, int]:
    counts = dict.fromkeys(MemberType, 0)
    for member in members:
        if member in dataset.members:
            counts[MemberType(dataset.members[member].record.type)] += 1
    return counts


def _row(dataset: Shown, action_id: str, today: date, language: str) -> ActionRow:
    action = dataset.actions[action_id].record
    counts = _kind_counts(dataset, current(dataset, action_id))
    updates = dataset.updates.get(action_id)
    return ActionRow(
        number=action.number,
        id=action_id,
        title=localised(action.title, language, dataset.settings.default_language),
        theme=str(action.theme),
        status=action.status,
        government_leader=action.leaders.government if action.leaders else None,
        civil_society_leader=action.leaders.civil_society if action.leaders else None,
        national_governments=counts[MemberType.NATIONAL_GOVERNMENT],
        subnational_governments=counts[MemberType.SUBNATIONAL_GOVERNMENT],
        civil_society=counts[MemberType.CIVIL_SOCIETY],
        other=counts[MemberType.OTHER],
        last_update=last_update(dataset, action_id),
        completion=updates[-1].record.completion if updates else None,
        next_update_due=next_due(dataset, action_id),
        overdue=is_overdue(dataset, action_id, today),
    )


def _selected(dataset: Shown, today: date, filters: Filters) -> list[str]:
    if filters.theme is not None and filters.theme not in set(Theme):
        allowed = [str(t) for t in Theme]
        raise UsageError(
            f"--theme {filters.theme!r} is not a theme; use one of {one_of(allowed)}"
            f"{did_you_mean(filters.theme, allowed)}"
        )
    if filters.member is not None and filters.member not in dataset.members:
        raise NotFound(
            f"no member {filters.member!r}{did_you_mean(filters.member, dataset.members)}"
        )
    return [
        action_id
        for action_id, loaded in dataset.actions.items()
        if (filters.theme is None or loaded.record.theme == filters.theme)
        and (not filters.overdue or is_overdue(dataset, action_id, today))
        and (filters.member is None or roles(dataset, action_id, filters.member))
    ]


def status(dataset: Shown, today: date, language: str, filters: Filters | None = None) -> Status:
    """The rows of the actions that pass `filters`, ordered by number then id, and totals."""
    selected = _selected(dataset, today, filters or Filters())
    rows = sorted(
        (_row(dataset, action_id, today, language) for action_id in selected),
        key=lambda r: (r.number is None, r.number or 0, r.id),
    )
    taking_part = sorted({m for a in selected for m in current(dataset, a)})
    counts = _kind_counts(dataset, taking_part)
    totals = Totals(
        actions=len(rows),
        overdue=sum(r.overdue for r in rows),
        participations=sum(len(current(dataset, a)) for a in selected),
        national_governments=counts[MemberType.NATIONAL_GOVERNMENT],
        subnational_governments=counts[MemberType.SUBNATIONAL_GOVERNMENT],
        civil_society=counts[MemberType.CIVIL_SOCIETY],
        other=counts[MemberType.OTHER],
    )
    fallback = dataset.settings.default_language
    leaders = {m for r in rows for m in (r.government_leader, r.civil_society_leader) if m}
    names = {
        m: localised(dataset.members[m].record.name, language, fallback)
        for m in sorted(leaders)
        if m in dataset.members
    }
    maintainers = {
        m: list(dataset.members[m].record.maintainers)
        for m in sorted(leaders)
        if m in dataset.members and dataset.members[m].record.maintainers
    }
    return Status(today, rows, totals, names, maintainers)
