"""The command line: parse options, call the core, render, map errors to exit codes.

Kept light to import: the core (pydantic, PyYAML), rich and git load inside the commands
that need them, so `ogpctl --version` and `--help` start fast.
"""

from __future__ import annotations

try:  # Ctrl-C while starting: nothing is done yet, so end as interrupted, no traceback
    import sys
    from enum import StrEnum
    from pathlib import Path
    from typing import Annotated

    import typer

    from ogpctl import __version__
    from ogpctl.cli import history as cli_history, project as cli_project, write as cli_write
    from ogpctl.cli.support import INTERRUPTS, Options, count_interrupts, handle_errors, root_of
    from ogpctl.errors import ExitCode
except KeyboardInterrupt:
    raise SystemExit(130) from None

app = typer.Typer(
    name="ogpctl",
    rich_markup_mode=None,  # plain help: no rich import at start-up
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        print(f"ogpctl {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    root: Annotated[
        Path | None,
        typer.Option(
            help="Dataset root (else $OGPCTL_ROOT, else the nearest parent "
            "holding ogpctl.toml or data/)."
        ),
    ] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour in output (also: NO_COLOR=1).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Keep the record of the OGP collective actions: a git-tracked YAML dataset.

    Exit codes: 0 ok; 1 the data is invalid; 2 usage error; 3 the operation could
    not run (no dataset, git refused, lock held); 130 interrupted.
    """
    ctx.obj = Options(root=root, no_color=no_color)


class ReportFormat(StrEnum):
    auto = "auto"
    text = "text"
    json = "json"
    github = "github"


@app.command()
@handle_errors
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Report only on these files or folders (all rules still apply)."),
    ] = None,
    output_format: Annotated[
        ReportFormat,
        typer.Option(
            "--format", "-f", help="How to print problems (auto: github under GitHub Actions)."
        ),
    ] = ReportFormat.auto,
    changed_since: Annotated[
        str | None,
        typer.Option(
            metavar="REF",
            help="Report only the problems brought by the changes since REF (a branch, tag "
            "or commit), and edits of updates published before it.",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="Check every file again: neither read nor write the cache."
        ),
    ] = False,
) -> None:
    """Check every file and every rule across files; print all problems.

    Problems go to stdout as `path:line:col: severity CODE message`; a summary goes to
    stderr. Exits 1 when there is an error (warnings alone exit 0). The results of
    unchanged files are cached (in .git/ogpctl/, else in the user's cache folder).
    """
    from ogpctl.check.validate import check_dataset, scope, within
    from ogpctl.render import validate as render
    from ogpctl.store.config import today

    root = root_of(ctx)
    prefixes = scope(root, paths) if paths else None
    old = 0
    if changed_since:
        from ogpctl.check.review import changed_since as review

        found = review(root, changed_since, today(), cache=not no_cache)
        result, old = found.report, found.old
    else:
        _, result = check_dataset(root, today(), records=False, cache=not no_cache)
    if prefixes is not None:
        result = within(result, prefixes)
    sys.stdout.write(render.RENDERERS[render.resolve(output_format)](result))
    print(render.summary(result), file=sys.stderr)
    if changed_since:
        print(
            f"({old} problems there already where the work branched off {changed_since}: "
            "not shown)",
            file=sys.stderr,
        )
    raise typer.Exit(ExitCode.OK if result.ok else ExitCode.INVALID)


@app.command()
@handle_errors
def schema(
    ctx: typer.Context,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a schema is out of date.")
    ] = False,
) -> None:
    """Write the JSON Schema of each record kind into schemas/, generated from the models."""
    from ogpctl import schema as schemas

    root = root_of(ctx)
    if check:
        stale = schemas.stale(root)
        for path in stale:
            print(f"{path.relative_to(root)} is out of date: run `ogpctl schema`", file=sys.stderr)
        raise typer.Exit(ExitCode.INVALID if stale else ExitCode.OK)
    written = schemas.write(root)
    for path in written:
        print(f"wrote {path.relative_to(root)}", file=sys.stderr)
    if not written:
        print("schemas are up to date", file=sys.stderr)


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    markdown = "markdown"
    sqlite = "sqlite"


LangOption = Annotated[
    str | None, typer.Option(help="Language of titles and text (default: the dataset's).")
]


def _note_invalid(errors: int) -> None:
    """Read commands show what is valid, then say so and exit 1 when some files are not."""
    if errors:
        print(
            f"ogpctl: the dataset has {errors} errors; figures count only the "
            "records that are valid (see `ogpctl validate`)",
            file=sys.stderr,
        )
        raise typer.Exit(ExitCode.INVALID)


@app.command()
@handle_errors
def status(
    ctx: typer.Context,
    output_format: Annotated[
        StatusFormat,
        typer.Option("--format", "-f", help="Output format (markdown: a report to post)."),
    ] = StatusFormat.table,
    lang: LangOption = None,
    theme: Annotated[
        str | None,
        typer.Option(
            help="Only this theme: transparency-integrity-anticorruption, "
            "climate-sustainable-development or digital-commons."
        ),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only actions whose progress update is late.")
    ] = False,
    member: Annotated[
        str | None, typer.Option(help="Only actions this member takes part in or leads.")
    ] = None,
) -> None:
    """One row per action: theme, status, leaders, governments, CSOs, updates; totals.

    An active action is overdue when its next progress update was due before today
    (`update_every_months`, else the dataset's default; OGPCTL_TODAY pins today).
    """
    from ogpctl import status as core
    from ogpctl.check.validate import check_dataset
    from ogpctl.render import status as views
    from ogpctl.store.config import today

    root = root_of(ctx)
    now = today()
    dataset, result = check_dataset(root, now)
    language = core.check_language(lang or dataset.settings.default_language)
    report = core.status(dataset, now, language, core.Filters(theme, overdue, member))
    if output_format is StatusFormat.table:
        views.status_table(report, no_color=ctx.obj.no_color)
    else:
        sys.stdout.write(views.status_data(report, str(output_format)))
    _note_invalid(result.errors)


@app.command()
@handle_errors
def show(
    ctx: typer.Context,
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="An action or member id (`action:ID` or `member:ID` if both)."
        ),
    ],
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ShowFormat.table,
    lang: LangOption = None,
) -> None:
    """One action or member in full, with its history.

    An action: summary, leaders, participants with their pledges and NAP links, milestones
    with their latest completion, the timeline of updates. A member: its actions and roles,
    and the updates it published. An unknown ID exits 1 with the nearest ids.
    """
    from ogpctl import show as core
    from ogpctl.check.validate import check_dataset
    from ogpctl.render import show as showviews
    from ogpctl.status import check_language
    from ogpctl.store.config import load_settings, today

    root = root_of(ctx)
    now = today()
    _, result = check_dataset(root, now, records=False)  # for the count of errors only
    dataset = core.dataset_for(root, load_settings(root), record_id)
    language = check_language(lang or dataset.settings.default_language)
    detail = core.find(dataset, record_id, now, language)
    if output_format is ShowFormat.table:
        showviews.show_table(detail, no_color=ctx.obj.no_color)
    else:
        sys.stdout.write(showviews.show_json(detail))
    _note_invalid(result.errors)


@app.command()
@handle_errors
def export(
    ctx: typer.Context,
    output_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="What to write.")
    ] = ExportFormat.json,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="json, markdown: a file (default: stdout); csv: a folder; sqlite: a file.",
        ),
    ] = None,
    lang: LangOption = None,
    metadata: Annotated[
        bool,
        typer.Option(
            "--metadata", help="sqlite: also write Datasette's metadata, NAME.metadata.json."
        ),
    ] = False,
) -> None:
    """The whole dataset in other forms: json, csv, markdown or sqlite.

    json: one document with every record and field, ids included. csv: members.csv,
    actions.csv, participants.csv and updates.csv in the -o folder, joinable by id, and
    datapackage.json (Frictionless: types, keys, licence, sources). markdown: a progress
    report per action (in --lang). sqlite: one table per kind, with primary and foreign
    keys; with --metadata, NAME.metadata.json beside it for `datasette NAME.db -m
    NAME.metadata.json` (title, licence, sources, every table and column described).
    json and markdown go to stdout without -o (or with -o -); csv and sqlite need -o. Files
    are replaced whole. Only a valid dataset is exported.
    """
    from ogpctl import export as core
    from ogpctl.check.validate import check_dataset
    from ogpctl.errors import InvalidData
    from ogpctl.render import markdown
    from ogpctl.status import check_language
    from ogpctl.store.config import today

    root = root_of(ctx)
    now = today()
    target = None if output is None or str(output) == "-" else output
    core.check_target(str(output_format), target, metadata)
    dataset, result = check_dataset(root, now)
    if not result.ok:
        raise InvalidData(
            f"the dataset has {result.errors} errors and an export must lose nothing: "
            "fix them first (see `ogpctl validate`)"
        )
    language = check_language(lang or dataset.settings.default_language)
    exported = core.export(
        dataset, str(output_format), target, now, language, metadata, report=markdown.report
    )
    sys.stdout.write(exported.text)
    for path in exported.written:
        print(f"wrote {path}", file=sys.stderr)


cli_write.register(app)
cli_history.register(app)
cli_project.register(app)


def main() -> None:
    """The `ogpctl` program. Ctrl-C anywhere ends it with 130 and no traceback, even where
    a library turned the KeyboardInterrupt into an error of its own."""
    count_interrupts()
    try:
        app()
    except SystemExit:
        raise
    except BaseException:
        if INTERRUPTS:
            raise SystemExit(ExitCode.INTERRUPTED) from None
        raise
