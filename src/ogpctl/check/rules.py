"""Rules across files. Each is a small named function with a stable code and severity.

A check yields findings `(record, field path, message)`; the registry turns them into
problems. A check reads the records' facts (`model.facts`): the same on light records and
on full ones. The docstring's first line is the rule as documented in `docs/checks.md`.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ogpctl import codes
from ogpctl.model.dataset import Facts
from ogpctl.model.keys import Kind
from ogpctl.model.loaded import Loaded
from ogpctl.model.monitoring import cadence, last_update, next_due
from ogpctl.model.vocabulary import GOVERNMENTS, ActionStatus, MemberType
from ogpctl.problems import Problem, Severity, did_you_mean

Loc = tuple[str | int, ...]
Finding = tuple[Loaded[Any], Loc, str]
CheckFunction = Callable[[Facts, date], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    name: str
    doc: str
    function: CheckFunction

    def run(self, dataset: Facts, today: date) -> Iterator[tuple[Problem, Loc]]:
        """Each problem found, with the field of the record it is about."""
        for loaded, loc, message in self.function(dataset, today):
            line, column = loaded.mark(*loc)
            yield Problem(loaded.key.path, line, column, self.code, self.severity, message), loc


CHECKS: list[Check] = []


def check(code: str, severity: Severity) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        doc = inspect.getdoc(function) or ""
        codes.register(code, severity, doc.splitlines()[0], "dataset")
        CHECKS.append(Check(code, severity, function.__name__.replace("_", "-"), doc, function))
        return function

    return register


def run_checks(dataset: Facts, today: date) -> list[Problem]:
    return [problem for problem, _ in located(dataset, today)]


def located(dataset: Facts, today: date) -> list[tuple[Problem, Loc]]:
    """Every problem of every check, with the field it is about (to find it again)."""
    return [found for c in CHECKS for found in c.run(dataset, today)]


def _join_hint(action: str, member: str) -> str:
    return f"add data/actions/{action}/participants/{member}.yaml (`ogpctl join {action} {member}`)"


@check("OGP201", Severity.ERROR)
def participant_member_exists(dataset: Facts, today: date) -> Iterator[Finding]:
    """A participant is a member: `participants/<m>.yaml` needs `data/members/<m>.yaml`."""
    for members in dataset.participants.values():
        for member, participant in members.items():
            if not dataset.has_member(member):
                yield (
                    participant,
                    (),
                    (
                        f"member {member!r} does not exist{did_you_mean(member, dataset.members)}; "
                        f"add data/members/{member}.yaml or rename this file"
                    ),
                )


@check("OGP202", Severity.ERROR)
def leader_is_participant(dataset: Facts, today: date) -> Iterator[Finding]:
    """Each leader of an action takes part in it (has a participant file in the action)."""
    for action_id, action in dataset.actions.items():
        leaders = action.record.leaders
        if leaders is None:
            continue
        taking_part = dataset.participants.get(action_id, {})
        for role in ("government", "civil_society"):
            member = getattr(leaders, role)
            if member is None or dataset.has_participant(action_id, member):
                continue
            if not dataset.has_member(member):
                problem = f"{member!r} is not a member{did_you_mean(member, dataset.members)}"
            else:
                problem = (
                    f"{member!r} does not take part in this action"
                    f"{did_you_mean(member, taking_part)}; {_join_hint(action_id, member)}"
                )
            yield action, ("leaders", role), f"leaders.{role}: {problem}"


@check("OGP203", Severity.ERROR)
def leader_type(dataset: Facts, today: date) -> Iterator[Finding]:
    """The government leader is a national or subnational government; the other leader a CSO."""
    for action in dataset.actions.values():
        leaders = action.record.leaders
        if leaders is None:
            continue
        for role, allowed in (
            ("government", GOVERNMENTS),
            ("civil_society", {MemberType.CIVIL_SOCIETY}),
        ):
            member = dataset.members.get(getattr(leaders, role) or "")
            if member is not None and member.record.type not in allowed:
                yield (
                    action,
                    ("leaders", role),
                    (
                        f"leaders.{role}: {member.key.member!r} is of type {member.record.type}; "
                        f"the {role.replace('_', '-')} leader must be of type "
                        f"{' or '.join(sorted(allowed))}"
                    ),
                )


@check("OGP204", Severity.ERROR)
def update_author_participates(dataset: Facts, today: date) -> Iterator[Finding]:
    """An update's author (in its file name) had joined the action by the update's date."""
    for action_id, updates in dataset.updates.items():
        for update in updates:
            author, published = update.key.member, update.key.published
            participant = dataset.participants.get(action_id, {}).get(author)
            if not dataset.has_member(author):
                taking_part = dataset.participants.get(action_id, {})
                hint = did_you_mean(author, taking_part) or did_you_mean(author, dataset.members)
                yield (
                    update,
                    (),
                    (
                        f"author {author!r} is not a member{hint}; add data/members/{author}.yaml, "
                        "or name the file after the member who wrote it"
                    ),
                )
            elif not dataset.has_participant(action_id, author):
                yield (
                    update,
                    (),
                    (
                        f"author {author!r} does not take part in {action_id}; "
                        f"{_join_hint(action_id, author)}"
                    ),
                )
            elif participant and published and participant.record.joined > published:
                yield (
                    update,
                    (),
                    (
                        f"author {author!r} joined {action_id} on {participant.record.joined}, "
                        f"after this update's date {published}"
                    ),
                )


@check("OGP205", Severity.ERROR)
def update_milestones_exist(dataset: Facts, today: date) -> Iterator[Finding]:
    """An update reports only on milestones that its action defines."""
    for action_id, updates in dataset.updates.items():
        action = dataset.actions.get(action_id)
        if action is None:
            continue
        defined = [m.id for m in action.record.milestones]
        for update in updates:
            for milestone in update.record.milestones:
                if milestone not in defined:
                    listed = ", ".join(defined) if defined else "none"
                    yield (
                        update,
                        ("milestones", milestone),
                        (
                            f"milestone {milestone!r} is not a milestone of {action_id}"
                            f"{did_you_mean(milestone, defined)}; it has: {listed}"
                        ),
                    )


@check("OGP206", Severity.ERROR)
def update_dates_in_order(dataset: Facts, today: date) -> Iterator[Finding]:
    """An update's period ends by its publication date, which is no later than today."""
    for updates in dataset.updates.values():
        for update in updates:
            published = update.key.published
            assert published is not None
            period = update.record.period
            if published > today:
                yield update, (), f"published {published}, which is after today ({today})"
            if period is not None and period.end > published:
                yield (
                    update,
                    ("period", "end"),
                    (
                        f"period.end {period.end} is after the publication date {published} "
                        "(the date in the file name)"
                    ),
                )


@check("OGP207", Severity.WARNING)
def joined_after_launch(dataset: Facts, today: date) -> Iterator[Finding]:
    """A member joins an action on or after the day the action was launched."""
    for action_id, members in dataset.participants.items():
        action = dataset.actions.get(action_id)
        launched = action.record.launched if action else None
        for participant in members.values():
            if launched and participant.record.joined < launched:
                yield (
                    participant,
                    ("joined",),
                    (
                        f"joined {participant.record.joined}, before {action_id} was launched on "
                        f"{launched}; check the date or its source"
                    ),
                )


@check("OGP208", Severity.ERROR)
def action_numbers_unique(dataset: Facts, today: date) -> Iterator[Finding]:
    """No two actions carry the same number."""
    by_number: dict[int, list[str]] = defaultdict(list)
    for action_id, action in sorted(dataset.actions.items()):
        if action.record.number is not None:
            by_number[action.record.number].append(action_id)
    for number, ids in by_number.items():
        for action_id in ids[1:]:
            yield (
                dataset.actions[action_id],
                ("number",),
                (f"number {number} is already used by {ids[0]}"),
            )


@check("OGP209", Severity.ERROR)
def update_before_author_left(dataset: Facts, today: date) -> Iterator[Finding]:
    """An update is published no later than the day its author left the action."""
    for action_id, updates in dataset.updates.items():
        for update in updates:
            author, published = update.key.member, update.key.published
            participant = dataset.participants.get(action_id, {}).get(author)
            left = participant.record.left if participant else None
            if left is not None and published is not None and published > left:
                yield (
                    update,
                    (),
                    (
                        f"author {author!r} left {action_id} on {left}, before this update's "
                        f"date {published}; only a current participant publishes updates"
                    ),
                )


@check("OGP210", Severity.ERROR)
def leader_has_not_left(dataset: Facts, today: date) -> Iterator[Finding]:
    """A leader of an action has not left it: a leader who withdrew is replaced."""
    for action_id, action in dataset.actions.items():
        leaders = action.record.leaders
        for role in ("government", "civil_society") if leaders else ():
            member = getattr(leaders, role)
            participant = dataset.participants.get(action_id, {}).get(member or "")
            if participant is not None and participant.record.left is not None:
                flag = role.replace("_", "-")
                yield (
                    action,
                    ("leaders", role),
                    (
                        f"leaders.{role}: {member!r} left {action_id} on "
                        f"{participant.record.left}; name another leader "
                        f"(`ogpctl lead {action_id} --{flag} MEMBER`)"
                    ),
                )


@check("OGP211", Severity.ERROR)
def former_ids_unique(dataset: Facts, today: date) -> Iterator[Finding]:
    """A former id (`formerly`) is no member's id now, and one member's former id only."""
    claimed: dict[str, str] = {}
    for member_id, member in sorted(dataset.members.items()):
        for index, old in enumerate(member.record.formerly):
            if old == member_id:
                clash = "is this member's own id: remove it from formerly"
            elif old in dataset.members:
                clash = (
                    f"is a member's id now (data/members/{old}.yaml): if they are one "
                    f"member, `ogpctl merge {old} {member_id}`; else remove it from formerly"
                )
            elif claimed.setdefault(old, member_id) != member_id:
                clash = f"is also a former id of {claimed[old]!r}: keep it in one"
            else:
                continue
            yield member, ("formerly", index), f"formerly: {old!r} {clash}"


@check("OGP301", Severity.WARNING)
def active_action_has_leaders(dataset: Facts, today: date) -> Iterator[Finding]:
    """An active action has both leaders: one government and one civil-society organisation."""
    for action in dataset.actions.values():
        if action.record.status != ActionStatus.ACTIVE:
            continue
        leaders = action.record.leaders
        missing = [
            role.replace("_", "-")
            for role in ("government", "civil_society")
            if leaders is None or getattr(leaders, role) is None
        ]
        if missing:
            yield (
                action,
                ("leaders",) if leaders else ("status",),
                (
                    f"active action without a {' or a '.join(missing)} leader "
                    f"(`ogpctl lead {action.key.action} …`)"
                ),
            )


@check("OGP302", Severity.WARNING)
def progress_update_not_overdue(dataset: Facts, today: date) -> Iterator[Finding]:
    """An active action publishes a progress update at least every `update_every_months`."""
    for action_id, action in dataset.actions.items():
        if action.record.status != ActionStatus.ACTIVE:
            continue
        due = next_due(dataset, action_id)
        if due is not None and due < today:
            last = last_update(dataset, action_id)
            since = (
                f"last update {last}"
                if last
                else f"no update since launch ({action.record.launched})"
            )
            yield (
                action,
                ("status",),
                (
                    f"progress update overdue since {due}: {since}, one is due every "
                    f"{cadence(dataset, action_id)} months"
                ),
            )


@check("OGP303", Severity.WARNING)
def member_takes_part(dataset: Facts, today: date) -> Iterator[Finding]:
    """A member takes part in at least one action."""
    # participant files, valid or not: an invalid one is reported on its own (no cascade)
    taking_part = {key.member for key in dataset.files if key.kind is Kind.PARTICIPANT}
    for member_id, member in dataset.members.items():
        if member_id not in taking_part:
            yield member, (), f"{member_id!r} takes part in no action"


def _site(url: str) -> str:
    """`https://www.Example.org/` → `example.org`: one website, however it is written."""
    host = url.split("://", 1)[-1].rstrip("/").casefold()
    return host.removeprefix("www.")


@check("OGP304", Severity.WARNING)
def members_not_duplicates(dataset: Facts, today: date) -> Iterator[Finding]:
    """Two members of one type look alike: same country, name in a language, or website.

    Same country counts for national governments only (a country has one).
    """
    first: dict[tuple[str, ...], str] = {}
    for member_id, member in sorted(dataset.members.items()):
        record = member.record
        seen: list[tuple[tuple[str, ...], Loc, str]] = []
        if record.type == MemberType.NATIONAL_GOVERNMENT and record.country:
            seen.append((("country", record.country), ("country",), f"country {record.country}"))
        for language, name in sorted((record.name or {}).items()):  # None: invalid
            folded = " ".join(name.casefold().split())
            seen.append((("name", folded), ("name", language), f"name {name!r}"))
        if record.website:
            seen.append((("website", _site(record.website)), ("website",), "website"))
        reported = False
        for fact, loc, what in seen:
            other = first.setdefault((record.type, *fact), member_id)
            if other != member_id and not reported:
                reported = True
                yield (
                    member,
                    loc,
                    (
                        f"{member_id!r} has the same type and {what} as {other!r}: if they are "
                        f"one member, `ogpctl merge {member_id} {other}`"
                    ),
                )
