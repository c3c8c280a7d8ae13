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
RIGHT = ("#", "gov", "sub", "CSO")  # right-aligned columns


Cells = list[tuple[str, str]]  # a row's cells: text and style


def _status_cells(row: ActionRow) -> Cells:
    """The text and style of each cell of a row."""
    leaders = "\n".join(m for m in (row.government_leader, row.civil_society_leader) if m)
    due = str(row.next_update_due or "")
    return [
        (str(row.number or ""), ""),
        (inert(row.id), ""),
        (inert(row.title), ""),
        (inert(row.status or ""), ""),
        (inert(leaders, keep_newlines=True) or "none", ""),
        (str(row.national_governments), ""),
        (str(row.subnational_governments), ""),
        (str(row.civil_society), ""),
        BARS.get(row.completion or "", ("", "")),
        (str(row.last_update or "never"), ""),
        (f"{due} late", "red") if row.overdue else (due, ""),
    ]


def status_table(report: Status, *, no_color: bool) -> str:
    """A table per theme, columns aligned, every id whole: where the terminal is narrow,
    the title shrinks and the other columns give way (`DROPPED_FIRST`).

    From `WIDE` columns on, each action's title and last update are shown too.
    """
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    out = console(no_color=no_color)
    shown = [
        i for i, h in enumerate(HEADINGS) if out.width >= WIDE or h not in ("title", "updated")
    ]
    themes = {t: [_status_cells(r) for r in report.rows if r.theme == t] for t in THEME_LABELS}
    rows = [cells for group in themes.values() for cells in group]
    widths = {
        i: max([len(HEADINGS[i]), *(cell_len(line) for r in rows for line in r[i][0].split("\n"))])
        for i in shown
    }
    _fit(widths, out.width)

    def table(header: bool) -> Table:
        found = Table(box=None, pad_edge=False, collapse_padding=True, show_header=header)
        for i in widths:
            found.add_column(
                HEADINGS[i],
                header_style="bold",
                justify="right" if HEADINGS[i] in RIGHT else "left",
                no_wrap=True,
                overflow="ellipsis",
                width=widths[i],
            )
        return found

    lay_out = _columns if out.color_system is None else _rows  # `_columns`: no style shows
    with out.capture() as captured:
        out.print(table(header=True))
        for theme, group in themes.items():
            if group:
                out.print(Text(THEME_LABELS[theme].short, style="bold italic"))
                body = table(header=False)
                for row in lay_out(group, widths):
                    body.add_row(*row)
                out.print(body)
        out.print(Text("\n" + report.totals.sentence()))
    return plain_lines(captured.get())


def _rows(group: list[Cells], widths: dict[int, int]) -> list[list[Text]]:
    """The rows of `group` as rich's rows of cells, each with its style."""
    from rich.text import Text

    return [[Text(*cells[i]) for i in widths] for cells in group]


def _columns(group: list[Cells], widths: dict[int, int]) -> list[list[Text]]:
    """The rows of `group` as one row of cells, each holding its column's cells one under
    the other, with blank lines under a cell down to the height of its row's tallest: rich
    lays out each line of a cell as it would a cell of its own, at a fraction of the cost
    of a row each. Without their styles (a cell's style covers the padding rich adds to it,
    which text styled within a cell does not get), so only where no style shows."""
    from rich.text import Text

    heights = [max(cells[i][0].count("\n") for i in widths) for cells in group]
    column = [
        Text(
            "\n".join(
                cells[i][0] + "\n" * (height - cells[i][0].count("\n"))
                for cells, height in zip(group, heights, strict=True)
            )
        )
        for i in widths
    ]
    return [column]


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
