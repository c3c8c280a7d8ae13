"""`ogpctl export`: every record and every field reaches every form, ids included.

The field lists come from the pydantic models (their JSON Schema says which fields are
localised, lists or numbers), so a field added to a model breaks these tests until the
fixture fills it and every export carries it.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import typing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, DatasetFactory, Run
from pydantic import BaseModel

from ogpctl.check.validate import check_dataset
from ogpctl.model.records import Action, Member, Participant, Update

TODAY = date(2017, 9, 1)  # conftest pins OGPCTL_TODAY to this
ACTION_DIR = "data/actions/open-contracting"
SOURCES = "sources: [{url: 'https://example.org/s', title: A source, retrieved: 2017-01-02}]\n"

# Every field of every kind filled at least once; text in two languages (and `es` in one
# place only); text that CSV, Markdown and terminals must survive.
FULL = {
    "ogpctl.toml": '[dataset]\nname = "full"\n',
    "data/members/france.yaml": (
        "name: {en: France, fr: La France}\ntype: national-government\ncountry: FR\n"
        "acronym: FR\nwebsite: https://www.gouvernement.fr/\nogp_member_since: 2014\n"
        "maintainers: [etalab, etalab/open-gov]\nformerly: [republique-francaise]\n" + SOURCES
    ),
    "data/members/scotland.yaml": (
        "name: {en: Scotland, fr: Écosse}\ntype: subnational-government\ncountry: GB\n"
        "subdivision: GB-SCT\n"
    ),
    "data/members/ti.yaml": (
        'name: {en: "Transparency, \\"International\\"\\nline two", fr: "[bold red]TI[/] '
        '\\e[31m <b>x</b> [a](https://evil.example)"}\ntype: civil-society\nacronym: TI\n'
    ),
    f"{ACTION_DIR}/action.yaml": (
        "number: 1\ntitle: {en: Open contracting, fr: Commande publique ouverte}\n"
        "theme: transparency-integrity-anticorruption\n"
        "summary: {en: 'First line.\n\n  # not a heading', fr: Résumé, es: Resumen}\n"
        "status: active\nlaunched: 2016-12-07\n"
        "leaders: {government: france, civil_society: ti}\n"
        "working_group: anti-corruption\nstandards: [ocds, bods]\n"
        "milestones:\n"
        "  - {id: publish-data, title: {en: Publish data, fr: Publier}, due: 2017-12-31}\n"
        "resources:\n"
        "  - {title: {en: Guide, fr: Guide}, url: 'https://example.org/g', type: guide}\n"
        "update_every_months: 3\n" + SOURCES
    ),
    f"{ACTION_DIR}/participants/france.yaml": (
        "joined: 2016-12-07\ncontribution: {en: Publish contracts, fr: Publier les contrats}\n"
        "national_action_plan: {plan: NAP 2018-2020, commitment: 'C5, \"data\"', "
        "url: 'https://example.org/nap'}\n" + SOURCES
    ),
    f"{ACTION_DIR}/participants/ti.yaml": "joined: 2016-12-07\n",
    f"{ACTION_DIR}/participants/scotland.yaml": "joined: 2017-01-01\nleft: 2017-07-01\n",
    f"{ACTION_DIR}/updates/2017-06-01-france.yaml": (
        "period: {start: 2016-12-07, end: 2017-05-31}\ncompletion: limited\n"
        "summary: {en: Data standard adopted., fr: Norme adoptée.}\n"
        "milestones: {publish-data: limited}\nevidence: ['https://example.org/e']\n" + SOURCES
    ),
    f"{ACTION_DIR}/updates/2017-08-01-ti.yaml": "completion: substantial\nsummary: Portal.\n",
    "data/actions/climate/action.yaml": (
        "number: 2\ntitle: Climate\ntheme: climate-sustainable-development\n"
    ),
}
KEYS = {
    "members": ("id",),
    "actions": ("id",),
    "participants": ("action", "member"),
    "updates": ("action", "published", "member", "sequence"),
}
MODELS: dict[str, type[BaseModel]] = {
    "members": Member,
    "actions": Action,
    "participants": Participant,
    "updates": Update,
}


@pytest.fixture
def root(dataset: DatasetFactory) -> Path:
    return dataset(FULL, baseline=False)


def on_disk(root: Path) -> dict[str, int]:
    data = root / "data"
    return {
        "members": len(list(data.glob("members/*.yaml"))),
        "actions": len(list(data.glob("actions/*/action.yaml"))),
        "participants": len(list(data.glob("actions/*/participants/*.yaml"))),
        "updates": len(list(data.glob("actions/*/updates/*.yaml"))),
    }


def loaded(root: Path) -> dict[str, dict[tuple[str, ...], BaseModel]]:
    """The records as ogpctl loads them from YAML, by table and key."""
    dataset, report = check_dataset(root, TODAY)
    assert report.ok, report.problems
    return {
        "members": {(m,): r.record for m, r in dataset.members.items()},
        "actions": {(a,): r.record for a, r in dataset.actions.items()},
        "participants": {
            (a, m): p.record for a, ps in dataset.participants.items() for m, p in ps.items()
        },
        "updates": {
            (a, str(u.key.published), u.key.member, str(u.key.sequence)): u.record
            for a, us in dataset.updates.items()
            for u in us
        },
    }


# --- what the models say about their fields -----------------------------------------------


def _types(prop: dict[str, Any]) -> set[str]:
    options = prop.get("anyOf", [prop])
    found = {o["type"] for o in options if "type" in o}
    found |= {"localised" for o in options if o.get("x-ogpctl-shared") == "LocalisedText"}
    return found


def _nested(annotation: Any) -> type[BaseModel] | None:
    """The record nested in a field (`leaders`, `period`), not the items of a list."""
    if typing.get_origin(annotation) in (list, dict):
        return None
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def fields(model: type[BaseModel], prefix: str = "") -> dict[str, set[str]]:
    """Flat field name → its JSON types, nested records followed (`leaders_government`)."""
    found: dict[str, set[str]] = {}
    properties = model.model_json_schema()["properties"]
    for name, info in model.model_fields.items():
        nested = _nested(info.annotation)
        if nested is not None:
            found.update(fields(nested, f"{prefix}{name}_"))
        else:
            found[prefix + name] = _types(properties[name])
    return found


def from_flat(model: type[BaseModel], row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A record's data back from a flat row (a CSV or SQLite row); KeyError if a field is lost."""
    data: dict[str, Any] = {}
    properties = model.model_json_schema()["properties"]
    for name, info in model.model_fields.items():
        column, types = prefix + name, _types(properties[name])
        nested = _nested(info.annotation)
        if nested is not None:
            inner = from_flat(nested, row, column + "_")
            value: Any = inner or None
        elif "localised" in types:
            languages = [c for c in row if re.fullmatch(f"{column}_[a-z]{{2}}", c)]
            assert languages, f"no column for {column}"
            value = {c[-2:]: row[c] for c in languages if row[c] not in ("", None)} or None
        else:
            cell = row[column]
            if cell in ("", None):
                value = None
            elif types & {"array", "object"}:
                value = json.loads(cell)
            else:
                value = int(cell) if "integer" in types else cell
        if value is not None:
            data[name] = value
    return data


def test_the_fixture_fills_every_field_of_every_model(root: Path) -> None:
    records = loaded(root)
    for table, model in MODELS.items():
        dumps = [r.model_dump(mode="json") for r in records[table].values()]
        rows = [from_dump(model, d) for d in dumps]
        for name, types in fields(model).items():
            assert any(row.get(name) not in (None, [], {}) for row in rows), (
                f"FULL sets no {table}.{name}: fill it so the exports are tested with it"
            )
            if "localised" in types:
                assert any(len(row[name] or {}) > 1 for row in rows), f"{name}: one language"


def from_dump(model: type[BaseModel], dump: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        nested = _nested(info.annotation)
        if nested is not None:
            flat.update(from_dump(nested, dump.get(name) or {}, f"{prefix}{name}_"))
        else:
            flat[prefix + name] = dump.get(name)
    return flat


# --- json -----------------------------------------------------------------------------------


def test_json_round_trips_into_the_records_on_disk(root: Path, run: Run) -> None:
    result = run(root, "export", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["dataset"] == {
        "name": "full",
        "default_language": "en",
        "update_every_months": 6,
        "description": "",
        "license": "",
        "attribution": "",
    }
    records = loaded(root)
    for table, model in MODELS.items():
        rows = document[table]
        assert len(rows) == on_disk(root)[table] == len(records[table])
        for row in rows:
            assert set(row) == {*KEYS[table], *model.model_fields}  # every field, even empty
            key = tuple(str(row[k]) for k in KEYS[table])
            record = model.model_validate({k: v for k, v in row.items() if k not in KEYS[table]})
            assert record == records[table][key]


def test_json_to_a_file_and_dash_for_stdout(root: Path, run: Run, tmp_path: Path) -> None:
    target = tmp_path / "out" / "all.json"
    result = run(root, "export", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr
    assert target.read_text(encoding="utf-8") == run(root, "export", "-o", "-").stdout


# --- csv ------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_has_every_record_and_field(root: Path, run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    result = run(root, "export", "--format", "csv", "-o", str(folder))
    assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "actions.csv",
        "datapackage.json",
        "members.csv",
        "participants.csv",
        "updates.csv",
    ]
    records = loaded(root)
    for table, model in MODELS.items():
        rows = read_csv(folder / f"{table}.csv")
        assert len(rows) == on_disk(root)[table]
        for row in rows:
            key = tuple(str(row[k]) for k in KEYS[table])
            assert model.model_validate(from_flat(model, row)) == records[table][key]


def test_csv_has_one_column_per_language_present(root: Path, run: Run, tmp_path: Path) -> None:
    run(root, "export", "-f", "csv", "-o", str(tmp_path))
    with (tmp_path / "actions.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:5] == ["id", "number", "title_en", "title_fr", "theme"]
    assert [c for c in header if "summary" in c] == ["summary_en", "summary_es", "summary_fr"]
    assert "leaders_government" in header and "leaders_civil_society" in header


def test_csv_joins_by_id(root: Path, run: Run, tmp_path: Path) -> None:
    run(root, "export", "-f", "csv", "-o", str(tmp_path))
    members = {row["id"] for row in read_csv(tmp_path / "members.csv")}
    actions = {row["id"] for row in read_csv(tmp_path / "actions.csv")}
    participants = read_csv(tmp_path / "participants.csv")
    assert {p["member"] for p in participants} <= members
    assert {p["action"] for p in participants} <= actions
    joined = {(p["action"], p["member"]) for p in participants}
    assert {(u["action"], u["member"]) for u in read_csv(tmp_path / "updates.csv")} <= joined


# --- sqlite ---------------------------------------------------------------------------------


def test_sqlite_has_every_record_field_and_key(root: Path, run: Run, tmp_path: Path) -> None:
    path = tmp_path / "ogp.db"
    result = run(root, "export", "--format", "sqlite", "-o", str(path))
    assert result.exit_code == 0
    records = loaded(root)
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        for table, model in MODELS.items():
            rows = [dict(r) for r in db.execute(f"SELECT * FROM {table}")]
            assert len(rows) == on_disk(root)[table]
            for row in rows:
                key = tuple(str(row[k]) for k in KEYS[table])
                assert model.model_validate(from_flat(model, row)) == records[table][key]
            primary = [r["name"] for r in db.execute(f"PRAGMA table_info({table})") if r["pk"]]
            assert primary == list(KEYS[table])
        references = {
            (table, r["from"], r["table"], r["to"])
            for table in MODELS
            for r in db.execute(f"PRAGMA foreign_key_list({table})")
        }
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert references == {
        ("actions", "leaders_government", "members", "id"),
        ("actions", "leaders_civil_society", "members", "id"),
        ("participants", "action", "actions", "id"),
        ("participants", "member", "members", "id"),
        ("updates", "action", "participants", "action"),
        ("updates", "member", "participants", "member"),
    }


def test_sqlite_export_replaces_an_earlier_one(root: Path, run: Run, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "ogp.db"
    path.write_text("not a database", encoding="utf-8")
    assert run(root, "export", "-f", "sqlite", "-o", str(path)).exit_code == 0
    assert run(root, "export", "-f", "sqlite", "-o", str(path)).exit_code == 0
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM members").fetchone() == (3,)
    assert [p.name for p in path.parent.iterdir()] == ["ogp.db"]  # no temporary file left


# --- markdown -------------------------------------------------------------------------------


def test_markdown_is_a_progress_report_per_action(root: Path, run: Run) -> None:
    result = run(root, "export", "--format", "markdown")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("# full: progress report\n")
    assert out.index("## 1. Open contracting") < out.index("## 2. Climate")
    for expected in (
        '**Leaders:** France (`france`) (government) and Transparency, "International" '
        "line two (`ti`) (civil society).",
        "**Latest update, 2017-08-01** by ",
        "**Earlier update, 2017-06-01** by France (`france`), covering 2016-12-07 to "
        "2017-05-31: **limited**.",
        "- evidence: <https://example.org/e>",
        "Next update due 2017-11-01 (every 3 months).",
        "- France (`france`), national government, joined 2016-12-07; pledge: Publish "
        'contracts; National Action Plan: NAP 2018-2020, C5, "data" <https://example.org/nap>',
        "| Publish data (`publish-data`) | 2017-12-31 | limited | 2017-06-01 |",
        "- [Guide](<https://example.org/g>) (guide)",
        "- [A source](<https://example.org/s>)",
        "No progress update has been published yet.\n\nNo participant yet.\n",
    ):
        assert expected in out, expected


def test_markdown_uses_the_language_asked_for(root: Path, run: Run) -> None:
    out = run(root, "export", "-f", "markdown", "--lang", "fr").stdout
    assert "## 1. Commande publique ouverte" in out
    assert "Publier les contrats" in out


def test_markdown_escapes_data(root: Path, run: Run) -> None:
    out = run(root, "export", "-f", "markdown", "--lang", "fr").stdout
    assert (
        "\\[bold red\\]TI\\[/\\] \\\\u001b\\[31m \\<b\\>x\\</b\\> \\[a\\](https://evil.example)"
        in out
    )
    assert "\x1b" not in out
    assert not re.search(r"(?<!\\)<b>", out)
    summary = run(root, "export", "-f", "markdown").stdout
    assert "First line.\n\\# not a heading" in summary  # no line of it becomes a heading


# --- usage and refusals ---------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["csv", "sqlite"])
def test_csv_and_sqlite_need_a_path(root: Path, run: Run, output_format: str) -> None:
    result = run(root, "export", "--format", output_format)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"--format {output_format} needs -o PATH" in result.stderr


def test_csv_into_a_file_is_a_usage_error(root: Path, run: Run, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run(root, "export", "-f", "csv", "-o", str(tmp_path / "file"))
    assert result.exit_code == 2
    assert "writes a folder, and this is a file" in result.stderr


def test_one_file_into_a_folder_is_a_usage_error(root: Path, run: Run, tmp_path: Path) -> None:
    result = run(root, "export", "-f", "json", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "is a folder; --format json writes one file" in result.stderr


def test_invalid_data_is_not_exported(dataset: DatasetFactory, run: Run, tmp_path: Path) -> None:
    root = dataset({"data/members/france.yaml": "name: France\ntype: nation\n"})
    result = run(root, "export", "-f", "csv", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "the dataset has 1 error and an export must lose nothing" in result.stderr
    assert not (tmp_path / "out").exists()


def test_unwritable_target_is_exit_3(root: Path, run: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    result = run(root, "export", "-f", "json", "-o", str(blocker / "all.json"))
    assert result.exit_code == 3
    assert f"cannot write {blocker / 'all.json'}" in result.stderr


# --- the shipped dataset --------------------------------------------------------------------


def test_shipped_data_in_every_form(run: Run, tmp_path: Path) -> None:
    counts = on_disk(REPO)
    document = json.loads(run(REPO, "export").stdout)
    assert {table: len(document[table]) for table in KEYS} == counts
    records = loaded(REPO)
    for table, model in MODELS.items():
        for row in document[table]:
            key = tuple(str(row[k]) for k in KEYS[table])
            data = {k: v for k, v in row.items() if k not in KEYS[table]}
            assert model.model_validate(data) == records[table][key]
    assert run(REPO, "export", "-f", "csv", "-o", str(tmp_path / "csv")).exit_code == 0
    for table, count in counts.items():
        assert len(read_csv(tmp_path / "csv" / f"{table}.csv")) == count
    assert run(REPO, "export", "-f", "sqlite", "-o", str(tmp_path / "ogp.db")).exit_code == 0
    with sqlite3.connect(tmp_path / "ogp.db") as db:
        for table, count in counts.items():
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (count,)
    report = run(REPO, "export", "-f", "markdown")
    assert report.exit_code == 0
    assert report.stdout.count("\n## ") == counts["actions"]
