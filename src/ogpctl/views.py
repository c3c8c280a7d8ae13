"""Human and machine renderings of read-command results. The only module that uses rich.

Text from the data reaches rich as `Text` objects (never parsed as markup) after
`inert()`, so a title like `[bold]x` or an escape sequence prints literally.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from ogpctl.inert import inert
from ogpctl.status import ActionRow, Totals

if TYPE_CHECKING:
    from rich.console import Console

THEME_SHORT = {
    "transparency-integrity-anticorruption": "integrity",
    "climate-sustainable-development": "climate",
    "digital-commons": "digital",
}


def console(*, stderr: bool = False, no_color: bool = False) -> Console:
    """The one place rich is configured (NO_COLOR is honoured by rich itself)."""
    from rich.console import Console

    return Console(
        stderr=stderr, no_color=no_color or None, highlight=False, emoji=False, markup=False
    )


def status_table(rows: list[ActionRow], totals: Totals, *, no_color: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold", show_footer=False)
    table.add_column("#", justify="right")
    table.add_column("action", no_wrap=True, overflow="ellipsis", max_width=36)
    table.add_column("theme")
    table.add_column("status")
    table.add_column("leaders", overflow="fold")
    table.add_column("gov", justify="right")
    table.add_column("sub", justify="right")
    table.add_column("CSO", justify="right")
    table.add_column("last update")
    for row in rows:
        leaders = f"{row.government_leader or '—'} / {row.civil_society_leader or '—'}"
        last = str(row.last_update) if row.last_update else "never"
        table.add_row(
            str(row.number or ""),
            Text(inert(row.id)),
            THEME_SHORT.get(row.theme, row.theme),
            Text(inert(row.status or "—")),
            Text(inert(leaders)),
            str(row.national_governments),
            str(row.subnational_governments),
            str(row.civil_society),
            Text(last + (" (overdue)" if row.overdue else ""), style="red" if row.overdue else ""),
        )
    out = console(no_color=no_color)
    out.print(table)
    out.print(
        f"\n{totals.actions} actions, {totals.participations} participations: "
        f"{totals.national_governments} national governments, "
        f"{totals.subnational_governments} subnational governments, "
        f"{totals.civil_society} CSOs, {totals.other} other bodies take part."
    )


def status_data(rows: list[ActionRow], totals: Totals, output_format: str) -> str:
    if output_format == "json":
        from dataclasses import asdict

        document = {"actions": [r.as_dict() for r in rows], "totals": asdict(totals)}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    dicts = [r.as_dict() for r in rows]
    fields = list(dicts[0]) if dicts else list(ActionRow.__dataclass_fields__)
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(dicts)
    return buffer.getvalue()
