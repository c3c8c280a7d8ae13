"""The whole dataset in memory: every record that loaded, indexed for the cross-file checks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from ogpctl import records
from ogpctl.config import Settings
from ogpctl.layout import Kind, RecordKey, scan
from ogpctl.models import Action, Member, Participant, Record, Update
from ogpctl.problems import Problem
from ogpctl.records import Loaded


@dataclass
class Dataset:
    root: Path
    settings: Settings
    files: set[RecordKey] = field(default_factory=set)  # every record file, valid or not
    members: dict[str, Loaded[Member]] = field(default_factory=dict)
    actions: dict[str, Loaded[Action]] = field(default_factory=dict)
    participants: dict[str, dict[str, Loaded[Participant]]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # action → member → participation
    updates: dict[str, list[Loaded[Update]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # action → updates, oldest first

    def has_member(self, member: str) -> bool:
        """True if the member's file exists, even if it is invalid (no cascade of errors)."""
        return RecordKey(Kind.MEMBER, member=member) in self.files

    def has_participant(self, action: str, member: str) -> bool:
        """True if the participation's file exists, even if it is invalid."""
        return RecordKey(Kind.PARTICIPANT, action=action, member=member) in self.files

    def add(self, loaded: Loaded[Record]) -> None:
        key = loaded.key
        if key.kind is Kind.MEMBER:
            self.members[key.member] = cast(Loaded[Member], loaded)
        elif key.kind is Kind.ACTION:
            self.actions[key.action] = cast(Loaded[Action], loaded)
        elif key.kind is Kind.PARTICIPANT:
            self.participants[key.action][key.member] = cast(Loaded[Participant], loaded)
        else:
            self.updates[key.action].append(cast(Loaded[Update], loaded))


def load(root: Path, settings: Settings) -> tuple[Dataset, list[Problem]]:
    """Read every file under `data/`; one bad file never hides another."""
    found = scan(root)
    dataset = Dataset(root, settings, files=set(found.records))
    problems = list(found.problems)
    for key in sorted(found.records):
        loaded, file_problems = records.read(root, key, settings.default_language)
        problems += file_problems
        if loaded is not None:
            dataset.add(loaded)
    for updates in dataset.updates.values():
        updates.sort(key=lambda u: (u.key.published, u.key.member))
    return dataset, problems
