"""Human and machine renderings of read-command results. The only module that uses rich.

Text from the data reaches rich as `Text` objects (never parsed as markup) after
`inert()`, so a title like `[bold]x` or an escape sequence prints literally.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from ogpctl.inert import inert, json_text
from ogpctl.model.vocabulary import THEME_LABELS
from ogpctl.render.terminal import console, plain_lines
from ogpctl.status import ActionRow, Status

if TYPE_CHECKING:
    from rich.text import Text


BARS = {  # the IRM completion scale as a small bar
    "not-started": ("░░░", "dim"),
    "limited": ("█░░", "yellow"),
    "substantial": ("██░", "cyan"),
    "complete": ("███", "green"),
    "withdrawn": ("×××", "dim"),
}


def bar(completion: str | None) -> Text:
    from rich.text import Text

    glyphs, style = BARS.get(completion or "", ("", ""))
    return Text(glyphs, style=style)


WIDE = 120  # from this terminal width on, the table adds each action's title and last update


HEADINGS = ["#", "action", "title", "status", "lead", "gov", "sub", "CSO", "done"]
HEADINGS += ["updated", "next due"]
# What gives way when the table is wider than the terminal: the title shrinks (with …) to
# `TITLE_MIN`, then these columns go, first to last. Ids are never cut: people type them
# next (the leaders, one per line, go last).
DROPPED_FIRST = ["updated", "sub", "gov", "CSO", "status", "done", "title", "next due", "lead"]
TITLE_MAX, TITLE_MIN = 60, 16


def _status_cells(row: ActionRow) -> list[Text]:
    from rich.text import Text

    leaders = "\n".join(m for m in (row.government_leader, row.civil_society_leader) if m)
    due = str(row.next_update_due or "")
    return [
        Text(str(row.number or "")),
        Text(inert(row.id)),
        Text(inert(row.title)),
        Text(inert(row.status or "")),
        Text(inert(leaders, keep_newlines=True) or "none"),
        Text(str(row.national_governments)),
        Text(str(row.subnational_governments)),
        Text(str(row.civil_society)),
        bar(row.completion),
        Text(str(row.last_update or "never")),
        Text(f"{due} late", style="red") if row.overdue else Text(due),
    ]


def status_table(report: Status, *, no_color: bool) -> str:
    """A table per theme, columns aligned, every id whole: where the terminal is narrow,
    the title shrinks and the other columns give way (`DROPPED_FIRST`).

    From `WIDE` columns on, each action's title and last update are shown too.
    """
    from rich.table import Table
    from rich.text import Text

    out = console(no_color=no_color)
    shown = [
        i for i, h in enumerate(HEADINGS) if out.width >= WIDE or h not in ("title", "updated")
    ]
    themes = {t: [_status_cells(r) for r in report.rows if r.theme == t] for t in THEME_LABELS}
    rows = [cells for group in themes.values() for cells in group]
    widths = {
        i: max([len(HEADINGS[i]), *(line.cell_len for r in rows for line in r[i].split())])
        for i in shown
    }
    _fit(widths, out.width)

    def table(header: bool) -> Table:
        found = Table(box=None, pad_edge=False, collapse_padding=True, show_header=header)
        for i in widths:
            right = HEADINGS[i] in ("#", "gov", "sub", "CSO")
            found.add_column(
                HEADINGS[i],
                header_style="bold",
                justify="right" if right else "left",
                no_wrap=True,
                overflow="ellipsis",
                width=widths[i],
            )
        return found

    with out.capture() as captured:
        out.print(table(header=True))
        for theme, group in themes.items():
            if group:
                out.print(Text(THEME_LABELS[theme].short, style="bold italic"))
                body = table(header=False)
                for cells in group:
                    body.add_row(*(cells[i] for i in widths))
                out.print(body)
        out.print(Text("\n" + report.totals.sentence()))
    return plain_lines(captured.get())


def _fit(widths: dict[int, int], total: int) -> None:
    """Make the columns fit `total`: shrink the title, then drop columns (never an id)."""
    title = HEADINGS.index("title")

    def width() -> int:
        return sum(widths.values()) + len(widths) - 1

    if title in widths:
        widths[title] = min(widths[title], TITLE_MAX)
        widths[title] = max(TITLE_MIN, widths[title] - max(0, width() - total))
    for name in DROPPED_FIRST:
        if width() <= total:
            return
        widths.pop(HEADINGS.index(name), None)


def status_data(report: Status, output_format: str) -> str:
    """`json`, `csv` or `markdown`: the rows and totals as data (markdown: a report to post)."""
    if output_format == "markdown":
        from ogpctl.render import markdown

        return markdown.status(report)
    dicts = [r.as_dict() for r in report.rows]
    if output_format == "json":
        from dataclasses import asdict

        document = {
            "today": report.today.isoformat(),
            "actions": dicts,
            "totals": asdict(report.totals),
        }
        return json_text(document)
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(ActionRow.__dataclass_fields__), lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(  # text cells inert (newlines kept: CSV quotes them)
        {k: _cell(v) for k, v in row.items()} for row in dicts
    )
    return buffer.getvalue()


def _cell(value: object) -> object:
    """A CSV cell: text inert (newlines kept: CSV quotes them), booleans as in JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return inert(value, keep_newlines=True) if isinstance(value, str) else value
