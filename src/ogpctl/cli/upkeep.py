"""The commands that keep the record: set, milestone, resource, leave, and the `members` list.

Each write changes one existing file through `write.apply` (checked with the whole
dataset, written atomically, committed alone), rewriting only the keys that change.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ogpctl.cli.completion import action_argument
from ogpctl.cli.support import apply_change, choice, handle_errors, root_of
from ogpctl.cli.write import DryRun, NoCommit, _ask, _date, _day, _texts
from ogpctl.errors import ExitCode
from ogpctl.model.vocabulary import ActionStatus, MemberType, ResourceType, Theme, WorkingGroup
from ogpctl.render.formats import choices

MembersFormat = choices("members")

if TYPE_CHECKING:
    from ogpctl.model.dataset import Facts, Settings, Shown
    from ogpctl.write import Change

set_app = typer.Typer(
    help="Change fields of an existing action or member (one file, committed).",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Unset = Annotated[
    list[str] | None,
    typer.Option(
        "--unset",
        metavar="FIELD[.LANG]",
        help="Remove an optional field, or one language of a text: `title.fr` (repeatable).",
    ),
]


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def set_action(
    ctx: typer.Context,
    action: Annotated[str, typer.Argument(metavar="ACTION", help="The action to change.")],
    title: Annotated[list[str] | None, _texts("--title", "Title")] = None,
    summary: Annotated[list[str] | None, _texts("--summary", "What it is about")] = None,
    status: Annotated[ActionStatus | None, typer.Option(help="Where it stands.")] = None,
    theme: Annotated[Theme | None, typer.Option(help="Its theme.")] = None,
    launched: Annotated[datetime | None, _date("Day it was launched.")] = None,
    working_group: Annotated[WorkingGroup | None, typer.Option(help="OGP working group.")] = None,
    standard: Annotated[
        list[str] | None,
        typer.Option(metavar="ID", help="A standard it uses (repeatable; replaces the list)."),
    ] = None,
    every: Annotated[
        int | None,
        typer.Option("--update-every-months", metavar="N", help="Months between updates."),
    ] = None,
    unset: Unset = None,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """Change fields of an action; `--title fr=…` replaces the French title only."""
    from ogpctl import changes, revise
    from ogpctl.model.keys import Kind, RecordKey

    changes.slug(action, "action")

    def build(dataset: Facts) -> Change:
        language = dataset.settings.default_language
        values = _given({
            "title": title and changes.localised(title, language, "--title"),
            "summary": summary and changes.localised(summary, language, "--summary"),
            "status": status and str(status), "theme": theme and str(theme),
            "launched": _day(launched), "working_group": working_group and str(working_group),
            "standards": standard, "update_every_months": every,
        })  # fmt: skip
        key = RecordKey(Kind.ACTION, action=action)
        return revise.set_fields(dataset, key, values, unset or [])

    apply_change(ctx, build, not no_commit, dry_run)


def set_member(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(metavar="MEMBER", help="The member to change.")],
    name: Annotated[list[str] | None, _texts("--name", "Name")] = None,
    acronym: Annotated[str | None, typer.Option(help="Short name, e.g. TI.")] = None,
    website: Annotated[str | None, typer.Option(metavar="URL", help="Web site.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, e.g. FR.")] = None,
    subdivision: Annotated[str | None, typer.Option(help="ISO 3166-2 code.")] = None,
    member_since: Annotated[
        int | None, typer.Option("--ogp-member-since", metavar="YEAR", help="Year it joined OGP.")
    ] = None,
    maintainer: Annotated[
        list[str] | None,
        typer.Option(metavar="HANDLE", help="GitHub handle (repeatable; replaces the list)."),
    ] = None,
    unset: Unset = None,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """Change fields of a member; `--name fr=…` replaces the French name only."""
    from ogpctl import changes, revise
    from ogpctl.model.keys import Kind, RecordKey

    changes.slug(member, "member")

    def build(dataset: Facts) -> Change:
        language = dataset.settings.default_language
        values = _given({
            "name": name and changes.localised(name, language, "--name"),
            "acronym": acronym, "website": website, "country": country,
            "subdivision": subdivision, "ogp_member_since": member_since,
            "maintainers": maintainer,
        })  # fmt: skip
        key = RecordKey(Kind.MEMBER, member=member)
        return revise.set_fields(dataset, key, values, unset or [])

    apply_change(ctx, build, not no_commit, dry_run)


def milestone(
    ctx: typer.Context,
    action: Annotated[str, typer.Argument(metavar="ACTION", help="The action.")],
    ident: Annotated[
        str, typer.Argument(metavar="MILESTONE-ID", help="Id of the milestone, e.g. publish-data.")
    ],
    title: Annotated[list[str] | None, _texts("--title", "What the milestone is")] = None,
    due: Annotated[datetime | None, _date("Day it is due.")] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Remove it (refused if an update reports on it).")
    ] = False,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """Add a milestone to an action, or change its title (one language at a time) or due date."""
    from ogpctl import changes, revise
    from ogpctl.errors import UsageError

    changes.slug(action, "action")
    if remove and (title or due):
        raise UsageError("--remove takes no --title or --due")

    def build(dataset: Facts) -> Change:
        language = dataset.settings.default_language
        texts = changes.localised(title or [], language, "--title")
        return revise.milestone(dataset, action, ident, texts, _day(due), remove)

    apply_change(ctx, build, not no_commit, dry_run)


def resource(
    ctx: typer.Context,
    action: Annotated[str, action_argument("The action.")],
    url: Annotated[
        str, typer.Argument(metavar="URL", help="Address of the resource: it names the resource.")
    ],
    title: Annotated[list[str] | None, _texts("--title", "What the resource is")] = None,
    kind: Annotated[
        ResourceType | None,
        choice(ResourceType, "--type", help="Kind of resource (a new one: other)."),
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove it from the action.")] = False,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """Add a resource (document, tool, data) to an action, or change the title (one language at
    a time) or type of the one at URL, or remove it. To change a URL, remove it and add the new
    one.
    """
    from ogpctl import changes, revise
    from ogpctl.errors import UsageError

    changes.slug(action, "action")
    if remove and (title or kind):
        raise UsageError("--remove takes no --title or --type")

    def build(dataset: Facts) -> Change:
        language = dataset.settings.default_language
        texts = changes.localised(title or [], language, "--title")
        return revise.resource(dataset, action, url, texts, kind and str(kind), remove)

    apply_change(ctx, build, not no_commit, dry_run)


def leave(
    ctx: typer.Context,
    action: Annotated[str, typer.Argument(metavar="ACTION", help="The action it leaves.")],
    member: Annotated[
        str | None, typer.Argument(metavar="MEMBER", help="The member withdrawing.")
    ] = None,
    left: Annotated[datetime | None, _date("Day it left (default: today).", "--date")] = None,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """A member withdraws from an action: its participation gains `left:`.

    It stays listed as a former participant; a leader must be replaced first (`ogpctl lead`).
    """
    from ogpctl import changes, revise
    from ogpctl.store.config import today

    changes.slug(action, "action")
    who = changes.slug(member or _ask("MEMBER", "Member leaving (member id)"), "member")
    day = _day(left) or today()
    apply_change(
        ctx, lambda dataset: revise.leave(dataset, action, who, day), not no_commit, dry_run
    )


def members(
    ctx: typer.Context,
    member_type: Annotated[
        MemberType | None, typer.Option("--type", help="Only this kind.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(metavar="CC", help="Only this country (ISO 3166-1 alpha-2).")
    ] = None,
    action: Annotated[
        str | None, typer.Option(metavar="ACTION", help="Only the participants of this action.")
    ] = None,
    output_format: Annotated[
        MembersFormat, typer.Option("--format", "-f", help="Output format.")  # type: ignore[valid-type]
    ] = "table",
    lang: Annotated[
        str | None, typer.Option(metavar="LANG", help="Language of the names (ISO 639-1).")
    ] = None,
) -> None:
    """List the members: type, country, and the actions they take part in (and left)."""
    import sys

    from ogpctl.check.fast.answers import answer_shown
    from ogpctl.store.config import today

    kind = member_type and str(member_type)

    def make(settings: Settings, dataset: Shown) -> str:
        from ogpctl import members as core
        from ogpctl.render import members as views
        from ogpctl.status import check_language

        language = check_language(lang or settings.default_language)
        rows = core.members(dataset, language, member_type=kind, country=country, action=action)
        return views.FORMATS[str(output_format)](rows)

    root = root_of(ctx)
    asked = ("members", kind, country, action, str(output_format), lang)
    text, result = answer_shown(root, today(), asked, make)
    sys.stdout.write(text)
    if result.errors:  # as the other read commands: list what is valid, then exit 1
        print(
            f"ogpctl: the dataset has {result.errors} errors; only the members that are valid "
            "are listed (see `ogpctl validate`)",
            file=sys.stderr,
        )
        raise typer.Exit(ExitCode.INVALID)


def fmt(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(metavar="[PATH]...", help="Record files or folders (default: data/)."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="List the files not in canonical form; change none.")
    ] = False,
) -> None:
    """Put record files in canonical form, keeping their comments.

    UTF-8 without BOM, `\\n` line ends, a final newline, the `$schema` comment first, keys
    in model order, localised text as a mapping. With --check, list the files that are not
    canonical and exit 1, writing nothing. A file that is not a valid record is left alone
    (exit 1; `ogpctl validate` says why).
    """
    import sys

    from ogpctl import fmt as core
    from ogpctl.store.config import load_settings

    root = root_of(ctx)
    language = load_settings(root).default_language
    results = core.fmt(root, paths or [], language, check=check)
    changed = [r.path for r in results if r.changed]
    for result in results:
        if result.skipped:
            print(f"ogpctl: {result.path}: {result.skipped}", file=sys.stderr)
    for path in changed:
        print(path)
    files = f"{len(changed)} of {len(results)} files"
    if check:
        print(f"{files} not in canonical form (`ogpctl fmt` fixes them)" if changed
              else f"all {len(results)} files in canonical form", file=sys.stderr)  # fmt: skip
    else:
        print(f"reformatted {files}", file=sys.stderr)
    if (check and changed) or any(r.skipped for r in results):
        raise typer.Exit(ExitCode.INVALID)


def register(app: typer.Typer) -> None:
    """Each command wrapped in the one mapping of errors to exit codes."""
    set_app.command("action")(handle_errors(set_action))
    set_app.command("member")(handle_errors(set_member))
    app.add_typer(set_app, name="set")
    for command in (milestone, resource, leave, members, fmt):
        app.command()(handle_errors(command))
