"""The whole dataset in memory: every record that loaded, indexed for the cross-file checks,
with the settings it was read with. Loading it is `ogpctl.check.load`.

`Dataset` holds full records (`records.py`); `Facts` is the same aggregate typed with only
what the cross-file checks read (`facts.py`): validation's light records fill one, and a
`Dataset` is also a `Facts` (the record types are covariant), so the rules take `Facts`.
`Shown` is the same for what `status` and `members` show.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeAlias

from ogpctl.model.facts import (
    ActionFacts,
    ActionShown,
    MemberFacts,
    MemberShown,
    ParticipantFacts,
    ParticipantShown,
    UpdateFacts,
    UpdateShown,
)
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.loaded import Loaded

if TYPE_CHECKING:
    from typing_extensions import TypeVar  # defaults (PEP 696): a bare `Dataset` is full

    from ogpctl.model.records import Action, Member, Participant, Update

    M = TypeVar("M", covariant=True, default=Member)
    A = TypeVar("A", covariant=True, default=Action)
    P = TypeVar("P", covariant=True, default=Participant)
    U = TypeVar("U", covariant=True, default=Update)
else:  # at run time only the names matter (and pydantic is not imported)
    from typing import TypeVar

    M, A, P, U = (TypeVar(n, covariant=True) for n in "MAPU")


@dataclass(frozen=True)
class Settings:
    name: str = "ogpctl dataset"
    default_language: str = "en"
    update_every_months: int = 6
    description: str = ""
    license: str = ""
    attribution: str = ""


@dataclass
class Dataset(Generic[M, A, P, U]):
    root: Path
    settings: Settings
    files: set[RecordKey] = field(default_factory=set)  # every record file, valid or not
    members: dict[str, Loaded[M]] = field(default_factory=dict)
    actions: dict[str, Loaded[A]] = field(default_factory=dict)
    participants: dict[str, dict[str, Loaded[P]]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # action → member → participation
    updates: dict[str, list[Loaded[U]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # action → updates, oldest first

    def has_member(self, member: str) -> bool:
        """True if the member's file exists, even if it is invalid (no cascade of errors)."""
        return member in self.members or RecordKey(Kind.MEMBER, member=member) in self.files

    def has_participant(self, action: str, member: str) -> bool:
        """True if the participation's file exists, even if it is invalid."""
        return member in self.participants.get(action, ()) or (
            RecordKey(Kind.PARTICIPANT, action=action, member=member) in self.files
        )

    def sorted(self) -> Dataset[M, A, P, U]:
        """Puts each action's updates in order, oldest first; returns the dataset."""
        for updates in self.updates.values():
            updates.sort(key=lambda u: (u.key.published, u.key.member, u.key.sequence))
        return self

    def drop_partial(self) -> Dataset[M, A, P, U]:
        """Leaves out the records read without their invalid fields (`Loaded.partial`): once
        the cross-file checks have run, what is shown counts only valid records."""
        self.members = {k: m for k, m in self.members.items() if not m.partial}
        for members in self.participants.values():
            for member in [m for m, p in members.items() if p.partial]:
                del members[member]
        for action, updates in self.updates.items():
            self.updates[action] = [u for u in updates if not u.partial]
        return self

    def discard(self, key: RecordKey) -> None:
        """Forget the record at `key` (its file is deleted or replaced), if it is here."""
        self.files.discard(key)
        if key.kind is Kind.MEMBER:
            self.members.pop(key.member, None)
        elif key.kind is Kind.ACTION:
            self.actions.pop(key.action, None)
        elif key.kind is Kind.PARTICIPANT:
            self.participants.get(key.action, {}).pop(key.member, None)
        elif key.action in self.updates:
            self.updates[key.action] = [u for u in self.updates[key.action] if u.key != key]

    def add(self, loaded: Loaded[Any]) -> None:
        """File a record of the kind its key says (of this dataset's record types)."""
        key = loaded.key
        if key.kind is Kind.MEMBER:
            self.members[key.member] = loaded
        elif key.kind is Kind.ACTION:
            self.actions[key.action] = loaded
        elif key.kind is Kind.PARTICIPANT:
            self.participants[key.action][key.member] = loaded
        else:
            self.updates[key.action].append(loaded)


# what the cross-file checks read: light records, or full ones (a `Dataset` is one too)
Facts: TypeAlias = Dataset[MemberFacts, ActionFacts, ParticipantFacts, UpdateFacts]
# what `status` and `members` show: cached light records of the valid files, or full ones
Shown: TypeAlias = Dataset[MemberShown, ActionShown, ParticipantShown, UpdateShown]
