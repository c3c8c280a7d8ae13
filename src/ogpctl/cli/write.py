"""The commands that change the record: add, join, lead, update, commit.

Each parses its options, asks for a missing required value when a person is at the
terminal, and hands a builder (`changes.py`) to `write.apply`, which checks, writes and
commits under the dataset lock.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ogpctl.cli.completion import action_argument, member_argument, member_option
from ogpctl.cli.support import apply_change, choice, handle_errors, root_of
from ogpctl.errors import UsageError
from ogpctl.model.vocabulary import ActionStatus, Completion, MemberType, Theme, WorkingGroup
from ogpctl.problems import count

if TYPE_CHECKING:
    from ogpctl.model.dataset import Facts
    from ogpctl.write import Change

add_app = typer.Typer(
    help="Add a member or an action (one new file, committed).",
    no_args_is_help=True,
    rich_markup_mode=None,
)

# --- options shared by the write commands ---------------------------------------------

NoCommit = Annotated[bool, typer.Option("--no-commit", help="Write the file; do not commit it.")]
DryRun = Annotated[
    bool,
    typer.Option("--dry-run", help="Check the change and print the file; write nothing."),
]
Sources = Annotated[
    list[str] | None,
    typer.Option("--source", metavar="URL", help="Where the facts come from (repeatable)."),
]


def _parse_date(value: str | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        if len(value) == 10:
            return datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        pass
    raise typer.BadParameter(f"{value!r} is not a calendar date; write YYYY-MM-DD, e.g. 2016-12-07")


def _date(help_text: str, *names: str) -> Any:
    return typer.Option(*names, parser=_parse_date, metavar="YYYY-MM-DD", help=help_text)


def _texts(option: str, what: str) -> Any:
    return typer.Option(
        option,
        metavar="[LANG=]TEXT",
        help=f"{what}; repeat with LANG=TEXT for other languages (plain TEXT: the dataset's "
        "default language).",
    )


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def _ask(option: str, question: str, choices: Sequence[str] = ()) -> str:
    """A value for a required option: asked at a terminal, else a usage error."""
    allowed = f" ({', '.join(choices)})" if choices else ""
    if not interactive():
        raise UsageError(f"missing {option}: give {question}{allowed}")
    while True:
        sys.stderr.write(f"{question}{allowed}: ")
        sys.stderr.flush()
        answer = sys.stdin.readline()
        if not answer:
            raise UsageError(f"missing {option}: no answer given")
        answer = answer.strip()
        if answer and (not choices or answer in choices):
            return answer
        print(f"  give one of: {', '.join(choices)}" if choices else "  an answer is needed",
              file=sys.stderr)  # fmt: skip


def _ask_optional(question: str) -> str | None:
    """A value a person may leave empty (Enter) at the terminal."""
    sys.stderr.write(f"{question}, or Enter to leave it as it is: ")
    sys.stderr.flush()
    return sys.stdin.readline().strip() or None


def _choice(value: StrEnum | None, option: str, question: str, enum: type[StrEnum]) -> str:
    return str(value) if value is not None else _ask(option, question, [str(v) for v in enum])


def _text(values: list[str] | None, option: str, question: str) -> list[str]:
    return values or [_ask(option, question)]


def _day(value: datetime | None) -> Any:
    return value.date() if value else None


# --- commands -------------------------------------------------------------------------


def add_member(
    ctx: typer.Context,
    member: Annotated[
        str, typer.Argument(metavar="MEMBER", help="Id of the new member, e.g. `france`.")
    ],
    member_type: Annotated[
        MemberType | None, choice(MemberType, "--type", help="Kind of member.")
    ] = None,
    name: Annotated[list[str] | None, _texts("--name", "Name")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, e.g. FR.")] = None,
    subdivision: Annotated[
        str | None, typer.Option(help="ISO 3166-2 code of a subnational government.")
    ] = None,
    acronym: Annotated[str | None, typer.Option(help="Short name, e.g. TI.")] = None,
    website: Annotated[str | None, typer.Option(metavar="URL", help="Web site.")] = None,
    member_since: Annotated[
        int | None, typer.Option("--ogp-member-since", metavar="YEAR", help="Year it joined OGP.")
    ] = None,
    maintainer: Annotated[
        list[str] | None,
        typer.Option(metavar="HANDLE", help="GitHub handle who may change it (repeatable)."),
    ] = None,
    source: Sources = None,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """Add a member: a government, a civil-society organisation or another body."""
    from ogpctl import changes

    changes.slug(member, "member")
    kind = _choice(member_type, "--type", "Type", MemberType)
    names = _text(name, "--name", "Name")

    def build(dataset: Facts) -> Change:
        language = dataset.settings.default_language
        return changes.add_member(dataset, member, {
            "name": changes.localised(names, language, "--name"), "type": kind,
            "country": country, "subdivision": subdivision, "acronym": acronym,
            "website": website, "ogp_member_since": member_since,
            "maintainers": maintainer or [], "sources": changes.sources(source or []),
        })  # fmt: skip

    apply_change(ctx, build, not no_commit, dry_run)


def add_action(
    ctx: typer.Context,
    action: Annotated[
        str, typer.Argument(metavar="ACTION", help="Id of the new action, e.g. `open-budgets`.")
    ],
    title: Annotated[list[str] | None, _texts("--title", "Title")] = None,
    theme: Annotated[Theme | None, choice(Theme, "--theme", help="Theme of the action.")] = None,
    number: Annotated[int | None, typer.Option(help="Number in the Paris Declaration.")] = None,
    summary: Annotated[list[str] | None, _texts("--summary", "What the action is about")] = None,
    status: Annotated[
        ActionStatus | None, choice(ActionStatus, "--status", help="Where the action stands.")
    ] = None,
    launched: Annotated[datetime | None, _date("Day it was launched.")] = None,
    working_group: Annotated[
        WorkingGroup | None,
        choice(WorkingGroup, "--working-group", help="OGP working group it belongs to."),
    ] = None,
    standard: Annotated[
        list[str] | None, typer.Option(metavar="ID", help="Standard it uses, e.g. ocds.")
    ] = None,
    milestone: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ID=TITLE", help="A milestone (repeatable; due dates: edit the file)."
        ),
    ] = None,
    every: Annotated[
        int | None,
        typer.Option("--update-every-months", metavar="N", help="Months between updates."),
    ] = None,
    source: Sources = None,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """Add a collective action (milestones' due dates and resources: edit the file, then
    `ogpctl commit`)."""
    from ogpctl import changes

    changes.slug(action, "action")
    titles = _text(title, "--title", "Title")
    chosen = _choice(theme, "--theme", "Theme", Theme)
    steps = changes.pairs(milestone or [], "--milestone", "ID=TITLE")

    def build(dataset: Facts) -> Change:
        language = dataset.settings.default_language
        return changes.add_action(dataset, action, {
            "number": number, "title": changes.localised(titles, language, "--title"),
            "theme": chosen, "summary": changes.localised(summary or [], language, "--summary"),
            "status": status and str(status), "launched": _day(launched),
            "working_group": working_group and str(working_group),
            "standards": standard or [],
            "milestones": [{"id": k, "title": {language: v}} for k, v in steps.items()],
            "update_every_months": every, "sources": changes.sources(source or []),
        })  # fmt: skip

    apply_change(ctx, build, not no_commit, dry_run)


def join(
    ctx: typer.Context,
    action: Annotated[str, action_argument("The action to join.")],
    member: Annotated[str, member_argument("The member joining it.")],
    joined: Annotated[datetime | None, _date("Day it joined (default: today).", "--date")] = None,
    contribution: Annotated[list[str] | None, _texts("--contribution", "What it pledges")] = None,
    plan: Annotated[
        str | None, typer.Option(help="National Action Plan it entered, e.g. 'France 2018-2020'.")
    ] = None,
    commitment: Annotated[str | None, typer.Option(help="Commitment in that plan.")] = None,
    plan_url: Annotated[str | None, typer.Option(metavar="URL", help="Link to it.")] = None,
    source: Sources = None,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """A member joins an action, with what it pledges."""
    from ogpctl import changes
    from ogpctl.store.config import today

    changes.slug(action, "action")
    changes.slug(member, "member")
    if (commitment or plan_url) and not plan:
        raise UsageError("--commitment and --plan-url describe a --plan: give --plan too")
    nap = {"plan": plan, "commitment": commitment, "url": plan_url} if plan else None
    day = _day(joined) or today()

    def build(dataset: Facts) -> Change:
        language = dataset.settings.default_language
        return changes.join(dataset, action, member, {
            "joined": day,
            "contribution": changes.localised(contribution or [], language, "--contribution"),
            "national_action_plan": nap and {k: v for k, v in nap.items() if v},
            "sources": changes.sources(source or []),
        })  # fmt: skip

    apply_change(ctx, build, not no_commit, dry_run)


def lead(
    ctx: typer.Context,
    action: Annotated[str, action_argument("The action.")],
    government: Annotated[str | None, member_option("The government that leads it.")] = None,
    civil_society: Annotated[str | None, member_option("The civil-society organisation.")] = None,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """Set the leaders of an action: one government and one CSO, both taking part in it."""
    from ogpctl import changes

    changes.slug(action, "action")
    leaders = {"government": government, "civil_society": civil_society}
    if not government and not civil_society:
        if not interactive():
            raise UsageError("give --government MEMBER, --civil-society MEMBER, or both")
        leaders["government"] = _ask_optional("Government leader (member id)")
        leaders["civil_society"] = _ask_optional("Civil-society leader (member id)")
        if not any(leaders.values()):
            raise UsageError("no leader given: nothing to change")
    chosen = {role: changes.slug(m, "member") for role, m in leaders.items() if m}
    apply_change(ctx, lambda dataset: changes.lead(dataset, action, chosen), not no_commit, dry_run)


def update(
    ctx: typer.Context,
    action: Annotated[str, action_argument("The action the update is about.")],
    by: Annotated[str | None, member_option("Who publishes it (a participant).")] = None,
    completion: Annotated[
        Completion | None,
        choice(Completion, "--completion", help="Where the action stands (IRM scale)."),
    ] = None,
    summary: Annotated[list[str] | None, _texts("--summary", "What was done")] = None,
    published: Annotated[
        datetime | None, _date("Day it is published (default: today).", "--date")
    ] = None,
    period_start: Annotated[datetime | None, _date("First day the update covers.")] = None,
    period_end: Annotated[datetime | None, _date("Last day the update covers.")] = None,
    milestone: Annotated[
        list[str] | None,
        typer.Option(metavar="ID=COMPLETION", help="Where a milestone stands (repeatable)."),
    ] = None,
    evidence: Annotated[
        list[str] | None, typer.Option(metavar="URL", help="A link showing it (repeatable).")
    ] = None,
    source: Sources = None,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """Publish a progress update on an action."""
    from ogpctl import changes
    from ogpctl.store.config import today

    changes.slug(action, "action")
    author = changes.slug(by or _ask("--by", "Published by (member id)"), "member")
    level = _choice(completion, "--completion", "Completion", Completion)
    texts = _text(summary, "--summary", "Summary")
    if (period_start is None) != (period_end is None):
        raise UsageError("give both --period-start and --period-end, or neither")
    period = {"start": _day(period_start), "end": _day(period_end)} if period_start else None
    steps = changes.pairs(milestone or [], "--milestone", "ID=COMPLETION")
    day = _day(published) or today()

    def build(dataset: Facts) -> Change:
        language = dataset.settings.default_language
        return changes.update(dataset, action, author, day, {
            "period": period, "completion": level,
            "summary": changes.localised(texts, language, "--summary"),
            "milestones": steps, "evidence": evidence or [],
            "sources": changes.sources(source or []),
        })  # fmt: skip

    apply_change(ctx, build, not no_commit, dry_run)


def commit(
    ctx: typer.Context,
    message: Annotated[
        str | None, typer.Option("--message", "-m", help="Commit message (default: generated).")
    ] = None,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Commit only these files or folders (default: all under data/ and schemas/).",
        ),
    ] = None,
) -> None:
    """Validate, then commit the files changed by hand under data/ and schemas/ (only those,
    or only the PATHs given).

    The dataset as the commit leaves it (HEAD plus these files) must be valid, and a
    published update may not be edited, renamed or deleted (OGP401): publish a new one."""
    from ogpctl import write
    from ogpctl.store.config import today

    done = write.commit_edits(root_of(ctx), today(), message, paths)
    for note in done.recovered:
        print(f"ogpctl: {note}", file=sys.stderr)
    if done.commit is None:
        print("nothing to commit under data/ or schemas/", file=sys.stderr)
        return
    for path in done.paths:
        print(f"  {path}", file=sys.stderr)
    print(f"committed {count(len(done.paths), 'file')} as {done.commit[:12]}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Each command wrapped in the one mapping of errors to exit codes."""
    add_app.command("member")(handle_errors(add_member))
    add_app.command("action")(handle_errors(add_action))
    app.add_typer(add_app, name="add")
    for command in (join, lead, update, commit):
        app.command()(handle_errors(command))
