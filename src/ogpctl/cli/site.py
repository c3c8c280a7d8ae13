"""`ogpctl site`: the public website of the dataset."""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from ogpctl.cli.support import handle_errors, root_of


def site(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The folder to write (replaced whole).")
    ] = Path("_site"),
    base_url: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="Where the site is published (absolute links in the feed, sitemap and 404).",
        ),
    ] = None,
    repo_url: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="The dataset's repository on GitHub: links to each record's file and history.",
        ),
    ] = None,
    no_search: Annotated[
        bool,
        typer.Option(
            "--no-search",
            help="Leave the search index out, even with Pagefind installed (a quicker build).",
        ),
    ] = False,
) -> None:
    """A static website of the whole dataset: actions, members, countries, downloads, feed.

    Also an about page (sources, licence, how to contribute) and, for each member's former
    ids (formerly:), a page at the old address that leads to the member's.
    Built only from a valid dataset (exit 1 otherwise, nothing written). Pages in English,
    French and Spanish; no script but the search page's; no request to another host.
    Search (/search/) needs Pagefind (pip install 'ogpctl[search]'); without it the build
    says so and the search page links the A-Z lists. Deterministic: today is
    OGPCTL_TODAY, else the date of the commit checked out, so one commit gives the same
    bytes. Open it with `python -m http.server -d _site`.
    """
    from ogpctl import site as core
    from ogpctl.render.site import render

    started = time.perf_counter()
    base = core.checked_url("--base-url", base_url)
    repo = core.checked_url("--repo-url", repo_url)
    root = root_of(ctx)
    pinned = os.environ.get("OGPCTL_TODAY")
    if pinned:
        from ogpctl.store.config import today

        found = core.provenance(root, today())
    else:
        found = core.provenance(root, None)
    settings, rows = core.valid_rows(root, found.today)
    site = core.collect_rows(root, settings, rows, found, base, repo)
    # the records live until the end: the garbage collector need not look through them
    # again each time the pages' many small objects trigger it (2 s of 34 at 46,000 files)
    gc.freeze()
    try:
        rendered = render(site, searched=not no_search)
        count, size = core.write(output, rendered.files, rendered.building.append)
    finally:
        gc.unfreeze()
    for warning in rendered.warnings:
        print(f"ogpctl: warning: {warning}", file=sys.stderr)
    print(
        f"wrote {output}: {count} files, {size / 1e6:.1f} MB, "
        f"in {time.perf_counter() - started:.1f} s (as of {found.today})",
        file=sys.stderr,
    )


def register(app: typer.Typer) -> None:
    app.command()(handle_errors(site))
