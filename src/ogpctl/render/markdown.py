"""Markdown: the status tables and the list of late updates, and the progress report.

Text from the data is made inert, then every character Markdown or HTML could act on is
backslash-escaped, so a title can never become a link, an image, a tag or a heading.
URLs (already `http(s)://…` by the models) are percent-encoded inside `<…>`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import quote

from ogpctl.inert import inert
from ogpctl.model.vocabulary import MEMBER_TYPE_LABELS, THEME_LABELS, Label
from ogpctl.problems import count

if TYPE_CHECKING:  # annotations only: `diff` uses `inline` without loading the records
    from ogpctl.show import ActionDetail, Lang
    from ogpctl.status import ActionRow, Status

_INLINE = re.compile(r"([\\`*_\[\]{}<>|~&!$@#])")
_URL_SAFE = ":/?#@!$&*+,;=%-._~"
_LINE_START = re.compile(r"^([+=-]|\d+(?=[.)]))", re.MULTILINE)
_SLUG = re.compile(r"[a-z0-9-]+")


def inline(text: str) -> str:
    """Data text inside a list item, heading or table cell: one line, nothing to act on."""
    return _INLINE.sub(r"\\\1", inert(" ".join(text.split())))


def block(text: str) -> str:
    """Data text as paragraphs: lines kept, but none may start a heading, list or code."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    escaped = _INLINE.sub(r"\\\1", inert("\n".join(lines), keep_newlines=True))
    return _LINE_START.sub(_escape_start, escaped)


def _escape_start(match: re.Match[str]) -> str:
    found = match.group()
    return found + "\\" if found.isdigit() else "\\" + found


def url(address: str) -> str:
    """A web address as an autolink: `<https://…>`, with anything that could close it encoded."""
    return "<" + quote(address, safe=_URL_SAFE) + ">"


def link(title: str, address: str) -> str:
    return f"[{inline(title)}]({url(address)})"


def code(slug: str) -> str:
    """An id in a code span (ids are slugs; anything else is escaped as text)."""
    return f"`{slug}`" if _SLUG.fullmatch(slug) else inline(slug)


def days(since: date, today: date) -> str:
    return count((today - since).days, "day")


def leaders_text(row: ActionRow, names: dict[str, str]) -> str:
    ids = [m for m in (row.government_leader, row.civil_society_leader) if m]
    if not ids:
        return "no leaders appointed"
    return " and ".join(f"{inline(names.get(m, m))} ({code(m)})" for m in ids)


def status(report: Status) -> str:
    """Actions grouped by theme in tables, totals, then the list of late updates."""
    lines = [f"# Collective actions: status on {report.today}", ""]
    for theme, title in ((t, label.full) for t, label in THEME_LABELS.items()):
        rows = [r for r in report.rows if r.theme == theme]
        if not rows:
            continue
        lines += [
            f"## {title}",
            "",
            "| # | action | status | leaders | gov | sub | CSOs | last update | completion "
            "| next update due |",
            "|--:|---|---|---|--:|--:|--:|---|---|---|",
        ]
        for r in rows:
            leaders = ", ".join(code(m) for m in (r.government_leader, r.civil_society_leader) if m)
            due = f"{r.next_update_due or ''}{' **overdue**' if r.overdue else ''}"
            lines.append(
                f"| {r.number or ''} | {inline(r.title)} ({code(r.id)}) | {r.status or ''} "
                f"| {leaders or 'none'} | {r.national_governments} "
                f"| {r.subnational_governments} | {r.civil_society} | {r.last_update or 'none'} "
                f"| {r.completion or ''} | {due} |"
            )
        lines.append("")
    t = report.totals
    lines += [
        t.sentence(),
        "",
    ]
    return "\n".join(lines + overdue_list(report))


def overdue_list(report: Status) -> list[str]:
    late = [r for r in report.rows if r.overdue and r.next_update_due]
    if not late:
        return [f"No progress update is overdue on {report.today}.", ""]
    lines = [
        "## Progress updates overdue",
        "",
        'Leaders "publish a short update on a regular basis". These are late:',
        "",
    ]
    for r in late:
        assert r.next_update_due is not None
        last = f"last update {r.last_update}" if r.last_update else "no update yet"
        lines.append(
            f"- **{r.number or '–'}. {inline(r.title)}** ({code(r.id)}): due since "
            f"{r.next_update_due} ({days(r.next_update_due, report.today)}), {last}; "
            f"{leaders_text(r, report.names)}{_mentions(r, report.maintainers)}."
        )
    return [*lines, ""]


def _mentions(row: ActionRow, maintainers: dict[str, list[str]]) -> str:
    """The leaders' maintainers as GitHub @-mentions (handles are checked by the model:
    letters, digits, hyphens, `org/team`), so that the people who should act are told."""
    leaders = [m for m in (row.government_leader, row.civil_society_leader) if m]
    handles = list(dict.fromkeys(h for m in leaders for h in maintainers.get(m, [])))
    shown = [f"@{h}" if _HANDLE.fullmatch(h) else inline(f"@{h}") for h in handles]
    return f"; cc {', '.join(shown)}" if shown else ""


_HANDLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:/[A-Za-z0-9][A-Za-z0-9-]*)?")


# --- the progress report (`ogpctl export --format markdown`) ---------------------------


def report(name: str, details: list[ActionDetail], today: date) -> str:
    """Per action, a progress report a leader can publish as the short update."""
    ordered = sorted(details, key=lambda d: (d.record.number or 10**9, d.id))
    return report_head(name, len(details), today) + "".join(map(report_section, ordered))


def report_head(name: str, actions: int, today: date) -> str:
    """The report's title and count, before the actions' sections (`report_section`)."""
    recorded = f"As recorded on {today}: {count(actions, 'action')}."
    return f"# {inline(name)}: progress report\n\n{recorded}\n"


_BLANK_LINES = re.compile(r"\n{3,}")


def report_section(detail: ActionDetail) -> str:
    """One action's part of the report: a blank line, then its text (one blank line at
    most between paragraphs)."""
    text = _BLANK_LINES.sub("\n\n", "\n".join(_action_report(detail)))
    return "\n" + text.strip("\n") + "\n"


def _who(lang: Lang, name: dict[str, str], member: str) -> str:
    return f"{inline(lang(name))} ({code(member)})" if name else code(member)


def _action_report(d: ActionDetail) -> list[str]:
    a, lang = d.record, d.lang
    number = f"{a.number}. " if a.number else ""
    facts = [code(d.id), _full(THEME_LABELS, a.theme), a.status or "status not recorded"]
    if a.launched:
        facts.append(f"launched {a.launched}")
    lines = [f"## {number}{inline(lang(a.title))}", "", " · ".join(facts), ""]
    if a.summary:
        lines += [block(lang(a.summary)), ""]
    leaders = [
        f"{_who(lang, d.leaders[m], m)} ({role})"
        for m, role in (
            (a.leaders and a.leaders.government, "government"),
            (a.leaders and a.leaders.civil_society, "civil society"),
        )
        if m
    ]
    lines += [f"**Leaders:** {' and '.join(leaders) or 'not appointed yet'}.", ""]
    lines += _progress(d)
    lines += _participants(d)
    if d.milestones:
        lines += [
            "### Milestones",
            "",
            "| milestone | due | completion | reported |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {inline(lang(m.title))} ({code(m.id)}) | {m.due or ''} "
            f"| {m.completion or 'not reported'} | {m.reported or ''} |"
            for m in d.milestones
        ]
        lines.append("")
    if a.resources:
        lines += ["### Resources", ""]
        lines += [f"- {link(lang(r.title), r.url)} ({r.type})" for r in a.resources]
        lines.append("")
    if a.sources:
        lines += ["### Sources", ""]
        lines += [f"- {link(s.title or s.url, s.url)}" for s in a.sources]
        lines.append("")
    return lines


def _progress(d: ActionDetail) -> list[str]:
    lines = ["### Progress", ""]
    if not d.updates:
        lines.append("No progress update has been published yet.")
    for position, u in enumerate(reversed(d.updates)):
        author = next((p.name for p in d.participants if p.member == u.member), {})
        head = "Latest update" if position == 0 else "Earlier update"
        period = (
            f", covering {u.record.period.start} to {u.record.period.end}"
            if u.record.period
            else ""
        )
        lines += [
            f"**{head}, {u.published}** by {_who(d.lang, author, u.member)}{period}: "
            f"**{u.record.completion}**.",
            "",
            block(d.lang(u.record.summary)),
            "",
        ]
        lines += [f"- {code(m)}: {c}" for m, c in u.record.milestones.items()]
        lines += [f"- evidence: {url(e)}" for e in u.record.evidence]
        if u.record.milestones or u.record.evidence:
            lines.append("")
    due = d.next_update_due
    if due is not None:
        late = f", overdue by {days(due, d.today)}" if d.overdue else ""
        lines += ["", f"Next update due {due} (every {d.update_every_months} months){late}."]
    return [*lines, ""]


def _participants(d: ActionDetail) -> list[str]:
    joined = [p for p in d.participants if p.record]
    now = sum(1 for p in joined if p.record and p.record.left is None)
    former = f", {len(joined) - now} former" if len(joined) > now else ""
    lines = [f"### Participants ({now}{former})", ""] if joined else ["No participant yet."]
    for p in joined:
        assert p.record is not None
        kind = _full(MEMBER_TYPE_LABELS, p.type, "member")
        line = f"- {_who(d.lang, p.name, p.member)}, {kind}, joined {p.record.joined}"
        line += f", left {p.record.left}" if p.record.left else ""
        if p.record.contribution:
            line += f"; pledge: {inline(d.lang(p.record.contribution))}"
        plan = p.record.national_action_plan
        if plan:
            nap = ", ".join(inline(x) for x in (plan.plan, plan.commitment) if x)
            line += f"; National Action Plan: {nap}" + (f" {url(plan.url)}" if plan.url else "")
        lines.append(line)
    return [*lines, ""]


def _full(labels: dict[str, Label], value: str | None, default: str | None = None) -> str:
    """The full label of a vocabulary value; else `default`, else the value itself."""
    label = labels.get(value or "")
    if label is not None:
        return label.full
    return default if default is not None else str(value)
