"""The whole dataset in other forms: JSON, CSV, SQLite, and a Markdown progress report.

- json: one document that loses nothing (`dataset` settings, then `members`, `actions`,
  `participants` and `updates`, each record with its ids and every field);
- csv: `members.csv`, `actions.csv`, `participants.csv`, `updates.csv` in a folder,
  joinable by id (columns as in `tables.py`), and `datapackage.json`, the Frictionless Data
  Package that describes them (see `metadata.py`);
- sqlite: the same four tables, with primary and foreign keys (Datasette, sqlite-utils),
  and with `metadata=True` Datasette's metadata beside it, `NAME.metadata.json`;
- markdown: per action, a progress report a leader can publish as the "short update".

json and markdown go to stdout unless a file is named; csv needs a folder and sqlite a file.
Files are written whole (temporary file, then rename), replacing any of the same name.
"""

from __future__ import annotations

import csv
import io
import itertools
import marshal
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ogpctl import metadata as meta
from ogpctl.check.load import each_record, record_keys
from ogpctl.errors import InvalidData, OgpctlError
from ogpctl.export_plain import check_target as check_target, kept_key
from ogpctl.inert import json_text
from ogpctl.model.dataset import Dataset, Settings
from ogpctl.model.keys import Kind
from ogpctl.model.tables import (
    KINDS,
    Present,
    Row,
    Table,
    columns as table_columns,
    entry_cells,
    entry_data,
    entry_text,
    nested,
    path_order,
    record_row,
    records,
    row_entry,
    tables,
)
from ogpctl.problems import count
from ogpctl.store.atomic import replacing
from ogpctl.store.config import load_settings
from ogpctl.store.scan import scan

if TYPE_CHECKING:
    from ogpctl.check.fast.kept import Keeper
    from ogpctl.progress import Writer

FORMATS = ("json", "csv", "markdown", "sqlite")
REFERENCES = {  # (table, columns) → (table, columns) it refers to: SQLite foreign keys
    ("actions", "leaders_government"): ("members", "id"),
    ("actions", "leaders_civil_society"): ("members", "id"),
    ("participants", "action"): ("actions", "id"),
    ("participants", "member"): ("members", "id"),
    ("updates", "action, member"): ("participants", "action, member"),
}


@dataclass(frozen=True)
class Exported:
    text: str = ""  # for stdout
    written: list[Path] = field(default_factory=list)


def document(dataset: Dataset) -> dict[str, Any]:
    """One JSON document that loses nothing: the settings, then each kind's records."""
    found: dict[str, Any] = {"dataset": asdict(dataset.settings)}
    found.update({table: [] for table, _, _ in KINDS.values()})
    for kind, row in records(dataset):
        found[KINDS[kind][0]].append(row)
    return found


Rows = Iterator[tuple[Kind, Row]]  # each record's row, in `path_order`
Entries = Iterator[tuple[Kind, bytes]]  # each record's row for every format (`entry_data`)


def read_entries(root: Path, settings: Settings) -> Entries:
    """Each record's entry, reading one record file at a time."""
    for loaded in each_record(root, settings, sorted(scan(root).records, key=path_order)):
        kind, row = record_row(loaded.key, loaded.record)
        yield kind, entry_data(row_entry(kind, row, settings.default_language))


def json_chunks(root: Path, settings: Settings, rows: Entries | None = None) -> Iterator[str]:
    """The text of `json_text(document(dataset))`, piece by piece, from `rows` (else read
    one record file at a time), so that memory does not grow with the dataset. For a
    dataset that validated."""
    rows = read_entries(root, settings) if rows is None else rows
    return _json_document(settings, ((kind, entry_text(data)) for kind, data in rows))


def json_pieces(settings: Settings, rows: Rows) -> Iterator[str]:
    """The JSON document of `rows` (`records`' order), piece by piece, one row at a time."""
    return _json_document(settings, ((kind, nested(row, "    ")) for kind, row in rows))


def _json_document(settings: Settings, texts: Iterator[tuple[Kind, str]]) -> Iterator[str]:
    """The JSON document of each row's text (`records`' order), piece by piece."""
    yield '{\n  "dataset": ' + nested(asdict(settings), "  ")
    pending = next(texts, None)
    for kind, (table, _, _) in KINDS.items():
        yield f',\n  "{table}": ['
        first = True
        while pending is not None and pending[0] is kind:
            yield ("\n    " if first else ",\n    ") + pending[1]
            first, pending = False, next(texts, None)
        yield "]" if first else "\n  ]"
    yield "\n}\n"


def write_chunks(chunks: Iterable[str], target: Path) -> Path:
    """`target` replaced by the text of `chunks`, written as they come."""
    with replacing(target) as temporary, temporary.open("w", encoding="utf-8", newline="\n") as out:
        for chunk in chunks:
            out.write(chunk)
    return target


def export(
    dataset: Dataset, output_format: str, target: Path | None, metadata: bool = False
) -> Exported:
    """Write the whole dataset at once in json, csv or sqlite (`export_checked` writes
    every format as the records are read)."""
    check_target(output_format, target, metadata)
    if output_format == "csv":
        assert target is not None
        return _csv(dataset.settings, tables(dataset), meta.sources(dataset), target)
    if output_format == "sqlite":
        assert target is not None
        found = tables(dataset)
        return _sqlite(dataset.settings, found, meta.sources(dataset), target, metadata)
    text = json_text(document(dataset))
    if target is None:
        return Exported(text=text)
    with replacing(target) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="\n")
    return Exported(written=[target])


def export_checked(
    root: Path,
    output_format: str,
    target: Path | None,
    today: date,
    lang: str | None,
    metadata: bool = False,
    *,
    report: Writer,
    out: Callable[[str], object],
) -> Exported:
    """Validate the dataset on the light, cached path, then `export` it (in `lang`, else
    its default language), written as the records are read (json and markdown without
    `target` through `out`, piece by piece); markdown written by `report` (render/). An
    invalid dataset is refused: an export must lose nothing. When nothing changed since
    the last export of this format for the same question, that export is copied."""
    from ogpctl.check.fast import kept
    from ogpctl.check.fast.collector import uncollected
    from ogpctl.check.fast.rows import spooling
    from ogpctl.check.validate import check_dataset
    from ogpctl.status import check_language

    settings = load_settings(root)
    key = kept_key(output_format, target, today, lang, metadata)
    found = kept.answer(root, settings, key, target, output_format == "csv")
    if found is not None:  # nothing changed since this export was last made
        return _sent(found[0], None, out) if target is None else Exported(written=found[1])
    with spooling(root, settings) as spool:  # the rows of what validation parses, or cached
        _, result = check_dataset(root, today, settings, records=False)
        _refuse_invalid(result.errors)
        language = check_language(lang or settings.default_language)
        keeper = kept.Keeper(root, settings, result, key)
        if output_format == "markdown":
            from ogpctl import progress
            from ogpctl.show import Lang

            keys = progress.order(record_keys(root, result.files))
            chunks = progress.chunks(root, settings, keys, spool.entries(keys), today,
                                     Lang(language, settings.default_language), report)  # fmt: skip
            exported = _sent(keeper.tee(chunks), target, out)
        else:
            with uncollected():  # (not for markdown: its peak memory would grow)
                keys = sorted(record_keys(root, result.files), key=path_order)
                exported = _written(root, settings, output_format, target, metadata, out,
                                    spool.entries(keys), keeper)  # fmt: skip
    keeper.done()
    return exported


def _refuse_invalid(errors: int) -> None:
    if errors:
        raise InvalidData(
            f"the dataset has {count(errors, 'error')} and an export must lose nothing: "
            "fix them first (see `ogpctl validate`)"
        )


def _written(
    root: Path,
    settings: Settings,
    output_format: str,
    target: Path | None,
    metadata: bool,
    out: Callable[[str], object],
    rows: Entries,
    keeper: Keeper,
) -> Exported:
    if output_format != "json":
        assert target is not None  # check_target: csv and sqlite need one
        exported = export_files(root, settings, output_format, target, metadata, rows)
        keeper.copy(exported.written, target, output_format == "csv")
        return exported
    return _sent(keeper.tee(json_chunks(root, settings, rows)), target, out)


def _sent(chunks: Iterable[str], target: Path | None, out: Callable[[str], object]) -> Exported:
    """`chunks` written to `target`, else given to `out` as they come."""
    if target is not None:
        return Exported(written=[write_chunks(chunks, target)])
    for chunk in chunks:
        out(chunk)
    return Exported()


def export_files(
    root: Path,
    settings: Settings,
    output_format: str,
    target: Path,
    metadata: bool = False,
    rows: Entries | None = None,
) -> Exported:
    """`export` in csv or sqlite from a dataset that validated, from `rows` (else its
    records read one file at a time), each table's rows kept on disk until its columns are
    known."""
    check_target(output_format, target, metadata)
    counts: meta.Cited = Counter()
    found: list[Table] = []
    tables_ = spooled(read_entries(root, settings) if rows is None else rows, settings, counts)
    if output_format == "csv":
        written = write_csv(_kept(tables_, found), target)
        return _csv(settings, found, meta.ranked(counts), target, written)
    write_sqlite(_kept(tables_, found), target)
    return _sqlite(settings, found, meta.ranked(counts), target, metadata, written=True)


def _kept(tables_: Iterable[Table], kept: list[Table]) -> Iterator[Table]:
    for table in tables_:
        kept.append(table)
        yield table


def _csv(
    settings: Settings,
    found: list[Table],
    cited: list[dict[str, str]],
    target: Path,
    written: list[Path] | None = None,
) -> Exported:
    written = write_csv(found, target) if written is None else written
    package = meta.datapackage(settings, cited, found, REFERENCES)
    return Exported(written=[*written, write_json(target / "datapackage.json", package)])


def _sqlite(
    settings: Settings,
    found: list[Table],
    cited: list[dict[str, str]],
    target: Path,
    metadata: bool,
    *,
    written: bool = False,
) -> Exported:
    files = [target if written else write_sqlite(found, target)]
    if metadata:
        about = meta.datasette(settings, cited, found, target.stem)
        files.append(write_json(target.with_name(f"{target.stem}.metadata.json"), about))
    return Exported(written=files)


def spooled(rows: Entries, settings: Settings, counts: meta.Cited) -> Iterator[Table]:
    """Each kind's table in turn, from `rows`: their cells are kept in a temporary file
    until the kind's last record gives the columns (the languages present), then read back
    as the table's rows, which must be used before the next table is asked for. `counts`
    gathers the sources the records cite."""
    pending = next(rows, None)
    for kind, (name, model, keys_) in KINDS.items():
        present = Present(model)
        with tempfile.TemporaryFile() as spool:
            while pending is not None and pending[0] is kind:
                cells, languages, sources = entry_cells(pending[1])
                present.merge(languages)
                if sources:
                    meta.cite(counts, {"sources": sources})
                spool.write(len(data := marshal.dumps(cells)).to_bytes(4, "little") + data)
                pending = next(rows, None)
            cols = table_columns(model, present.languages(settings.default_language))
            spool.seek(0)
            yield Table(name, keys_, cols, _cells(spool, [*keys_, *(c.name for c in cols)]))


def _cells(spool: IO[bytes], header: list[str]) -> Iterator[list[Any]]:
    """The rows `spooled` kept, in a table with these columns."""
    while size := int.from_bytes(spool.read(4), "little"):
        yield list(map(marshal.loads(spool.read(size)).get, header))


def write_json(path: Path, document: dict[str, Any]) -> Path:
    with replacing(path) as temporary:
        temporary.write_text(json_text(document), encoding="utf-8", newline="\n")
    return path


def csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(["" if value is None else value for value in row] for row in table.rows)
    return buffer.getvalue()


def write_csv(found: Iterable[Table], folder: Path) -> list[Path]:
    """One CSV file per table, its rows written as they come."""
    written = []
    for table in found:
        path = folder / f"{table.name}.csv"
        with replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(table.header)
            writer.writerows(["" if value is None else value for value in r] for r in table.rows)
        written.append(path)
    return written


_KEY_TYPES = {"sequence": "INTEGER"}


def ddl(table: Table) -> str:
    """`CREATE TABLE` with the primary key and the foreign keys of `REFERENCES`."""
    lines = [f'"{key}" {_KEY_TYPES.get(key, "TEXT")} NOT NULL' for key in table.keys]
    for column in table.columns:
        kind = "INTEGER" if column.integer else "TEXT"
        ref = REFERENCES.get((table.name, column.name))
        lines.append(f'"{column.name}" {kind}' + (f" REFERENCES {ref[0]}({ref[1]})" if ref else ""))
    lines.append(f"PRIMARY KEY ({', '.join(table.keys)})")
    for (name, columns), (target, target_columns) in REFERENCES.items():
        if name == table.name and columns.split(", ")[0] in table.keys:
            lines.append(f"FOREIGN KEY ({columns}) REFERENCES {target}({target_columns})")
    return f"CREATE TABLE {table.name} (\n  " + ",\n  ".join(lines) + "\n)"


BATCH = 1000  # rows per insert: memory stays flat however many rows come


def write_sqlite(found: Iterable[Table], path: Path) -> Path:
    """A new database (replacing `path`), foreign keys enforced while it is filled."""
    with replacing(path) as temporary:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            with connection:
                for table in found:  # members and actions before what refers to them
                    connection.execute(ddl(table))
                    marks = ", ".join("?" * len(table.header))
                    insert = f"INSERT INTO {table.name} VALUES ({marks})"
                    rows = iter(table.rows)
                    batch = list(itertools.islice(rows, BATCH))
                    while True:  # even an empty table has one (as the file's bytes show)
                        connection.executemany(insert, batch)
                        if not (batch := list(itertools.islice(rows, BATCH))):
                            break
        except sqlite3.Error as err:
            raise OgpctlError(f"cannot write {path}: {err}") from None
        finally:
            connection.close()
    return path
