"""The metadata beside the exports, read by the real tools: `datapackage.json` by
Frictionless, `NAME.metadata.json` (with the database) by Datasette.

Column types and descriptions come from the models, so these tests check them against the
models rather than against a second list.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate
from helpers import REPO, DatasetFactory, Run
from test_export import FULL, KEYS, MODELS

from ogpctl.model.records import Action, Theme

TOML = (
    '[dataset]\nname = "Full dataset"\ndescription = "Every field, filled."\n'
    'license = "CC-BY-4.0"\nattribution = "Credit the testers."\n'
)


@pytest.fixture
def root(dataset: DatasetFactory) -> Path:
    return dataset({**FULL, "ogpctl.toml": TOML}, baseline=False)


def package_of(root: Path, run: Run, folder: Path) -> dict[str, Any]:
    result = run(root, "export", "-f", "csv", "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    assert f"wrote {folder / 'datapackage.json'}" in result.stderr
    document: dict[str, Any] = json.loads((folder / "datapackage.json").read_text("utf-8"))
    return document


def frictionless_errors(package: Path) -> list[list[str]]:
    report = validate(str(package))
    assert report.stats["tasks"] == len(KEYS)  # every table was read
    errors: list[list[str]] = report.flatten(["type", "note"])
    return errors


def datasette(database: Path, metadata: Path, path: str) -> str:
    """`datasette DB -m META --get PATH`: one request, no server."""
    argv = [sys.executable, "-m", "datasette", str(database), "-m", str(metadata), "--get", path]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


# --- csv: the Frictionless Data Package ---------------------------------------------------


def test_frictionless_accepts_the_datapackage(root: Path, run: Run, tmp_path: Path) -> None:
    package_of(root, run, tmp_path)
    assert frictionless_errors(tmp_path / "datapackage.json") == []


def test_frictionless_checks_the_keys(root: Path, run: Run, tmp_path: Path) -> None:
    package_of(root, run, tmp_path)
    participants = tmp_path / "participants.csv"
    text = participants.read_text(encoding="utf-8")
    participants.write_text(text.replace(",ti,", ",nobody,", 1), encoding="utf-8")
    errors = frictionless_errors(tmp_path / "datapackage.json")
    # a participant that is no member, and an update by ti that is now no participant
    assert [kind for kind, _ in errors] == ["foreign-key", "foreign-key"]
    assert '"nobody" not found in the lookup table "members"' in errors[0][1]


def test_datapackage_says_title_licence_attribution_and_sources(
    root: Path, run: Run, tmp_path: Path
) -> None:
    package = package_of(root, run, tmp_path)
    assert (package["name"], package["title"]) == ("full-dataset", "Full dataset")
    assert package["description"] == "Every field, filled.\n\nHow to credit it: Credit the testers."
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://spdx.org/licenses/CC-BY-4.0.html",
            "title": "CC-BY-4.0",
        }
    ]
    assert package["sources"] == [{"title": "A source", "path": "https://example.org/s"}]


def test_datapackage_fields_keys_and_types(root: Path, run: Run, tmp_path: Path) -> None:
    package = package_of(root, run, tmp_path)
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert list(resources) == list(KEYS)
    for name, resource in resources.items():
        with (tmp_path / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        fields = resource["schema"]["fields"]
        assert [field["name"] for field in fields] == header
        assert all(field["description"].endswith(".") for field in fields)
        assert resource["schema"]["primaryKey"] == list(KEYS[name])
        assert resource["description"] == MODELS[name].__doc__
    actions = {field["name"]: field for field in resources["actions"]["schema"]["fields"]}
    assert {name: actions[name]["type"] for name in ("number", "launched", "standards")} == {
        "number": "integer",
        "launched": "date",
        "standards": "array",
    }
    assert actions["theme"]["constraints"] == {"enum": [theme.value for theme in Theme]}
    assert actions["title_fr"]["description"] == "Title of the action (language: fr)."
    assert actions["leaders_government"]["description"] == (
        "Who leads the action: member id of the leading government."
    )
    updates = {field["name"]: field for field in resources["updates"]["schema"]["fields"]}
    assert (updates["published"]["type"], updates["milestones"]["type"]) == ("date", "object")
    assert resources["updates"]["schema"]["foreignKeys"] == [
        {
            "fields": ["action", "member"],
            "reference": {"resource": "participants", "fields": ["action", "member"]},
        }
    ]


def test_every_column_description_is_the_model_field_description(
    root: Path, run: Run, tmp_path: Path
) -> None:
    package = package_of(root, run, tmp_path)
    for resource in package["resources"]:
        described = {field["name"]: field["description"] for field in resource["schema"]["fields"]}
        for name, info in MODELS[resource["name"]].model_fields.items():
            assert info.description, f"{resource['name']}.{name} has no description"
            columns = [c for c in described if c == name or c.startswith(f"{name}_")]
            assert columns, name
            for column in columns:
                assert described[column].startswith(info.description.rstrip(".")), column


def test_without_licence_or_description_the_package_says_none(
    dataset: DatasetFactory, run: Run, tmp_path: Path
) -> None:
    root = dataset(FULL, baseline=False)  # ogpctl.toml with a name only
    package = package_of(root, run, tmp_path)
    assert "licenses" not in package and "description" not in package
    assert frictionless_errors(tmp_path / "datapackage.json") == []


# --- sqlite: Datasette's metadata ---------------------------------------------------------


def test_datasette_reads_the_database_and_its_metadata(
    root: Path, run: Run, tmp_path: Path
) -> None:
    database, metadata = tmp_path / "ogp.db", tmp_path / "ogp.metadata.json"
    result = run(root, "export", "-f", "sqlite", "--metadata", "-o", str(database))
    assert result.exit_code == 0
    assert f"wrote {metadata}" in result.stderr
    rows = json.loads(datasette(database, metadata, "/ogp/actions.json?_shape=array"))
    assert {(row["id"], row["title_fr"]) for row in rows} == {
        ("open-contracting", "Commande publique ouverte"),
        ("climate", None),
    }
    about = json.loads(datasette(database, metadata, "/-/metadata.json"))
    assert (about["title"], about["license"], about["source"]) == (
        "Full dataset",
        "CC-BY-4.0",
        "A source",
    )
    assert about["license_url"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert about["source_url"] == "https://example.org/s"
    tables = about["databases"]["ogp"]["tables"]
    assert sorted(tables) == sorted(KEYS)
    assert tables["actions"]["description"] == Action.__doc__
    assert (
        tables["actions"]["columns"]["standards"] == "Data standards the action uses. A JSON list."
    )
    page = datasette(database, metadata, "/ogp/actions")  # the table's page shows them
    assert "Title of the action (language: fr)." in page
    assert Action.__doc__ in page


def test_no_metadata_unless_asked(root: Path, run: Run, tmp_path: Path) -> None:
    assert (
        run(root, "export", "-f", "sqlite", "-o", str(tmp_path / "out" / "ogp.db")).exit_code == 0
    )
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["ogp.db"]


@pytest.mark.parametrize("output_format", ["csv", "json", "markdown"])
def test_metadata_goes_with_sqlite_only(
    root: Path, run: Run, tmp_path: Path, output_format: str
) -> None:
    result = run(root, "export", "-f", output_format, "--metadata", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert "--metadata goes with --format sqlite" in result.stderr
    assert not (tmp_path / "x").exists()


# --- the shipped dataset ------------------------------------------------------------------


def test_shipped_exports_pass_both_tools(run: Run, tmp_path: Path) -> None:
    package = package_of(REPO, run, tmp_path / "csv")
    assert frictionless_errors(tmp_path / "csv" / "datapackage.json") == []
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["sources"][0]["path"].startswith(
        "https://github.com/etalab/carto_actions_collectives/"
    )
    database = tmp_path / "ogp.db"
    assert run(REPO, "export", "-f", "sqlite", "--metadata", "-o", str(database)).exit_code == 0
    query = "/ogp/actions.json?_shape=array&_col=title_en&_col=title_fr&number__in=1,2,18,19"
    rows = json.loads(datasette(database, tmp_path / "ogp.metadata.json", query))
    assert {row["id"]: (row["title_en"], row["title_fr"]) for row in rows} == {
        "open-public-procurement": ("Open Public Procurement", "Transparence des marchés publics"),
        "ending-abuse-anonymous-companies": (
            "Ending abuse of anonymous companies",
            "Mettre un terme aux abus des sociétés anonymes",
        ),
        "open-data-principles": ("Guiding principles for open data policies", None),
        "open-source-software-policy": (
            "Creating an Open Source Software policy",
            "Créer une politique «\u00a0open source\u00a0»",
        ),
    }
