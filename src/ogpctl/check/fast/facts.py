"""A record file in brief: its own problems, and what the cross-file checks read of it.

Checking one file (YAML, model, the record's own rules) is the costly part of validation;
the cross-file checks read only a few fields of each record and report at a few places.
`summarise` reduces a file to a `Summary` made of plain values: small to send from a
worker process and to keep in the cache (`check.fast.cache`). `loaded` turns one back into a
`Loaded` record for the checks, without pydantic: its `record` holds just the fields the
checks read, and its `doc` finds positions by reading the file again, which happens only
for the few records a check reports on.

The fields are declared once, in `model.facts`; the tuple type of each kind and the plain
encoding of its fields are derived from those declarations here (`shape`). mypy refuses a
rule that reads an undeclared field, and the tests compare every check's output on light
and on full records.
"""

from __future__ import annotations

import collections
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from ogpctl.model.loaded import Loaded, Loc, Mark
from ogpctl.problems import Problem, Severity

if TYPE_CHECKING:
    from ogpctl.model.records import Record
    from ogpctl.store.yamlsafe import Document

# (line, column, code, severity, message) of one problem of the file
ProblemTuple = tuple[int, int, str, str, str]
# the file's problems; its facts as plain values, None if it did not load; what `status`
# and `members` show of it, None unless the record is valid (they show only valid ones)
# and this was asked for (validation without the cache needs none)
Summary = tuple[list[ProblemTuple], tuple[Any, ...] | None, tuple[Any, ...] | None]

Plain = Callable[[Any], Any]  # a record or facts to plain values, or back


@dataclass(frozen=True)
class Shape:
    """A kind of facts as a tuple type, with the plain encoding of its fields.

    Derived from a `model.facts` protocol: its properties, in order, are the tuple's fields;
    each field's type gives its plain form (dates as ordinals, nested facts as tuples,
    sequences as lists, mappings as dicts of text), which marshal can keep and compare.
    `encode` and `decode` are compiled from those types once, as `namedtuple` and
    `dataclasses` compile their methods: one file's facts cost what hand-written code
    costs (tens of thousands of files per run).
    """

    tuple_type: type[tuple[Any, ...]]
    fields: tuple[str, ...]
    encode: Plain  # a full record or facts → plain values
    decode: Plain  # plain values → facts (an instance of `tuple_type`)


_SHAPES: dict[type, Shape] = {}


def shape(protocol: type) -> Shape:
    """The tuple type and encodings of a `model.facts` protocol (made once)."""
    found = _SHAPES.get(protocol)
    if found is None:
        declared = [c for c in reversed(protocol.__mro__) if _nested(c)]  # and inherited
        names = [n for c in declared for n, v in vars(c).items() if isinstance(v, property)]
        hints = [typing.get_type_hints(getattr(protocol, n).fget)["return"] for n in names]
        tuple_type = collections.namedtuple(protocol.__name__, names)  # type: ignore[misc]
        scope: dict[str, Any] = {"_make": tuple_type, "_day": _day}
        encoded = [_encoded(h, f"r.{n}", scope, 0) for n, h in zip(names, hints, strict=True)]
        decoded = [_decoded(h, f"p[{i}]", scope, 0) for i, h in enumerate(hints)]
        source = (
            f"def encode(r): return ({', '.join(encoded)},)\n"
            f"def decode(p): return _make({', '.join(decoded)})\n"
        )
        exec(source, scope)  # the source is made above, from the declared types only
        found = _SHAPES[protocol] = Shape(
            tuple_type, tuple(names), scope["encode"], scope["decode"]
        )
    return found


_DAYS: dict[int, date] = {}


def _day(ordinal: int) -> date:
    """The date of an ordinal: one object for each day, however many records name it."""
    day = _DAYS.get(ordinal)
    if day is None:
        day = _DAYS[ordinal] = date.fromordinal(ordinal)
    return day


def _optional(hint: Any) -> Any:
    """`X` for `X | None`, else None."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    return args[0] if union and len(args) == 1 else None


def _nested(hint: Any) -> bool:
    return isinstance(hint, type) and hint.__module__ == MemberFacts.__module__


def _encoded(hint: Any, value: str, scope: dict[str, Any], depth: int) -> str:
    """The expression that gives the plain form of `value`, of type `hint`."""
    if (inner := _optional(hint)) is not None:
        return f"(None if {value} is None else {_encoded(inner, value, scope, depth)})"
    origin, item = typing.get_origin(hint), f"i{depth}"
    if hint in (str, int):
        return value
    if hint is date:
        return f"{value}.toordinal()"
    if origin is Sequence:
        return (
            f"[{_encoded(typing.get_args(hint)[0], item, scope, depth + 1)} for {item} in {value}]"
        )
    if origin is Mapping:
        return f"{{str(k{depth}): str({item}) for k{depth}, {item} in {value}.items()}}"
    if _nested(hint):
        nested = shape(hint)
        scope[f"_encode_{hint.__name__}"] = nested.encode
        return f"_encode_{hint.__name__}({value})"
    raise TypeError(f"no plain form for {hint!r}: add one to check.fast.facts")


def _decoded(hint: Any, value: str, scope: dict[str, Any], depth: int) -> str:
    """The expression that gives back, from the plain form `value`, a value of `hint`."""
    if (inner := _optional(hint)) is not None:
        decoded = _decoded(inner, value, scope, depth)
        return value if decoded == value else f"(None if {value} is None else {decoded})"
    origin, item = typing.get_origin(hint), f"i{depth}"
    if hint is date:
        return f"_day({value})"
    if origin is Sequence:
        decoded = _decoded(typing.get_args(hint)[0], item, scope, depth + 1)
        return value if decoded == item else f"[{decoded} for {item} in {value}]"
    if _nested(hint):
        scope[f"_decode_{hint.__name__}"] = shape(hint).decode
        return f"_decode_{hint.__name__}({value})"
    return value  # str, int, mappings: as they are


KINDS: dict[Kind, type] = {
    Kind.MEMBER: MemberFacts,
    Kind.ACTION: ActionFacts,
    Kind.PARTICIPANT: ParticipantFacts,
    Kind.UPDATE: UpdateFacts,
}


SHOWN: dict[Kind, type] = {
    Kind.MEMBER: MemberShown,
    Kind.ACTION: ActionShown,
    Kind.PARTICIPANT: ParticipantShown,
    Kind.UPDATE: UpdateShown,
}


def fields(kind: Kind) -> tuple[str, ...]:
    """The fields of `kind` that the cross-file checks read (`model.facts`)."""
    return shape(KINDS[kind]).fields


def summarise(
    key: RecordKey, loaded: Loaded[Record] | None, problems: list[Problem], shown: bool = True
) -> Summary:
    """What `records.read` or `records.parse` found, reduced to what validation needs
    (and, if `shown`, what `status` and `members` show of a valid record)."""
    found = [(p.line, p.column, p.code, str(p.severity), p.message) for p in problems]
    if loaded is None:
        return found, None, None
    record = loaded.record
    seen = None if loaded.partial or not shown else shape(SHOWN[key.kind]).encode(record)
    return found, shape(KINDS[key.kind]).encode(record), seen


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


Light = MemberFacts | ActionFacts | ParticipantFacts | UpdateFacts


def loaded(root: Path, key: RecordKey, summary: Summary) -> Loaded[Light] | None:
    """The facts for the cross-file checks (what `Facts.add` files), or None if the file
    did not load."""
    plain = summary[1]
    if plain is None:
        return None
    light: Light = shape(KINDS[key.kind]).decode(plain)
    return Loaded(key, light, Places(root, key.path))


Seen = MemberShown | ActionShown | ParticipantShown | UpdateShown


def shown(root: Path, key: RecordKey, summary: Summary) -> Loaded[Seen] | None:
    """What `status` and `members` show of a valid record (what `Shown.add` files), or
    None if the file is not valid."""
    plain = summary[2]
    if plain is None:
        return None
    record: Seen = shape(SHOWN[key.kind]).decode(plain)
    return Loaded(key, record, Places(root, key.path))


def seen(root: Path, key: RecordKey, summary: Summary) -> Loaded[Light] | None:
    """`shown` for a valid record (its facts are among what is shown), else `loaded`
    marked partial: a record for the cross-file checks only."""
    if summary[2] is not None:
        return shown(root, key, summary)
    found = loaded(root, key, summary)
    if found is not None:
        found.partial = True
    return found
