"""`status` without colours: its table laid out by ogpctl, byte for byte as rich does it."""

from __future__ import annotations

from datetime import date

import pytest

from ogpctl.render import status as views
from ogpctl.status import ActionRow, Status, Totals

TITLES = [
    "Open data",
    "Transparence budgétaire et participation citoyenne à l'échelle locale et régionale",
    "開かれた政府のための市民参加と透明性の向上に関する長い題名",  # wide characters
    "",
    "x" * 61,
]
LEADERS = [("france", "transparency-international-very-long-name"), (None, None), ("wri", None)]


def _row(n: int) -> ActionRow:
    government, civil_society = LEADERS[n % len(LEADERS)]
    return ActionRow(
        number=n or None,
        id=f"action-{n}" + "-long" * (n % 3),
        title=TITLES[n % len(TITLES)],
        theme=["digital-commons", "climate-sustainable-development"][n % 2],
        status=[None, "active", "completed"][n % 3],
        government_leader=government,
        civil_society_leader=civil_society,
        national_governments=n * 7,
        subnational_governments=n % 2,
        civil_society=1000 + n,
        other=0,
        last_update=date(2018, 1, 1 + n) if n % 2 else None,
        completion=[None, "limited", "complete", "not-started", "withdrawn", "odd"][n % 6],
        next_update_due=date(2018, 3, 1 + n) if n % 3 else None,
        overdue=n % 4 == 0,
    )


@pytest.mark.parametrize("columns", [20, 40, 60, 80, 100, 119, 120, 140, 200])
def test_plain_layout_is_riches(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    rows = [_row(n) for n in range(12)]
    report = Status(date(2018, 6, 1), rows, Totals(12, 3, 40, 9, 2, 30, 1), {})
    views.status_table(report, no_color=True)
    out = views.console(no_color=True)
    assert out.color_system is None  # not a terminal: the plain layout, where it fits
    themes, widths = views.table_cells(report, out.width)
    by_rich = views._rich(report, themes, widths, out)
    assert capsys.readouterr().out == by_rich
    fits = sum(widths.values()) + len(widths) - 1 <= columns
    assert fits or columns < 60  # the plain layout is tried at the usual widths
    if fits:
        assert views._plain(report, themes, widths, out) == by_rich
    if columns >= views.WIDE:  # titles shown: cut with …, wide characters among them
        assert "…" in by_rich and "late" in by_rich and "開" in by_rich
