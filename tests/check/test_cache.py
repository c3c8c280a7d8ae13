"""The validation cache and the worker processes never change what validation reports.

The fast path (`records=False`: light records, worker processes, cache) must give exactly
the report of the plain path, whatever the cache holds or however it got there.
"""

from __future__ import annotations

import marshal
import os
import shutil
import struct
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMBER_CSO, MEMBER_GOV, PART_CSO, TODAY, DatasetFactory, Run, rewrite

from ogpctl.check.fast import cache, parallel
from ogpctl.check.load import load
from ogpctl.check.validate import check_dataset
from ogpctl.model.dataset import Settings
from ogpctl.problems import Problem
from ogpctl.store import atomic
from ogpctl.store.config import load_settings

EXAMPLES = Path(__file__).parents[1] / "examples"
CASES = sorted(
    p for kind in ("valid", "invalid") for p in (EXAMPLES / kind).iterdir() if p.is_dir()
)
DAY = date.fromisoformat(TODAY)


def problems(root: Path, *, cache: bool = True, workers: int | None = 1) -> list[Problem]:
    return check_dataset(root, DAY, records=False, cache=cache, workers=workers)[1].problems


def plain(root: Path) -> list[Problem]:
    return check_dataset(root, DAY)[1].problems


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust files written a moment ago (else the racy-clean rule keeps them out)."""
    monkeypatch.setattr(cache, "RACY_NS", -60_000_000_000)


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES", 0)
    monkeypatch.setattr(parallel, "CHUNK", 2)


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache files of many pieces, even for a few files."""
    monkeypatch.setattr(cache, "PIECE", 2)


def cache_file(root: Path) -> Path:
    return cache.location(root.resolve())


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.usefixtures("trusting", "always_parallel", "small_pieces")
def test_same_report_with_and_without_cache_and_workers(case: Path, tmp_path: Path) -> None:
    root = shutil.copytree(case, tmp_path / case.name)
    expected = plain(root)
    assert problems(root, cache=False, workers=1) == expected
    assert problems(root, cache=False, workers=3) == expected
    assert problems(root, workers=2) == expected  # fills the cache
    assert cache_file(root).exists() or not list(root.glob("data/**/*.yaml"))
    assert problems(root, workers=2) == expected  # from the cache
    assert problems(root, workers=1) == expected


@pytest.mark.usefixtures("trusting", "always_parallel")
def test_records_are_filed_in_key_order_however_they_come(dataset: DatasetFactory) -> None:
    """Without the cache, the workers check the files in the order the scan finds them
    (`fr-gov.yaml` before `fr.yaml`, members after actions); the light records are then
    filed as the other paths file them, in the order of their ids."""
    member = "name: France\ntype: national-government\ncountry: FR\n"
    added = {f"data/members/{m}.yaml": member for m in ("fr", "fr-gov", "a-b", "a")}
    added |= {f"data/actions/open-contracting/participants/{m}.yaml": "joined: 2016-12-08\n"
              for m in ("fr", "fr-gov", "a-b", "a")}  # fmt: skip
    root = dataset(added)
    settings = load_settings(root)

    def order(**options: Any) -> tuple[list[str], ...]:
        found, _ = load(root, settings, records=False, **options)
        return list(found.members), [m for p in found.participants.values() for m in p]

    expected = order(workers=1)  # the cache's path: the files checked in key order
    assert expected[0] == sorted(expected[0])
    assert order(cache=False, workers=1) == expected
    assert order(cache=False, workers=3) == expected


@pytest.mark.usefixtures("trusting")
def test_a_change_shows_and_its_revert_hides_its_problem(dataset: DatasetFactory) -> None:
    root = dataset()
    assert problems(root) == []
    member = root / MEMBER_GOV
    original = member.read_text(encoding="utf-8")
    rewrite(member, original.replace("national-government", "national-govrnment"))
    found = problems(root)
    assert [(p.path, p.code) for p in found] == [(MEMBER_GOV, "OGP101")]
    assert found == plain(root)
    rewrite(member, original)
    assert problems(root) == []


@pytest.mark.usefixtures("trusting")
def test_deleting_a_member_shows_the_problems_of_cached_files(dataset: DatasetFactory) -> None:
    root = dataset()
    assert problems(root) == []
    (root / MEMBER_CSO).unlink()
    found = problems(root)
    assert {p.path for p in found} >= {PART_CSO}
    assert found == plain(root)


@pytest.mark.usefixtures("trusting")
def test_touching_a_file_changes_nothing(dataset: DatasetFactory) -> None:
    root = dataset({MEMBER_GOV: "name: France\ntype: national-government\n"})
    before = problems(root)
    assert before
    os.utime(root / MEMBER_GOV)
    assert problems(root) == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: f.write_bytes(b"not a cache at all"),
        lambda f: f.write_bytes(f.read_bytes()[: len(f.read_bytes()) // 2]),
        lambda f: f.write_bytes(f.read_bytes()[:-1] + b"\x00"),
        lambda f: f.write_bytes(b""),
        lambda f: f.unlink(),
    ],
    ids=["garbage", "truncated", "flipped", "empty", "deleted"],
)
@pytest.mark.usefixtures("trusting")
def test_a_damaged_cache_is_ignored_and_rewritten(dataset: DatasetFactory, damage: object) -> None:
    root = dataset({MEMBER_GOV: "name: France\ntype: national-government\n"})
    expected = problems(root)
    last = cache_file(root).with_suffix(".last")  # the last whole result
    for file in (cache_file(root), last):
        damage(file)  # type: ignore[operator]
        assert problems(root) == expected
    assert cache.Cache.open(root.resolve(), load_settings(root))._old  # whole again
    assert cache.read(last, cache.stamp(load_settings(root)))


@pytest.mark.usefixtures("trusting")
def test_a_cache_of_nonsense_behind_a_valid_checksum_is_ignored(dataset: DatasetFactory) -> None:
    root = dataset({MEMBER_GOV: "name: France\ntype: national-government\n"})
    expected = problems(root)
    stamp = cache.stamp(load_settings(root))
    signed = struct.pack("<QqqQ", *cache.signature(os.lstat(root / MEMBER_GOV)))
    for nonsense in (
        struct.pack("<QqqQ", 1, 2, 3, 4) + marshal.dumps(("nonsense",)),
        signed + marshal.dumps(([("x",)], 42)),  # the file's signature, nonsense results
        signed + b"not a marshal",
        "not bytes",
    ):
        pieces = cache.Pieces(cache_file(root), stamp)
        pieces.add(MEMBER_GOV, nonsense)
        pieces.done()
        assert cache.Cache.open(root.resolve(), load_settings(root))._old == {MEMBER_GOV: nonsense}
        assert problems(root) == expected


def test_recent_files_are_not_trusted(dataset: DatasetFactory, tmp_path: Path) -> None:
    """Racy-clean: a file changed within RACY_NS of the run may change again unseen."""
    root = dataset()
    problems(root)
    assert (
        not cache_file(root).exists()
        or not cache.Cache.open(root.resolve(), load_settings(root))._old
    )
    store = cache.Cache(tmp_path / "cache", Settings())
    store.put(
        "a",
        (1, store.started - cache.RACY_NS - 1, store.started - cache.RACY_NS - 1, 1),
        ([], None, None),
    )
    store.put("b", (1, store.started - 5, store.started - cache.RACY_NS - 1, 1), ([], None, None))
    store.put("c", (1, store.started - cache.RACY_NS - 1, store.started, 1), ([], None, None))
    store.save()
    assert list(cache.read_pieces(tmp_path / "cache", store.stamp) or ()) == ["a"]


@pytest.mark.usefixtures("trusting", "small_pieces")
def test_a_validation_that_stops_leaves_the_cache_as_it_was(dataset: DatasetFactory) -> None:
    root = dataset()
    problems(root)
    files = [cache_file(root), cache_file(root).with_suffix(".shown")]
    before = [file.read_bytes() for file in files]
    kept = cache.read_pieces(files[0], cache.stamp(load_settings(root)))
    assert kept is not None and len(kept) > cache.PIECE  # more than one piece
    with pytest.raises(KeyboardInterrupt), cache.Cache.open(root, load_settings(root)) as store:
        for path in kept:
            store.put(path, (1, 1, 1, 1), ([], None, None))  # pieces written meanwhile
        raise KeyboardInterrupt
    assert [file.read_bytes() for file in files] == before
    assert [atomic.temporaries(file) for file in files] == [[], []]
    assert problems(root) == []
    assert cache.read_pieces(files[0], cache.stamp(load_settings(root))) == kept


@pytest.mark.usefixtures("trusting")
def test_what_a_killed_validation_was_writing_is_removed_once_abandoned(
    dataset: DatasetFactory,
) -> None:
    root = dataset()
    problems(root)
    files = [cache_file(root), cache_file(root).with_suffix(".shown")]
    left = [file.parent / f".{file.name}.left{i}.tmp" for file in files for i in (1, 2)]
    for temporary in left:
        temporary.write_bytes(b"half a cache")
    hours_ago = time.time() - 2 * 3600
    for temporary in left[::2]:  # the others: being written by a validation still running
        os.utime(temporary, (hours_ago, hours_ago))
    (root / MEMBER_GOV).write_text("name: France\ntype: civil-society\n", encoding="utf-8")
    problems(root)
    assert [atomic.temporaries(file) for file in files] == [[left[1]], [left[3]]]


@pytest.mark.usefixtures("trusting")
def test_settings_version_and_code_changes_drop_the_cache(
    dataset: DatasetFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = dataset()
    problems(root)
    settings = load_settings(root)
    assert cache.Cache.open(root.resolve(), settings)._old
    other = Settings(name=settings.name, default_language="fr")
    assert not cache.Cache.open(root.resolve(), other)._old
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert not cache.Cache.open(root.resolve(), settings)._old
    monkeypatch.undo()
    monkeypatch.setattr(cache, "_code_stamp", lambda: "changed")
    assert not cache.Cache.open(root.resolve(), settings)._old


def test_the_cache_lives_in_git_else_in_the_user_cache(
    dataset: DatasetFactory, tmp_path: Path
) -> None:
    root = dataset().resolve()
    assert cache.location(root).is_relative_to(Path(os.environ["XDG_CACHE_HOME"]) / "ogpctl")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    assert cache.location(root).parent == root / ".git" / "ogpctl"
    nested = root / "sub"
    nested.mkdir()
    assert cache.location(nested).parent == root / ".git" / "ogpctl"
    assert cache.location(nested) != cache.location(root)


@pytest.mark.usefixtures("trusting")
def test_an_unwritable_cache_folder_only_costs_time(
    dataset: DatasetFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    root = dataset({MEMBER_GOV: "name: France\ntype: national-government\n"})
    assert problems(root) == plain(root)
    assert problems(root) == plain(root)


def test_no_cache_neither_reads_nor_writes(dataset: DatasetFactory, run: Run) -> None:
    root = dataset()
    result = run(root, "validate", "--no-cache")
    assert result.exit_code == 0
    assert not cache_file(root).exists()
    assert run(root, "validate").exit_code == 0


@pytest.mark.usefixtures("trusting")
def test_two_validations_at_once_leave_a_whole_cache(dataset: DatasetFactory) -> None:
    root = dataset({MEMBER_GOV: "name: France\ntype: national-government\n"})
    expected = plain(root)
    probe = (
        "import sys\nfrom ogpctl.check.fast import cache\ncache.RACY_NS = -60_000_000_000\n"
        "from ogpctl.cli import main\nsys.argv = ['ogpctl', '--root', sys.argv[1], 'validate']\n"
        "main()\n"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", probe, str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [r.communicate() for r in runs]
    assert {r.returncode for r in runs} == {1}
    assert len({out for out, _ in outputs}) == 1
    assert cache.Cache.open(root.resolve(), load_settings(root))._old
    assert problems(root) == expected


@pytest.mark.usefixtures("trusting")
def test_unchanged_files_are_not_checked_again(
    dataset: DatasetFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = dataset()
    problems(root)
    checked: list[str] = []
    original = parallel.check_file

    def counting(root: Path, key: object, language: str) -> parallel.Result:
        checked.append(key.path)  # type: ignore[attr-defined]
        return original(root, key, language)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "check_file", counting)
    assert problems(root) == []
    assert checked == []
    rewrite(root / MEMBER_GOV, (root / MEMBER_GOV).read_text(encoding="utf-8") + "# note\n")
    assert problems(root) == []
    assert checked == [MEMBER_GOV]


@pytest.mark.usefixtures("always_parallel")
def test_workers_check_a_second_update_of_the_day_not_the_first(dataset: DatasetFactory) -> None:
    """A worker rebuilds each record's key from what it is sent: the `-2` of a second update
    on one day must survive the trip, or the first update's file is checked twice."""
    second = "data/actions/open-contracting/updates/2017-06-01-france-2.yaml"
    root = dataset({second: "completion: done\nsummary: Corrected figures\n"})
    expected = plain(root)
    assert [(p.path, p.code) for p in expected] == [(second, "OGP101")]
    assert problems(root, cache=False, workers=3) == expected
