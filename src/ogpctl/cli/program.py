"""The command line: parse options, call the core, render, map errors to exit codes.

Kept light to import: the core (pydantic, PyYAML), rich and git load inside the commands
that need them, so `ogpctl --version` and `--help` start fast.
"""

from __future__ import annotations

try:  # Ctrl-C while starting: nothing is done yet, so end as interrupted, no traceback
    import sys
    from pathlib import Path
    from typing import TYPE_CHECKING, Annotated

    import typer

    from ogpctl import __version__
    from ogpctl.cli import (
        completion,
        history as cli_history,
        project as cli_project,
        rename as cli_rename,
        site as cli_site,
        upkeep as cli_upkeep,
        write as cli_write,
    )
    from ogpctl.cli.examples import add_examples
    from ogpctl.cli.support import (
        INTERRUPTS,
        Options,
        choice,
        closed_pipe,
        count_interrupts,
        global_options_first,
        handle_errors,
        root_of,
    )
    from ogpctl.errors import ExitCode
    from ogpctl.problems import count
    from ogpctl.render.formats import choices
except KeyboardInterrupt:
    raise SystemExit(130) from None

if TYPE_CHECKING:
    from ogpctl.check.report import Report
    from ogpctl.model.dataset import Settings, Shown

app = typer.Typer(
    name="ogpctl",
    rich_markup_mode=None,  # plain help: no rich import at start-up
    pretty_exceptions_enable=False,
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

    Global options may also follow the command (`ogpctl status --no-color`).

    Exit codes: 0 ok; 1 the data is invalid; 2 usage error; 3 the operation could
    not run (no dataset, git refused, lock held); 4 a bug; 130 interrupted; 141 the
    output's reader went away (`ogpctl status | head -1`).
    """
    ctx.obj = Options(root=root, no_color=no_color)


ReportFormat = choices("validate")
_REPORT_DEFAULT = ReportFormat("auto")


@app.command()
@handle_errors
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Report only on these files or folders (all rules still apply)."),
    ] = None,
    output_format: Annotated[
        ReportFormat,  # type: ignore[valid-type]
        choice(
            ReportFormat,
            "--format",
            "-f",
            help="How to print problems (auto: github under GitHub Actions).",
        ),
    ] = _REPORT_DEFAULT,
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
            "--no-cache",
            help="Check every file again: neither read nor write the caches (results, ISO "
            "code lists).",
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
    from ogpctl.store.gitquery import not_checked_out

    root = root_of(ctx)
    if no_cache:
        from ogpctl.store.isocodes import bypass

        bypass()
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
    absent = not_checked_out(root)
    if absent:
        print(render.not_checked_out(absent), file=sys.stderr)
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


StatusFormat = choices("status")
ShowFormat = choices("show")
ExportFormat = choices("export")
_STATUS_DEFAULT, _SHOW_DEFAULT = StatusFormat("table"), ShowFormat("table")
_EXPORT_DEFAULT = ExportFormat("json")


LangOption = Annotated[
    str | None, typer.Option(help="Language of titles and text (default: the dataset's).")
]


def _note_invalid(errors: int) -> None:
    """Read commands show what is valid, then say so and exit 1 when some files are not."""
    if errors:
        print(
            f"ogpctl: the dataset has {count(errors, 'error')}; figures count only the "
            "records that are valid (see `ogpctl validate`)",
            file=sys.stderr,
        )
        raise typer.Exit(ExitCode.INVALID)


@app.command()
@handle_errors
def status(
    ctx: typer.Context,
    output_format: Annotated[
        StatusFormat,  # type: ignore[valid-type]
        choice(StatusFormat, "--format", "-f", help="Output format (markdown: a report to post)."),
    ] = _STATUS_DEFAULT,
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
    from ogpctl.check.fast.answers import answer_shown
    from ogpctl.render.terminal import terminal
    from ogpctl.store.config import today

    def make(settings: Settings, dataset: Shown) -> str:
        from ogpctl import status as core
        from ogpctl.render import status as views

        language = core.check_language(lang or settings.default_language)
        report = core.status(dataset, now, language, core.Filters(theme, overdue, member))
        if output_format == "table":
            return views.status_table(report, no_color=ctx.obj.no_color)
        return views.status_data(report, str(output_format))

    root, now, table = root_of(ctx), today(), output_format == "table"
    asked = ("status", str(output_format), lang, theme, overdue, member)
    key = (*asked, table and terminal(no_color=ctx.obj.no_color))
    text, result = answer_shown(root, now, key, make)
    sys.stdout.write(text)
    _note_invalid(result.errors)


@app.command()
@handle_errors
def show(
    ctx: typer.Context,
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="An action or member id (`action:ID` or `member:ID` if both), or an action's "
            "number.",
            autocompletion=completion.records,
        ),
    ],
    output_format: Annotated[
        ShowFormat,  # type: ignore[valid-type]
        choice(ShowFormat, "--format", "-f", help="Output format."),
    ] = _SHOW_DEFAULT,
    lang: LangOption = None,
) -> None:
    """One action or member in full, with its history.

    An action: summary, leaders, participants with their pledges and NAP links, milestones
    with their latest completion, the timeline of updates. A member: its actions and roles,
    and the updates it published. A number is the action with that number (`ogpctl show
    2`). An unknown ID exits 1 with the nearest ids. Former participants are listed, marked
    with the day they left. A member's former id (`formerly`: renamed or merged) shows the
    member that holds it now, saying so.
    """
    from ogpctl.check.fast.answers import answer
    from ogpctl.render.terminal import terminal
    from ogpctl.store.config import today

    def make(settings: Settings, result: Report) -> str:
        from ogpctl import show as core
        from ogpctl.render import show as views
        from ogpctl.status import check_language

        dataset = core.dataset_for(root, settings, record_id, result.files)
        language = check_language(lang or settings.default_language)
        detail = core.find(dataset, record_id, now, language)
        if output_format == "table":
            return views.show_table(detail, no_color=ctx.obj.no_color)
        return views.show_json(detail)

    root, now, table = root_of(ctx), today(), output_format == "table"
    asked = ("show", record_id, str(output_format), lang)
    text, result = answer(root, now, (*asked, table and terminal(no_color=ctx.obj.no_color)), make)
    sys.stdout.write(text)
    _note_invalid(result.errors)


@app.command()
@handle_errors
def export(
    ctx: typer.Context,
    output_format: Annotated[
        ExportFormat,  # type: ignore[valid-type]
        choice(ExportFormat, "--format", "-f", help="What to write."),
    ] = _EXPORT_DEFAULT,
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
    are replaced whole. Only a valid dataset is exported. When nothing changed since the
    last export of a format (same options, same day), what it wrote is copied.
    """
    from ogpctl import export as core
    from ogpctl.progress import Writer
    from ogpctl.render import markdown
    from ogpctl.store.config import today

    root = root_of(ctx)
    target = None if output is None or str(output) == "-" else output
    core.check_target(str(output_format), target, metadata)
    exported = core.export_checked(
        root, str(output_format), target, today(), lang, metadata,
        report=Writer(markdown.report_head, markdown.report_section), out=sys.stdout.write,
    )  # fmt: skip
    sys.stdout.write(exported.text)
    for path in exported.written:
        print(f"wrote {path}", file=sys.stderr)


cli_write.register(app)
cli_upkeep.register(app)
cli_rename.register(app)
cli_history.register(app)
cli_project.register(app)
cli_site.register(app)
add_examples(app)


def main() -> None:
    """The `ogpctl` program. Ctrl-C anywhere ends it with 130 and no traceback, even where
    a library turned the KeyboardInterrupt into an error of its own."""
    count_interrupts()
    try:
        try:
            app(args=global_options_first(sys.argv[1:]), prog_name="ogpctl")
        finally:
            sys.stdout.flush()  # a closed pipe shows here when the output was buffered
    except SystemExit:
        raise
    except BrokenPipeError:
        closed_pipe()
        raise SystemExit(ExitCode.CLOSED_PIPE) from None
    except BaseException:
        if INTERRUPTS:
            raise SystemExit(ExitCode.INTERRUPTED) from None
        raise
