"""`ogpctl rename` and `ogpctl merge`: a member's files and references, moved in one commit.

Each asks for a missing id at a terminal and hands its builder (`rename.py`) to
`write.apply`, which checks, writes, deletes and commits every file under the dataset lock.
The files moved and changed are the command's output (stdout); the rest is talk (stderr).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ogpctl.cli.completion import members
from ogpctl.cli.support import apply_change, handle_errors
from ogpctl.cli.write import _ask

if TYPE_CHECKING:
    pass


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
    apply_change(ctx, lambda dataset: core.rename(dataset, old, new), not no_commit, dry_run)


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
    apply_change(ctx, lambda dataset: core.merge(dataset, gone, kept), not no_commit, dry_run)


def register(app: typer.Typer) -> None:
    for command in (rename, merge):
        app.command()(handle_errors(command))
