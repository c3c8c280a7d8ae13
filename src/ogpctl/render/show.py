"""`ogpctl show` rendered: an action or a member in full, as terminal text or as JSON.

Like `render/status.py`, every piece of data reaches rich as a `Text` after `inert()`: a name such
as `[bold]x` or an escape sequence prints literally, never as markup or a terminal code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ogpctl.inert import inert, json_text
from ogpctl.model.records import Source
from ogpctl.model.vocabulary import MEMBER_TYPE_LABELS, THEME_LABELS
from ogpctl.render.status import bar
from ogpctl.render.terminal import console, plain_lines
from ogpctl.show import ActionDetail, Lang, MemberDetail, Participation, Published

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

ROLES = {"government-leader": "leads (gov)", "civil-society-leader": "leads (CSO)",
         "former-participant": "left"}  # fmt: skip


def show_json(detail: ActionDetail | MemberDetail) -> str:
    return json_text(detail.as_dict())


def show_table(detail: ActionDetail | MemberDetail, *, no_color: bool) -> str:
    out = console(no_color=no_color)
    parts = _action(detail) if isinstance(detail, ActionDetail) else _member(detail)
    with out.capture() as captured:
        for part in parts:
            whole = getattr(part, "no_wrap", None) is True  # a long web address: one line
            out.print(part, crop=False, soft_wrap=whole)
    return plain_lines(captured.get())


def text(value: object, style: str = "", *, lines: bool = False) -> Text:
    """Data as inert rich text (`lines`: keep its line breaks)."""
    from rich.text import Text

    return Text(inert(str(value), keep_newlines=lines) if value is not None else "", style=style)


def stack(first: Text, *rest: tuple[object, str]) -> Text:
    """`first`, then each (value, style) on a line of its own, every value inert."""
    for value, style in rest:
        first.append("\n")
        first.append(inert(str(value)), style=style)
    return first


def _bullets(items: Iterable[Text]) -> Table:
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row("-", item)
    return grid


def _facts(rows: Iterable[tuple[str, Text | str]]) -> Table:
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value if not isinstance(value, str) else text(value))
    return grid


def _heading(title: str, count: int | None = None) -> Text:
    from rich.text import Text

    heading = Text("\n")
    return heading.append(title + (f" ({count})" if count is not None else ""), "bold underline")


def _table(*columns: str) -> Table:
    from rich.table import Table

    table = Table(box=None, pad_edge=False, collapse_padding=True, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _name(lang: Lang, name: dict[str, str], member: str) -> Text:
    return text(f"{lang(name)} ({member})" if name else member)


def _updates(updates: list[Published], lang: Lang, who: str) -> Iterable[RenderableType]:
    yield _heading("Updates", len(updates))
    if not updates:
        yield text("none published yet")
        return
    table = _table("published", who, "completion", "summary")
    for u in updates:
        done = bar(u.record.completion).append(f" {u.record.completion}")
        period = u.record.period
        summary = stack(
            text(lang(u.record.summary), lines=True),
            *([(f"(period {period.start} – {period.end})", "")] if period else []),
            *((f"{milestone}: {done}", "") for milestone, done in u.record.milestones.items()),
            *((address, "dim") for address in u.record.evidence),
        )
        table.add_row(str(u.published), text(getattr(u, who)), done, summary)
    yield table


def _sources(sources: list[Source]) -> Iterable[RenderableType]:
    if sources:
        yield _heading("Sources", len(sources))
        for source in sources:  # the address on a line of its own, whole however long
            if source.title:
                yield _bullets([text(source.title)])
            yield _address(source.url, "  " if source.title else "- ")


def _address(url: str, lead: str) -> Text:
    from rich.text import Text

    return Text(lead + inert(url), style="dim", no_wrap=True, overflow="ignore")


def _due(detail: ActionDetail) -> Text:
    """When the next progress update is due, and since when it is late."""
    due = detail.next_update_due
    if due is None and detail.record.status != "active":
        return text(f"none: the action is {detail.record.status or 'without a status'}")
    line = text(str(due) if due else "not dated (no launch date, no update)")
    if detail.overdue and due is not None:
        line.append(f", late by {(detail.today - due).days:,} days", style="red")
    return line


def _action(d: ActionDetail) -> Iterable[RenderableType]:
    a, lang = d.record, d.lang
    yield text(f"#{a.number} " if a.number else "").append(inert(d.id), style="bold")
    yield text(lang(a.title), "bold")
    status = ", ".join(x for x in (a.status, a.launched and f"launched {a.launched}") if x)
    facts: list[tuple[str, Text | str]] = [
        ("theme", THEME_LABELS[a.theme].full if a.theme in THEME_LABELS else a.theme),
        ("status", status or "not recorded"),
    ]
    if a.working_group:
        facts.append(("working group", a.working_group))
    if a.standards:
        facts.append(("standards", ", ".join(a.standards)))
    government, society = (a.leaders.government, a.leaders.civil_society) if a.leaders else ("", "")
    for label, leader in (("government lead", government), ("civil-society lead", society)):
        facts.append((label, _name(lang, d.leaders[leader], leader) if leader else "none"))
    last = f"last {d.last_update}" if d.last_update else "none yet"
    facts.append(("updates", f"every {d.update_every_months} months; {last}"))
    facts.append(("next update due", _due(d)))
    yield _facts(facts)
    if a.summary:
        yield text("\n" + lang(a.summary), lines=True)
    yield from _participants(d.participants, lang)
    if d.milestones:
        yield _heading("Milestones", len(d.milestones))
        table = _table("milestone", "due", "completion", "reported")
        for m in d.milestones:
            done = bar(m.completion).append(f" {m.completion}") if m.completion else "not reported"
            table.add_row(
                text(f"{lang(m.title)} ({m.id})"), str(m.due or ""), done, str(m.reported or "")
            )
        yield table
    yield from _updates(d.updates, lang, "member")
    if a.resources:
        yield _heading("Resources", len(a.resources))
        yield _bullets(
            stack(text(f"{lang(r.title)} ({r.type})"), (r.url, "dim")) for r in a.resources
        )
    yield from _sources(a.sources)


def _participants(rows: list[Participation], lang: Lang) -> Iterable[RenderableType]:
    former = sum(1 for p in rows if p.record and p.record.left)
    heading = _heading("Participants", len(rows) - former)
    yield heading.append(f", and {former} former" if former else "", "bold")
    table = _table("member", "type", "joined", "role")
    pledges: list[Text] = []
    for p in rows:
        role = ", ".join(ROLES[r] for r in p.roles if r in ROLES)
        joined = str(p.record.joined) if p.record else "not a participant"
        if p.record and p.record.left:
            joined += f", left {p.record.left}"
        table.add_row(
            _name(lang, p.name, p.member),
            _short_type(p.type),
            joined,
            role,
        )
        pledges += _pledge(p, lang, p.member)
    yield table if table.row_count else text("no participant yet")
    if pledges:
        yield _heading("Pledges and National Action Plans")
        yield _bullets(pledges)


def _pledge(p: Participation, lang: Lang, who: str) -> list[Text]:
    if p.record is None or not (p.record.contribution or p.record.national_action_plan):
        return []
    line = text("")
    line.append(inert(f"{who}:"), style="bold")  # only the name: the pledge in plain text
    if p.record.contribution:
        line.append(" " + inert(lang(p.record.contribution)))
    plan = p.record.national_action_plan
    if plan:
        nap = ", ".join(x for x in (plan.plan, plan.commitment) if x)
        stack(
            line, (f"National Action Plan: {nap}", ""), *([(plan.url, "dim")] if plan.url else [])
        )
    return [line]


def _member(d: MemberDetail) -> Iterable[RenderableType]:
    m, lang = d.record, d.lang
    if d.asked_for:
        line = text(d.asked_for.into(d.id), "italic")
        line.no_wrap = True  # one line, however narrow the terminal
        yield line
    yield text(d.id, "bold")
    yield text(lang(m.name), "bold")
    facts: list[tuple[str, Text | str]] = [("type", m.type)]
    optional = (
        ("country", m.country),
        ("subdivision", m.subdivision),
        ("acronym", m.acronym),
        ("website", m.website),
        ("OGP member since", m.ogp_member_since),
        ("maintainers", ", ".join(m.maintainers)),
        ("formerly", ", ".join(m.formerly)),
    )
    facts += [(label, str(value)) for label, value in optional if value]
    yield _facts(facts)
    yield _heading("Actions", len(d.actions))
    table = _table("#", "action", "joined", "role")
    pledges: list[Text] = []
    for p in d.actions:
        role = ", ".join(ROLES.get(r, "takes part") for r in p.roles)
        joined = str(p.record.joined) if p.record else ""
        if p.record and p.record.left:
            joined += f", left {p.record.left}"
        table.add_row(str(p.number or ""), text(f"{lang(p.title)} ({p.action})"), joined, role)
        pledges += _pledge(p, lang, p.action)
    yield table if table.row_count else text("takes part in no action")
    if pledges:
        yield _heading("Pledges and National Action Plans")
        yield _bullets(pledges)
    yield from _updates(d.updates, lang, "action")
    yield from _sources(m.sources)


def _short_type(member_type: str | None) -> str:
    label = MEMBER_TYPE_LABELS.get(member_type or "")
    return label.short if label else ""
