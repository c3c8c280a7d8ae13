"""What other tools read beside an export: a Frictionless Data Package (`datapackage.json`)
for the CSV folder, and Datasette's metadata for the SQLite database.

Both describe the tables of `tables.py`. What a column holds and its type come from the
models: the field's description, its Python type (date, integer, list, mapping, one of a
vocabulary), and for localised text the column's language; so they are written once, in
`models.py`. The title, description, licence and attribution come from `ogpctl.toml`; the
sources are every source the records cite, the most cited first.
"""

from __future__ import annotations

import enum
import re
import types
import typing
import unicodedata
from collections import Counter
from datetime import date
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ogpctl.model.dataset import Dataset, Settings
from ogpctl.model.tables import KINDS, Column, Table, records

KEY_COLUMNS = {  # the key columns are the record's path, not a field of its model
    "id": ("string", "Id of the record: its file or folder name."),
    "action": ("string", "Id of the action."),
    "member": ("string", "Id of the member."),
    "published": ("date", "Date the update was published: the start of its file name."),
    "sequence": (
        "integer",
        "1 for the author's first update that day, 2 for a second (`-2`), and so on.",
    ),
}
References = dict[tuple[str, str], tuple[str, str]]


def _unwrap(annotation: Any) -> Any:
    """The type under `X | None` and `Annotated[X, …]` (nested, as in StrictInt)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _field(model: type[BaseModel], path: tuple[str, ...]) -> tuple[FieldInfo, list[str]]:
    """The field at the end of a column's path, and the descriptions on the way to it."""
    info = model.model_fields[path[0]]
    found = [info.description or path[0]]
    nested = _unwrap(info.annotation)
    if len(path) > 1 and isinstance(nested, type) and issubclass(nested, BaseModel):
        inner, more = _field(nested, path[1:])
        return inner, found + more
    return info, found


def describe(model: type[BaseModel], column: Column) -> tuple[str, str, list[str]]:
    """A column's Frictionless type, its description, and its allowed values (if a vocabulary)."""
    info, texts = _field(model, column.path)
    text = ": ".join([texts[0].rstrip("."), *(t[0].lower() + t[1:] for t in texts[1:])])
    text = text if text.endswith(".") else f"{text}."
    if len(column.path) > len(texts):  # localised text: the last part is the language
        return "string", f"{text[:-1]} (language: {column.path[-1]}).", []
    base = _unwrap(info.annotation)
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return "string", text, [str(member.value) for member in base]
    origin = typing.get_origin(base)
    kind = "array" if origin is list else "object" if origin is dict else None
    kind = kind or ("date" if base is date else "integer" if column.integer else "string")
    return kind, text, []


def sources(dataset: Dataset) -> list[dict[str, str]]:
    """Every source the records cite (url and title), the most cited first."""
    counts: Cited = Counter()
    for _, row in records(dataset):
        cite(counts, row)
    return ranked(counts)


Cited = Counter[tuple[str, str]]  # (url, title) → how many records cite it


def cite(counts: Cited, row: dict[str, Any]) -> None:
    """Count the sources of one record (a row of `tables.records`)."""
    counts.update((s["url"], s.get("title") or s["url"]) for s in row.get("sources") or [])


def ranked(counts: Cited) -> list[dict[str, str]]:
    """The sources counted, the most cited first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"title": title, "path": url} for (url, title), _ in ordered]


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "dataset"


def description(settings: Settings) -> str:
    """The dataset's description, then how to credit it (both from ogpctl.toml)."""
    credit = f"How to credit it: {settings.attribution}" if settings.attribution else ""
    return "\n\n".join(part for part in (settings.description, credit) if part)


def licenses(settings: Settings) -> list[dict[str, str]]:
    if not settings.license:
        return []
    url = f"https://spdx.org/licenses/{settings.license}.html"
    return [{"name": settings.license, "path": url, "title": settings.license}]


def _model(table: Table) -> type[BaseModel]:
    return next(model for name, model, _ in KINDS.values() if name == table.name)


def _schema(table: Table, references: References) -> dict[str, Any]:
    fields = []
    for key in table.keys:
        kind, text = KEY_COLUMNS[key]
        fields.append({"name": key, "type": kind, "description": text})
    for column in table.columns:
        kind, text, allowed = describe(_model(table), column)
        field: dict[str, Any] = {"name": column.name, "type": kind, "description": text}
        if allowed:
            field["constraints"] = {"enum": allowed}
        fields.append(field)
    foreign = [
        {
            "fields": columns.split(", "),
            "reference": {"resource": target, "fields": target_columns.split(", ")},
        }
        for (name, columns), (target, target_columns) in references.items()
        if name == table.name
    ]
    schema = {"fields": fields, "missingValues": [""], "primaryKey": list(table.keys)}
    return schema | ({"foreignKeys": foreign} if foreign else {})


def datapackage(
    settings: Settings, cited: list[dict[str, str]], found: list[Table], references: References
) -> dict[str, Any]:
    """A Frictionless Data Package for the CSV files that `export --format csv` writes;
    `cited`: the records' sources (`ranked`)."""
    package: dict[str, Any] = {"name": slug(settings.name), "title": settings.name}
    if text := description(settings):
        package["description"] = text
    if found_licenses := licenses(settings):
        package["licenses"] = found_licenses
    if cited:
        package["sources"] = cited
    package["resources"] = [
        {
            "name": table.name,
            "path": f"{table.name}.csv",
            "profile": "tabular-data-resource",
            "description": (_model(table).__doc__ or table.name).strip(),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": _schema(table, references),
        }
        for table in found
    ]
    return package


def datasette(
    settings: Settings, cited: list[dict[str, str]], found: list[Table], database: str
) -> dict[str, Any]:
    """Datasette's metadata for the database `export --format sqlite` writes (`-m FILE`)."""
    meta: dict[str, Any] = {"title": settings.name}
    if text := description(settings):
        meta["description"] = text
    if found_licenses := licenses(settings):
        meta["license"], meta["license_url"] = settings.license, found_licenses[0]["path"]
    if cited:
        meta["source"], meta["source_url"] = cited[0]["title"], cited[0]["path"]
    tables: dict[str, Any] = {}
    for table in found:
        columns = {key: KEY_COLUMNS[key][1] for key in table.keys}
        for column in table.columns:
            kind, text, allowed = describe(_model(table), column)
            json_note = {"array": " A JSON list.", "object": " A JSON object."}.get(kind, "")
            one_of = f" One of: {', '.join(allowed)}." if allowed else ""
            columns[column.name] = text + json_note + one_of
        doc = (_model(table).__doc__ or table.name).strip()
        tables[table.name] = {"description": doc, "columns": columns}
    meta["databases"] = {database: {"tables": tables}}
    return meta
