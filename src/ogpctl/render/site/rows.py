"""The rows of the actions tables (the index's, each theme's): a row for each action, with
its leaders, a bar of its members by type and the IRM scale of its latest completion, both
as inline SVG with a text alternative. Written in Python, like the fragments: the index of
1,000 actions in three languages made the macros' calls the cost of these pages."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from ogpctl.render.site.env import label
from ogpctl.render.site.fragments import Page, as_html, page_of
from ogpctl.status import ActionRow

_STEPS = ("not-started", "limited", "substantial", "complete")  # the IRM scale


def _total(row: ActionRow) -> int:
    return row.national_governments + row.subnational_governments + row.civil_society + row.other


@pass_context
def action_rows(context: Any, rows: list[ActionRow]) -> Markup:
    """The table's body: one `<tr>` for each of `rows`; the bars are to the scale of the
    action with the most members in the whole dataset."""
    page = page_of(context)
    _ = page.translate  # named so for `pybabel extract` (which reads no f-string)
    words = [
        _("Action"),
        _("Leaders"),
        _("Members"),
        _("Latest completion"),
        _("Milestones done"),
        _("Next update due"),
    ]
    none_yet, overdue = _("No update yet"), _("Overdue")
    most = max([1, *(_total(r) for r in page.site.status.rows)])
    html = []
    for row in rows:
        number = f"{as_html(row.number)}. " if row.number else ""
        leaders = [page.member(m) for m in (row.government_leader, row.civil_society_leader) if m]
        detail = _(
            "%(n)s national, %(s)s subnational, %(c)s CSOs, %(o)s other",
            n=row.national_governments,
            s=row.subnational_governments,
            c=row.civil_society,
            o=row.other,
        )
        if row.completion:
            completion = f"{page.label(row.completion)} {_scale(page, row.completion)}"
        else:
            completion = f"{none_yet} "
        done, every = page.site.milestones_done(row.id)
        milestones = _("%(done)s of %(all)s", done=done, all=every) if every else "—"
        badge = f' <strong class="badge">⚠ {overdue}</strong>' if row.overdue else ""
        html.append(
            f'<tr>\n<th scope="row" data-label="{words[0]}">{number}{page.action(row.id)}</th>\n'
            f'<td data-label="{words[1]}">{"<br>".join(leaders) or "—"}</td>\n'
            f'<td data-label="{words[2]}"><span class="num">{_total(row)}</span> '
            f'{_bar(page, row, most)}\n<span class="detail">{detail}</span></td>\n'
            f'<td data-label="{words[3]}">{completion}</td>\n'
            f'<td data-label="{words[4]}">{milestones}</td>\n'
            f'<td data-label="{words[5]}">{page.day(row.next_update_due)}{badge}</td>\n</tr>\n'
        )
    return Markup("".join(html))


def _bar(page: Page, row: ActionRow, most: int) -> str:
    """The action's members by type, as a bar of `most` members' width."""
    _ = page.translate
    parts = [
        ("national-government", row.national_governments),
        ("subnational-government", row.subnational_governments),
        ("civil-society", row.civil_society),
        ("other", row.other),
    ]
    desc = "; ".join(f"{page.label(kind)}: {n}" for kind, n in parts)
    x, rects = 0.0, []
    for kind, n in parts:
        width = 100.0 * n / most
        if n:
            rects.append(
                f'<rect class="k-{kind}" x="{x:.2f}" y="0" width="{width:.2f}" height="10"/>'
            )
        x += width
    title = _("%(count)s members", count=_total(row))
    return (
        '<svg class="bar" viewBox="0 0 100 10" width="100" height="10" role="img" '
        f'preserveAspectRatio="none">\n<title>{title}</title>\n<desc>{desc}</desc>\n'
        f"{''.join(rects)}</svg>\n"
    )


def _scale(page: Page, completion: str) -> str:
    """The latest completion on the IRM scale: three steps, those reached filled."""
    _ = page.translate
    level = _STEPS.index(completion) if completion in _STEPS else -1
    title = _("Completion: %(level)s", level=label(page.context, completion))
    steps = "".join(
        f'<rect x="{i * 13 + 1}" y="1" width="12" height="8" class="{state}"/>\n'
        for i, state in enumerate("on" if i < level else "off" for i in range(len(_STEPS) - 1))
    )
    desc = _("IRM scale: not started, limited, substantial, complete")
    return (
        '<svg class="scale" viewBox="0 0 40 10" width="40" height="10" role="img">\n'
        f"<title>{title}</title>\n<desc>{desc}</desc>\n{steps}</svg>\n"
    )
