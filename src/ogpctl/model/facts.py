"""What the cross-file checks (and `monitoring`) read of each record kind, declared once.

Each class names the fields of one kind that a rule may read, with their types. It is a
`Protocol`: the full records of `records.py` satisfy it (mypy checks that they do, below),
and so do the light records that validation builds from its cache, whose type, extraction
and cache encoding are derived from these declarations (`check.fast.facts`). The rules
take a `Facts` dataset, so mypy refuses a rule that reads a field not declared here: to
let a check read another field, add it here, and that is the only edit.

The fields are read-only properties so that a full record's richer types (an enum for a
`str`, a `Leaders` model for `LeadersFacts`) fit them.

The `…Shown` protocols add what `status` and `members` show: kept in the same cache, so
that those commands read no file that has not changed (a `Shown` dataset). To show
another field there, add it to its kind's `…Shown` protocol.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol


class MemberFacts(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def country(self) -> str | None: ...
    @property
    def name(self) -> Mapping[str, str] | None: ...  # None: invalid, in a partial record
    @property
    def website(self) -> str | None: ...
    @property
    def formerly(self) -> Sequence[str]: ...


class LeadersFacts(Protocol):
    @property
    def government(self) -> str | None: ...
    @property
    def civil_society(self) -> str | None: ...


class MilestoneFacts(Protocol):
    @property
    def id(self) -> str: ...


class ActionFacts(Protocol):
    @property
    def number(self) -> int | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def launched(self) -> date | None: ...
    @property
    def leaders(self) -> LeadersFacts | None: ...
    @property
    def milestones(self) -> Sequence[MilestoneFacts]: ...
    @property
    def update_every_months(self) -> int | None: ...


class ParticipantFacts(Protocol):
    @property
    def joined(self) -> date: ...
    @property
    def left(self) -> date | None: ...


class PeriodFacts(Protocol):
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


class UpdateFacts(Protocol):
    @property
    def period(self) -> PeriodFacts | None: ...
    @property
    def milestones(self) -> Mapping[str, str]: ...


class MemberShown(MemberFacts, Protocol):
    @property
    def maintainers(self) -> Sequence[str]: ...


class ActionShown(ActionFacts, Protocol):
    @property
    def title(self) -> Mapping[str, str]: ...
    @property
    def theme(self) -> str: ...


class ParticipantShown(ParticipantFacts, Protocol):
    pass


class UpdateShown(UpdateFacts, Protocol):
    @property
    def completion(self) -> str: ...


if TYPE_CHECKING:  # mypy: each full record offers every fact of its kind, with its type
    from ogpctl.model.records import Action, Member, Participant, Update

    def _member(record: Member) -> MemberShown:
        return record

    def _action(record: Action) -> ActionShown:
        return record

    def _participant(record: Participant) -> ParticipantShown:
        return record

    def _update(record: Update) -> UpdateShown:
        return record
