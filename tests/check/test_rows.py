"""`export` writes the rows validation's workers made, else the cached ones: each record file
is parsed once at most."""

from __future__ import annotations

import marshal
import os
import shutil
import signal
import subprocess
import sys
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from helpers import MEMBER_GOV, REPO, UPDATE, DatasetFactory, Run

from ogpctl.check.fast import cache, parallel, rowcache, rows
from ogpctl.check.fast.rows import spooling
from ogpctl.check.load import record_keys
from ogpctl.check.validate import check_dataset
from ogpctl.errors import InvalidData
from ogpctl.export import Exported, export_checked, read_entries
from ogpctl.model.keys import Kind
from ogpctl.model.tables import entry_cells, entry_text, path_order
from ogpctl.progress import Writer
from ogpctl.store.config import load_settings

DAY = date(2026, 6, 1)


def _export(root: Path, out: Path) -> Exported:
    def no_report(*_: object) -> str:
        raise AssertionError("no markdown here")

    writer = Writer(no_report, no_report)
    return export_checked(root, "json", out, DAY, None, report=writer, out=print)


def test_cold_and_warm_exports_parse_each_file_once(tmp_path: Path, parsed: Counter[str]) -> None:
    root = tmp_path / "shipped"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "ogpctl.toml", root)
    _export(root, tmp_path / "cold.json")  # no cache: validation parses every file
    files = {key.path for key in record_keys(root)}
    assert set(parsed) == files and set(parsed.values()) == {1}
    parsed.clear()
    _export(root, tmp_path / "warm.json")  # validation and rows from the caches: no parse
    assert parsed == Counter()
    assert (tmp_path / "warm.json").read_bytes() == (tmp_path / "cold.json").read_bytes()


def _decoded(entries: Iterator[tuple[Kind, bytes]]) -> list[tuple[Kind, object, object]]:
    return [(kind, entry_text(data), entry_cells(data)) for kind, data in entries]


def test_rows_not_kept_are_read_and_the_same(dataset: DatasetFactory) -> None:
    root = dataset()
    settings = load_settings(root)
    keys = sorted(record_keys(root), key=path_order)
    with spooling(root, settings) as spool:  # nothing validated in it: every row made now
        assert _decoded(spool.entries(keys)) == _decoded(read_entries(root, settings))
    with spooling(root, settings) as spool:
        parallel.check_files(root, keys, settings.default_language, workers=1)
        (root / MEMBER_GOV).write_text("name: [\n", encoding="utf-8")  # after validation
        assert len(list(spool.entries(keys))) == len(keys)  # as it was checked


def test_a_file_broken_before_its_row_is_made_is_an_error(dataset: DatasetFactory) -> None:
    root = dataset()
    settings = load_settings(root)
    keys = sorted(record_keys(root), key=path_order)
    (root / MEMBER_GOV).write_text("name: [\n", encoding="utf-8")
    with (
        spooling(root, settings) as spool,
        pytest.raises(InvalidData, match=r"france.yaml:\d+: .*run again"),
    ):
        list(spool.entries(keys))


def _fresh(root: Path, out: Path) -> bytes:
    """The export made with no cache at all."""
    shutil.rmtree(cache.location(root).parent)
    _export(root, out)
    return out.read_bytes()


def test_an_edited_file_is_read_again_and_only_it(
    dataset: DatasetFactory, parsed: Counter[str], tmp_path: Path
) -> None:
    root = dataset()
    _export(root, tmp_path / "first.json")
    assert rowcache.location(root).is_file()
    text = (root / MEMBER_GOV).read_text(encoding="utf-8")
    (root / MEMBER_GOV).write_text(text.replace("France", "République française"), "utf-8")
    parsed.clear()
    _export(root, tmp_path / "edited.json")
    assert set(parsed) == {MEMBER_GOV}  # validation's worker parsed it; the row came with it
    assert "République française" in (tmp_path / "edited.json").read_text(encoding="utf-8")
    assert (tmp_path / "edited.json").read_bytes() == _fresh(root, tmp_path / "fresh.json")


def test_a_removed_file_leaves_the_export_and_the_cache(
    dataset: DatasetFactory, parsed: Counter[str], tmp_path: Path
) -> None:
    root = dataset()
    _export(root, tmp_path / "first.json")
    (root / UPDATE).unlink()
    parsed.clear()
    _export(root, tmp_path / "second.json")
    assert parsed == Counter()
    assert (tmp_path / "second.json").read_bytes() == _fresh(root, tmp_path / "fresh.json")
    index = rowcache.Reader.open(rowcache.location(root), rowcache.stamp(load_settings(root)))
    assert UPDATE not in index.index and len(index.index) == len(record_keys(root))
    index.close()


@pytest.mark.parametrize("damage", [b"", b"nonsense", "truncated"])
def test_a_damaged_cache_is_ignored(
    dataset: DatasetFactory, parsed: Counter[str], tmp_path: Path, damage: bytes | str
) -> None:
    root = dataset()
    _export(root, tmp_path / "first.json")
    where = rowcache.location(root)
    where.write_bytes(where.read_bytes()[:-10] if damage == "truncated" else damage)
    parsed.clear()
    _export(root, tmp_path / "second.json")
    assert set(parsed) == {key.path for key in record_keys(root)}  # every row made again
    assert (tmp_path / "second.json").read_bytes() == (tmp_path / "first.json").read_bytes()
    assert rowcache.Reader.open(where, rowcache.stamp(load_settings(root))).index  # rewritten


def test_a_file_changed_during_the_run_is_not_cached(
    dataset: DatasetFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OGPCTL_WORKERS", "1")
    root = dataset()  # its files were all written just now: too recent to trust
    _export(root, tmp_path / "out.json")
    index = rowcache.Reader.open(rowcache.location(root), rowcache.stamp(load_settings(root)))
    assert index.index == {}
    index.close()


def test_a_damaged_entry_is_made_again_from_its_file(
    dataset: DatasetFactory, parsed: Counter[str], run: Run, tmp_path: Path
) -> None:
    root = dataset()
    _export(root, tmp_path / "first.json")
    where = rowcache.location(root)
    reader = rowcache.Reader.open(where, rowcache.stamp(load_settings(root)))
    offset, length = reader.index[MEMBER_GOV][4:6]
    reader.close()
    data = bytearray(where.read_bytes())
    data[offset + length // 2] ^= 0x20  # one bit of one entry, the index still whole
    where.write_bytes(bytes(data))
    parsed.clear()
    result = run(root, "export", "-o", str(tmp_path / "second.json"))
    out = tmp_path / "second.json"
    assert (result.exit_code, result.stderr) == (0, f"wrote {out}\n")
    assert parsed == Counter({MEMBER_GOV: 1})  # that row alone made from its file
    assert (tmp_path / "second.json").read_bytes() == (tmp_path / "first.json").read_bytes()
    assert not where.exists()  # dropped, to be made again whole by the next export
    run(root, "export", "-o", str(tmp_path / "third.json"))
    parsed.clear()
    run(root, "export", "-o", str(tmp_path / "fourth.json"))
    assert parsed == Counter()
    assert (tmp_path / "fourth.json").read_bytes() == (tmp_path / "first.json").read_bytes()


KILLED_WRITING = """
import os, signal, sys
from pathlib import Path
from ogpctl.check.fast import rowcache
writer = rowcache.Writer(Path(sys.argv[1]), "stamp")
writer.add("data/members/x.yaml", (1, 2, 3, 4), b"entry")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_exports_temporary_file_is_removed_by_the_next(tmp_path: Path) -> None:
    where = tmp_path / "cache" / "validate.rows"
    done = subprocess.run([sys.executable, "-c", KILLED_WRITING, str(where)], check=False)
    assert done.returncode == -signal.SIGKILL
    assert len(list(where.parent.glob(".validate.rows.*.tmp"))) == 1  # left behind
    running = where.parent / f".validate.rows.{os.getppid()}.tmp"  # its process still runs
    running.write_bytes(b"")
    other = where.parent / ".validate.rows.x.tmp"
    other.write_bytes(b"")
    writer = rowcache.Writer(where, "stamp")
    writer.done()
    assert sorted(where.parent.iterdir()) == sorted([where, running, other])


def test_the_index_written_pair_by_pair_is_the_dict_read_back(tmp_path: Path) -> None:
    """The writer joins each entry's place, made apart as marshal data, into the index:
    read back, it is the dict of every place (any path, any size of number), the very
    bytes `marshal.dumps` gives for it whole."""
    where = tmp_path / "validate.rows"
    writer = rowcache.Writer(where, "stamp é")
    signatures = [(1, 2, 3, 4), (2**63 - 1, 1_700_000_000_123_456_789, 0, 2**40)]
    paths = ["data/members/a.yaml", "data/members/ñandú 名.yaml"]
    for path, found, entry in zip(paths, signatures, [b"one", b"two \xff"], strict=True):
        writer.add(path, found, entry)
    writer.done()
    reader = rowcache.Reader.open(where, "stamp é")
    expected = {
        "data/members/a.yaml": (1, 2, 3, 4, 29, 3, zlib.crc32(b"one")),
        "data/members/ñandú 名.yaml": (*signatures[1], 32, 5, zlib.crc32(b"two \xff")),
    }
    assert reader.index == expected
    assert [reader.read(path) for path in paths] == [b"one", b"two \xff"]
    reader.close()
    assert where.read_bytes().endswith(marshal.dumps(("stamp é", expected), 2))


def test_a_file_changed_after_it_was_read_is_read_again_next_time(
    dataset: DatasetFactory, parsed: Counter[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row is kept with the signature its file was read with, not one taken later: a
    change made meanwhile is seen by the next export (here, even one trusting every file)."""
    root = dataset()
    keep = rows.Spool.__call__

    def changed_meanwhile(self, checked):  # type: ignore[no-untyped-def]
        path = root / MEMBER_GOV
        if "Francia" not in path.read_text(encoding="utf-8"):
            path.write_text(path.read_text(encoding="utf-8").replace("France", "Francia"))
        return keep(self, checked)

    monkeypatch.setattr(rows.Spool, "__call__", changed_meanwhile)
    _export(root, tmp_path / "first.json")
    assert "Francia" not in (tmp_path / "first.json").read_text(encoding="utf-8")  # as read
    monkeypatch.setattr(rows.Spool, "__call__", keep)
    check_dataset(root, DAY, load_settings(root), records=False)  # sees the change first
    _export(root, tmp_path / "second.json")
    assert "Francia" in (tmp_path / "second.json").read_text(encoding="utf-8")
    assert (tmp_path / "second.json").read_bytes() == _fresh(root, tmp_path / "fresh.json")
