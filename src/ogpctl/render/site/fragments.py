"""The small pieces of HTML that the pages repeat thousands of times (a link to a member
or an action, a link out, a pledge), written in Python rather than as Jinja2 macros: a
macro call costs more than the piece it makes. The same escaping as the templates': every
plain string through `safe_text` (inert) and escaped, our markup left alone.

A member's name, an action's title and a vocabulary's label, once made for a language, are
kept while the pages are made (`context["memo"]`, a dict for each language); a pledge is
made again for the member's page (kept, they would be as many as the participations).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup, escape

from ogpctl.inert import inert
from ogpctl.render.site.env import day_in, label, pick, safe_text, wrap

_KINDS = ("national-government", "subnational-government", "civil-society", "other", None)


def as_html(value: Any) -> str:
    """What `{{ value }}` writes: a plain string made inert and escaped (as markupsafe
    does, without making a `Markup` of each piece), markup as it is. Pieces are joined by
    f-strings: faster than `Markup.format`."""
    if type(value) is str:
        return (
            inert(value, keep_newlines=True)
            .replace("&", "&amp;")
            .replace(">", "&gt;")
            .replace("<", "&lt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;")
        )
    return escape(safe_text(value))


@dataclass(frozen=True, slots=True)
class Page:
    """What the fragments read of the page's context, read once for each call from a
    template (a context's lookups cost more than the pieces)."""

    context: Any
    lang: str
    fallback: str  # the data's default language
    memo: dict[Any, Any]
    url: Callable[..., str]
    translate: Callable[..., Markup]
    site: Any

    def text(self, text: dict[str, str] | None, element: str = "span") -> Markup:
        """`{{ text|loc }}` (or `|name`, with `element` "bdi")."""
        value, language = pick(text, self.lang, self.fallback)
        return wrap(element, value, language, self.lang)

    def day(self, value: Any) -> Markup:
        return day_in(value, self.lang)

    def label(self, value: str | None) -> str:
        """`{{ value|label }}`, made once for each language."""
        key = ("label", self.lang, value)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = as_html(label(self.context, value))
        return found

    def member(self, member: str) -> Markup:
        """The member's name, linked to its page; the bare id if it is not a member."""
        if member not in self.site.members:
            return Markup(f"<bdi>{as_html(member)}</bdi>")
        key = ("member", self.lang, member)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.text(self.site.members[member].record.name, "bdi")
        return Markup(f'<a href="{as_html(self.url(f"members/{member}/"))}">{found}</a>')

    def action(self, action: str) -> Markup:
        """The action's title, linked to its page."""
        key = ("action", self.lang, action)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.text(self.site.actions[action].record.title)
        return Markup(f'<a href="{as_html(self.url(f"actions/{action}/"))}">{found}</a>')

    def pledge(self, record: Any) -> str:
        """A participation: when the member joined, its pledge, the national action plan."""
        if record is None:
            return ""
        _ = self.translate  # named so for `pybabel extract` (which reads no f-string)
        joined = _("joined %(day)s", day=self.day(record.joined))
        html = f'<span class="detail">{joined}</span>\n'
        if record.contribution:
            html += f'<br><span class="text">{self.text(record.contribution)}</span>'
        nap = record.national_action_plan
        if nap:
            plan = ext(nap.url, nap.plan) if nap.url else as_html(nap.plan)
            words = _("National action plan:")
            html += f"<br>{words} {plan}"
            if nap.commitment:
                html += f", {as_html(nap.commitment)}"
        return html


def page_of(context: Any) -> Page:
    site = context["site"]
    return Page(
        context,
        context["lang"],
        site.default_language,
        context["memo"],
        context["url"],
        context["_"],
        site,
    )


@pass_context
def member_link(context: Any, member: str) -> Markup:
    """The member's name, linked to its page; the bare id if it is not a member."""
    return page_of(context).member(member)


@pass_context
def action_link(context: Any, action: str) -> Markup:
    """The action's title, linked to its page."""
    return page_of(context).action(action)


def ext(href: str, text: str) -> Markup:
    """A link out, to an address from the data."""
    return Markup(
        f'<a href="{as_html(href)}" rel="nofollow ugc noopener noreferrer">{as_html(text)}</a>'
    )


@pass_context
def participants(context: Any, detail: Any) -> Markup:
    """An action's participants, grouped by member type: their roles beyond taking part,
    and their pledges."""
    page, html = page_of(context), []
    _ = page.translate  # named so for `pybabel extract` (which reads no f-string)
    for kind in _KINDS:
        group = [part for part in detail.participants if part.type == kind]
        if not group:
            continue
        title = page.label(kind) if kind else as_html(_("Unknown type"))
        html.append(f'<h3>{title} ({len(group)})</h3>\n<ul class="participants">\n')
        for part in group:
            roles = "".join(
                f" — <strong>{page.label(role)}</strong>"
                for role in part.roles
                if role != "participant"
            )
            pledge = page.pledge(part.record)
            html.append(f"<li>{page.member(part.member)}{roles}{pledge}</li>\n")
        html.append("</ul>\n")
    return Markup("".join(html))


@pass_context
def timeline(context: Any, detail: Any) -> Markup:
    """An action's progress updates, the latest first, each with its anchor."""
    page, html = page_of(context), []
    _ = page.translate  # named so for `pybabel extract` (which reads no f-string)
    completion, evidence = _("Completion:"), _("Evidence:")
    for update in reversed(detail.updates):
        record = update.record
        html.append(
            f'<li id="update-{as_html(update.published.isoformat())}-{as_html(update.member)}">\n'
            f"<h3>{page.day(update.published)} — {page.member(update.member)}</h3>\n"
            f"<p>{completion} {page.label(record.completion)}"
        )
        if record.period:
            start, end = page.day(record.period.start), page.day(record.period.end)
            period = _("period from %(start)s to %(end)s", start=start, end=end)
            html.append(f" · {period}")
        html.append(f'</p>\n<p class="text">{page.text(record.summary)}</p>\n')
        if record.milestones:
            html.append("<ul>")
            for milestone, level in record.milestones.items():
                html.append(f"<li><code>{as_html(milestone)}</code>: {page.label(level)}</li>")
            html.append("</ul>")
        if record.evidence:
            html.append(f"<p>{evidence}</p><ul>")
            html += [f"<li>{ext(e, e)}</li>" for e in record.evidence]
            html.append("</ul>")
        html.append("</li>\n")
    return Markup("".join(html))


@pass_context
def member_actions(context: Any, detail: Any) -> Markup:
    """A member's actions: its roles in each, and its pledges."""
    page, html = page_of(context), []
    for part in detail.actions:
        roles = ", ".join(page.label(role) for role in part.roles)
        pledge = page.pledge(part.record)
        html.append(f"<li>{page.action(part.action)} — {roles}{pledge}</li>\n")
    return Markup("".join(html))


@pass_context
def member_updates(context: Any, detail: Any) -> Markup:
    """The progress updates a member published, the latest first, linked to their anchors."""
    page, html = page_of(context), []
    for update in reversed(detail.updates):
        href = as_html(page.url(f"actions/{update.action}/"))
        anchor = f"update-{as_html(update.published.isoformat())}-{as_html(update.member)}"
        html.append(
            f'<li><a href="{href}#{anchor}">{page.day(update.published)}</a> — '
            f"{page.action(update.action)}: {page.label(update.record.completion)}</li>\n"
        )
    return Markup("".join(html))


@pass_context
def feed_entries(context: Any, entries: Any) -> Iterator[Markup]:
    """The Atom feed's entries, one at a time (the feed is written as they come: it grows
    with the dataset): progress updates (linked to their anchor on the action's page) and
    new participations (linked to the member's page)."""
    page = page_of(context)
    _ = page.translate  # named so for `pybabel extract` (which reads no f-string)
    base, update_words, joined_words = (
        page.site.base_url,
        _("Progress update"),
        _("New participation"),
    )
    titles = {
        a: pick(d.record.title, page.lang, page.fallback)[0] for a, d in page.site.actions.items()
    }
    for e in entries:
        html = []
        day = e.day.isoformat()
        title = as_html(titles[e.action])
        if e.kind == "update":
            anchor = f"update-{day}-{e.member}"
            ident = (
                f"{base}actions/{e.action}/#{anchor}"
                if base
                else f"urn:ogpctl:update:{e.action}:{day}:{e.member}"
            )
            html.append(
                f"<entry>\n<title>{update_words}: {title} ({as_html(day)})</title>\n"
                f"<id>{as_html(ident)}</id>\n"
                f'<link href="{as_html(page.url(f"actions/{e.action}/"))}#{as_html(anchor)}"/>\n'
            )
        else:
            ident = (
                f"{base}actions/{e.action}/#join-{e.member}"
                if base
                else f"urn:ogpctl:participation:{e.action}:{e.member}"
            )
            html.append(
                f"<entry>\n<title>{joined_words}: {title}</title>\n"
                f"<id>{as_html(ident)}</id>\n"
                f'<link href="{as_html(page.url(f"members/{e.member}/"))}"/>\n'
            )
        member = page.site.members.get(e.member)
        name = pick(member.record.name, page.lang, page.fallback)[0] if member else e.member
        html.append(
            f"<updated>{as_html(day)}T00:00:00Z</updated>\n<summary>{as_html(name)}</summary>\n"
            "</entry>\n"
        )
        yield Markup("".join(html))


@pass_context
def once(context: Any, part: str, caller: Any) -> Markup:
    """The `{% call once(part) %}` block, rendered once for all the pages two folders down
    (an action's, a member's, a theme's: none is in the header's menu) of a language with
    the same links to the root, and once for each other page: so the block may read only
    the language, `url`, `path` and what is the same for the whole site."""
    path = context["path"]
    key = ("once", part, context["lang"], context["url"](""), path if path.count("/") < 2 else "")
    memo = context["memo"]
    found = memo.get(key)
    if found is None:
        found = memo[key] = caller()
    return found  # type: ignore[no-any-return]


FRAGMENTS = {
    "member_link": member_link,
    "action_link": action_link,
    "ext": ext,
    "once": once,
    "participants": participants,
    "timeline": timeline,
    "member_actions": member_actions,
    "member_updates": member_updates,
    "feed_entries": feed_entries,
}
