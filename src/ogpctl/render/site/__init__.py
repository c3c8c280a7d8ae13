"""The site's files from a `Site`: HTML pages in every interface language, the Atom feed,
the sitemap, the stylesheet and the downloads. Same `Site`, same bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment

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
from ogpctl.site import SITE_MARK, Site
from ogpctl.store.scratch import scratch

STYLESHEET = "assets/site.css"
SCRIPT = "assets/search.js"  # the search page's, the site's only script


@dataclass
class Rendered:
    files: Iterator[tuple[str, bytes | Path]]  # (path in the site, bytes or a file to move in)
    warnings: list[str] = field(default_factory=list)


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
        return Rendered(_files(site, searchable=False), warnings)
    folders = [prefix(language).rstrip("/") for language in LANGUAGES[1:]]
    return Rendered(search.indexed(_files(site, searchable=True), binary, folders), warnings)


_RECORD_PAGES = ("action.html", "member.html")


def _files(site: Site, *, searchable: bool) -> Iterator[tuple[str, bytes | Path]]:
    """The site's files: those that grow with the dataset (the downloads, the feed) as
    files written in a scratch folder, to be moved into the site; the pages as bytes."""
    try:
        with scratch("site") as folder:
            yield from site.handed_over(folder)  # first: the pages never need their bytes
            yield from _pages(site, searchable, folder)
    finally:
        site.close()


def _pages(site: Site, searchable: bool, folder: Path) -> Iterator[tuple[str, bytes | Path]]:
    env = environment()
    env.globals.update(FRAGMENTS, action_rows=action_rows)
    every = page_list(site)
    common = {
        "site": site,
        "languages": LANGUAGES,
        "language_names": NAMES,
        "changed": site.provenance.changed,
        "p": pages,
        "today": site.provenance.today,
        "searchable": searchable,
    }
    # the fragments' pieces in each language (names, titles…), kept while pages are made
    memos: dict[str, dict[Any, Any]] = {language: {} for language in LANGUAGES}
    installed = {}
    for language in LANGUAGES:
        _install(env, language)
        installed[language] = dict(env.globals)
        common["memo"] = memos[language]
        for path, template, context in [*every, *redirects(site)]:
            if template in _RECORD_PAGES:
                continue
            full = prefix(language) + path
            page = _render(env, template, full, path, language, {**common, **context})
            yield f"{full}index.html", page
        if language == LANGUAGES[0]:
            yield (
                "404.html",
                _render(env, "404.html", "404.html", "404.html", language, common, absolute=True),
            )
            yield "feed.xml", _render(
                env, "feed.xml", "feed.xml", "feed.xml", language,
                {**common, "entries": pages.feed(site)}, absolute=True, into=folder / "feed.xml",
            )  # fmt: skip
    # a record's pages in every language in turn: its details are read once
    details: dict[str, Callable[[str], Any]] = {
        "action.html": site.action_detail,
        "member.html": site.member_detail,
    }
    for path, template, context in every:
        if template not in _RECORD_PAGES:
            continue
        detail = details[template](context["action" if template == "action.html" else "member"])
        for language in LANGUAGES:
            env.globals.clear()
            env.globals.update(installed[language])
            common["memo"] = memos[language]
            full = prefix(language) + path
            page = _render(env, template, full, path, language, {**common, "detail": detail})
            yield f"{full}index.html", page
    sitemap = [prefix(lang) + path for lang in LANGUAGES for path, _, _ in every]
    yield "sitemap.xml", _render(
        env, "sitemap.xml", "sitemap.xml", "sitemap.xml", LANGUAGES[0],
        {**common, "paths": sitemap}, absolute=True,
    )  # fmt: skip
    yield STYLESHEET, resources.files(__package__).joinpath("static/site.css").read_bytes()
    if searchable:
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
    base = context["site"].base_url

    def url(target: str, lang: str | None = None, *, canonical: bool = False) -> str:
        """`target`'s address from this page: relative, unless the page is `absolute` or
        the link `canonical` and the site has a base URL."""
        return link(
            full, prefix(lang or language) + target, base if absolute or canonical else None
        )

    variables = {"lang": language, "path": path, "full": full, "url": url}
    made = env.get_template(template)
    if into is None:
        return made.render(context, **variables, stylesheet=url(STYLESHEET, "en")).encode()
    return write_chunks(made.generate(context, **variables, stylesheet=url(STYLESHEET, "en")), into)
