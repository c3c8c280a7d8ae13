"""The site's files from a `Site`: HTML pages in every interface language, the Atom feed,
the sitemap, the stylesheet and the downloads. Same `Site`, same bytes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment

from ogpctl.check.fast.parallel import workers_wanted
from ogpctl.export import write_chunks
from ogpctl.render.site import pages, search, worldmap
from ogpctl.render.site.env import (
    LANGUAGES,
    NAMES,
    environment,
    gettext,
    link,
    translations,
)
from ogpctl.render.site.fragments import FRAGMENTS
from ogpctl.render.site.rows import action_rows
from ogpctl.render.site.shell import ID, Shell, top_level
from ogpctl.render.site.workers import Workers
from ogpctl.site import SITE_MARK, Site
from ogpctl.store.scratch import scratch

STYLESHEET = "assets/site.css"
SCRIPT = "assets/search.js"  # the search page's, the site's only script


@dataclass
class Rendered:
    # (path in the site, bytes, a file to move in, or the size of one the workers wrote)
    files: Iterator[tuple[str, bytes | Path | int]]
    warnings: list[str] = field(default_factory=list)
    # the folder the site is being built in, once the writer has made it (`site.write`):
    # the workers write their pages there (unless they are to be indexed for search)
    building: list[Path] = field(default_factory=list)


def prefix(language: str) -> str:
    return "" if language == LANGUAGES[0] else f"{language}/"


def page_list(site: Site) -> list[tuple[str, str, dict[str, Any]]]:
    """(path within a language, template, what the template needs beyond the common): a
    record's page names its record (`action`, `member`), whose details are read when it
    is rendered."""
    found: list[tuple[str, str, dict[str, Any]]] = [
        ("", "index.html", {"themes": pages.themes(site)}),
        ("members/", "members.html", {"by_type": pages.members_by_type(site)}),
        ("overdue/", "overdue.html", {"rows": [r for r in site.status.rows if r.overdue]}),
        ("data/", "data.html", {}),
        ("about/", "about.html", {}),
        ("search/", "search.html", {}),
    ]
    for theme, rows in pages.themes(site).items():
        found.append((f"themes/{theme}/", "theme.html", {"theme": theme, "rows": rows}))
    for action in site.actions:
        found.append((f"actions/{action}/", "action.html", {"action": action}))
    for member in site.members:
        found.append((f"members/{member}/", "member.html", {"member": member}))
    countries = pages.countries(site)
    found.append(
        (
            "countries/",
            "countries.html",
            {
                "countries": countries,
                "others": pages.other_shapes(countries),
                "width": worldmap.WIDTH,
                "height": worldmap.HEIGHT,
            },
        )
    )
    return found


def redirects(site: Site) -> list[tuple[str, str, dict[str, Any]]]:
    """A member's former ids (`formerly`, after a rename or a merge): their old pages lead
    to the member's. Not in the sitemap: the page a search engine should keep is the new."""
    return [
        (f"members/{old}/", "redirect.html", {"old": old, "target": f"members/{member}/"})
        for old, member in sorted(site.former.items())
    ]


def render(site: Site, *, searched: bool = True) -> Rendered:
    """The site's files, each page rendered when the writer asks for it (never all held),
    with the search index when Pagefind is installed (unless not `searched`)."""
    warnings = [
        f"the 1:110m world map lacks {c.code}: it is in the countries page's list only"
        for c in pages.countries(site)
        if c.path is None
    ]
    binary = search.program() if searched else None
    if binary is None or not (site.actions or site.members):
        why = (
            "no action or member page to index"
            if binary is not None
            else search.missing()
            if searched
            else "--no-search"
        )
        warnings.append(f"search left out: {why}; the search page links the A-Z lists instead")
        building: list[Path] = []
        return Rendered(_files(site, False, building), warnings, building)
    folders = [prefix(language).rstrip("/") for language in LANGUAGES[1:]]
    return Rendered(search.indexed(_files(site, True, []), binary, folders), warnings)


_RECORD_PAGES = ("action.html", "member.html")
_OWN = ("data.html",)  # made by this process, after the downloads it lists


def _files(
    site: Site, searchable: bool, building: list[Path]
) -> Iterator[tuple[str, bytes | Path | int]]:
    """The site's files: those that grow with the dataset (the downloads, the feed) as
    files written in a scratch folder, to be moved into the site; the pages as bytes. The
    pages come from the workers (`workers.py`) as they are made (or, written by them in
    the `building` folder, their sizes), handed on between the files this process makes
    meanwhile: the downloads, then the pages that list them, the 404 page and the feed."""
    try:
        with scratch("site") as folder:
            pages = _Pages(site, searchable)
            shared = [page for page in [*pages.every, *redirects(site)] if page[1] not in _OWN]
            into = building[0] if building else None
            with Workers(shared, pages.page, workers_wanted(), into) as workers:
                for made in itertools.chain(site.handed_over(folder), pages.own(folder)):
                    yield made  # first the downloads: the pages never need their bytes
                    yield from workers.ready()
                yield from workers.rest()
            yield from pages.last()
    finally:
        site.close()


class _Pages:
    """The pages, rendered by one environment with every language's globals at hand."""

    def __init__(self, site: Site, searchable: bool) -> None:
        self.site = site
        self.searchable = searchable
        self.env = env = environment()
        env.globals.update(FRAGMENTS, action_rows=action_rows)
        self.every = page_list(site)
        self.common: dict[str, Any] = {
            "site": site,
            "languages": LANGUAGES,
            "language_names": NAMES,
            "changed": site.provenance.changed,
            "p": pages,
            "today": site.provenance.today,
            "searchable": searchable,
        }
        # the fragments' pieces in each language (names, titles…), kept while pages are made
        self.memos: dict[str, dict[Any, Any]] = {language: {} for language in LANGUAGES}
        self.installed = {}
        self.shells: dict[tuple[str, str], Shell] = {}  # (template, language) → its shell
        for language in LANGUAGES:
            _install(env, language)
            self.installed[language] = dict(env.globals)
        if site.actions:  # the rows by id, made before the workers are forked
            site.row(next(iter(site.actions)))

    def _use(self, language: str) -> None:
        self.env.globals.clear()
        self.env.globals.update(self.installed[language])
        self.common["memo"] = self.memos[language]

    def own(self, folder: Path) -> Iterator[tuple[str, bytes | Path]]:
        """The pages that list the downloads (made by this process, first), the 404 page
        and the feed."""
        env, common, site = self.env, self.common, self.site
        for page in self.every:
            if page[1] in _OWN:
                yield from self.page(page)
        self._use(LANGUAGES[0])
        yield (
            "404.html",
            _render(env, "404.html", "404.html", "404.html", LANGUAGES[0], common, absolute=True),
        )
        feed = {**common, "entries": pages.feed(site)}
        yield "feed.xml", _render(
            env, "feed.xml", "feed.xml", "feed.xml", LANGUAGES[0], feed,
            absolute=True, into=folder / "feed.xml",
        )  # fmt: skip

    def page(self, page: tuple[str, str, dict[str, Any]]) -> Iterator[tuple[str, bytes]]:
        """A page in every language."""
        path, template, context = page
        if template in _RECORD_PAGES:
            yield from self.record(page)
            return
        for language in LANGUAGES:
            self._use(language)
            full = prefix(language) + path
            made = _render(self.env, template, full, path, language, {**self.common, **context})
            assert isinstance(made, bytes)
            yield f"{full}index.html", made

    def record(self, page: tuple[str, str, dict[str, Any]]) -> Iterator[tuple[str, bytes]]:
        """A record's page in every language in turn: its details are read once, and the
        page put in its kind's shell (`shell.py`)."""
        path, template, context = page
        if template == "action.html":
            ident = context["action"]
            detail: Any = self.site.action_detail(ident)
        else:
            ident = context["member"]
            detail = self.site.member_detail(ident)
        names = top_level(template, detail, self.site)
        base = self.site.base_url
        for language in LANGUAGES:
            self._use(language)
            full = prefix(language) + path
            found = {**self.common, "detail": detail}

            def whole() -> bytes:
                made = _render(self.env, template, full, path, language, found)  # noqa: B023
                assert isinstance(made, bytes)
                return made

            shell = self.shells.get((template, language))
            if shell is None:
                blank = path.replace(f"/{ident}/", f"/{ID}/")
                shell = self.shells[template, language] = Shell(
                    self.env,
                    template,
                    {
                        **found,
                        **names,
                        **_variables(base, prefix(language) + blank, blank, language),
                    },
                )
            variables = _variables(base, full, path, language)
            yield f"{full}index.html", shell.page(ident, {**found, **names, **variables}, whole)

    def last(self) -> Iterator[tuple[str, bytes | Path]]:
        """The sitemap, the stylesheet, the script, the site's mark."""
        sitemap = [prefix(lang) + path for lang in LANGUAGES for path, _, _ in self.every]
        yield "sitemap.xml", _render(
            self.env, "sitemap.xml", "sitemap.xml", "sitemap.xml", LANGUAGES[0],
            {**self.common, "paths": sitemap}, absolute=True,
        )  # fmt: skip
        yield STYLESHEET, resources.files(__package__).joinpath("static/site.css").read_bytes()
        if self.searchable:
            yield SCRIPT, resources.files(__package__).joinpath("static/search.js").read_bytes()
        yield SITE_MARK, b""


def _install(env: Environment, language: str) -> None:
    found = translations(language)
    env.install_gettext_translations(found, newstyle=True)  # type: ignore[attr-defined]
    env.globals["translate"] = found.gettext
    env.globals["_"] = gettext(language)  # what Jinja2's `_` does, without its three calls


def _render(
    env: Environment,
    template: str,
    full: str,
    path: str,
    language: str,
    context: dict[str, Any],
    *,
    absolute: bool = False,
    into: Path | None = None,
) -> bytes | Path:
    """The page's bytes; or, `into` a file, written as the template makes it."""
    variables = _variables(context["site"].base_url, full, path, language, absolute)
    made = env.get_template(template)
    if into is None:
        return made.render(context, **variables).encode()
    return write_chunks(made.generate(context, **variables), into)


def _variables(
    base: str | None, full: str, path: str, language: str, absolute: bool = False
) -> dict[str, Any]:
    """What a page's templates know of the page: its language, its path (`full`: with its
    language's folder), how it links (`url`), its stylesheet's address."""

    def url(target: str, lang: str | None = None, *, canonical: bool = False) -> str:
        """`target`'s address from this page: relative, unless the page is `absolute` or
        the link `canonical` and the site has a base URL."""
        return link(
            full, prefix(lang or language) + target, base if absolute or canonical else None
        )

    return {
        "lang": language, "path": path, "full": full, "url": url,
        "stylesheet": url(STYLESHEET, "en"),
    }  # fmt: skip
