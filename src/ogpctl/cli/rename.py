"""`ogpctl rename` and `ogpctl merge`: a member's files and references, moved in one commit.

Each asks for a missing id at a terminal and hands its builder (`rename.py`) to
`write.apply`, which checks, writes, deletes and commits every file under the dataset lock.
The files moved and changed are the command's output (stdout); the rest is talk (stderr).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ogpctl.cli.completion import members
from ogpctl.cli.support import handle_errors, root_of
from ogpctl.cli.write import _ask
from ogpctl.problems import count

if TYPE_CHECKING:
    from ogpctl.model.dataset import Facts
    from ogpctl.write import Change


NoCommit = Annotated[bool, typer.Option("--no-commit", help="Write the files; do not commit.")]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Check the change and list the files; write nothing.")
]


def _member(metavar: str, help_text: str) -> Any:
    return typer.Argument(metavar=metavar, help=help_text, autocompletion=members)


def rename(
    ctx: typer.Context,
    member: Annotated[str | None, _member("MEMBER", "The member's id now.")] = None,
    new_id: Annotated[str | None, typer.Argument(metavar="NEW-ID", help="Its new id.")] = None,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """Give a member a new id, in one commit: its file, its participation and updates in
    every action, the actions it leads, and CODEOWNERS. It keeps the old id in `formerly:`.

    Updates move byte for byte (git sees pure renames). To make one member of two, use
    `ogpctl merge`.
    """
    from ogpctl import changes, rename as core

    old = changes.slug(member or _ask("MEMBER", "the member to rename (member id)"), "member")
    new = changes.slug(new_id or _ask("NEW-ID", "its new id (member id)"), "member")
    _run(ctx, lambda dataset: core.rename(dataset, old, new), not no_commit, dry_run)


def merge(
    ctx: typer.Context,
    member: Annotated[str | None, _member("MEMBER", "The member that goes.")] = None,
    into: Annotated[str | None, _member("INTO-MEMBER", "The member that stays.")] = None,
    no_commit: NoCommit = False,
    dry_run: DryRun = False,
) -> None:
    """Make two members one, in one commit: MEMBER's participations, updates and leader
    roles become INTO-MEMBER's, its file goes, and INTO-MEMBER keeps its id in `formerly:`.

    INTO-MEMBER's own fields (name, type, website, maintainers…) stay as they are. In an
    action both joined: the earlier `joined`, both pledges (per language, INTO-MEMBER's
    first), one `left` only if both left (the later), and MEMBER's updates of a day
    numbered after INTO-MEMBER's (-2, -3…). Two different national action plans, or one
    member leading an action in both roles, are conflicts: listed, and nothing is written.
    """
    from ogpctl import changes, rename as core

    gone = changes.slug(member or _ask("MEMBER", "the member that goes (member id)"), "member")
    kept = changes.slug(into or _ask("INTO-MEMBER", "the member that stays (member id)"), "member")
    _run(ctx, lambda dataset: core.merge(dataset, gone, kept), not no_commit, dry_run)


def _run(ctx: typer.Context, build: Callable[[Facts], Change], commit: bool, dry: bool) -> None:
    from ogpctl import write
    from ogpctl.check.validate import Report
    from ogpctl.render.validate import text
    from ogpctl.store.config import today

    outcome = write.apply(root_of(ctx), build, today(), commit=commit, dry_run=dry)
    for note in outcome.recovered:
        print(f"ogpctl: {note}", file=sys.stderr)
    if outcome.warnings:
        sys.stderr.write(text(Report(1, outcome.warnings)))
    said = outcome.change.body if outcome.change else ()
    sys.stdout.write("".join(f"{line}\n" for line in [*said, *outcome.also]))
    if dry:
        print("ogpctl: dry run: nothing written", file=sys.stderr)
    elif outcome.commit:
        print(f"wrote the files above, committed {outcome.commit[:12]}", file=sys.stderr)
    else:
        print("wrote the files above (not committed)", file=sys.stderr)
    if outcome.old_errors:
        print(
            f"ogpctl: the dataset still has {count(outcome.old_errors, 'error')} that this change "
            "did not bring (see `ogpctl validate`)",
            file=sys.stderr,
        )


def register(app: typer.Typer) -> None:
    for command in (rename, merge):
        app.command()(handle_errors(command))
