"""Where records live: the only module that maps record identities to paths and back.

    data/members/<member>.yaml
    data/actions/<action>/action.yaml
    data/actions/<action>/participants/<member>.yaml
    data/actions/<action>/updates/<YYYY-MM-DD>-<member>[-<n>].yaml

An update's `-<n>` (2, 3, …) numbers a second or third update by one member on one day, so
that a correction is always a new update. A name ending in `-<number>` is read that way:
`2017-06-01-france-2.yaml` is france's second update of the day, never one by `france-2`.

Pure: nothing here touches the disk (the folder scan is `ogpctl.store.scan`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

DATA = "data"
SCHEMAS = "schemas"
CONFIG = "ogpctl.toml"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
UPDATE_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+?)(?:-([2-9]|[1-9][0-9]+))?")


class Kind(StrEnum):
    MEMBER = "member"
    ACTION = "action"
    PARTICIPANT = "participant"
    UPDATE = "update"


@dataclass(frozen=True, order=True, slots=True)  # slots: a run holds one per file
class RecordKey:
    """The identity of a record, which is its path."""

    kind: Kind
    action: str = ""  # action, participant, update
    member: str = ""  # member, participant, update
    published: date | None = None  # update
    sequence: int = 1  # update: 2, 3, … for a second, third update by one member on one day
    # the path, made once: validation asks every record for it, several times
    _path: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_path", self._make_path())

    @property
    def path(self) -> str:
        """The record's path relative to the dataset root, `/`-separated."""
        return self._path

    def _make_path(self) -> str:
        if self.kind is Kind.MEMBER:
            return f"{DATA}/members/{self.member}.yaml"
        folder = f"{DATA}/actions/{self.action}"
        if self.kind is Kind.ACTION:
            return f"{folder}/action.yaml"
        if self.kind is Kind.PARTICIPANT:
            return f"{folder}/participants/{self.member}.yaml"
        assert self.published is not None
        return f"{folder}/updates/{self.published.isoformat()}-{self.member}{self.suffix}.yaml"

    @property
    def suffix(self) -> str:
        """`-2`, `-3`… for an update that is not its author's first of the day, else ``."""
        return f"-{self.sequence}" if self.sequence > 1 else ""

    @property
    def label(self) -> str:
        """A short human name: `france`, `open-public-procurement/france`, …"""
        if self.kind is Kind.MEMBER:
            return self.member
        if self.kind is Kind.ACTION:
            return self.action
        if self.kind is Kind.PARTICIPANT:
            return f"{self.action}/{self.member}"
        return f"{self.action}/{self.published}-{self.member}{self.suffix}"


def contributions(member: str) -> list[str]:
    """Git pathspec patterns of a member's participations and updates, in every action."""
    participant = RecordKey(Kind.PARTICIPANT, action="*", member=member).path
    update = RecordKey(Kind.UPDATE, action="*", member=member, published=date.min).path
    return [participant, update.replace(date.min.isoformat(), "????-??-??")]


# names Windows gives to devices, with any extension: a clone there cannot hold such a file
WINDOWS_RESERVED = frozenset(
    [
        "con",
        "aux",
        "nul",
        "prn",
        *(f"com{n}" for n in range(1, 10)),
        *(f"lpt{n}" for n in range(1, 10)),
    ]
)


def is_reserved(text: str) -> bool:
    """Whether `text` is a device name on Windows (`con`, `aux`, `nul`, `prn`, `com1`–`com9`,
    `lpt1`–`lpt9`, in any case): no file or folder there may have it."""
    return text.casefold() in WINDOWS_RESERVED


RESERVED_HINT = (
    "Windows reserves it for a device (CON, AUX, NUL, PRN, COM1–COM9, LPT1–LPT9), so a clone "
    "there could not hold this file: choose another id"
)


def is_slug(text: str) -> bool:
    return len(text) <= 64 and _SLUG.fullmatch(text) is not None


def key_for(path: str) -> RecordKey | None:
    """The record a dataset-relative path names, or None if it names no record."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != DATA or not parts[-1].endswith(".yaml"):
        return None
    name = parts[-1][: -len(".yaml")]
    key: RecordKey | None = None
    if parts[1] == "members" and len(parts) == 3:
        key = RecordKey(Kind.MEMBER, member=name)
    elif parts[1] == "actions" and len(parts) == 4 and name == "action":
        key = RecordKey(Kind.ACTION, action=parts[2])
    elif parts[1] == "actions" and len(parts) == 5 and parts[3] == "participants":
        key = RecordKey(Kind.PARTICIPANT, action=parts[2], member=name)
    elif parts[1] == "actions" and len(parts) == 5 and parts[3] == "updates":
        named = update_name(name)
        if named:
            key = RecordKey(Kind.UPDATE, parts[2], named[1], named[0], named[2])
    return key if key is not None and key.path == path else None


def update_name(name: str) -> tuple[date, str, int] | None:
    """`2017-06-01-france-2` → (date, `france`, 2); None if it is no update's name."""
    match = UPDATE_NAME.fullmatch(name)
    published = parse_date(match.group(1)) if match else None
    if match is None or published is None:
        return None
    return published, match.group(2), int(match.group(3) or 1)


def schema_comment(kind: Kind) -> str:
    """The first line of a written record: lets editors validate as people type."""
    depth = {Kind.MEMBER: 2, Kind.ACTION: 3, Kind.PARTICIPANT: 4, Kind.UPDATE: 4}[kind]
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMAS}/{kind}.schema.json"


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
