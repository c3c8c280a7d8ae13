"""The site checked by real tools: the Nu HTML checker on every page, and Debian's chromium
(Selenium and chromedriver) for axe-core, reflow at 320 px, outside requests and the README's
screenshots. `.ci/site-tools` installs them; without them these tests skip (fail if CI=true).

Set OGPCTL_SCREENSHOTS=docs to write the README's screenshots there.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from helpers import BASELINE, build_tree
from hostile import HOSTILE
from sitecheck import AXE, CHROMEDRIVER, CHROMIUM, REPO, VNU, build, java, need
from test_site import FORMER, hostile_files

from ogpctl.render.site import search

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # nothing else resolves
]  # fmt: skip
# one page per template, in each language (the 404 page exists in English only)
TEMPLATES = [
    "", "actions/open-public-procurement/", "members/france/", "members/", "overdue/",
    "themes/digital-commons/", "countries/", "data/", "about/", "search/",
]  # fmt: skip
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The Nu checker runs for seconds, not hours: Java's quick compiler only (half the CPU of
# its optimising one here), with the larger thread stack the checker then needs, and one
# garbage-collector thread
JAVA_FLAGS = ["-XX:TieredStopAtLevel=1", "-Xss2m", "-XX:+UseSerialGC"]


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped dataset's site, its pages linking a repository. This module's folders
    go as it ends, not with the session's, long after the disk has written them."""
    out = tmp_path_factory.mktemp("site") / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(out.parent / "cache"))
        build(REPO, out, repo_url="https://github.com/example/ogp")
    yield out
    shutil.rmtree(out.parent)


class Checked(NamedTuple):
    site: Path
    errors: list[dict[str, Any]]


@pytest.fixture(scope="module")
def nu_checked(
    linked: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Checked]]:
    """The shipped dataset's site, the hostile one's and the one with former ids, each with
    the Nu checker's errors on its pages (and those on no page: the checker's own), from
    one run of the checker: each run of Java costs seconds of CPU before it checks."""
    need(java() is not None and VNU.is_file(), "the Nu HTML checker (java, vnu.jar) is missing")
    folder = tmp_path_factory.mktemp("nu")
    sites = {"shipped": linked, "hostile": folder / "hostile", "former": folder / "former"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        build(build_tree(folder / "h", {**BASELINE, **hostile_files(HOSTILE)}), sites["hostile"])
        build(build_tree(folder / "f", {**BASELINE, **FORMER}), sites["former"],
              base_url="https://ogp.example/")  # fmt: skip
    done = subprocess.run(
        [java() or "java", *JAVA_FLAGS, "-jar", str(VNU), "--errors-only", "--skip-non-html",
         "--format", "json", *map(str, sites.values())],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    messages: list[dict[str, Any]] = json.loads(done.stderr or '{"messages": []}')["messages"]
    pages = [Path(str(m.get("url", "")).removeprefix("file:")) for m in messages]
    yield {
        name: Checked(site, [m for m, page in zip(messages, pages, strict=True)
                             if page.is_relative_to(site) or not page.is_absolute()])
        for name, site in sites.items()
    }  # fmt: skip
    shutil.rmtree(folder)


def test_nu_checker_finds_no_error_on_any_page(nu_checked: dict[str, Checked]) -> None:
    assert nu_checked["shipped"].errors == []


def test_nu_checker_on_the_hostile_site(nu_checked: dict[str, Checked]) -> None:
    assert nu_checked["hostile"].errors == []


def test_nu_checker_on_the_pages_of_former_ids(nu_checked: dict[str, Checked]) -> None:
    assert (nu_checked["former"].site / "members" / "etalab" / "index.html").is_file()
    assert nu_checked["former"].errors == []


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(linked: Path) -> Iterator[str]:
    with serve(linked) as url:
        yield url


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    need(
        CHROMIUM.is_file() and CHROMEDRIVER.is_file(),
        "Debian's chromium or chromedriver is missing",
    )
    need(AXE.is_file(), "axe-core is missing (npm ci in tests/site)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium")
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_window_size(1100, 1400)
    driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})  # to inject axe
    yield driver
    driver.quit()
    shutil.rmtree(profile)


def requested(driver: Any) -> list[str]:
    """Every URL the page asked for since the last call (Chrome's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def outside(urls: list[str], base: str) -> list[str]:
    """Requests that left the loopback server (the browser's own chrome:// pages aside)."""
    own = ("data:", "about:", "chrome:", "chrome-untrusted:", "chrome-search:", "devtools:")
    return [u for u in urls if not u.startswith((base, *own))]


pages = [
    pytest.param(lang + page, id=f"{lang or 'en/'}{page}")
    for lang in ("", "fr/", "es/")
    for page in TEMPLATES
]


def axe_violations(browser: Any) -> list[str]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations: list[str] = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.length + ' ' + v.help)));",
        WCAG,
    )
    return violations


def too_wide(browser: Any, url: str, then: Any = None) -> int:
    """How many pixels wider than a 320-px screen the page at `url` is (after `then`)."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        browser.get(url)
        if then:
            then()
        wide: list[int] = browser.execute_script(
            "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return wide[0] - wide[1]


@pytest.mark.browser
@pytest.mark.parametrize("page", [*pages, pytest.param("404.html", id="404")])
def test_axe_reflow_and_no_outside_request(browser: Any, served: str, page: str) -> None:
    browser.get(served + page)
    assert browser.title and ("Page not found" not in browser.title or page == "404.html")
    assert axe_violations(browser) == []
    excess = too_wide(browser, served + page)
    assert excess <= 0, f"{page} is {excess} px too wide at 320 px"
    assert outside(requested(browser), served) == []


@pytest.mark.browser
def test_a_request_to_another_host_is_seen(browser: Any, served: str) -> None:
    """The negative control: the check above would see a page that asks another host."""
    browser.get(served)
    requested(browser)
    browser.execute_script("fetch('https://example.org/x').catch(() => null);")
    browser.execute_script("return new Promise(r => setTimeout(r, 300));")
    assert outside(requested(browser), served) == ["https://example.org/x"]


# --- search (Pagefind) ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pagefind() -> None:
    need(search.program() is not None, f"Pagefind is missing ({search.INSTALL})")


@contextlib.contextmanager
def own_csp(browser: Any) -> Iterator[None]:
    """The pages' own Content-Security-Policy enforced (the browser fixture bypasses it)."""
    browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": False})
    try:
        yield
    finally:
        browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})


def refused(browser: Any) -> list[str]:
    """What the page's Content-Security-Policy blocked since the last call (console errors)."""
    return [e["message"] for e in browser.get_log("browser") if "Security Policy" in e["message"]]


def searched(browser: Any, words: str, url: str | None = None) -> list[str]:
    """The addresses of the results that the search page (at `url`, or the one open)
    shows for `words`, as a user types them."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    if url:
        browser.get(url)
    wait = WebDriverWait(browser, 30)
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#search input")).send_keys(words)
    found = wait.until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#search .pagefind-ui__result-link") or None
    )
    return [a.get_attribute("href") for a in found]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("page", "words", "expected"),
    [
        ("search/", "Open Public Procurement", "actions/open-public-procurement/"),
        ("search/", "Hivos", "members/hivos/"),
        ("fr/search/", "marchés publics", "fr/actions/open-public-procurement/"),
        ("es/search/", "Hivos", "es/members/hivos/"),
    ],
)
def test_search_finds_an_action_or_a_member(
    browser: Any, served: str, pagefind: None, page: str, words: str, expected: str
) -> None:
    with own_csp(browser):  # what Pagefind needs is allowed on the search page
        refused(browser)
        assert served + expected in searched(browser, words, served + page)
        assert refused(browser) == []
    assert outside(requested(browser), served) == []


@pytest.mark.browser
@pytest.mark.parametrize("language", ["", "fr/"])
def test_search_page_with_results_axe_and_reflow(
    browser: Any, served: str, pagefind: None, language: str
) -> None:
    url = f"{served}{language}search/"
    with own_csp(browser):
        assert searched(browser, "open", url)
        assert axe_violations(browser) == []
        excess = too_wide(browser, url, then=lambda: searched(browser, "open"))
    assert excess <= 0, f"the search page is {excess} px too wide at 320 px"
    assert outside(requested(browser), served) == []


@pytest.mark.browser
def test_the_hostile_sites_search_runs_nothing(
    browser: Any, pagefind: None, dataset, tmp_path: Path
) -> None:
    build(dataset(hostile_files(HOSTILE)), tmp_path / "h")
    with serve(tmp_path / "h") as url:
        requested(browser)
        assert searched(browser, "alert", url + "search/")  # the hostile texts are indexed
        made = browser.execute_script(  # no alert is open, or this would raise
            "return [...document.querySelectorAll('#search script, #search img, "
            "#search iframe, #search [onerror]')].length;"
        )
        assert made == 0
        assert outside(requested(browser), url) == []


@pytest.mark.browser
def test_screenshots(browser: Any, served: str, tmp_path: Path) -> None:
    wanted = os.environ.get("OGPCTL_SCREENSHOTS")
    for name, page in (
        ("site-index.png", ""),
        ("site-action.png", "actions/open-public-procurement/"),
    ):
        browser.set_window_size(1100, 1400)
        browser.get(served + page)
        assert browser.save_screenshot(str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 10_000
        if wanted:
            shutil.copyfile(tmp_path / name, REPO / wanted / name)  # relative: to the repo


def test_the_vendored_world_map_is_the_npm_packages_file() -> None:
    """`render/site/world/SOURCE.md` says the borders are `world-atlas`'s file, unchanged:
    the package that `npm ci` fetches (pinned in tests/site/package-lock.json) is compared."""
    fetched = REPO / "tests" / "site" / "node_modules" / "world-atlas" / "countries-110m.json"
    need(fetched.is_file(), "world-atlas is missing (npm ci in tests/site)")
    vendored = REPO / "src" / "ogpctl" / "render" / "site" / "world" / "countries-110m.json"
    assert vendored.read_bytes() == fetched.read_bytes()
