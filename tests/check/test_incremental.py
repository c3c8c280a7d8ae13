"""Reusing the last whole result (`ogpctl.check.fast.incremental`) never changes what is reported.

After each change, the report of the incremental run must equal a validation from
scratch (full pydantic records, no cache); and the reuse must really happen where it can.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from helpers import (
    ACTION,
    MEMBER_CSO,
    MEMBER_GOV,
    PART_GOV,
    TODAY,
    UPDATE,
    DatasetFactory,
    rewrite,
)

from ogpctl.check.fast import cache, parallel
from ogpctl.check.validate import check_dataset
from ogpctl.model.dataset import Settings
from ogpctl.problems import Problem

DAY = date.fromisoformat(TODAY)
NEW_PART = "data/actions/open-contracting/participants/chile.yaml"


def fast(root: Path, day: date = DAY) -> list[Problem]:
    return check_dataset(root, day, records=False)[1].problems


def scratch(root: Path, day: date = DAY) -> list[Problem]:
    return check_dataset(root, day)[1].problems


@pytest.fixture(autouse=True)
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust what was written a moment ago: the tests run faster than timestamps tick."""
    monkeypatch.setattr(cache, "RACY_NS", -60_000_000_000)


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the files checked again, run after run."""
    seen: list[str] = []
    real = parallel.check_files

    def spy(root: Path, keys: list, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        seen.extend(key.path for key in keys)
        return real(root, keys, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "check_files", spy)
    return seen


@pytest.fixture
def root(dataset: DatasetFactory) -> Path:
    # an old cross-file problem in the action file: a leader who does not take part
    path = dataset({PART_GOV: None, UPDATE: None})
    found = {(p.path, p.code) for p in scratch(path)}
    assert found == {(ACTION, "OGP202"), (ACTION, "OGP302"), (MEMBER_GOV, "OGP303")}
    return path


def test_nothing_changed_checks_no_file_again(root: Path, checked: list[str]) -> None:
    expected = fast(root)
    checked.clear()
    assert fast(root) == expected == scratch(root)
    assert checked == []


def test_an_edit_that_keeps_the_facts_moves_the_problem_with_its_line(
    root: Path, checked: list[str]
) -> None:
    before = fast(root)
    checked.clear()
    action = root / ACTION
    rewrite(action, "# a comment\n# and another\n" + action.read_text())
    after = fast(root)
    assert checked == [ACTION]  # the edited file alone
    assert after == scratch(root)
    assert [p.line for p in after] == [p.line + (p.path == ACTION) * 2 for p in before]


def test_an_edit_that_changes_the_facts_runs_the_checks_again(root: Path) -> None:
    fast(root)
    action = root / ACTION
    rewrite(action, action.read_text().replace("government: france", "government: chile"))
    assert fast(root) == scratch(root)
    assert any("'chile' is not a member" in p.message for p in fast(root))


def test_an_edit_that_breaks_a_file(root: Path) -> None:
    fast(root)
    rewrite(root / MEMBER_CSO, "name: [unclosed\n")
    assert fast(root) == scratch(root)
    assert {p.code for p in fast(root)} >= {"OGP005"}


def test_added_and_removed_files(root: Path) -> None:
    fast(root)
    (root / NEW_PART).write_text("joined: 2016-12-07\n")
    assert fast(root) == scratch(root)  # a participant without a member: OGP201
    assert "OGP201" in {p.code for p in fast(root)}
    (root / NEW_PART).unlink()
    (root / MEMBER_GOV).unlink()
    assert fast(root) == scratch(root)


def test_a_file_replaced_by_a_link(root: Path) -> None:
    fast(root)
    member = root / MEMBER_CSO
    target = root / "elsewhere.yaml"
    target.write_text(member.read_text())
    member.unlink()
    member.symlink_to(target)
    assert fast(root) == scratch(root)
    assert "OGP021" in {p.code for p in fast(root)}


def test_another_day_runs_the_checks_again(root: Path) -> None:
    fast(root)
    earlier = date(2017, 1, 1)  # no update is due yet
    assert fast(root, earlier) == scratch(root, earlier)
    assert "OGP302" not in {p.code for p in fast(root, earlier)}
    assert fast(root) == scratch(root)


def test_an_edit_with_the_same_size_and_mtime(dataset: DatasetFactory) -> None:
    """The inode change time still tells the edit apart, as in git's index."""
    root = dataset()
    update = root / UPDATE
    os.utime(update, ns=(0, 0))
    assert fast(root) == []
    text = update.read_text()
    update.write_text(text.replace("completion: limited", "completion: limitex"))
    assert update.stat().st_size == len(text.encode())
    os.utime(update, ns=(0, 0))  # same size, same mtime: only the ctime and content differ
    assert "OGP101" in {p.code for p in fast(root)}
    assert fast(root) == scratch(root)


def test_a_damaged_last_result_is_ignored(root: Path) -> None:
    expected = fast(root)
    last = cache.location(root.resolve()).with_suffix(".last")
    payload = bytearray(last.read_bytes())
    payload[-3] ^= 0xFF
    last.write_bytes(bytes(payload))
    assert fast(root) == expected


def test_the_result_is_kept_beside_the_cache(root: Path) -> None:
    fast(root)
    last = cache.location(root.resolve()).with_suffix(".last")
    assert last.exists()
    assert cache.read(last, cache.stamp(Settings(name="another"))) is None  # other settings
