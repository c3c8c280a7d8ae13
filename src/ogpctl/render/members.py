"""`ogpctl members`: a plain table, JSON or CSV (text made inert in each)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from ogpctl.inert import inert, json_text
from ogpctl.members import MemberRow
from ogpctl.model.vocabulary import MEMBER_TYPE_LABELS

COLUMNS = ("id", "name", "type", "country", "actions", "former_actions")


def as_table(rows: list[MemberRow]) -> str:
    cells = [
        [inert(r.id), inert(r.name), MEMBER_TYPE_LABELS[r.type].short if r.type in
         MEMBER_TYPE_LABELS else r.type, r.country or "",
         str(r.actions) + (f" (+{r.former_actions} left)" if r.former_actions else "")]
        for r in rows
    ]  # fmt: skip
    header = ["member", "name", "type", "country", "actions"]
    widths = [max(len(c) for c in column) for column in zip(header, *cells, strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *cells]]  # fmt: skip
    return "\n".join(lines) + f"\n{len(rows)} members\n"


def as_json(rows: list[MemberRow]) -> str:
    return json_text([r.as_dict() for r in rows])


def as_csv(rows: list[MemberRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: inert(v) if isinstance(v, str) else v for k, v in row.as_dict().items()}
        )
    return buffer.getvalue()


FORMATS: dict[str, Callable[[list[MemberRow]], str]] = {
    "table": as_table,
    "json": as_json,
    "csv": as_csv,
}
