"""A record file in brief: its own problems, and what the cross-file checks read of it.

Checking one file (YAML, model, the record's own rules) is the costly part of validation;
the cross-file checks read only a few fields of each record and report at a few places.
`summarise` reduces a file to a `Summary` made of plain values: small to send from a
worker process and to keep in the cache (`check.fast.cache`). `loaded` turns one back into a
`Loaded` record for the checks, without pydantic: its `record` holds just the fields the
checks read (`FIELDS`), and its `doc` finds positions by reading the file again, which
happens only for the few records a check reports on.

A check that reads another field fails loudly on such a record (AttributeError), and the
tests compare every check's output on both kinds of dataset: add the field here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.loaded import Loaded, Loc, Mark
from ogpctl.problems import Problem, Severity

if TYPE_CHECKING:
    from ogpctl.model.records import Record
    from ogpctl.store.yamlsafe import Document

# (line, column, code, severity, message) of one problem of the file
ProblemTuple = tuple[int, int, str, str, str]
# (the file's problems, the fields the checks read as plain values or None if it did not load)
Summary = tuple[list[ProblemTuple], tuple[Any, ...] | None]

# The fields of each kind that the cross-file checks (and `monitoring`) read.
FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.MEMBER: ("type", "country", "name", "website"),
    Kind.ACTION: ("number", "status", "launched", "leaders", "milestones", "update_every_months"),
    Kind.PARTICIPANT: ("joined", "left"),
    Kind.UPDATE: ("period", "milestones"),
}


class MemberFacts(NamedTuple):
    type: str
    country: str | None
    name: dict[str, str]
    website: str | None


class LeadersFacts(NamedTuple):
    government: str | None
    civil_society: str | None


class MilestoneFacts(NamedTuple):
    id: str


class ActionFacts(NamedTuple):
    number: int | None
    status: str | None
    launched: date | None
    leaders: LeadersFacts | None
    milestones: list[MilestoneFacts]
    update_every_months: int | None


class ParticipantFacts(NamedTuple):
    joined: date
    left: date | None


class PeriodFacts(NamedTuple):
    start: date
    end: date


class UpdateFacts(NamedTuple):
    period: PeriodFacts | None
    milestones: dict[str, str]


def _day(value: date | None) -> int | None:
    return None if value is None else value.toordinal()


def _plain(kind: Kind, record: Any) -> tuple[Any, ...]:
    """The fields of `FIELDS[kind]` as plain values (dates as ordinals): marshal can keep them."""
    if kind is Kind.MEMBER:
        return (record.type, record.country, dict(record.name or {}), record.website)
    if kind is Kind.ACTION:
        leaders = record.leaders
        return (
            record.number,
            record.status,
            _day(record.launched),
            None if leaders is None else (leaders.government, leaders.civil_society),
            [m.id for m in record.milestones],
            record.update_every_months,
        )
    if kind is Kind.PARTICIPANT:
        return (record.joined.toordinal(), _day(record.left))
    period = record.period
    return (
        None if period is None else (period.start.toordinal(), period.end.toordinal()),
        {str(k): str(v) for k, v in record.milestones.items()},
    )


def _facts(kind: Kind, plain: tuple[Any, ...]) -> Any:
    day = date.fromordinal
    if kind is Kind.PARTICIPANT:
        return ParticipantFacts(day(plain[0]), None if plain[1] is None else day(plain[1]))
    if kind is Kind.UPDATE:
        period = plain[0]
        return UpdateFacts(
            None if period is None else PeriodFacts(day(period[0]), day(period[1])), plain[1]
        )
    if kind is Kind.MEMBER:
        return MemberFacts(*plain)
    number, status, launched, leaders, milestones, months = plain
    return ActionFacts(
        number,
        status,
        None if launched is None else day(launched),
        None if leaders is None else LeadersFacts(*leaders),
        [MilestoneFacts(m) for m in milestones],
        months,
    )


def summarise(key: RecordKey, loaded: Loaded[Record] | None, problems: list[Problem]) -> Summary:
    """What `records.read` or `records.parse` found, reduced to what validation needs."""
    found = [(p.line, p.column, p.code, str(p.severity), p.message) for p in problems]
    return found, None if loaded is None else _plain(key.kind, loaded.record)


def problems(key: RecordKey, summary: Summary) -> list[Problem]:
    path = key.path
    return [
        Problem(path, line, column, code, Severity(severity), message)
        for line, column, code, severity, message in summary[0]
    ]


class Places:
    """Where the nodes of a record file are, found by reading the file again when asked.

    The checks ask only about the few records they report on, so keeping every position
    of every file would cost far more than parsing those few again.
    """

    __slots__ = ("_doc", "_path", "_root")

    def __init__(self, root: Path, path: str) -> None:
        self._root, self._path = root, path
        self._doc: Document | None = None

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        from ogpctl.check import record_file as records
        from ogpctl.store import yamlsafe

        if self._doc is None:
            try:
                raw = records.read_bytes(self._root / self._path)
                self._doc = yamlsafe.parse(yamlsafe.decode(raw))
            except (OSError, yamlsafe.LoadError):  # changed since it was checked
                return 1, 1
        return self._doc.mark(loc, key=key)


def loaded(root: Path, key: RecordKey, summary: Summary) -> Loaded[Record] | None:
    """The record for the cross-file checks, or None if the file did not load."""
    plain = summary[1]
    if plain is None:
        return None
    return Loaded(key, cast("Record", _facts(key.kind, plain)), Places(root, key.path))
