"""The progress report (`export --format markdown`) of a dataset that validated, written
one action at a time so that memory does not grow with the dataset.

Its records come from export's rows (`check.fast.rows`: made by validation's workers, or
cached), asked for in `order`: the members first, of which only what the report shows is
kept (name and type: every action names some of them), then each action's own records
(the action, its participants, its updates), let go once the action's section is written
to a temporary file. The sections are then given in the report's order (by number, then
id), after the head that counts them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ogpctl.model.dataset import Dataset, Settings
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.loaded import Loaded, Validated

if TYPE_CHECKING:  # imported when a report is made: a kept one needs neither (`exporting`)
    from ogpctl.show import ActionDetail, Lang

UNNUMBERED = 10**9  # actions without a number come last, by id


@dataclass(frozen=True)
class Writer:
    """How the report is written (`render/`): its head from the dataset's name, the
    number of actions and the day; one action's section from its details."""

    head: Callable[[str, int, date], str]
    section: Callable[[ActionDetail], str]


def order(keys: Iterable[RecordKey]) -> list[RecordKey]:
    """The members, then each action's own records: the action, its participants, then
    its updates, oldest first."""
    from ogpctl.model.tables import path_order

    return sorted(keys, key=lambda k: (k.kind is not Kind.MEMBER, k.action, path_order(k)))


def chunks(
    root: Path,
    settings: Settings,
    keys: list[RecordKey],
    entries: Iterable[tuple[Kind, bytes]],
    today: date,
    lang: Lang,
    writer: Writer,
) -> Iterator[str]:
    """The report's text, piece by piece, from the `entry_data` of each key in `order`."""
    from ogpctl.model.records import Member
    from ogpctl.model.tables import entry_record
    from ogpctl.show import action_detail

    dataset: Dataset[Any, Any, Any, Any] = Dataset(root, settings)
    nowhere = Validated()
    places: list[tuple[int, str, int, int]] = []  # number, id, offset and length of a section
    with tempfile.TemporaryFile() as spool:

        def write(action: str | None) -> None:
            if action is not None and action in dataset.actions:
                detail = action_detail(dataset, action, today, lang)
                data = writer.section(detail).encode()
                places.append((detail.record.number or UNNUMBERED, action, spool.tell(), len(data)))
                spool.write(data)
            dataset.actions.clear()
            dataset.participants.clear()
            dataset.updates.clear()

        current = None
        for key, (kind, data) in zip(keys, entries, strict=True):
            if kind is not Kind.MEMBER and key.action != current:
                write(current)
                current = key.action
            record = entry_record(kind, data)
            if isinstance(record, Member):  # what the report shows of it
                record = Member.model_construct(name=record.name, type=record.type)
            dataset.add(Loaded(key, record, nowhere))
        write(current)
        yield writer.head(settings.name, len(places), today)
        for _, _, offset, length in sorted(places):
            spool.seek(offset)
            yield spool.read(length).decode()
