"""`ogpctl site` renders its pages in worker processes on a large dataset: the same bytes
as in one process."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitecheck import REPO, build

from ogpctl.render.site import workers


def files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.skipif(not workers._can_fork(), reason="no fork on this system")
def test_pages_from_workers_are_the_bytes_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OGPCTL_WORKERS", "1")
    build(REPO, tmp_path / "one")
    monkeypatch.setenv("OGPCTL_WORKERS", "2")
    monkeypatch.setattr(workers, "MIN_PAGES", 0)  # the shipped dataset is small
    monkeypatch.setattr(workers, "CHUNK", 7)  # several tasks per language
    build(REPO, tmp_path / "two")
    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [p for p in one if one[p] != two[p]] == []


def test_every_page_once_in_order_whatever_the_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OGPCTL_WORKERS", "2")
    monkeypatch.setattr(workers, "MIN_PAGES", 0)
    monkeypatch.setattr(workers, "CHUNK", 3)
    pages = [(f"p{i}/", "t.html", {}) for i in range(10)]
    done = list(workers.rendered(_render, ["en", "fr"], pages))
    assert done == [(f"{lang}/p{i}/", lang.encode()) for lang in ("en", "fr") for i in range(10)]


def _render(language: str, page: workers.Page) -> tuple[str, bytes]:
    return f"{language}/{page[0]}", language.encode()
