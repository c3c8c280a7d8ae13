"""The command line: parse options, call the core, render, map errors to exit codes.

Kept light to import: the core (pydantic, PyYAML), rich and git load inside the commands
that need them, so `ogpctl --version` and `--help` start fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ogpctl import __version__
from ogpctl.errors import ExitCode, OgpctlError

app = typer.Typer(
    name="ogpctl",
    rich_markup_mode=None,  # plain help: no rich import at start-up
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Options:
    root: Path | None
    no_color: bool


def handle_errors(function: F) -> F:
    """The one place where ogpctl's errors become a message and an exit code."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except OgpctlError as err:
            print(f"ogpctl: {err}", file=sys.stderr)
            raise typer.Exit(err.exit_code) from None

    return run  # type: ignore[return-value]


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


def _root(ctx: typer.Context) -> Path:
    from ogpctl.config import find_root

    options: Options = ctx.obj
    return find_root(options.root)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
@handle_errors
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Report only on these files or folders (all rules still apply)."),
    ] = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="How to print problems.")
    ] = ReportFormat.text,
) -> None:
    """Check every file and every rule across files; print all problems.

    Problems go to stdout as `path:line:col: severity CODE message`; a summary goes to
    stderr. Exits 1 when there is an error (warnings alone exit 0).
    """
    from ogpctl import report as render
    from ogpctl.config import today
    from ogpctl.validate import check_dataset, scope, within

    root = _root(ctx)
    prefixes = scope(root, paths) if paths else None
    dataset, result = check_dataset(root, today())
    if prefixes is not None:
        result = within(result, dataset, prefixes)
    sys.stdout.write(render.RENDERERS[output_format](result))
    print(render.summary(result), file=sys.stderr)
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

    root = _root(ctx)
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


@app.command()
@handle_errors
def status(
    ctx: typer.Context,
    output_format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TableFormat.table,
    lang: Annotated[
        str | None, typer.Option(help="Language of titles (default: the dataset's).")
    ] = None,
) -> None:
    """One row per action: theme, status, leaders, governments, CSOs, updates; totals."""
    from ogpctl import status as core
    from ogpctl import views
    from ogpctl.config import today
    from ogpctl.validate import check_dataset

    root = _root(ctx)
    now = today()
    dataset, result = check_dataset(root, now)
    rows = core.rows(dataset, now, lang or dataset.settings.default_language)
    totals = core.totals(dataset)
    if output_format is TableFormat.table:
        views.status_table(rows, totals, no_color=ctx.obj.no_color)
    else:
        sys.stdout.write(views.status_data(rows, totals, str(output_format)))
    if not result.ok:
        print(
            f"ogpctl: the dataset has {result.errors} errors; figures count only the "
            "records that are valid (see `ogpctl validate`)",
            file=sys.stderr,
        )
        raise typer.Exit(ExitCode.INVALID)


def main() -> None:
    app()
