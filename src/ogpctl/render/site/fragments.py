"""The small pieces of HTML that the pages repeat thousands of times (a link to a member
or an action, a link out, a pledge), written in Python rather than as Jinja2 macros: a
macro call costs more than the piece it makes. The same escaping as the templates': every
plain string through `safe_text` (inert) and escaped, our markup left alone.

A member's name and an action's title, once escaped for a language, are kept for the
build (`context["memo"]`, a new dict for each build).
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from markupsafe import Markup, escape

from ogpctl.render.site.env import day, localised, name, safe_text


def _html(value: Any) -> Markup:
    """What `{{ value }}` writes: a plain string made inert and escaped, markup as it is.
    (Pieces are joined by f-strings of such markup: faster than `Markup.format`.)"""
    return escape(safe_text(value))


@pass_context
def member_link(context: Any, member: str) -> Markup:
    """The member's name, linked to its page; the bare id if it is not a member."""
    if member not in context["site"].members:
        return Markup(f"<bdi>{_html(member)}</bdi>")
    href = _html(context["url"](f"members/{member}/"))
    return Markup(f'<a href="{href}">{_member_name(context, member)}</a>')


@pass_context
def action_link(context: Any, action: str) -> Markup:
    """The action's title, linked to its page."""
    memo, key = context["memo"], ("action", context["lang"], action)
    title = memo.get(key)
    if title is None:
        title = memo[key] = localised(context, context["site"].actions[action].record.title)
    href = _html(context["url"](f"actions/{action}/"))
    return Markup(f'<a href="{href}">{title}</a>')


def ext(href: str, text: str) -> Markup:
    """A link out, to an address from the data."""
    return Markup(
        f'<a href="{_html(href)}" rel="nofollow ugc noopener noreferrer">{_html(text)}</a>'
    )


@pass_context
def pledge(context: Any, record: Any) -> Markup:
    """A participation: when the member joined, its pledge, the national action plan."""
    translate = context["_"]
    joined = translate("joined %(day)s", day=day(context, record.joined))
    html = f'<span class="detail">{joined}</span>\n'
    if record.contribution:
        html += f'<br><span class="text">{localised(context, record.contribution)}</span>'
    nap = record.national_action_plan
    if nap:
        plan = ext(nap.url, nap.plan) if nap.url else _html(nap.plan)
        html += f"<br>{translate('National action plan:')} {plan}"
        if nap.commitment:
            html += f", {_html(nap.commitment)}"
    return Markup(html)


def _member_name(context: Any, member: str) -> Markup:
    memo, key = context["memo"], ("member", context["lang"], member)
    found = memo.get(key)
    if found is None:
        found = memo[key] = name(context, context["site"].members[member].record.name)
    return found  # type: ignore[no-any-return]


FRAGMENTS = {
    "member_link": member_link,
    "action_link": action_link,
    "ext": ext,
    "pledge": pledge,
}
