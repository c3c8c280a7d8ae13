"""`export` in json, csv and sqlite writes as it reads the records, one file at a time:
the same bytes as the whole dataset written at once."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from helpers import MEMBER_GOV, REPO, DatasetFactory
from hostile import HOSTILE_PARAMS
from typer.testing import CliRunner

from ogpctl.check.load import load
from ogpctl.cli import app
from ogpctl.errors import InvalidData
from ogpctl.export import document, export, export_files, json_chunks, write_chunks
from ogpctl.inert import json_text
from ogpctl.model.keys import Kind, RecordKey
from ogpctl.model.records import Member
from ogpctl.model.tables import entry_data, entry_record, nested, record_row, row_entry
from ogpctl.store.config import load_settings

DAY = date(2026, 6, 1)
VALID = sorted(p for p in (REPO / "tests" / "examples" / "valid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", [REPO, *VALID], ids=lambda p: p.name)
def test_the_stream_is_the_whole_document(case: Path, tmp_path: Path) -> None:
    settings = load_settings(case)
    dataset, _ = load(case, settings)
    expected = json_text(document(dataset))
    assert "".join(json_chunks(case, settings)) == expected
    assert (
        write_chunks(json_chunks(case, settings), tmp_path / "out.json").read_text(encoding="utf-8")
        == expected
    )


def test_an_empty_dataset_streams_empty_lists(tmp_path: Path) -> None:
    shutil.copytree(REPO / "tests" / "examples" / "valid" / "empty-dataset", tmp_path / "d")
    text = "".join(json_chunks(tmp_path / "d", load_settings(tmp_path / "d")))
    assert '"members": [],\n  "actions": [],' in text


def test_a_file_broken_while_it_is_read_is_an_error(dataset: DatasetFactory) -> None:
    root = dataset()
    chunks = json_chunks(root, load_settings(root))
    next(chunks)  # validated before: now a file changes
    (root / MEMBER_GOV).write_text("name: [\n", encoding="utf-8")
    with pytest.raises(InvalidData, match=r"data/members/france.yaml:\d+: .*run again"):
        list(chunks)


def test_the_cli_writes_nothing_when_a_file_is_invalid(dataset: DatasetFactory) -> None:
    root = dataset({MEMBER_GOV: "name: France\ntype: national-govrnment\n"})
    out = root.parent / "out.json"
    result = CliRunner().invoke(app, ["--root", str(root), "export", "-o", str(out)])
    assert result.exit_code == 1
    assert "the dataset has 1 error and an export must lose nothing" in result.stderr
    assert not out.exists()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("case", [REPO, *VALID], ids=lambda p: p.name)
def test_csv_and_sqlite_read_one_file_at_a_time_write_the_same_bytes(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ogpctl.export.BATCH", 2)  # several batches per table
    settings = load_settings(case)
    dataset, _ = load(case, settings)
    whole, streamed = tmp_path / "whole", tmp_path / "streamed"
    for out_format, target, metadata in (
        ("csv", Path("csv"), False),
        ("sqlite", Path("db/ogp.db"), True),
        ("sqlite", Path("plain/ogp.db"), False),
    ):
        export(dataset, out_format, whole / target, metadata)
        export_files(case, settings, out_format, streamed / target, metadata)
    for folder in ("csv", "db", "plain"):
        assert _files(streamed / folder) == _files(whole / folder)


HOSTILE = 'é \u202e\x85 " \\ \n\t \ud800 /'
PLAIN_VALUES = [
    {},
    [],
    {"a": [], "b": {}, "c": None, "d": True, "e": False, "f": 0, "g": -2.5, "h": 1e100},
    {"x": [1, 2.5, None, True, "s", {"q": HOSTILE}, [], [[]]], HOSTILE: {"z": {"w": ["v"]}}},
    [{"a": 1}, {}, "t"],
    {"inf": float("inf"), "nan": float("nan")},
    HOSTILE,
    None,
    7,
]


@pytest.mark.parametrize("value", PLAIN_VALUES, ids=[str(i) for i in range(len(PLAIN_VALUES))])
@pytest.mark.parametrize("indent", ["", "    "])
def test_a_row_s_text_is_json_text_s(value: object, indent: str) -> None:
    assert nested(value, indent) == json_text(value)[:-1].replace("\n", "\n" + indent)


@pytest.mark.parametrize("value", [{1: "a"}, {"a": (1, 2)}, [{True: None}]], ids=["1", "2", "3"])
def test_values_json_writes_otherwise_are_written_as_json_does(value: object) -> None:
    assert nested(value, "  ") == json_text(value)[:-1].replace("\n", "\n  ")


@pytest.mark.parametrize("case", [REPO, *VALID], ids=lambda p: p.name)
def test_a_record_read_back_from_its_row_is_the_record(case: Path) -> None:
    dataset, _ = load(case, load_settings(case))
    every = [*dataset.members.values(), *dataset.actions.values()]
    every += [part for parts in dataset.participants.values() for part in parts.values()]
    every += [update for updates in dataset.updates.values() for update in updates]
    for loaded in every:
        kind, row = record_row(loaded.key, loaded.record)
        data = entry_data(row_entry(kind, row, dataset.settings.default_language))
        assert entry_record(kind, data) == loaded.record


@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_a_hostile_record_read_back_from_its_row_is_the_record(text: str) -> None:
    record = Member.model_validate({"name": {"en": text}, "type": "other", "acronym": text})
    kind, row = record_row(RecordKey(Kind.MEMBER, member="x"), record)
    assert entry_record(kind, entry_data(row_entry(kind, row, "en"))) == record
