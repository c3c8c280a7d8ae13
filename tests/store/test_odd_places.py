"""No traceback, no hang, no faked result from odd places (issue 13, findings 11, 12, 13):
no home folder, a folder that vanishes during a scan, a pipe in place of a cache file, a
planted ISO code list, ids that Windows reserves."""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import MEMBER_GOV, DatasetFactory, Run

from ogpctl.check.fast import cache
from ogpctl.model import isocodes as tables
from ogpctl.store import isocodes, scan as scanning

TABLES = ("languages", "countries", "subdivisions")


@pytest.fixture
def fresh_tables() -> Iterator[None]:
    """The ISO tables read again (through the file cache) by the next command, and after."""
    tables.use(isocodes.kept)
    yield
    tables.use(isocodes.kept)


def test_no_home_folder_means_no_cache_not_a_traceback(
    dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch, fresh_tables: None
) -> None:
    root = dataset()  # outside git: the validation cache would go to the home folder too
    for name in ("HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", no_entry)  # a uid with no passwd entry
    with pytest.raises(RuntimeError):
        Path.home()
    result = run(root, "validate")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_a_folder_that_vanishes_during_a_scan_is_gone(
    dataset: DatasetFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = dataset({"data/actions/open-budgets/action.yaml": "number: 2\n"})
    real = os.scandir
    gone = root / "data/actions/open-budgets"

    def vanishing(path: int | str | Path) -> object:  # another program removes it just now
        if not isinstance(path, int) and Path(path) == gone and gone.exists():
            shutil.rmtree(gone)
        return real(path)

    monkeypatch.setattr(scanning.os, "scandir", vanishing)
    found = scanning.scan(root)
    assert "data/actions/open-budgets/action.yaml" not in [k.path for k in found.records]
    assert [p for p in found.problems if "open-budgets" in p.path] == []


def test_a_pipe_in_place_of_a_cache_file_is_not_read(git_dataset: DatasetFactory) -> None:
    root = git_dataset()
    pipes = [cache.location(root), cache.location(root).with_suffix(".last")]
    pipes += [path for path in map(isocodes.cache_file, TABLES) if path is not None]
    for pipe in pipes:
        pipe.parent.mkdir(parents=True, exist_ok=True)
        pipe.unlink(missing_ok=True)
        os.mkfifo(pipe)
    done = subprocess.run([sys.executable, "-m", "ogpctl", "--root", str(root), "validate"],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_a_planted_code_list_does_not_make_a_code_valid(
    dataset: DatasetFactory, run: Run, fresh_tables: None
) -> None:
    root = dataset({MEMBER_GOV: "name: France\ntype: national-government\ncountry: XX\n"})
    path = isocodes.cache_file("countries")
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(["FR", "XX"]))
    result = run(root, "validate")
    assert result.exit_code == 1, result.output
    assert "error OGP105" in result.stdout and "XX" in result.stdout


def test_no_cache_bypasses_the_code_lists(
    dataset: DatasetFactory, run: Run, fresh_tables: None
) -> None:
    root = dataset()
    path = isocodes.cache_file("countries")
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(["XX"]).encode()  # checksummed, yet wrong: say, a pycountry bug
    digest = hashlib.blake2b(payload, digest_size=16).digest()
    path.write_bytes(isocodes.MAGIC + digest + payload)
    assert run(root, "validate").exit_code == 1  # the list is used
    tables.use(isocodes.kept)
    result = run(root, "validate", "--no-cache")
    assert result.exit_code == 0, result.output  # and bypassed


@pytest.mark.parametrize("name", ["con", "aux", "nul", "prn", "com1", "com9", "lpt1", "lpt9"])
def test_windows_reserved_names_are_not_ids(dataset: DatasetFactory, run: Run, name: str) -> None:
    root = dataset({f"data/members/{name}.yaml": "name: X\ntype: other\n"})
    result = run(root, "validate")
    assert result.exit_code == 1, result.output
    assert f"data/members/{name}.yaml:1:1: error OGP025" in result.stdout
    assert "Windows" in result.stdout
    added = run(root, "add", "member", name, "--type", "other", "--name", "X", "--no-commit")
    assert added.exit_code == 2, added.output
    assert f"{name!r}" in added.stderr and "Windows" in added.stderr


def test_com10_and_console_are_ids(dataset: DatasetFactory, run: Run) -> None:
    root = dataset(
        {f"data/members/{n}.yaml": "name: X\ntype: other\n" for n in ("com10", "console")}
    )
    result = run(root, "validate")
    assert "OGP025" not in result.output
