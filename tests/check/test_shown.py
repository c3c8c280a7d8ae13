"""`status` and `members` read the validation cache (`load_shown`), not every file.

What they show from the cached light records must be exactly what they show from the
full records of the valid files, cold or warm, and an edit must show at once.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from helpers import ACTION, MEMBER_GOV, TODAY, DatasetFactory, rewrite

from ogpctl import members, status
from ogpctl.check import validate
from ogpctl.check.fast import cache, parallel, warm
from ogpctl.check.load import load_shown
from ogpctl.check.validate import check_dataset
from ogpctl.errors import NotFound
from ogpctl.model.dataset import Shown
from ogpctl.store.config import load_settings

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "tests" / "examples"
CASES = [
    REPO,
    *sorted(p for kind in ("valid", "invalid") for p in (EXAMPLES / kind).iterdir() if p.is_dir()),
]
DAY = date.fromisoformat(TODAY)


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust files written a moment ago (else the racy-clean rule keeps them out)."""
    monkeypatch.setattr(cache, "RACY_NS", -60_000_000_000)


def copied(case: Path, root: Path) -> Path:
    """`case` (the shipped dataset: its data and settings only) copied to `root`."""
    if case == REPO:
        shutil.copytree(case / "data", root / "data")
        shutil.copy(case / "ogpctl.toml", root)
    else:
        shutil.copytree(case, root)
    return root


def shown(dataset: Shown) -> tuple[object, ...]:
    language = dataset.settings.default_language
    every = status.status(dataset, DAY, language)
    overdue = status.status(dataset, DAY, "fr", status.Filters(overdue=True))
    return every, overdue, members.members(dataset, language)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name if p != REPO else "shipped")
@pytest.mark.usefixtures("trusting")
def test_shown_from_the_cache_as_from_the_full_records(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "PIECE", 2)  # what is shown, read in many pieces
    root = tmp_path / "case"
    if case == REPO:  # the shipped dataset: its records and settings
        shutil.copytree(case / "data", root / "data")
        shutil.copy(case / "ogpctl.toml", root)
    else:
        shutil.copytree(case, root)
    monkeypatch.setattr(parallel, "MIN_FILES", 0)  # the workers too
    full, _ = check_dataset(root, DAY)
    expected = shown(full)
    settings = load_settings(root)
    assert shown(load_shown(root, settings, workers=2)) == expected  # cold: fills the cache
    assert cache.location(root).exists() or not list(root.glob("data/**/*.yaml"))
    assert shown(load_shown(root, settings, workers=1)) == expected  # warm
    _, report = check_dataset(root, DAY, records=False)  # its files: no second folder scan
    assert shown(load_shown(root, settings, files=report.files)) == expected


def test_files_not_all_records_are_scanned_for(dataset: DatasetFactory) -> None:
    """A list of files that are not every record file (a stray name) is not trusted."""
    root = dataset()
    settings = load_settings(root)
    expected = shown(load_shown(root, settings))
    assert shown(load_shown(root, settings, files=[ACTION, "data/stray.txt"])) == expected


@pytest.mark.usefixtures("trusting")
def test_an_edit_shows_at_once(dataset: DatasetFactory) -> None:
    root = dataset()
    settings = load_settings(root)
    before = load_shown(root, settings).actions["open-contracting"].record.title
    text = (root / ACTION).read_text(encoding="utf-8")
    rewrite(root / ACTION, text.replace("title:", "title:\n  fr: Contrats ouverts\n  x-old:", 1))
    assert load_shown(root, settings).actions == {}  # now invalid: not shown
    rewrite(root / ACTION, text.replace("title:\n", "title:\n  fr: Contrats ouverts\n", 1))
    title = load_shown(root, settings).actions["open-contracting"].record.title
    assert title["fr"] == "Contrats ouverts" and title != before
    rewrite(root / MEMBER_GOV, "name: France\ntype: civil-society\n")
    assert load_shown(root, settings).members["france"].record.type == "civil-society"


@pytest.mark.parametrize("case", CASES[:4], ids=lambda p: p.name if p != REPO else "shipped")
@pytest.mark.usefixtures("trusting")
def test_what_is_shown_is_read_from_its_own_file_not_the_whole_cache(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copied(case, tmp_path / "case")
    _, report = check_dataset(root, DAY, records=False)  # fills the cache, and what is shown
    settings = load_settings(root)
    kept = cache.location(root).with_suffix(".shown")
    assert kept.exists()
    expected = shown(check_dataset(root, DAY)[0])
    opened: list[Path] = []
    real = cache.Cache.open.__func__  # type: ignore[attr-defined]

    def spy(cls: type[cache.Cache], at: Path, *args: object) -> cache.Cache:
        opened.append(at)
        return real(cls, at, *args)  # type: ignore[no-any-return]

    monkeypatch.setattr(cache.Cache, "open", classmethod(spy))
    assert shown(load_shown(root, settings, files=report.files)) == expected
    assert opened == []  # the whole cache was not read
    data = kept.read_bytes()
    kept.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))  # damaged: the whole cache instead
    assert shown(load_shown(root, settings, files=report.files)) == expected
    assert opened == [root]


@pytest.mark.usefixtures("trusting")
def test_a_file_changed_since_it_was_validated_is_read_again(dataset: DatasetFactory) -> None:
    root = dataset()
    _, report = check_dataset(root, DAY, records=False)
    rewrite(root / MEMBER_GOV, "name: République\ntype: civil-society\n")
    dataset_now = load_shown(root, load_settings(root), files=report.files)
    assert dataset_now.members["france"].record.type == "civil-society"
    assert dataset_now.members["france"].record.name == {"en": "République"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name if p != REPO else "shipped")
@pytest.mark.usefixtures("trusting")
def test_a_first_validation_shows_what_it_checked(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check_shown`: cold, what `show` makes of the records the validation built; warm,
    nothing (`load_shown` reads what the cache keeps); the same records, and the same
    report, either way."""
    root = copied(case, tmp_path / "case")
    monkeypatch.setattr(parallel, "MIN_FILES", 0)  # the workers too
    expected = shown(check_dataset(root, DAY)[0])
    settings = load_settings(root)
    made, report = validate.check_shown(root, DAY, settings, shown)
    assert made == expected
    scratch = check_dataset(root, DAY, records=False, cache=False)[1]
    assert (report.problems, sorted(report.files)) == (scratch.problems, sorted(scratch.files))
    made, warm_report = validate.check_shown(root, DAY, settings, shown)  # nothing changed
    assert made is None and warm_report == report
    assert shown(load_shown(root, settings, files=report.files)) == expected


@pytest.mark.usefixtures("trusting")
def test_what_show_raises_is_raised_once_the_result_is_kept(dataset: DatasetFactory) -> None:
    root = dataset()
    asked: list[Shown] = []

    def refuse(made: Shown) -> None:
        asked.append(made)
        raise NotFound("no member 'x'")

    with pytest.raises(NotFound, match="no member 'x'"):
        validate.check_shown(root, DAY, load_settings(root), refuse)
    assert len(asked) == 1  # asked once: not again from a validation without the cache
    assert warm.unchanged(root, load_settings(root), DAY) is not None  # the result was kept
