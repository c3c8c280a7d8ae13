"""Shell completion of action and member ids (`ogpctl --install-completion`), from the
file names under `data/`: nothing is parsed, so a Tab answers at once."""

from __future__ import annotations

from typing import Any

import typer


def _ids(ctx: typer.Context, incomplete: str, actions: bool) -> list[str]:
    from ogpctl.errors import OgpctlError
    from ogpctl.model.keys import Kind
    from ogpctl.store.config import find_root
    from ogpctl.store.scan import ids_on_disk

    try:
        root = find_root(ctx.find_root().params.get("root"))
    except OgpctlError:
        return []
    return ids_on_disk(root, Kind.ACTION if actions else Kind.MEMBER, incomplete)


def actions(ctx: typer.Context, incomplete: str) -> list[str]:
    return _ids(ctx, incomplete, actions=True)


def members(ctx: typer.Context, incomplete: str) -> list[str]:
    return _ids(ctx, incomplete, actions=False)


def records(ctx: typer.Context, incomplete: str) -> list[str]:
    return sorted({*actions(ctx, incomplete), *members(ctx, incomplete)})


def action_argument(help_text: str) -> Any:
    return typer.Argument(metavar="ACTION", help=help_text, autocompletion=actions)


def member_argument(help_text: str) -> Any:
    return typer.Argument(metavar="MEMBER", help=help_text, autocompletion=members)


def member_option(help_text: str) -> Any:
    return typer.Option(metavar="MEMBER", help=help_text, autocompletion=members)
