"""The site's records, held compactly so that memory does not grow with the dataset.

Every record's export row (`tables.entry_data`) is kept in a temporary file (`Rows`), in
path order. One pass over it (`Records.read`) keeps the actions' full records (every page
names some of them), and of each member, participation and update only what the index,
the links, the feed and the monitoring read (`Named`, `Joined`, `Reported`) with where
its row is. An action's page then reads its participants, its updates and the members it
names back from their rows, and a member's page its own record, participations and
updates (`action_records`, `member_records`): the big parts are read one page at a time,
never all held.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from ogpctl.check.fast.collector import uncollected
from ogpctl.model.dataset import Dataset, Settings
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.loaded import Loaded, Validated
from ogpctl.model.records import Action, Member, Participant, Update
from ogpctl.model.tables import (
    ORDER,
    entry_cells,
    entry_data,
    entry_record,
    entry_text,
    records,
    row_entry,
)
from ogpctl.model.vocabulary import Completion

R = TypeVar("R", Member, Participant, Update)


def _record(kind: Kind, data: bytes, model: type[R]) -> R:
    record = entry_record(kind, data)
    assert isinstance(record, model)
    return record


class Rows:
    """Every record's export row (`entry_data`, in `path_order`), kept in a temporary file
    to be read again for each download and each page, so that they are not all held."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `close`, after the pages)
        self._end = 0

    @classmethod
    def of(cls, dataset: Dataset) -> Rows:
        """The rows of a dataset's records."""
        found, default = cls(), dataset.settings.default_language
        for kind, row in records(dataset):
            found.add(kind, entry_data(row_entry(kind, row, default)))
        return found

    def add(self, kind: Kind, data: bytes) -> None:
        self._file.seek(self._end)
        self._file.write(bytes((ORDER[kind],)) + len(data).to_bytes(4, "little") + data)
        self._end = self._file.tell()

    def __iter__(self) -> Iterator[tuple[Kind, bytes]]:
        for _, kind, data in self.located():
            yield kind, data

    def located(self) -> Iterator[tuple[int, Kind, bytes]]:
        """(where, kind, row) of each row in turn."""
        kinds, read, at = list(ORDER), self._file.read, 0
        while at < self._end:
            self._file.seek(at)
            head = read(5)
            size = int.from_bytes(head[1:], "little")
            data = read(size)
            yield at, kinds[head[0]], data
            at += 5 + size

    def read(self, at: int) -> bytes:
        """The row at `at` (from `located`), read where it is: the file's position, which
        forked processes share, stays as it is."""
        self._file.flush()
        fd = self._file.fileno()
        return os.pread(fd, int.from_bytes(os.pread(fd, 4, at + 1), "little"), at + 5)

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True, slots=True)
class Named:
    """What the site reads of a member beyond its own page (and `status`'s facts)."""

    name: dict[str, str]
    type: str
    country: str | None
    website: str | None
    formerly: list[str]
    maintainers: list[str]
    at: int  # where its row is


class Period(NamedTuple):
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Joined:
    """What the site reads of a participation beyond its own pages."""

    joined: date
    left: date | None
    at: int  # where its row is


@dataclass(frozen=True, slots=True)
class Reported:
    """What the site reads of a progress update beyond its action's page."""

    completion: str
    milestones: Mapping[str, str]
    period: Period | None
    at: int  # where its row is


Summary = Dataset[Named, Action, Joined, Reported]


class _One:
    """One object for each value that many records repeat (ids, dates, completions, the
    milestones an update reports): at 184,000 files, a third of what the records take."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._days: dict[str, date] = {}
        self._milestones: dict[str, Mapping[str, str]] = {}
        self._periods: dict[tuple[str, str], Period] = {}

    def text(self, value: str) -> str:
        return self._texts.setdefault(value, value)

    def day(self, value: str) -> date:
        found = self._days.get(value)
        if found is None:
            found = self._days[value] = date.fromisoformat(value)
        return found

    def milestones(self, cell: str | None) -> Mapping[str, str]:
        """An update's milestones from their cell (JSON): shared, so never to be changed."""
        if cell is None:
            return {}
        found = self._milestones.get(cell)
        if found is None:
            found = self._milestones[cell] = {
                self.text(k): self.text(v) for k, v in json.loads(cell).items()
            }
        return found

    def period(self, start: str | None, end: str | None) -> Period | None:
        if start is None or end is None:
            return None
        found = self._periods.get((start, end))
        if found is None:
            found = self._periods[start, end] = Period(self.day(start), self.day(end))
        return found


@dataclass
class Records:
    """The dataset as the site holds it: `summary` (the actions in full, compact members,
    participations and updates), the rows, and what one pass over them counted."""

    summary: Summary
    rows: Rows
    done: dict[str, tuple[int, int]] = field(default_factory=dict)  # milestones done, of all
    cited: dict[str, tuple[str, int]] = field(default_factory=dict)  # url → (title, records)
    involved: dict[str, set[str]] = field(default_factory=dict)  # member → its actions

    @classmethod
    def read(cls, root: Path, settings: Settings, rows: Rows) -> Records:
        with uncollected():  # tens of thousands of records, none in a cycle
            return cls._read(root, settings, rows)

    @classmethod
    def _read(cls, root: Path, settings: Settings, rows: Rows) -> Records:
        found = cls(Dataset(root, settings), rows)
        nowhere, summary, one = Validated(), found.summary, _One()
        reported: dict[str, dict[str, str]] = {}  # action → milestone → latest completion
        for at, kind, data in rows.located():
            cells, _, sources = entry_cells(data)
            found._cite(sources)
            if kind is Kind.MEMBER:
                key = RecordKey(kind, member=one.text(cells["id"]))
                row = json.loads(entry_text(data))
                named = Named(
                    row["name"],
                    one.text(row["type"]),
                    row.get("country"),
                    row.get("website"),
                    row.get("formerly") or [],
                    row.get("maintainers") or [],
                    at,
                )
                summary.add(Loaded(key, named, nowhere))
            elif kind is Kind.ACTION:
                key = RecordKey(kind, action=one.text(cells["id"]))
                summary.add(Loaded(key, entry_record(kind, data), nowhere))
            elif kind is Kind.PARTICIPANT:
                action, member = one.text(cells["action"]), one.text(cells["member"])
                key = RecordKey(kind, action=action, member=member)
                left = cells.get("left")
                record = Joined(one.day(cells["joined"]), left and one.day(left), at)
                summary.add(Loaded(key, record, nowhere))
                found.involved.setdefault(member, set()).add(action)
            else:
                action, member = one.text(cells["action"]), one.text(cells["member"])
                key = RecordKey(
                    kind, action, member, one.day(cells["published"]), cells["sequence"]
                )
                milestones = one.milestones(cells.get("milestones"))
                period = one.period(cells.get("period_start"), cells.get("period_end"))
                update = Reported(one.text(cells["completion"]), milestones, period, at)
                summary.add(Loaded(key, update, nowhere))
                reported.setdefault(action, {}).update(milestones)
        for action, loaded in summary.actions.items():
            leaders = loaded.record.leaders
            for leader in (leaders.government, leaders.civil_society) if leaders else ():
                if leader:
                    found.involved.setdefault(leader, set()).add(action)
            latest = reported.get(action, {})
            states = [latest.get(m.id) for m in loaded.record.milestones]
            found.done[action] = (sum(s == Completion.COMPLETE for s in states), len(states))
        return found

    def _cite(self, sources: list[Any]) -> None:
        for source in {s["url"]: s for s in sources}.values():
            url = source["url"]
            title, count = self.cited.get(url, (source.get("title") or url, 0))
            self.cited[url] = (title, count + 1)

    def _full(self, members: Iterable[str]) -> Dataset:
        """A dataset of every action, and of these members in full."""
        summary, nowhere, read = self.summary, Validated(), self.rows.read
        full = {}
        for member in sorted(members):
            named = summary.members.get(member)
            if named is not None:
                record = _record(Kind.MEMBER, read(named.record.at), Member)
                full[member] = Loaded(named.key, record, nowhere)
        return Dataset(summary.root, summary.settings, members=full, actions=summary.actions)

    def action_records(self, action: str) -> Dataset:
        """The dataset as an action's page reads it: its participants and updates in full,
        and the members it names."""
        leaders = self.summary.actions[action].record.leaders
        named = {leaders.government, leaders.civil_society} if leaders else set()
        taking_part = self.summary.participants.get(action, {})
        found = self._full({m for m in named if m} | set(taking_part))
        nowhere, read = Validated(), self.rows.read
        for member, joined in taking_part.items():
            record = _record(Kind.PARTICIPANT, read(joined.record.at), Participant)
            found.participants[action][member] = Loaded(joined.key, record, nowhere)
        for update in self.summary.updates.get(action, []):
            published = _record(Kind.UPDATE, read(update.record.at), Update)
            found.updates[action].append(Loaded(update.key, published, nowhere))
        return found

    def member_records(self, member: str) -> Dataset:
        """The dataset as a member's page reads it: the member, its own participations and
        updates."""
        found, nowhere, read = self._full([member]), Validated(), self.rows.read
        for action in self.involved.get(member, ()):
            joined = self.summary.participants.get(action, {}).get(member)
            if joined is not None:
                record = _record(Kind.PARTICIPANT, read(joined.record.at), Participant)
                found.participants[action][member] = Loaded(joined.key, record, nowhere)
            for update in self.summary.updates.get(action, []):
                if update.key.member == member:
                    published = _record(Kind.UPDATE, read(update.record.at), Update)
                    found.updates[action].append(Loaded(update.key, published, nowhere))
        return found
