"""`status`'s table without styles is laid out a column at a time (`render.status._columns`):
byte for byte the table rich lays out a row at a time, at every width, whatever the cells."""

from __future__ import annotations

import random
from datetime import date

import pytest

from ogpctl.render import status as views
from ogpctl.status import ActionRow, Status, Totals

THEMES = ["transparency-integrity-anticorruption", "climate-sustainable-development"]
WORDS = ["open", "Transparência", "透明度", "🌍 globe", "x" * 70, "[bold]x[/]", "a\tb", "é" * 30]


def report(seed: int, count: int) -> Status:
    """Rows of every shape: no number, long and wide titles, none, one or two leaders (two
    lines), an update or none, overdue or not."""
    pick = random.Random(seed)
    rows = []
    for n in range(count):
        leaders = pick.choice(
            [(None, None), ("france", None), ("g" * 40, "c" * pick.randint(1, 30))]
        )
        due = pick.choice([None, date(2018, 1, 1 + n % 28)])
        rows.append(
            ActionRow(
                number=pick.choice([None, n, n * 1000]),
                id=f"action-{n}" + "z" * pick.randint(0, 30),
                title=" ".join(pick.choice(WORDS) for _ in range(pick.randint(0, 5))),
                theme=pick.choice(THEMES),
                status=pick.choice([None, "active", "discontinued"]),
                government_leader=leaders[0],
                civil_society_leader=leaders[1],
                national_governments=pick.randint(0, 300),
                subnational_governments=pick.randint(0, 3),
                civil_society=pick.randint(0, 99999),
                other=0,
                last_update=pick.choice([None, date(2017, 5, 1 + n % 28)]),
                completion=pick.choice([None, "limited", "complete", "withdrawn"]),
                next_update_due=due,
                overdue=due is not None and pick.random() < 0.5,
            )
        )
    return Status(date(2018, 12, 1), rows, Totals(count, 1, 2, 3, 4, 5, 6), {})


@pytest.mark.parametrize("columns", ["30", "52", "80", "119", "120", "200"])
def test_laid_out_a_column_at_a_time_as_a_row_at_a_time(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.delenv("FORCE_COLOR", raising=False)  # captured: no colour system, no style
    reports = [report(seed, count) for seed, count in enumerate([0, 1, 2, 3, 9, 40, 40, 40])]
    by_columns = [views.status_table(r, no_color=True) for r in reports]
    monkeypatch.setattr(views, "_columns", views._rows)
    assert by_columns == [views.status_table(r, no_color=True) for r in reports]
