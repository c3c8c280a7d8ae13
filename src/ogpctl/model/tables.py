"""The dataset as flat tables, one per record kind, for CSV and SQLite.

The columns are derived from the models, so a new field reaches every table by itself:
key columns first (members and actions by `id`, participants by `action` + `member`,
updates by `action` + `published` + `member` + `sequence`), then the fields in model order.
Localised text becomes one column per language present (`name_en`, `name_fr`; the default
language always), a nested record one column per field (`leaders_government`), and a list or a
mapping one cell of JSON. Empty values are empty cells (NULL in SQLite).
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, WithJsonSchema

from ogpctl.model.dataset import Dataset
from ogpctl.model.keys import Kind
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
    for member, loaded in sorted(dataset.members.items()):
        yield Kind.MEMBER, {"id": member, **loaded.record.model_dump(mode="json")}
    for action, spec in sorted(dataset.actions.items()):
        yield Kind.ACTION, {"id": action, **spec.record.model_dump(mode="json")}
    for action, participants in sorted(dataset.participants.items()):
        for member, part in sorted(participants.items()):
            ids = {"action": action, "member": member}
            yield Kind.PARTICIPANT, {**ids, **part.record.model_dump(mode="json")}
    for action, updates in sorted(dataset.updates.items()):
        for update in updates:
            published = update.key.published.isoformat() if update.key.published else None
            member, sequence = update.key.member, update.key.sequence
            key: Row = {
                "action": action,
                "published": published,
                "member": member,
                "sequence": sequence,
            }
            yield Kind.UPDATE, {**key, **update.record.model_dump(mode="json")}


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


def _walk(
    model: type[BaseModel], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Each leaf field of `model` (nested records followed) with its shape."""
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
    found: Languages = {}
    for path, shape in _walk(model):
        if shape == "localised":
            present = {lang for row in rows for lang in _value(row, path) or {}}
            found[path] = [default, *sorted(present - {default})]
    return found


def columns(model: type[BaseModel], langs: Languages) -> list[Column]:
    found: list[Column] = []
    for path, shape in _walk(model):
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
    rows: list[list[Any]]  # the key values, then one value per column

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
        values = [[*(row[k] for k in keys), *(_cell(row, c) for c in cols)] for row in rows]
        found.append(Table(name, keys, cols, values))
    return found
