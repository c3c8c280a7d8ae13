"""The commands that read the record's history from git: log and diff."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from ogpctl.cli.support import handle_errors, root_of


class LogFormat(StrEnum):
    table = "table"
    json = "json"


def log(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(metavar="ID", help="A member or action id, or a path (default: all)."),
    ] = None,
    output_format: Annotated[
        LogFormat, typer.Option("--format", "-f", help="Output format.")
    ] = LogFormat.table,
) -> None:
    """The history of the dataset or of one record (an action with its participants and
    updates), following renames: date, author, message."""
    import json

    from ogpctl.inert import inert
    from ogpctl.log import history

    commits = history(root_of(ctx), name)
    if output_format is LogFormat.json:
        entries = [
            {"commit": c.sha, "date": c.date, "author": c.author, "email": c.email,
             "message": c.message, "trailers": c.trailers}
            for c in commits
        ]  # fmt: skip
        print(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    width = max((len(c.author) for c in commits), default=0)
    for c in commits:
        print(f"{c.sha[:10]}  {c.date[:10]}  {inert(c.author):<{width}}  {inert(c.subject)}")


class DiffFormat(StrEnum):
    markdown = "markdown"
    json = "json"


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
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.markdown,
) -> None:
    """What a change does to the record: members, actions, participants and updates
    added, changed, renamed or removed, with their names (for a pull-request summary)."""
    from ogpctl import diff as record_diff

    summary = record_diff.summarise(root_of(ctx), base, head)
    render = record_diff.as_json if output_format is DiffFormat.json else record_diff.as_markdown
    sys.stdout.write(render(summary))


def register(app: typer.Typer) -> None:
    """Each command wrapped in the one mapping of errors to exit codes."""
    for command in (log, diff):
        app.command()(handle_errors(command))
