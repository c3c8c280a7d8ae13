"""The last export of each format is kept, and copied when nothing changed since
(`check.fast.kept`), by the full command and by the plain one (`export_plain`, without
typer): the same bytes, "wrote" lines and exit code as an export made from the records;
never after a change (even one that keeps a file's size and mtime), for another question,
another day, or from a damaged copy."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import MEMBER_GOV, REPO, Result, Run, run_plain

from ogpctl import __main__ as entry
from ogpctl.check.fast import cache, rowcache
from ogpctl.export_plain import options

FORMATS = {  # format: its options, and the files it writes (relative to the tmp folder)
    "json": (["--format", "json", "-o", "{out}/x.json"], ["x.json"]),
    "csv": (
        ["-f", "csv", "-o", "{out}/csv"],
        [f"csv/{n}" for n in ("members.csv", "actions.csv", "participants.csv", "updates.csv")]
        + ["csv/datapackage.json"],
    ),
    "sqlite": (["--format=sqlite", "--metadata", "-o", "{out}/x.db"], ["x.db", "x.metadata.json"]),
    "markdown": (["--format", "markdown", "--lang", "fr", "-o", "{out}/x.md"], ["x.md"]),
}


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    root = tmp_path / "shipped"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "ogpctl.toml", root)
    return root


def plain(argv: list[str]) -> Result | None:
    return run_plain(entry._plain_export, argv)


def _outputs(folder: Path, names: list[str]) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in names}


def _exporter(run: Run, root: Path, tmp_path: Path, name: str) -> Callable[[str], Result]:
    arguments, _ = FORMATS[name]

    def export(out: str) -> Result:
        (tmp_path / out).mkdir(exist_ok=True)
        return run(root, "export", *(a.format(out=tmp_path / out) for a in arguments))

    return export


@pytest.mark.parametrize("name", FORMATS)
def test_an_unchanged_dataset_s_export_is_copied(
    name: str, shipped: Path, tmp_path: Path, run: Run, parsed: Counter[str], trusted: None
) -> None:
    export, names = _exporter(run, shipped, tmp_path, name), FORMATS[name][1]
    first = export("first")
    assert first.exit_code == 0
    parsed.clear()
    second = export("second")  # from the kept export: nothing parsed
    assert parsed == Counter()
    assert (second.exit_code, second.stdout) == (0, "")
    assert second.stderr == first.stderr.replace("/first/", "/second/")
    assert _outputs(tmp_path / "second", names) == _outputs(tmp_path / "first", names)
    argv = ["--root", str(shipped), "export"]
    argv += [a.format(out=tmp_path / "third") for a in FORMATS[name][0]]
    third = plain(argv)  # without typer
    assert third is not None and third.exit_code == 0
    assert third.stderr == first.stderr.replace("/first/", "/third/")
    assert _outputs(tmp_path / "third", names) == _outputs(tmp_path / "first", names)
    shutil.rmtree(cache.location(shipped).parent)  # made again from the records
    assert export("fresh").exit_code == 0
    assert _outputs(tmp_path / "fresh", names) == _outputs(tmp_path / "first", names)


def test_the_text_on_stdout_is_copied_too(
    shipped: Path, run: Run, parsed: Counter[str], trusted: None
) -> None:
    first = run(shipped, "export", "--format", "markdown")
    parsed.clear()
    assert run(shipped, "export", "--format", "markdown") == first
    assert parsed == Counter()
    again = plain(["export", "--root", str(shipped), "-f", "markdown", "-o", "-"])
    assert again is not None and (again.exit_code, again.stdout) == (0, first.stdout)
    assert plain(["--root", str(shipped), "export"]) is None  # json: none kept yet


def test_a_file_changed_keeping_its_size_and_mtime_is_exported_again(
    shipped: Path, run: Run, tmp_path: Path
) -> None:
    """Its files were written just now: within the racy window, none is trusted."""
    out = tmp_path / "x.json"
    assert run(shipped, "export", "-o", str(out)).exit_code == 0
    path = shipped / MEMBER_GOV
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("France", "Franca"), encoding="utf-8")  # the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert plain(["--root", str(shipped), "export", "-o", str(out)]) is None
    assert run(shipped, "export", "-o", str(out)).exit_code == 0
    assert "Franca" in out.read_text(encoding="utf-8")


def test_a_change_a_day_or_another_question_is_not_answered_from_it(
    shipped: Path, run: Run, tmp_path: Path, trusted: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "x.md"
    run(shipped, "export", "-f", "markdown", "-o", str(out))
    english = out.read_bytes()
    run(shipped, "export", "-f", "markdown", "--lang", "fr", "-o", str(out))
    assert out.read_bytes() != english
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09-02")
    assert plain(["--root", str(shipped), "export", "-f", "markdown", "-o", str(out)]) is None
    run(shipped, "export", "-f", "markdown", "-o", str(out))
    assert b"2017-09-02" in out.read_bytes()
    (shipped / MEMBER_GOV).write_text("name: [\n", encoding="utf-8")
    broken = run(shipped, "export", "-f", "markdown", "-o", str(out))
    assert broken.exit_code == 1 and "an export must lose nothing" in broken.stderr


def test_a_damaged_copy_is_not_used(
    shipped: Path, run: Run, tmp_path: Path, parsed: Counter[str], trusted: None
) -> None:
    out = tmp_path / "x.json"
    run(shipped, "export", "-o", str(out))
    good = out.read_bytes()
    folder = cache.location(shipped).with_suffix(".exports") / "json"
    [part] = [f for f in folder.iterdir() if len(f.name) == 32]
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0x20
    part.write_bytes(bytes(data))
    assert plain(["--root", str(shipped), "export", "-o", str(out)]) is None
    parsed.clear()
    again = run(shipped, "export", "-o", str(out))
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", f"wrote {out}\n")
    assert out.read_bytes() == good
    assert parsed == Counter()  # the rows came from the row cache
    assert [f.read_bytes() for f in folder.iterdir() if len(f.name) == 32] == [good]  # kept again


def test_a_killed_exports_copy_is_removed_by_the_next(shipped: Path, run: Run) -> None:
    folder = cache.location(shipped).with_suffix(".exports") / "json"
    folder.mkdir(parents=True)
    gone, alive = folder / ".999999999.1.tmp", folder / f".{os.getppid()}.1.tmp"
    for file in (gone, alive):
        file.write_bytes(b"half")
    assert run(shipped, "export", "-o", str(shipped.parent / "x.json")).exit_code == 0
    assert not gone.exists() and alive.exists()


@pytest.mark.parametrize(
    ("argv", "found"),
    [
        (["export"], {}),
        (["--root", "r", "export", "-o", "-"], {"root": "r", "output": "-"}),
        (["export", "--format=csv", "--output=o", "--no-color"], {"format": "csv", "output": "o"}),
        (
            ["export", "-f", "sqlite", "-o", "o", "--metadata"],
            {"format": "sqlite", "output": "o", "metadata": "yes"},
        ),
        (["export", "--lang", "fr", "--root", "r"], {"lang": "fr", "root": "r"}),
        (["export", "-f", "yaml"], None),
        (["export", "-o"], None),
        (["export", "-o", "a", "-o", "b"], None),
        (["-o", "a", "export"], None),
        (["export", "--help"], None),
        (["status"], None),
        (["export", "x"], None),
    ],
)
def test_plain_options(argv: list[str], found: dict[str, str] | None) -> None:
    assert options(argv) == found


def test_a_kept_export_needs_the_row_cache_it_followed(
    shipped: Path, run: Run, tmp_path: Path, trusted: None
) -> None:
    out = tmp_path / "x.json"
    run(shipped, "export", "-o", str(out))
    argv = ["--root", str(shipped), "export", "-o", str(out)]
    assert plain(argv) is not None
    rowcache.location(shipped).unlink()
    assert plain(argv) is None
