"""The commands that read the record's history from git: log and diff."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ogpctl.cli import completion
from ogpctl.cli.support import choice, handle_errors, root_of
from ogpctl.render.formats import choices

LogFormat = choices("log")
_LOG_DEFAULT = LogFormat("table")


def log(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="ID",
            help="A member or action id, or a path (default: all).",
            autocompletion=completion.records,
        ),
    ] = None,
    output_format: Annotated[
        LogFormat,  # type: ignore[valid-type]
        choice(LogFormat, "--format", "-f", help="Output format."),
    ] = _LOG_DEFAULT,
) -> None:
    """The history of the dataset or of one record (an action with its participants and
    updates), following renames: date, author, message. A member's history includes that
    of the ids it had before a rename or merge (`formerly`); such an old id gives the
    history of the member that holds it now."""
    from ogpctl.log import follow, history
    from ogpctl.render.log import FORMATS

    root = root_of(ctx)
    name, was = follow(root, name)
    if name and was:
        print(f"ogpctl: {was.into(name)}: its history", file=sys.stderr)
    sys.stdout.write(FORMATS[output_format](history(root, name)))


DiffFormat = choices("diff")
_DIFF_DEFAULT = DiffFormat("markdown")


def diff(
    ctx: typer.Context,
    base: Annotated[str, typer.Argument(metavar="BASE", help="Branch, tag or commit before.")],
    head: Annotated[
        str | None,
        typer.Argument(
            metavar="[HEAD]",
            help="Branch, tag or commit after (default: the work tree, with new files).",
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat,  # type: ignore[valid-type]
        choice(DiffFormat, "--format", "-f", help="Output format."),
    ] = _DIFF_DEFAULT,
) -> None:
    """What a change does to the record: members, actions, participants and updates
    added, changed, renamed or removed, with their names (for a pull-request summary)."""
    from ogpctl.diff import summarise
    from ogpctl.render.diff import FORMATS

    sys.stdout.write(FORMATS[output_format](summarise(root_of(ctx), base, head)))


def register(app: typer.Typer) -> None:
    """Each command wrapped in the one mapping of errors to exit codes."""
    for command in (log, diff):
        app.command()(handle_errors(command))
