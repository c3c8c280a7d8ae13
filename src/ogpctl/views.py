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


def console(*, no_color: bool = False) -> Console:
    """The one place rich is configured (NO_COLOR is honoured by rich itself)."""
    from rich.console import Console

    return Console(no_color=no_color or None, highlight=False, emoji=False, markup=False)


THEME_TITLES = {
    "transparency-integrity-anticorruption": "Transparency & anti-corruption",
    "climate-sustainable-development": "Climate & sustainable development",
    "digital-commons": "Common digital tools & capacity",
}


def status_table(rows: list[ActionRow], totals: Totals, *, no_color: bool) -> None:
    """Actions grouped by theme; only ids and leaders shrink (with …) to fit the terminal."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, collapse_padding=True, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("action", overflow="ellipsis", no_wrap=True, max_width=34)
    table.add_column("status", no_wrap=True)
    table.add_column("leaders", overflow="ellipsis", no_wrap=True)
    for heading in ("gov", "sub", "CSO"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("next update", no_wrap=True)
    theme = None
    for row in sorted(rows, key=lambda r: list(THEME_TITLES).index(r.theme)):
        if row.theme != theme:
            theme = row.theme
            table.add_row("", Text(THEME_TITLES[theme], style="bold italic"), end_section=False)
        leaders = "/".join(m for m in (row.government_leader, row.civil_society_leader) if m)
        due = str(row.next_update_due) if row.next_update_due else ""
        table.add_row(
            str(row.number or ""),
            Text(inert(row.id)),
            Text(inert(row.status or "")),
            Text(inert(leaders) or "none"),
            str(row.national_governments),
            str(row.subnational_governments),
            str(row.civil_society),
            Text(f"{due} late", style="red") if row.overdue else Text(due),
        )
    out = console(no_color=no_color)
    out.print(table)
    out.print(
        f"\n{totals.actions} actions, {totals.participations} participations by "
        f"{totals.national_governments} national governments, "
        f"{totals.subnational_governments} subnational governments, "
        f"{totals.civil_society} CSOs and {totals.other} other bodies."
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
