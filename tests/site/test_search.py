"""The site's search: Pagefind's index as built (what it holds, in which languages, the same
bytes twice), the build without Pagefind, and a Pagefind that fails. The search in a real
browser is in `test_site_tools.py`."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from sitecheck import REPO, need, parse

from ogpctl.render.site import search


@pytest.fixture
def indexed(shipped: Path) -> Path:
    """The shipped dataset's site, with its search index: Pagefind must be installed."""
    need(search.program() is not None, f"Pagefind is missing ({search.INSTALL})")
    return shipped


def fragments(out: Path) -> list[dict[str, Any]]:
    """What Pagefind stored of each page (its fragments: gzip, then a mark, then JSON)."""
    found = []
    for path in sorted((out / "pagefind" / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return found


def test_one_index_per_language_of_every_action_and_member_page(indexed: Path) -> None:
    entry = json.loads((indexed / "pagefind" / "pagefind-entry.json").read_bytes())
    actions = len(list((REPO / "data" / "actions").iterdir()))
    members = len(list((REPO / "data" / "members").glob("*.yaml")))
    assert list(entry["languages"]) == ["en", "es", "fr"]  # sorted: the same bytes each build
    assert {v["page_count"] for v in entry["languages"].values()} == {actions + members}
    urls = {f["url"] for f in fragments(indexed)}
    assert "/actions/open-public-procurement/" in urls and "/fr/members/hivos/" in urls
    assert all(u.startswith(("/actions/", "/members/", "/fr/", "/es/")) for u in urls)
    assert len(urls) == 3 * (actions + members)  # not the lists, the about page, the search


def test_the_index_holds_the_data_text_not_the_navigation(indexed: Path) -> None:
    pages = {f["url"]: f for f in fragments(indexed)}
    french = pages["/fr/actions/open-public-procurement/"]
    assert french["meta"]["title"].startswith("1. Transparence des marchés publics")
    assert "Hivos" in pages["/actions/open-public-procurement/"]["content"]
    for page in pages.values():
        for chrome in ("Skip to the content", "Atom feed", "Downloads", "Built from"):
            assert chrome not in page["content"], page["url"]


def test_only_the_search_page_has_a_script_and_a_wider_policy(indexed: Path) -> None:
    for language in ("", "fr/", "es/"):
        page = (indexed / f"{language}search" / "index.html").read_text(encoding="utf-8")
        shape = parse(indexed / f"{language}search" / "index.html")
        scripts = [dict(attrs)["src"] for tag, attrs in shape.tags if tag == "script"]
        up = "../" * (1 + language.count("/"))
        assert scripts == [f"{up}pagefind/pagefind-ui.js", f"{up}assets/search.js"]
        assert "<script>" not in page  # none inline
        assert (
            "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'self'; "
            "base-uri 'none'; form-action 'none'"
        ) in page
        assert "<noscript>" in page and f'href="{up}{language}members/"' in page
    assert (indexed / "assets" / "search.js").is_file()
    unused = [p.name for p in (indexed / "pagefind").iterdir() if "component" in p.name]
    assert unused == []  # only the default interface is shipped


def test_the_search_bundle_is_the_same_bytes_twice(indexed: Path, shipped_again: Path) -> None:
    again = shipped_again
    first = {p.relative_to(indexed): p.read_bytes() for p in indexed.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_pagefind_entry_languages_are_sorted() -> None:
    """Pagefind writes them in a varying order (a hash map's): the only file that varies."""
    written = {"version": "1.5.2", "languages": {"fr": {"page_count": 1}, "en": {}}}
    assert search.entry_bytes(written) == (
        b'{"version":"1.5.2","languages":{"en":{},"fr":{"page_count":1}}}'
    )


def test_without_pagefind_the_site_is_built_and_says_so(
    dataset, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("pagefind", "pagefind.service"):
        monkeypatch.setitem(sys.modules, module, None)  # what `import` sees when it is absent
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09-01")
    result = run(dataset(), "site", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert (
        "ogpctl: warning: search left out: Pagefind is not installed "
        "(pip install 'ogpctl[search]'); the search page links the A-Z lists instead"
    ) in result.stderr
    page = (tmp_path / "out" / "search" / "index.html").read_text(encoding="utf-8")
    assert "built without search" in page and "<script" not in page
    assert "default-src 'none'; style-src 'self'; img-src 'self'; base-uri" in page
    for listed in ("../members/", "../", "../countries/"):
        assert f'href="{listed}"' in page
    assert not (tmp_path / "out" / "pagefind").exists()
    assert not (tmp_path / "out" / "assets" / "search.js").exists()


def test_no_search_leaves_the_index_out_even_with_pagefind(
    dataset, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need(search.program() is not None, f"Pagefind is missing ({search.INSTALL})")
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09-01")
    result = run(dataset(), "site", "-o", str(tmp_path / "out"), "--no-search")
    assert result.exit_code == 0, result.stderr
    assert (
        "ogpctl: warning: search left out: --no-search; the search page links the A-Z lists instead"
    ) in result.stderr
    page = (tmp_path / "out" / "search" / "index.html").read_text(encoding="utf-8")
    assert "built without search" in page and "<script" not in page
    assert not (tmp_path / "out" / "pagefind").exists()


def test_a_pagefind_that_fails_leaves_the_site_as_it_was(
    dataset, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need(search.program() is not None, f"Pagefind is missing ({search.INSTALL})")
    root, out = dataset(), tmp_path / "sites" / "out"
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09-01")
    assert run(root, "site", "-o", str(out)).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # a program that fails
    result = run(root, "site", "-o", str(out))
    assert result.exit_code == 3
    assert "Pagefind could not index the site: exit status 1" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # nothing left beside it


def test_a_dataset_without_records_has_no_index_and_says_why(
    dataset, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind refuses to index nothing (exit 1): a new, empty dataset's site still builds."""
    need(search.program() is not None, f"Pagefind is missing ({search.INSTALL})")
    monkeypatch.setenv("OGPCTL_TODAY", "2017-09-01")
    root = dataset({"ogpctl.toml": '[dataset]\nname = "New"\n'}, baseline=False)
    result = run(root, "site", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "search left out: no action or member page to index" in result.stderr
    page = (tmp_path / "out" / "search" / "index.html").read_text(encoding="utf-8")
    assert "built without search" in page and not (tmp_path / "out" / "pagefind").exists()
