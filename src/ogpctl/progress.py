"""The progress report (`export --format markdown`) of a dataset that validated, written
one action at a time so that memory does not grow with the dataset.

The members' records are read first and kept (every action names some of them); then
each action's own records (the action, its participants, its updates) are read, its
section is written to a temporary file, and they are let go. The sections are then given
in the report's order (by number, then id), after the head that counts them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ogpctl.check.load import each_record, record_keys
from ogpctl.model.dataset import Dataset, Settings
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.tables import path_order
from ogpctl.show import ActionDetail, Lang, action_detail

UNNUMBERED = 10**9  # actions without a number come last, by id


@dataclass(frozen=True)
class Writer:
    """How the report is written (`render/`): its head from the dataset's name, the
    number of actions and the day; one action's section from its details."""

    head: Callable[[str, int, date], str]
    section: Callable[[ActionDetail], str]


def chunks(
    root: Path,
    settings: Settings,
    files: Sequence[str],
    today: date,
    lang: Lang,
    writer: Writer,
) -> Iterator[str]:
    """The report's text, piece by piece; `files`: the record files validation found."""
    keys = sorted(record_keys(root, files), key=path_order)  # members, then by action
    dataset: Dataset[Any, Any, Any, Any] = Dataset(root, settings, files=set(keys))
    owned: dict[str, list[RecordKey]] = {}
    for key in keys:
        if key.kind is not Kind.MEMBER:
            owned.setdefault(key.action, []).append(key)
    for loaded in each_record(root, settings, (k for k in keys if k.kind is Kind.MEMBER)):
        dataset.add(loaded)
    places: list[tuple[int, str, int, int]] = []  # number, id, offset and length of a section
    with tempfile.TemporaryFile() as spool:
        for action, mine in owned.items():
            for loaded in each_record(root, settings, mine):  # updates oldest first
                dataset.add(loaded)
            if action in dataset.actions:  # else not valid: validation said so
                detail = action_detail(dataset, action, today, lang)
                data = writer.section(detail).encode()
                places.append((detail.record.number or UNNUMBERED, action, spool.tell(), len(data)))
                spool.write(data)
            dataset.actions.pop(action, None)
            dataset.participants.pop(action, None)
            dataset.updates.pop(action, None)
        yield writer.head(settings.name, len(places), today)
        for _, _, offset, length in sorted(places):
            spool.seek(offset)
            yield spool.read(length).decode()
