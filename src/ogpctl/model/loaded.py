"""A record that loaded, with where each of its nodes is in its file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from ogpctl.model.keys import RecordKey

Loc = tuple[str | int, ...]  # a node's path in a document: keys and list indexes
Mark = tuple[int, int]  # line, column (1-based)

R = TypeVar("R", covariant=True)  # a full record (`records.py`) or its facts (`facts.py`)


class Positions(Protocol):
    """Where a record's nodes are: a `Document`, or a lighter stand-in with the same answers."""

    def mark(self, loc: Loc, *, key: bool = False) -> Mark: ...


@dataclass
class Loaded(Generic[R]):
    """A record file that parsed and matched its model, with the positions of its nodes.

    `load(..., records=False)` fills `record` with the few fields the cross-file checks
    read (`ogpctl.model.facts`) and `doc` with the positions they report.
    """

    key: RecordKey
    record: R
    doc: Positions
    partial: bool = False  # invalid fields left empty: for the cross-file checks only

    def mark(self, *loc: str | int) -> tuple[int, int]:
        return self.doc.mark(loc)


class Validated:
    """The positions of a record's nodes once validation has found nothing to report:
    none is asked for."""

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        return (1, 1)
