"""`export --format markdown` writes one action at a time: the same text as the report of
the whole dataset at once."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from helpers import MEMBER_GOV, REPO, DatasetFactory, Run

from ogpctl.check.fast import cache
from ogpctl.check.load import load
from ogpctl.export import export_checked
from ogpctl.progress import Writer
from ogpctl.render import markdown
from ogpctl.show import Lang, action_detail
from ogpctl.store.config import load_settings

DAY = date(2026, 6, 1)
VALID = sorted(p for p in (REPO / "tests" / "examples" / "valid").iterdir() if p.is_dir())
WRITER = Writer(markdown.report_head, markdown.report_section)


@pytest.mark.parametrize("case", [REPO, *VALID], ids=lambda p: p.name)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_stream_is_the_whole_report(
    case: Path, language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_NS", -60_000_000_000)  # trust files just written
    root = tmp_path / "d"  # records from the rows of a cold export, then of the cached rows
    shutil.copytree(case / "data", root / "data")
    if (case / "ogpctl.toml").is_file():
        shutil.copy(case / "ogpctl.toml", root)
    settings = load_settings(root)
    dataset, _ = load(root, settings)
    lang = Lang(language, settings.default_language)
    details = [action_detail(dataset, a, DAY, lang) for a in sorted(dataset.actions)]
    expected = markdown.report(settings.name, details, DAY)
    for _ in ("cold", "warm"):
        pieces: list[str] = []
        export_checked(root, "markdown", None, DAY, language, report=WRITER, out=pieces.append)
        assert "".join(pieces) == expected


def test_actions_come_by_number_then_id(dataset: DatasetFactory, run: Run) -> None:
    action = "title: {}\ntheme: digital-commons\nstatus: proposed\n"
    root = dataset(
        {
            "data/actions/a-unnumbered/action.yaml": action.format("Unnumbered A"),
            "data/actions/b-second/action.yaml": "number: 2\n" + action.format("Second"),
            "data/actions/c-unnumbered/action.yaml": action.format("Unnumbered C"),
        }
    )
    result = run(root, "export", "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1. Open contracting", "## 2. Second", "## Unnumbered A", "## Unnumbered C"
    ]  # fmt: skip


def test_the_cli_writes_nothing_when_a_file_is_invalid(dataset: DatasetFactory, run: Run) -> None:
    root = dataset({MEMBER_GOV: "name: France\ntype: national-govrnment\n"})
    out = root.parent / "report.md"
    result = run(root, "export", "-f", "markdown", "-o", str(out))
    assert result.exit_code == 1
    assert "the dataset has 1 error and an export must lose nothing" in result.stderr
    assert not out.exists()
