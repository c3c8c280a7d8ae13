"""The dataset as flat tables, one per record kind, for CSV and SQLite.

The columns are derived from the models, so a new field reaches every table by itself:
key columns first (members and actions by `id`, participants by `action` + `member`,
updates by `action` + `published` + `member` + `sequence`), then the fields in model order.
Localised text becomes one column per language present (`name_en`, `name_fr`; the default
language always), a nested record one column per field (`leaders_government`), and a list or a
mapping one cell of JSON. Empty values are empty cells (NULL in SQLite).
"""

from __future__ import annotations

import functools
import json
import marshal
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from json.encoder import encode_basestring
from typing import Any

from pydantic import BaseModel, WithJsonSchema

from ogpctl.inert import json_inert, json_text
from ogpctl.model.dataset import Dataset
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.records import SHARED_MARKER, Action, Member, Participant, Update

Row = dict[str, Any]
KINDS: dict[Kind, tuple[str, type[BaseModel], tuple[str, ...]]] = {  # table, model, keys
    Kind.MEMBER: ("members", Member, ("id",)),
    Kind.ACTION: ("actions", Action, ("id",)),
    Kind.PARTICIPANT: ("participants", Participant, ("action", "member")),
    Kind.UPDATE: ("updates", Update, ("action", "published", "member", "sequence")),
}


def records(dataset: Dataset) -> Iterator[tuple[Kind, Row]]:
    """Every record as its key columns then its fields (JSON types), in path order."""
    for _, loaded in sorted(dataset.members.items()):
        yield record_row(loaded.key, loaded.record)
    for _, spec in sorted(dataset.actions.items()):
        yield record_row(spec.key, spec.record)
    for _, participants in sorted(dataset.participants.items()):
        for _, part in sorted(participants.items()):
            yield record_row(part.key, part.record)
    for _, updates in sorted(dataset.updates.items()):
        for update in updates:
            yield record_row(update.key, update.record)


def record_row(key: RecordKey, record: BaseModel) -> tuple[Kind, Row]:
    """One record as its key columns then its fields (JSON types)."""
    if key.kind is Kind.MEMBER:
        ids: Row = {"id": key.member}
    elif key.kind is Kind.ACTION:
        ids = {"id": key.action}
    elif key.kind is Kind.PARTICIPANT:
        ids = {"action": key.action, "member": key.member}
    else:
        published = key.published.isoformat() if key.published else None
        ids = {"action": key.action, "published": published, "member": key.member}
        ids["sequence"] = key.sequence
    return key.kind, {**ids, **record.model_dump(mode="json")}


def path_order(key: RecordKey) -> tuple[Any, ...]:
    """The order of `records`: members, actions, participants, then updates, each by id
    (updates by action, then date, author and number)."""
    return ORDER[key.kind], key.action, key.published or date.min, key.member, key.sequence


ORDER = {kind: index for index, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Column:
    name: str
    path: tuple[str, ...]  # field names, then the language of localised text
    integer: bool = False
    json: bool = False


def _shape(annotation: Any, metadata: list[Any]) -> tuple[str, Any]:
    """`localised`, `model`, `json`, `integer` or `text`, and the nested model if any."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        metadata = [*metadata, *annotation.__metadata__]
        annotation = typing.get_args(annotation)[0]
    marker = {SHARED_MARKER: "LocalisedText"}
    if any(isinstance(m, WithJsonSchema) and m.json_schema == marker for m in metadata):
        return "localised", None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    if typing.get_origin(annotation) in (list, dict):
        return "json", None
    return ("integer" if annotation is int else "text"), None


Languages = dict[tuple[str, ...], list[str]]


@functools.cache
def _leaves(model: type[BaseModel]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Each leaf field of `model` (nested records followed) with its shape."""
    return tuple(_walk(model))


def _walk(
    model: type[BaseModel], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str]]:
    for name, info in model.model_fields.items():
        shape, nested = _shape(info.annotation, list(info.metadata))
        if shape == "model":
            yield from _walk(nested, (*prefix, name))
        else:
            yield (*prefix, name), shape


def _value(row: Row, path: tuple[str, ...]) -> Any:
    value: Any = row
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def languages(model: type[BaseModel], rows: list[Row], default: str) -> Languages:
    """Per localised field: the default language, then every other one present, sorted."""
    present = Present(model)
    for row in rows:
        present.add(row)
    return present.languages(default)


class Present:
    """The languages present in each localised field of a kind's rows, counted one row at
    a time (for rows that are not all kept)."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.found = {path: set[str]() for path, shape in _leaves(model) if shape == "localised"}

    def add(self, row: Row) -> None:
        for path, present in self.found.items():
            present.update(_value(row, path) or {})

    def merge(self, found: list[list[str]]) -> None:
        """Add the languages of one row as `Entry` keeps them (in the fields' order)."""
        for present, languages_ in zip(self.found.values(), found, strict=True):
            present.update(languages_)

    def languages(self, default: str) -> Languages:
        return {path: [default, *sorted(p - {default})] for path, p in self.found.items()}


def columns(model: type[BaseModel], langs: Languages) -> list[Column]:
    found: list[Column] = []
    for path, shape in _leaves(model):
        if shape == "localised":
            found += [Column("_".join((*path, lang)), (*path, lang)) for lang in langs[path]]
        else:
            found.append(Column("_".join(path), path, shape == "integer", shape == "json"))
    return found


def _cell(row: Row, column: Column) -> Any:
    value = _value(row, column.path)
    if column.json:
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


@dataclass(frozen=True)
class Table:
    name: str
    keys: tuple[str, ...]
    columns: list[Column]
    rows: Iterable[list[Any]]  # the key values, then one value per column

    @property
    def header(self) -> list[str]:
        return [*self.keys, *(c.name for c in self.columns)]


def tables(dataset: Dataset) -> list[Table]:
    """members, actions, participants, updates: each record of each kind as one row."""
    grouped: dict[Kind, list[Row]] = {kind: [] for kind in KINDS}
    for kind, row in records(dataset):
        grouped[kind].append(row)
    found = []
    for kind, (name, model, keys) in KINDS.items():
        rows = grouped[kind]
        cols = columns(model, languages(model, rows, dataset.settings.default_language))
        if clash := {c.name for c in cols} & set(keys):
            raise AssertionError(f"{name}: a field is named like a key column: {clash}")
        found.append(Table(name, keys, cols, cells(keys, cols, rows)))
    return found


def cells(keys: tuple[str, ...], cols: list[Column], rows: Iterable[Row]) -> list[list[Any]]:
    """Each row as the values of its table's key columns, then of its columns."""
    return [row_cells(keys, cols, row) for row in rows]


def row_cells(keys: tuple[str, ...], cols: list[Column], row: Row) -> list[Any]:
    """One row as the values of its table's key columns, then of its columns."""
    return [*(row[k] for k in keys), *(_cell(row, c) for c in cols)]


def nested(value: Any, indent: str) -> str:
    """`value` as `json_text` writes it inside a document, at this indentation."""
    try:
        return json_inert(_indented(value, indent))
    except TypeError:  # a value `_indented` does not write: as json does, more slowly
        return json_text(value)[:-1].replace("\n", "\n" + indent)


_STRING: Any = encode_basestring  # a str as JSON writes it (ensure_ascii=False), in C
_NUMBER = json.JSONEncoder().encode
_COMPACT = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(v, ensure_ascii=False)
_WORDS = {None: "null", True: "true", False: "false"}


def _indented(value: Any, indent: str) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)` for plain values (dicts with
    string keys, lists, strings, numbers, booleans, None), at this indentation, faster."""
    kind = type(value)
    if kind is str:
        return _STRING(value)  # type: ignore[no-any-return]
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + "  "
        items = []
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(key)
            text = _STRING(item) if type(item) is str else _indented(item, inner)
            items.append(f"{inner}{_STRING(key)}: {text}")
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = indent + "  "
        texts = [inner + (_STRING(v) if type(v) is str else _indented(v, inner)) for v in value]
        return "[\n" + ",\n".join(texts) + "\n" + indent + "]"
    if value is None or kind is bool:
        return _WORDS[value]
    if kind is int or kind is float:
        return _NUMBER(value)
    raise TypeError(kind)


# One row ready for every format, plain values only (it is cached with marshal): its text
# in the JSON document, its non-empty cells by column name with the row's own languages,
# the languages of each localised field (`Present` order), and the sources it cites.
Entry = tuple[str, dict[str, Any], list[list[str]], list[Any]]


def row_entry(kind: Kind, row: Row, default: str) -> Entry:
    """The `Entry` of one row of `kind` (a dataset whose default language is `default`)."""
    _, model, keys = KINDS[kind]
    found: dict[str, Any] = {key: row[key] for key in keys}
    languages_ = []
    for path, name, shape in _plan(model):
        value = row.get(name) if len(path) == 1 else _value(row, path)
        if shape == "localised":
            texts = value or {}
            languages_.append(sorted(texts))
            found.update(
                (f"{name}_{lang}", text) for lang, text in texts.items() if text is not None
            )
        elif shape == "json":
            if value:
                found[name] = _COMPACT(value)
        elif value is not None:
            found[name] = value
    return nested(row, "    "), found, languages_, row.get("sources") or []


def entry_data(entry: Entry) -> bytes:
    """`entry` as marshal data, its JSON text apart: each format decodes only its part."""
    text = marshal.dumps(entry[0])
    return len(text).to_bytes(4, "little") + text + marshal.dumps(entry[1:])


def entry_text(data: bytes) -> str:
    """The JSON text of an `entry_data`."""
    text: str = marshal.loads(memoryview(data)[4 : 4 + int.from_bytes(data[:4], "little")])
    return text


def entry_record(kind: Kind, data: bytes) -> BaseModel:
    """The record of an `entry_data` of `kind` (its JSON text, less the key columns, read
    back by the model: the record it was made from). The key columns come first, one line
    each (their values are plain), so the text after them is the record's own."""
    _, model, keys = KINDS[kind]
    own = entry_text(data).split("\n", len(keys) + 1)[-1]
    return model.model_validate_json("{" + own)


def entry_cells(data: bytes) -> tuple[dict[str, Any], list[list[str]], list[Any]]:
    """The cells, languages and sources of an `entry_data`."""
    rest: tuple[dict[str, Any], list[list[str]], list[Any]]
    rest = marshal.loads(memoryview(data)[4 + int.from_bytes(data[:4], "little") :])
    return rest


@functools.cache
def _plan(model: type[BaseModel]) -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """Each leaf field of `model`: its path, its column's name (its columns' stem for
    localised text), its shape."""
    return tuple((path, "_".join(path), shape) for path, shape in _leaves(model))
