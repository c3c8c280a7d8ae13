"""`ogpctl status`: one row per action with counts by member type, totals, overdue."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from helpers import REPO
from typer.testing import CliRunner

from ogpctl.cli import app
from ogpctl.model.monitoring import add_months

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
        "status: proposed\nlaunched: 2016-12-07\n"
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
        "completion": "limited",
        "next_update_due": "2017-11-01",
        "overdue": False,
    }
    assert document["today"] == "2017-08-01"
    assert document["totals"] == {
        "actions": 2,
        "overdue": 0,
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
    assert by_id["climate"]["next_update_due"] is None  # though it has a launch date


def test_title_in_requested_language_with_fallback(root: Path) -> None:
    _, out, _ = status(root, "--format", "json", "--lang", "fr")
    titles = [row["title"] for row in json.loads(out)["actions"]]
    assert titles == ["[bold red]Climate\x1b[31m", "Données ouvertes"]


def test_csv_has_a_header_and_one_row_per_action(root: Path) -> None:
    code, out, _ = status(root, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["climate", "open-data"]
    assert rows[1]["overdue"] == "false" and rows[1]["civil_society"] == "1"


def test_table_is_plain_and_inert(root: Path) -> None:
    code, out, _ = status(root, options=("--no-color",))
    assert code == 0
    assert "open-data" in out and re.search(r"france .*\n +wri\n", out)  # one leader a line
    assert "\x1b" not in out  # no colour, and the escape in the data is neutralised
    assert "2 actions (0 overdue), 5 participations" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert not any(line.endswith(" ") for line in out.splitlines())  # no trailing padding


@pytest.mark.parametrize("columns", ["80", "100", "120", "160"])
def test_every_id_is_whole_when_every_action_has_leaders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    """The shipped record with leaders set on every action (the longest member ids taking
    part): at any width, each action id and leader id is printed whole."""
    import shutil

    import yaml

    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copy(REPO / "ogpctl.toml", tmp_path)
    members = tmp_path / "data/members"
    kinds = {p.stem: yaml.safe_load(p.read_text())["type"] for p in members.glob("*.yaml")}
    leaders = set()
    for action in sorted(p for p in (tmp_path / "data/actions").iterdir() if p.is_dir()):
        taking_part = sorted(p.stem for p in (action / "participants").glob("*.yaml"))
        chosen = {
            "government": max(
                (m for m in taking_part if "government" in kinds[m]), key=len, default=""
            ),
            "civil_society": max(
                (m for m in taking_part if kinds[m] == "civil-society"), key=len, default=""
            ),
        }
        with (action / "action.yaml").open("a") as file:
            file.write("leaders:\n" + "".join(f"  {r}: {m}\n" for r, m in chosen.items() if m))
        leaders |= {m for m in chosen.values() if m}
    monkeypatch.setenv("COLUMNS", columns)
    result = CliRunner().invoke(app, ["--root", str(tmp_path), "--no-color", "status"])
    assert result.exit_code == 0, result.output
    words = set(result.stdout.split())
    actions = {p.name for p in (tmp_path / "data/actions").iterdir() if p.is_dir()}
    assert actions <= words
    assert leaders <= words
    assert "…" not in "".join(w for w in words if "-" in w)
    assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)


def test_invalid_data_still_shows_status_but_exits_1(root: Path) -> None:
    (root / "data/members/wri.yaml").write_text("name: WRI\ntype: charity\n", encoding="utf-8")
    code, out, err = status(root, "--format", "json")
    assert code == 1
    assert json.loads(out)["totals"]["actions"] == 2
    assert "the dataset has 1 error" in err


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


# --- completion, filters, monitoring, formats ---------------------------------------------

COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|9[0-7])[;m]")  # an SGR foreground colour


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def test_table_shows_completion_bar_and_late_updates(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = status(root)
    assert "█░░" in out  # open-data's latest update: limited
    assert "late" not in out
    monkeypatch.setenv("OGPCTL_TODAY", "2020-01-01")
    _, out, _ = status(root)
    assert "2017-11-01 late" in out
    assert "(1 overdue)" in out


def test_wide_table_adds_title_and_last_update_printed_literally(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    code, out, _ = status(root)
    assert code == 0
    assert "[bold red]Climate\\u001b[31m" in out  # markup and escape shown, not obeyed
    assert "\x1b" not in out
    assert "Open data" in out and "2017-05-01" in out
    assert max(len(line) for line in out.splitlines()) <= 140


def test_colour_only_when_allowed(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGPCTL_TODAY", "2020-01-01")
    monkeypatch.setenv("FORCE_COLOR", "1")  # as if on a terminal
    assert COLOUR.search(status(root)[1])
    assert not COLOUR.search(status(root, options=("--no-color",))[1])
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = status(root)
    assert not COLOUR.search(out)
    assert "\x1b[31m" not in out  # not even from the title's escape sequence


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (("--theme", "digital-commons"), ["open-data"]),
        (("--theme", "climate-sustainable-development"), ["climate"]),
        (("--member", "paris"), ["open-data"]),
        (("--member", "wri"), ["climate", "open-data"]),  # takes part in one, leads the other
        (("--overdue",), ["open-data"]),
        (("--overdue", "--theme", "climate-sustainable-development"), []),
    ],
)
def test_filters(
    root: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], ids: list[str]
) -> None:
    monkeypatch.setenv("OGPCTL_TODAY", "2020-01-01")
    code, out, _ = status(root, "--format", "json", *args)
    assert code == 0
    document = json.loads(out)
    assert [row["id"] for row in document["actions"]] == ids
    assert document["totals"]["actions"] == len(ids)


def test_totals_count_only_the_actions_shown(root: Path) -> None:
    _, out, _ = status(root, "--format", "json", "--theme", "climate-sustainable-development")
    assert json.loads(out)["totals"] == {
        "actions": 1,
        "overdue": 0,
        "participations": 1,
        "national_governments": 0,
        "subnational_governments": 0,
        "civil_society": 1,
        "other": 0,
    }


def test_unknown_theme_is_a_usage_error(root: Path) -> None:
    code, out, err = status(root, "--theme", "digital-common")
    assert code == 2
    assert out == ""
    assert "--theme 'digital-common' is not a theme" in err
    assert "did you mean 'digital-commons'?" in err


def test_unknown_member_is_exit_1_with_a_suggestion(root: Path) -> None:
    code, out, err = status(root, "--member", "frnace")
    assert code == 1
    assert out == ""
    assert "no member 'frnace' (did you mean 'france'?)" in err


def test_unknown_language_is_a_usage_error(root: Path) -> None:
    code, _, err = status(root, "--lang", "xx")
    assert code == 2
    assert "--lang 'xx' is not an ISO 639-1 language code" in err


def test_csv_carries_completion_and_due_date(root: Path) -> None:
    _, out, _ = status(root, "--format", "csv")
    row = list(csv.DictReader(io.StringIO(out)))[1]
    assert (row["completion"], row["next_update_due"]) == ("limited", "2017-11-01")


def test_markdown_overdue_list_is_a_reminder(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGPCTL_TODAY", "2020-01-01")
    code, out, _ = status(root, "--overdue", "--format", "markdown")
    assert code == 0
    assert out.startswith("# Collective actions: status on 2020-01-01\n")
    assert "## Progress updates overdue" in out
    assert (
        "- **2. Open data** (`open-data`): due since 2017-11-01 (791 days), last update "
        "2017-05-01; France (`france`) and World Resources Institute (`wri`)." in out
    )
    assert "climate" not in out


def test_markdown_overdue_list_mentions_the_leaders_maintainers(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The people who should act are told: GitHub @-mentions of the leaders' maintainers."""
    france = root / "data/members/france.yaml"
    france.write_text(france.read_text() + "maintainers: [etalab-bot, etalab/open-gov]\n")
    wri = root / "data/members/wri.yaml"
    wri.write_text(wri.read_text() + "maintainers: [etalab-bot, wri/data.team]\n")
    monkeypatch.setenv("OGPCTL_TODAY", "2020-01-01")
    code, out, _ = status(root, "--overdue", "--format", "markdown")
    assert code == 0
    assert (
        "France (`france`) and World Resources Institute (`wri`); "
        "cc @etalab-bot, @etalab/open-gov, \\@wri/data.team." in out
    )


def test_markdown_says_when_nothing_is_late(root: Path) -> None:
    _, out, _ = status(root, "--format", "markdown")
    assert "No progress update is overdue on 2017-08-01." in out
    assert "| 2 | Open data (`open-data`) | active | `france`, `wri` | 1 | 1 | 1 |" in out


def test_markdown_escapes_markup_links_and_html(root: Path) -> None:
    (root / "data/actions/climate/action.yaml").write_text(
        'number: 1\ntitle: "[bold red]Climate\\e[31m <img src=x onerror=alert(1)> '
        '[click](https://evil.example) | *x* # `y`"\ntheme: climate-sustainable-development\n',
        encoding="utf-8",
    )
    code, out, _ = status(root, "--format", "markdown")
    assert code == 0
    row = next(line for line in out.splitlines() if "climate`)" in line)
    assert row.startswith(
        "| 1 | \\[bold red\\]Climate\\\\u001b\\[31m \\<img src=x onerror=alert(1)\\> "
        "\\[click\\](https://evil.example) \\| \\*x\\* \\# \\`y\\` (`climate`) |"
    )
    assert "\x1b" not in out and "[click](" not in out
    assert not re.search(r"(?<!\\)<img", out)  # only ever as an escaped `\<`


# --- the shipped dataset ------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["table", "json", "csv", "markdown"])
def test_shipped_data_in_every_format(output_format: str) -> None:
    code, out, _ = status(REPO, "--format", output_format)
    assert code == 0
    assert "open-public-procurement" in out


@pytest.mark.parametrize(
    ("day", "late"), [("2017-06-07", 0), ("2017-06-08", 20), ("2030-01-01", 20)]
)
def test_shipped_data_is_overdue_years_later(
    monkeypatch: pytest.MonkeyPatch, day: str, late: int
) -> None:
    monkeypatch.setenv("OGPCTL_TODAY", day)
    _, out, _ = status(REPO, "--format", "json")
    document = json.loads(out)
    assert [row["overdue"] for row in document["actions"]] == [late > 0] * 20
    assert document["totals"]["overdue"] == late
