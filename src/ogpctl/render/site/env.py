"""The Jinja2 environment of the site: escaping, inert text, languages, links, dates.

Every value from the data is untrusted. Autoescaping is on for HTML, SVG and XML; undefined
names are errors; `finalize` passes every plain `str` through `inert` (control and bidi
characters become visible escapes). Localised data text goes through `loc` (and names
through `name`, inside `<bdi>`), which escape and make inert themselves and mark text
that falls back to another language with its `lang`.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Callable
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from markupsafe import Markup, escape

from ogpctl.inert import inert
from ogpctl.render.site.labels import LABELS, ONE

LANGUAGES = ("en", "fr", "es")  # of the interface; the first is the site's root
NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def safe_text(value: Any) -> Any:
    """Jinja2's `finalize`: plain strings (data) made inert; Markup (ours) left alone."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return inert(value, keep_newlines=True)
    return value


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue of `language`, compiled from its committed .po file in memory."""
    if language == LANGUAGES[0]:
        return NullTranslations()
    po = resources.files(__package__).joinpath(f"locale/{language}/LC_MESSAGES/messages.po")
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


@cache
def gettext(language: str) -> Callable[..., Markup]:
    """The interface's `_()` in `language`, as Jinja2's new-style gettext with autoescaping:
    the message is trusted markup, the values put into it are escaped."""
    message = cache(lambda text: Markup(translations(language).gettext(text)))
    constant = cache(lambda text: message(text) % {})  # a message without values

    def translate(text: str, **variables: Any) -> Markup:
        return message(text) % variables if variables else constant(text)

    return translate


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ogpctl.render.site", "templates"),
        autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        finalize=safe_text,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates are the package's: no need to look at them again
    )
    env.filters.update(
        loc=localised, plain=plain, name=name, day=day, label=label, one=one_label, pct=percent
    )
    return env


def pick(text: dict[str, str] | None, language: str, fallback: str) -> tuple[str, str]:
    """(text, its language): in `language` if the record has it, else the data's default."""
    if not text:
        return "", language
    for code in (language, fallback, *sorted(text)):
        if code in text:
            return text[code], code
    raise AssertionError("unreachable")


def wrap(element: str, text: str, language: str, page: str) -> Markup:
    inner = escape(inert(text, keep_newlines=True))
    if language == page:
        return inner if element == "span" else Markup(f"<{element}>{inner}</{element}>")
    return Markup(f'<{element} lang="{escape(language)}">{inner}</{element}>')


def _page_language(context: Any) -> tuple[str, str]:
    return context["lang"], context["site"].default_language


@pass_context
def localised(context: Any, text: dict[str, str] | None) -> Markup:
    page, fallback = _page_language(context)
    value, language = pick(text, page, fallback)
    return wrap("span", value, language, page)


@pass_context
def plain(context: Any, text: dict[str, str] | None) -> str:
    """Localised text without markup (for the feed's text elements); inert by `finalize`."""
    page, fallback = _page_language(context)
    return pick(text, page, fallback)[0]


@pass_context
def name(context: Any, text: dict[str, str] | None, default: str = "") -> Markup:
    """A name from the data, isolated (`<bdi>`) so right-to-left text cannot reorder the line."""
    page, fallback = _page_language(context)
    value, language = pick(text, page, fallback)
    return wrap("bdi", value or default, language, page)


@pass_context
def day(context: Any, value: date | None) -> Markup:
    return day_in(value, context["lang"])


@cache
def day_in(value: date | None, language: str) -> Markup:  # a site has few distinct dates
    if value is None:
        return Markup("—")
    words = format_date(value, format="long", locale=language)
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), words)


@pass_context
def label(context: Any, value: str | None) -> str:
    gettext = context.environment.globals["translate"]
    return str(gettext(LABELS[value])) if value in LABELS else (value or "—")


@pass_context
def one_label(context: Any, value: str | None) -> str:
    gettext = context.environment.globals["translate"]
    return str(gettext(ONE[value])) if value in ONE else (value or "—")


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "0"


def link(current: str, target: str, base_url: str | None = None) -> str:
    """`target` (a site path: "" for the root, "actions/x/", "feed.xml") from the page at
    `current`, relative so that the site works in any folder; absolute with a base URL."""
    if base_url is not None:
        return base_url + target
    if target == current:
        return "./" if not target or target.endswith("/") else posixpath.basename(target)
    return up(current) + target or "./"


@cache
def up(current: str) -> str:
    """From the page at `current` to the site's root: "", "../", "../../"…"""
    return "../" * current.count("/")
