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

from ogpctl.render.site.env import day, label, localised, name, safe_text

_KINDS = ("national-government", "subnational-government", "civil-society", "other", None)


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


@pass_context
def participants(context: Any, detail: Any) -> Markup:
    """An action's participants, grouped by member type: their roles beyond taking part,
    and their pledges."""
    translate, html = context["_"], ""
    for kind in _KINDS:
        group = [part for part in detail.participants if part.type == kind]
        if not group:
            continue
        title = label(context, kind) if kind else translate("Unknown type")
        html += f'<h3>{_html(title)} ({len(group)})</h3>\n<ul class="participants">\n'
        for part in group:
            roles = "".join(
                f" — <strong>{_html(label(context, role))}</strong>"
                for role in part.roles
                if role != "participant"
            )
            html += f"<li>{member_link(context, part.member)}{roles}"
            html += f"{pledge(context, part.record) if part.record else ''}</li>\n"
        html += "</ul>\n"
    return Markup(html)


@pass_context
def timeline(context: Any, detail: Any) -> Markup:
    """An action's progress updates, the latest first, each with its anchor."""
    translate, html = context["_"], ""
    for update in reversed(detail.updates):
        record = update.record
        html += (
            f'<li id="update-{_html(update.published.isoformat())}-{_html(update.member)}">\n'
            f"<h3>{day(context, update.published)} — {member_link(context, update.member)}</h3>\n"
            f"<p>{translate('Completion:')} {_html(label(context, record.completion))}"
        )
        if record.period:
            start, end = day(context, record.period.start), day(context, record.period.end)
            html += f" · {translate('period from %(start)s to %(end)s', start=start, end=end)}"
        html += f'</p>\n<p class="text">{localised(context, record.summary)}</p>\n'
        if record.milestones:
            html += "<ul>"
            for milestone, level in record.milestones.items():
                html += f"<li><code>{_html(milestone)}</code>: {_html(label(context, level))}</li>"
            html += "</ul>"
        if record.evidence:
            html += f"<p>{translate('Evidence:')}</p><ul>"
            html += "".join(f"<li>{ext(e, e)}</li>" for e in record.evidence) + "</ul>"
        html += "</li>\n"
    return Markup(html)


@pass_context
def member_actions(context: Any, detail: Any) -> Markup:
    """A member's actions: its roles in each, and its pledges."""
    html = ""
    for part in detail.actions:
        roles = ", ".join(_html(label(context, role)) for role in part.roles)
        html += f"<li>{action_link(context, part.action)} — {roles}"
        html += f"{pledge(context, part.record) if part.record else ''}</li>\n"
    return Markup(html)


@pass_context
def member_updates(context: Any, detail: Any) -> Markup:
    """The progress updates a member published, the latest first, linked to their anchors."""
    html = ""
    for update in reversed(detail.updates):
        href = _html(context["url"](f"actions/{update.action}/"))
        anchor = f"update-{_html(update.published.isoformat())}-{_html(update.member)}"
        html += (
            f'<li><a href="{href}#{anchor}">{day(context, update.published)}</a> — '
            f"{action_link(context, update.action)}: "
            f"{_html(label(context, update.record.completion))}</li>\n"
        )
    return Markup(html)


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
    "once": once,
    "participants": participants,
    "timeline": timeline,
    "member_actions": member_actions,
    "member_updates": member_updates,
}
