"""The site's record pages rendered by worker processes (`ogpctl.render.site.workers`):
the same bytes as in one process, and an interrupted or failing build leaves the old site
as it was, no half-written folder and no worker behind."""

from __future__ import annotations

import hashlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import fork_ogpctl, reap
from hostile import HOSTILE
from sitecheck import build
from test_site import hostile_files

from ogpctl.render.site import workers

MEMBERS = 400  # enough pages that a build is still rendering when it is interrupted


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def many_members(count: int = MEMBERS) -> dict[str, str | bytes | None]:
    return {
        f"data/members/member-{i:03}.yaml": f"name: Member {i}\ntype: other\n" for i in range(count)
    }


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for any number of records, two of them, whatever the machine's cores and
    the memory this (test) process holds."""
    monkeypatch.setattr(workers, "MIN_PAGES", 0)
    monkeypatch.setattr(workers, "MEMORY", 2**40)
    monkeypatch.setenv("OGPCTL_WORKERS", "2")


def test_workers_write_the_same_bytes_as_one_process(
    dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = dataset({**hostile_files(HOSTILE), **many_members(40)})
    monkeypatch.setenv("OGPCTL_WORKERS", "1")
    build(root, tmp_path / "one")
    monkeypatch.setattr(workers, "MIN_PAGES", 0)
    monkeypatch.setattr(workers, "MEMORY", 2**40)
    monkeypatch.setenv("OGPCTL_WORKERS", "2")
    build(root, tmp_path / "two")
    one, two = digests(tmp_path / "one"), digests(tmp_path / "two")
    assert len(one) > 150 and one == two


def test_workers_writing_in_place_write_the_same_bytes(
    dataset, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command without search: the workers write their pages in the new folder."""
    root = dataset({**hostile_files(HOSTILE), **many_members(40)})
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09-01")
    monkeypatch.setenv("OGPCTL_WORKERS", "1")
    assert run(root, "site", "-o", str(tmp_path / "one"), "--no-search").exit_code == 0
    monkeypatch.setattr(workers, "MIN_PAGES", 0)
    monkeypatch.setattr(workers, "MEMORY", 2**40)
    monkeypatch.setenv("OGPCTL_WORKERS", "2")
    folders: list[Path | None] = []
    started = workers.Workers.__init__

    def noting(self: workers.Workers, *args: Any, **named: Any) -> None:
        started(self, *args, **named)
        folders.append(self._into)

    monkeypatch.setattr(workers.Workers, "__init__", noting)
    result = run(root, "site", "-o", str(tmp_path / "two"), "--no-search")
    assert result.exit_code == 0, result.stderr
    one, two = digests(tmp_path / "one"), digests(tmp_path / "two")
    assert len(one) > 150 and one == two
    assert f"wrote {tmp_path / 'two'}: {len(one)} files" in result.stderr
    assert len(folders) == 1 and folders[0] is not None  # written in place
    assert folders[0].name.startswith(".two.new.")


def _pid(item: int) -> Iterator[tuple[str, bytes]]:
    yield f"{item}", str(os.getpid()).encode()


@pytest.mark.parametrize(
    ("memory", "processes"), [(2**40, 2), (0, 1)], ids=["memory-to-spare", "memory-short"]
)
def test_workers_only_where_their_copies_fit_in_memory(
    monkeypatch: pytest.MonkeyPatch, memory: int, processes: int
) -> None:
    """Each worker ends up copying what this process holds: with too little memory for
    this process and two copies, the pages are rendered here, one process."""
    monkeypatch.setattr(workers, "MIN_PAGES", 0)
    monkeypatch.setattr(workers, "MEMORY", memory)
    with workers.Workers(list(range(40)), _pid, 2) as pool:
        made = dict(pool.rest())
    assert sorted(made, key=int) == [str(i) for i in range(40)]
    assert len(set(made.values())) == processes
    assert (str(os.getpid()).encode() in made.values()) == (processes == 1)


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in found.read_text().split()] if found.exists() else []


def _interrupt_while_rendering(pid: int, out: Path, workers_too: bool) -> list[int]:
    """Wait until the build at `pid` has workers and a record page in its new folder, then
    send SIGINT (to its workers as well, as Ctrl-C does, if `workers_too`). The workers."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = _children(pid)
        staged = list(out.parent.glob(f".{out.name}.new.*/members/*/index.html"))
        if len(children) == 2 and staged:
            for target in [pid, *children] if workers_too else [pid]:
                os.kill(target, signal.SIGINT)
            return children
        time.sleep(0.002)
    raise AssertionError("the build never got to its record pages")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc for the workers")
@pytest.mark.parametrize("workers_too", [False, True], ids=["parent", "ctrl-c"])
def test_interrupted_build_keeps_the_old_site_and_no_worker(
    dataset, tmp_path: Path, forking: None, workers_too: bool
) -> None:
    root = dataset(many_members())
    out = tmp_path / "site"
    build(root, out)
    before = digests(out)
    log = tmp_path / "log"
    pid = fork_ogpctl(["--root", str(root), "site", "-o", str(out), "--no-search"], log)
    children = _interrupt_while_rendering(pid, out, workers_too)
    returned, said = reap(pid, log)
    assert returned == 130, said
    assert "Traceback" not in said
    assert digests(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == []
    for child in children:
        assert not Path(f"/proc/{child}").exists(), f"worker {child} is left"


def test_a_failing_worker_fails_the_build(
    dataset, run, tmp_path: Path, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in a worker: the build stops as a bug (exit 4) naming it, writes nothing."""
    from ogpctl import site

    def broken(self: site.Site, member: str) -> None:
        raise ValueError(f"no details for {member}")

    monkeypatch.setattr(site.Site, "member_detail", broken)
    result = run(dataset(many_members(20)), "site", "-o", str(tmp_path / "out"), "--no-search")
    assert result.exit_code == 4
    assert "a worker rendering the site failed: ValueError: no details for " in result.stderr
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.glob(".out.*")) == []


def test_record_pages_in_their_shell_are_the_pages_rendered_whole(dataset) -> None:
    """Every action's and member's page put into its kind's shell (`shell.py`), with the
    hostile texts in every field, is the page the template renders whole: the shells all
    passed their check (none fell back to rendering whole)."""
    from datetime import date

    from ogpctl import site
    from ogpctl.check.validate import check_dataset
    from ogpctl.render.site import _Pages, _render, prefix

    root = dataset({**hostile_files(HOSTILE), **many_members(5)})
    loaded, report = check_dataset(root, date(2017, 9, 1))
    assert report.ok, report.problems
    made = site.collect(
        loaded, site.provenance(root, date(2017, 9, 1)), None, "https://g.example/r"
    )
    pages = _Pages(made, searchable=False)
    records = [page for page in pages.every if page[1] in ("action.html", "member.html")]
    shelled = {name: page for record in records for name, page in pages.record(record)}
    assert {key: shell.checked for key, shell in pages.shells.items()} == {
        (template, language): True
        for template in ("action.html", "member.html")
        for language in ("en", "fr", "es")
    }
    for path, template, context in records:
        detail = (
            made.action_detail(context["action"])
            if template == "action.html"
            else made.member_detail(context["member"])
        )
        for language in ("en", "fr", "es"):
            pages._use(language)
            full = prefix(language) + path
            whole = _render(
                pages.env, template, full, path, language, {**pages.common, "detail": detail}
            )
            assert shelled[f"{full}index.html"] == whole, full
