"""What the site's tests share: building a site, reading its HTML, finding the real tools.

The tools (Java with the Nu HTML checker, Debian's chromium and chromedriver, axe-core)
are installed by `.ci/site-tools`. Where one is missing the test skips with the reason,
except under `CI=true`, where it fails: CI must run them.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ogpctl import site
from ogpctl.check.validate import check_dataset
from ogpctl.render.site import Rendered, render

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "tests" / "site" / "node_modules"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = TOOLS / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def need(present: bool, reason: str) -> None:
    """Skip without the tool; fail under CI=true, where every tool must be there."""
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: run .ci/site-tools first)")
    pytest.skip(f"{reason}: run .ci/site-tools to install it")


def java() -> str | None:
    return shutil.which("java")


def build(root: Path, out: Path, today: date = date(2017, 9, 1), **urls: str | None) -> Rendered:
    """The site of the (valid) dataset at `root`, written to `out`."""
    found = site.provenance(root, today)
    dataset, report = check_dataset(root, today)
    assert report.ok, report.problems
    rendered = render(site.collect(dataset, found, urls.get("base_url"), urls.get("repo_url")))
    site.write(out, rendered.files)
    return rendered


@dataclass
class Page(HTMLParser):
    """One HTML page, parsed: its elements with their attributes, links and ids."""

    tags: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def links(self) -> list[str]:
        return [v for _, attrs in self.tags for k, v in attrs if k in ("href", "src") and v]

    def ids(self) -> set[str]:
        return {v for _, attrs in self.tags for k, v in attrs if k == "id" and v}

    def shape(self) -> set[tuple[str, str]]:
        """Every (element, attribute name) pair, and (element, "") for each element."""
        return {(t, "") for t, _ in self.tags} | {
            (t, k) for t, attrs in self.tags for k, _ in attrs
        }


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def broken_links(out: Path) -> list[str]:
    """Local links that lead nowhere: file or folder missing, or `#id` not on the page."""
    broken = []
    pages = {path: parse(path) for path in html_files(out)}
    for path, page in pages.items():
        for link in page.links():
            if link.startswith(("http://", "https://", "mailto:")):
                continue
            target, _, anchor = link.partition("#")
            resolved = (path.parent / target).resolve() if target else path
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.is_file() or out.resolve() not in resolved.parents:
                broken.append(f"{path.relative_to(out)}: {link}")
            elif anchor and resolved in pages and anchor not in pages[resolved].ids():
                broken.append(f"{path.relative_to(out)}: {link} (no such id)")
    return broken
