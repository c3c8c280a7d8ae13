"""`ogpctl members`: the members, their type, country and how many actions they take part in.

A member that left an action still counts it under `former_actions`, not `actions`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ogpctl.errors import NotFound
from ogpctl.model.dataset import Shown
from ogpctl.problems import did_you_mean
from ogpctl.status import localised


@dataclass(frozen=True)
class MemberRow:
    id: str
    name: str
    type: str
    country: str | None
    actions: int  # taking part now
    former_actions: int  # left

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def members(
    dataset: Shown,
    language: str,
    *,
    member_type: str | None = None,
    country: str | None = None,
    action: str | None = None,
) -> list[MemberRow]:
    """The members that pass the filters, by id; `action`: its participants, former too."""
    if action is not None and action not in dataset.actions:
        raise NotFound(
            f"no action {action!r}{did_you_mean(action, dataset.actions)}: "
            "`ogpctl status` lists the actions"
        )
    now: dict[str, int] = {}
    former: dict[str, int] = {}
    for participants in dataset.participants.values():
        for member, participant in participants.items():
            counts = now if participant.record.left is None else former
            counts[member] = counts.get(member, 0) + 1
    wanted = set(dataset.participants.get(action, {})) if action else None
    fallback = dataset.settings.default_language
    rows = []
    for member_id, loaded in sorted(dataset.members.items()):
        record = loaded.record
        if member_type and record.type != member_type:
            continue
        if country and (record.country or "").upper() != country.upper():
            continue
        if wanted is not None and member_id not in wanted:
            continue
        rows.append(
            MemberRow(
                member_id,
                localised(record.name, language, fallback),
                str(record.type),
                record.country,
                now.get(member_id, 0),
                former.get(member_id, 0),
            )
        )
    return rows
