"""The commands that set a repository up around the dataset: init and codeowners.

Light at import time, like `cli.py`: the core modules load inside the commands.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ogpctl.cli.support import handle_errors, root_of
from ogpctl.errors import ExitCode
from ogpctl.problems import count


def _shown(path: Path) -> str:
    """A path as a person would type it from here."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def codeowners(
    ctx: typer.Context,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if .github/CODEOWNERS is out of date."),
    ] = False,
) -> None:
    """Write .github/CODEOWNERS from the members' maintainers and the actions' leaders.

    GitHub then asks one of a member's maintainers to review changes to its file, its
    pledges and its updates, and one of the leaders' maintainers for the rest of an
    action's folder (a pledge in an action: the member's or the leaders' maintainers).
    Lines above the generated header are kept. Invalid records are skipped.
    """
    from ogpctl import codeowners as core

    planned = core.plan(root_of(ctx))
    if planned.skipped:
        print(
            f"ogpctl: {count(planned.skipped, 'invalid member or action file')} skipped "
            "(see `ogpctl validate`)",
            file=sys.stderr,
        )
    if check:
        if planned.stale:
            state = "missing" if planned.current is None else "out of date"
            print(f"{_shown(planned.path)} is {state}: run `ogpctl codeowners`", file=sys.stderr)
            raise typer.Exit(ExitCode.INVALID)
        print(f"{_shown(planned.path)} is up to date", file=sys.stderr)
        return
    written = core.write(planned)
    print(f"{'wrote' if written else 'up to date:'} {_shown(planned.path)}", file=sys.stderr)


def init(
    folder: Annotated[
        Path,
        typer.Argument(metavar="[DIR]", help="Where to start it (default: here; made if missing)."),
    ] = Path(),
    name: Annotated[
        str | None, typer.Option(help="Name of the dataset (default: the folder's name).")
    ] = None,
    language: Annotated[
        str, typer.Option(help="Language of plain-text values (ISO 639-1).")
    ] = "en",
) -> None:
    """Start a new dataset: folders, ogpctl.toml, schemas, contributor docs, CI, git.

    Writes data/members/ and data/actions/, ogpctl.toml, schemas/, README.md,
    CONTRIBUTING.md, .github/workflows/validate.yml (checks), .github/workflows/pages.yml
    (publishes `ogpctl site` on GitHub Pages) and .pre-commit-config.yaml, then
    commits them (in a new git repository unless DIR is inside one). Refuses, exit 1,
    where DIR already holds a dataset; files already there (a README) are kept as they are.
    """
    from ogpctl import init as scaffold

    made = scaffold.init(folder, name, language)
    for path in made.paths:
        print(f"  {path}", file=sys.stderr)
    for path in made.kept:
        print(f"  {path} (there already: kept as it is)", file=sys.stderr)
    where = "a new git repository" if made.new_repository else "the git repository there"
    print(
        f"started dataset {made.name!r} in {_shown(made.root)}, committed {made.commit[:12]} "
        f"in {where}",
        file=sys.stderr,
    )
    to_set = [p for p in (".github/workflows/validate.yml", ".github/workflows/pages.yml",
                          ".pre-commit-config.yaml") if p in made.paths]  # fmt: skip
    where_from = (
        f"; before pushing, set where ogpctl is installed from in {', '.join(to_set)} (CHANGE-ME)"
        if to_set
        else ""
    )
    print(f"next: `ogpctl add member …`, `ogpctl add action …`{where_from}", file=sys.stderr)
    if made.below_top:
        print(
            "note: the dataset is below the top of its git repository, and GitHub reads "
            "workflows and CODEOWNERS only from the top: move .github/ there (and add the "
            "folder to the paths of its rules)",
            file=sys.stderr,
        )


def register(app: typer.Typer) -> None:
    """Each command wrapped in the one mapping of errors to exit codes."""
    for command in (init, codeowners):
        app.command()(handle_errors(command))
