"""`ogpctl status`: one row per action with counts by member type, totals, overdue."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ogpctl.cli import app
from ogpctl.monitoring import add_months

TREE = {
    "ogpctl.toml": '[dataset]\nname = "test"\ndefault_language = "en"\n',
    "data/members/france.yaml": "name: France\ntype: national-government\ncountry: FR\n",
    "data/members/paris.yaml": "name: Paris\ntype: subnational-government\ncountry: FR\n",
    "data/members/wri.yaml": "name: World Resources Institute\ntype: civil-society\n",
    "data/members/telefonica.yaml": "name: Telefonica\ntype: other\n",
    "data/actions/open-data/action.yaml": (
        "number: 2\ntitle: {en: Open data, fr: Données ouvertes}\ntheme: digital-commons\n"
        "status: active\nlaunched: 2016-12-07\nleaders: {government: france, civil_society: wri}\n"
    ),
    "data/actions/open-data/participants/france.yaml": "joined: 2016-12-07\n",
    "data/actions/open-data/participants/paris.yaml": "joined: 2016-12-07\n",
    "data/actions/open-data/participants/wri.yaml": "joined: 2016-12-07\n",
    "data/actions/open-data/participants/telefonica.yaml": "joined: 2016-12-07\n",
    "data/actions/open-data/updates/2017-05-01-france.yaml": (
        "completion: limited\nsummary: First steps\n"
    ),
    "data/actions/climate/action.yaml": (
        'number: 1\ntitle: "[bold red]Climate\\e[31m"\ntheme: climate-sustainable-development\n'
        "status: proposed\n"
    ),
    "data/actions/climate/participants/wri.yaml": "joined: 2017-01-01\n",
}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for relative, text in TREE.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("OGPCTL_TODAY", "2017-08-01")
    return tmp_path


def status(root: Path, *args: str, options: tuple[str, ...] = ()) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--root", str(root), *options, "status", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_rows_count_members_by_type(root: Path) -> None:
    code, out, _ = status(root, "--format", "json")
    assert code == 0
    document = json.loads(out)
    climate, open_data = document["actions"]  # ordered by number
    assert (climate["number"], climate["id"]) == (1, "climate")
    assert open_data == {
        "number": 2,
        "id": "open-data",
        "title": "Open data",
        "theme": "digital-commons",
        "status": "active",
        "government_leader": "france",
        "civil_society_leader": "wri",
        "national_governments": 1,
        "subnational_governments": 1,
        "civil_society": 1,
        "other": 1,
        "last_update": "2017-05-01",
        "next_update_due": "2017-11-01",
        "overdue": False,
    }
    assert document["totals"] == {
        "actions": 2,
        "participations": 5,
        "national_governments": 1,
        "subnational_governments": 1,
        "civil_society": 1,
        "other": 1,
    }


def test_overdue_follows_the_pinned_today(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGPCTL_TODAY", "2020-01-01")
    _, out, _ = status(root, "--format", "json")
    by_id = {row["id"]: row for row in json.loads(out)["actions"]}
    assert by_id["open-data"]["overdue"] is True
    assert by_id["climate"]["overdue"] is False  # proposed, not active: nothing is due


def test_title_in_requested_language_with_fallback(root: Path) -> None:
    _, out, _ = status(root, "--format", "json", "--lang", "fr")
    titles = [row["title"] for row in json.loads(out)["actions"]]
    assert titles == ["[bold red]Climate\x1b[31m", "Données ouvertes"]


def test_csv_has_a_header_and_one_row_per_action(root: Path) -> None:
    code, out, _ = status(root, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["climate", "open-data"]
    assert rows[1]["overdue"] == "False" and rows[1]["civil_society"] == "1"


def test_table_is_plain_and_inert(root: Path) -> None:
    code, out, _ = status(root, options=("--no-color",))
    assert code == 0
    assert "open-data" in out and "france/wri" in out
    assert "\x1b" not in out  # no colour, and the escape in the data is neutralised
    assert "2 actions, 5 participations" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_invalid_data_still_shows_status_but_exits_1(root: Path) -> None:
    (root / "data/members/wri.yaml").write_text("name: WRI\ntype: charity\n", encoding="utf-8")
    code, out, err = status(root, "--format", "json")
    assert code == 1
    assert json.loads(out)["totals"]["actions"] == 2
    assert "the dataset has 1 errors" in err


def test_no_dataset_is_exit_3(tmp_path: Path) -> None:
    code, _, err = status(tmp_path / "missing")
    assert code == 3
    assert "is not a folder" in err


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (date(2016, 12, 7), 6, date(2017, 6, 7)),
        (date(2016, 8, 31), 6, date(2017, 2, 28)),  # clamped to the month's last day
        (date(2019, 8, 31), 6, date(2020, 2, 29)),  # leap year
        (date(2016, 12, 7), 12, date(2017, 12, 7)),
    ],
)
def test_add_months(day: date, months: int, due: date) -> None:
    assert add_months(day, months) == due
