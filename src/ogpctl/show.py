"""One action or one member in full: the record, and what the rest of the dataset says of it.

`find` resolves an id (actions and members share no namespace, so `action:ID` or
`member:ID` settles a clash) into an `ActionDetail` or a `MemberDetail` of plain values.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ogpctl.check import formerly
from ogpctl.check.formerly import Former, former
from ogpctl.check.load import add_records, load, record_keys
from ogpctl.errors import InvalidData, NotFound, UsageError
from ogpctl.model.dataset import Dataset, Settings
from ogpctl.model.keys import Kind, RecordKey, is_slug, key_for
from ogpctl.model.monitoring import cadence, last_update, next_due
from ogpctl.model.records import Action, Member, Participant, Update
from ogpctl.status import is_overdue, localised, roles


@dataclass(frozen=True)
class Lang:
    """Localised text in the language asked for, else the dataset's, else any."""

    language: str
    fallback: str

    def __call__(self, text: dict[str, str] | None) -> str:
        return localised(text, self.language, self.fallback)


@dataclass(frozen=True)
class Participation:
    """A member in an action: seen from the action (a row per member) or from the member."""

    action: str
    number: int | None
    title: dict[str, str]  # the action's
    member: str
    name: dict[str, str]  # the member's ({} if its file is missing or invalid)
    type: str | None
    roles: list[str]  # participant, government-leader, civil-society-leader
    record: Participant | None  # None for a leader who has no participant file

    def _record(self) -> dict[str, Any]:
        return {"roles": self.roles, **(self.record.model_dump(mode="json") if self.record else {})}

    def member_dict(self) -> dict[str, Any]:
        """As a participant of the action."""
        return {"member": self.member, "name": self.name, "type": self.type, **self._record()}

    def action_dict(self) -> dict[str, Any]:
        """As one of the member's actions."""
        return {"action": self.action, "number": self.number, "title": self.title, **self._record()}


@dataclass(frozen=True)
class Published:
    """A progress update, with the identity its path gives it."""

    action: str
    member: str
    published: date
    record: Update

    def as_dict(self) -> dict[str, Any]:
        key = {"action": self.action, "published": self.published.isoformat()}
        return {**key, "member": self.member, **self.record.model_dump(mode="json")}


@dataclass(frozen=True)
class MilestoneState:
    id: str
    title: dict[str, str]
    due: date | None
    completion: str | None  # as the latest update naming it reported
    reported: date | None


@dataclass(frozen=True)
class ActionDetail:
    id: str
    record: Action
    lang: Lang
    today: date
    leaders: dict[str, dict[str, str]]  # leader id → name
    participants: list[Participation]
    milestones: list[MilestoneState]
    updates: list[Published]  # oldest first
    update_every_months: int
    last_update: date | None
    next_update_due: date | None
    overdue: bool

    def as_dict(self) -> dict[str, Any]:
        record = self.record.model_dump(mode="json")
        record["milestones"] = [
            {**m, "completion": s.completion, "reported": s.reported and s.reported.isoformat()}
            for m, s in zip(record["milestones"], self.milestones, strict=True)
        ]
        return {
            "kind": "action",
            "id": self.id,
            **record,
            "monitoring": {
                "update_every_months": self.update_every_months,
                "last_update": self.last_update and self.last_update.isoformat(),
                "completion": self.updates[-1].record.completion if self.updates else None,
                "next_update_due": self.next_update_due and self.next_update_due.isoformat(),
                "overdue": self.overdue,
            },
            "participants": [p.member_dict() for p in self.participants],
            "updates": [u.as_dict() for u in self.updates],
        }


@dataclass(frozen=True)
class MemberDetail:
    id: str
    record: Member
    lang: Lang
    actions: list[Participation]  # by action number
    updates: list[Published]  # oldest first
    asked_for: Former | None = None  # the former id it was asked for, if it was

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "member",
            "id": self.id,
            **({"asked_for": self.asked_for.as_dict()} if self.asked_for else {}),
            **self.record.model_dump(mode="json"),
            "actions": [p.action_dict() for p in self.actions],
            "updates": [u.as_dict() for u in self.updates],
        }


def dataset_for(
    root: Path, settings: Settings, wanted: str, validated: Sequence[str] = ()
) -> Dataset:
    """A dataset holding the records that `find(dataset, wanted, ...)` reads, and every
    file's key: an action, its participants, its updates and the members they name; a
    member, every action (their leaders), and its participations and updates. An id that
    names no file but is a former id of a member (`formerly`) gets what that member's
    would, found by a scan of the member files alone; any other gets every record, for the
    nearest ids. `validated`: the record files a validation just found (`Report.files`),
    else the folders are scanned for them."""
    paths = validated or [key.path for key in record_keys(root)]
    present = set(paths)
    kind, _, ident = wanted.rpartition(":")
    action = RecordKey(Kind.ACTION, action=ident)
    member = RecordKey(Kind.MEMBER, member=ident)
    is_action = action.path in present and kind != "member"
    is_member = member.path in present and kind != "action"
    if is_action and is_member:  # a usage error: `find` says so
        return Dataset(root, settings, files={action, member})
    if not is_action and not is_member:
        holders = formerly.holders(root, ident) if kind != "action" and is_slug(ident) else []
        if not holders:  # not found: every record, for the nearest ids
            return load(root, settings)[0]
        if len(holders) > 1:  # the data is wrong: `find` says so
            held = [RecordKey(Kind.MEMBER, member=h) for h in holders]
            return add_records(Dataset(root, settings, files=set(held)), held)
        ident, member = holders[0], RecordKey(Kind.MEMBER, member=holders[0])  # now its id
    elif is_action:
        folder = action.path.removesuffix("action.yaml")
        mine = _keys(p for p in paths if p.startswith(folder))
        dataset = add_records(Dataset(root, settings, files=set(mine)), [action])
        loaded = dataset.actions.get(ident)
        leaders = loaded.record.leaders if loaded else None
        named = {leaders.government, leaders.civil_society} if leaders else set()
        named |= {k.member for k in mine}
        members = [RecordKey(Kind.MEMBER, member=m) for m in named if m]
        members = [k for k in members if k.path in present]
        dataset.files.update(members)
        return add_records(dataset, [k for k in mine if k != action] + members)
    # a member: every action (their leaders), and its own participations and updates
    keys = [
        k
        for k in _keys(p for p in paths if p.endswith("/action.yaml") or ident in p)
        if k.kind is Kind.ACTION or (k.member == ident and k.kind is not Kind.MEMBER)
    ] + [member]
    return add_records(Dataset(root, settings, files=set(keys)), keys)


def _keys(paths: Iterable[str]) -> list[RecordKey]:
    return [key for key in map(key_for, paths) if key is not None]


def find(dataset: Dataset, wanted: str, today: date, language: str) -> ActionDetail | MemberDetail:
    """The action or member called `wanted`; NotFound (with the nearest ids) if none is."""
    kind, _, ident = wanted.rpartition(":")
    if ident.isdigit() and kind in ("", "action"):  # `show 2`: the action numbered 2
        numbered = [
            a for a, loaded in dataset.actions.items() if loaded.record.number == int(ident)
        ]
        if not numbered:
            raise NotFound(f"no action numbered {ident} (`ogpctl status` lists the actions)")
        ident, kind = min(numbered), "action"
    if kind not in ("", "action", "member") or not ident:
        raise UsageError(f"{wanted!r}: write ID, action:ID or member:ID")
    lang = Lang(language, dataset.settings.default_language)
    is_action = RecordKey(Kind.ACTION, action=ident) in dataset.files and kind != "member"
    is_member = dataset.has_member(ident) and kind != "action"
    if is_action and is_member:
        raise UsageError(
            f"{ident!r} is both an action and a member: write action:{ident} or member:{ident}"
        )
    if is_action or is_member:
        key = (
            RecordKey(Kind.ACTION, action=ident)
            if is_action
            else RecordKey(Kind.MEMBER, member=ident)
        )
        if is_action and ident in dataset.actions:
            return action_detail(dataset, ident, today, lang)
        if is_member and ident in dataset.members:
            return member_detail(dataset, ident, lang)
        raise InvalidData(f"{key.path} is invalid: see `ogpctl validate {key.path}`")
    holders = [m for m, held in dataset.members.items() if ident in held.record.formerly]
    if len(holders) == 1 and kind != "action":  # renamed or merged into it
        return member_detail(dataset, holders[0], lang, former(dataset.root, ident, holders[0]))
    if len(holders) > 1 and kind != "action":
        listed = " and ".join(map(repr, sorted(holders)))
        raise InvalidData(
            f"{ident!r} is a former id of {listed}: one member only may list it in `formerly`; "
            f"see `ogpctl show {min(holders)}`"
        )
    actions = list(dataset.actions) if kind != "member" else []
    members = list(dataset.members) if kind != "action" else []
    nearest = difflib.get_close_matches(ident, sorted({*actions, *members}), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(map(repr, nearest))}?" if nearest else ""
    what = kind or "action or member"
    where = {
        "action": "`ogpctl status` lists the actions",
        "member": "the members are the files in data/members/",
    }
    lists = "; ".join(where[k] for k in ("action", "member") if kind in (None, "", k))
    raise NotFound(f"no {what} {ident!r}{hint} ({lists})")


def _participation(dataset: Dataset, action_id: str, member: str) -> Participation:
    action = dataset.actions[action_id].record
    loaded = dataset.members.get(member)
    record = dataset.participants.get(action_id, {}).get(member)
    return Participation(
        action=action_id,
        number=action.number,
        title=action.title,
        member=member,
        name=loaded.record.name if loaded else {},
        type=loaded.record.type if loaded else None,
        roles=roles(dataset, action_id, member),
        record=record.record if record else None,
    )


def _published(dataset: Dataset, action_id: str) -> list[Published]:
    return [
        Published(action_id, u.key.member, u.key.published, u.record)
        for u in dataset.updates.get(action_id, [])
        if u.key.published is not None
    ]


def action_detail(dataset: Dataset, action_id: str, today: date, lang: Lang) -> ActionDetail:
    action = dataset.actions[action_id].record
    appointed = action.leaders.model_dump().values() if action.leaders else []
    leaders = [m for m in appointed if m]
    members = sorted({*dataset.participants.get(action_id, {}), *leaders})
    updates = _published(dataset, action_id)
    reported: dict[str, tuple[str, date]] = {}
    for update in updates:  # oldest first: the latest report of a milestone wins
        for milestone, completion in update.record.milestones.items():
            reported[milestone] = (completion, update.published)
    return ActionDetail(
        id=action_id,
        record=action,
        lang=lang,
        today=today,
        leaders={
            m: dataset.members[m].record.name if m in dataset.members else {} for m in leaders
        },
        participants=[_participation(dataset, action_id, m) for m in members],
        milestones=[
            MilestoneState(m.id, m.title, m.due, *reported.get(m.id, (None, None)))
            for m in action.milestones
        ],
        updates=updates,
        update_every_months=cadence(dataset, action_id),
        last_update=last_update(dataset, action_id),
        next_update_due=next_due(dataset, action_id),
        overdue=is_overdue(dataset, action_id, today),
    )


def member_detail(
    dataset: Dataset,
    member: str,
    lang: Lang,
    asked_for: Former | None = None,
    among: Iterable[str] | None = None,
) -> MemberDetail:
    """`among`: the actions that may concern the member (default: every action)."""
    actions = [
        a for a in (dataset.actions if among is None else among) if roles(dataset, a, member)
    ]
    actions.sort(key=lambda a: (dataset.actions[a].record.number or 10**9, a))
    updates = [u for a in actions for u in _published(dataset, a) if u.member == member]
    return MemberDetail(
        id=member,
        record=dataset.members[member].record,
        lang=lang,
        actions=[_participation(dataset, a, member) for a in actions],
        updates=sorted(updates, key=lambda u: (u.published, u.action)),
        asked_for=asked_for,
    )
