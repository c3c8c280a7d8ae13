"""`export --format json` writes the document as it reads the records, one file at a time:
the same bytes as the whole document written at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import MEMBER_GOV, DatasetFactory
from typer.testing import CliRunner

from ogpctl.check.load import load
from ogpctl.cli import app
from ogpctl.errors import InvalidData
from ogpctl.export import document, json_chunks, write_chunks
from ogpctl.inert import json_text
from ogpctl.store.config import load_settings

REPO = Path(__file__).resolve().parents[1]
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
