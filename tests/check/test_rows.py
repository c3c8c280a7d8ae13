"""`export` writes the rows validation's workers made: each record file is parsed once."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from helpers import MEMBER_GOV, REPO, DatasetFactory

from ogpctl.check import record_file
from ogpctl.check.fast import cache, parallel
from ogpctl.check.fast.rows import spooling
from ogpctl.check.load import record_keys
from ogpctl.errors import InvalidData
from ogpctl.export import Exported, export_checked, read_rows
from ogpctl.model.tables import path_order
from ogpctl.store.config import load_settings

DAY = date(2026, 6, 1)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each record file is parsed (in this process: no workers)."""
    monkeypatch.setenv("OGPCTL_WORKERS", "1")
    monkeypatch.setattr(cache, "RACY_NS", -60_000_000_000)  # trust files just written
    counts: Counter[str] = Counter()
    parse = record_file.parse

    def counted(key, *args, **kwargs):  # type: ignore[no-untyped-def]
        counts[key.path] += 1
        return parse(key, *args, **kwargs)

    monkeypatch.setattr(record_file, "parse", counted)
    return counts


def _export(root: Path, out: Path) -> Exported:
    def no_report(*_: object) -> str:
        raise AssertionError("no markdown here")

    return export_checked(root, "json", out, DAY, None, report=no_report, out=print)


def test_cold_and_warm_exports_parse_each_file_once(tmp_path: Path, parsed: Counter[str]) -> None:
    root = tmp_path / "shipped"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "ogpctl.toml", root)
    _export(root, tmp_path / "cold.json")  # no cache: validation parses every file
    files = {key.path for key in record_keys(root)}
    assert set(parsed) == files and set(parsed.values()) == {1}
    parsed.clear()
    _export(root, tmp_path / "warm.json")  # validation from the cache: the rows parse once
    assert set(parsed) == files and set(parsed.values()) == {1}
    assert (tmp_path / "warm.json").read_bytes() == (tmp_path / "cold.json").read_bytes()


def test_rows_not_kept_are_read_and_the_same(dataset: DatasetFactory) -> None:
    root = dataset()
    settings = load_settings(root)
    keys = sorted(record_keys(root), key=path_order)
    with spooling() as spool:  # nothing validated in it: every row made by `rows`
        assert list(spool.rows(root, settings, keys)) == list(read_rows(root, settings))
    with spooling() as spool:
        parallel.check_files(root, keys, settings.default_language, workers=1)
        (root / MEMBER_GOV).write_text("name: [\n", encoding="utf-8")  # after validation
        assert len(list(spool.rows(root, settings, keys))) == len(keys)  # as it was checked


def test_a_file_broken_before_its_row_is_made_is_an_error(dataset: DatasetFactory) -> None:
    root = dataset()
    settings = load_settings(root)
    keys = sorted(record_keys(root), key=path_order)
    (root / MEMBER_GOV).write_text("name: [\n", encoding="utf-8")
    with spooling() as spool, pytest.raises(InvalidData, match=r"france.yaml:\d+: .*run again"):
        list(spool.rows(root, settings, keys))
