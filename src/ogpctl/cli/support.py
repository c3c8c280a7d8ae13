"""What every command shares: the global options, the dataset root, errors → exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import typer

from ogpctl.errors import OgpctlError

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
            problems = getattr(err, "problems", None)
            if problems:  # a refused change: the problems it would bring, as `validate` says
                from ogpctl.check.validate import Report
                from ogpctl.render.validate import text

                sys.stderr.write(text(Report(len(problems), problems)))
            print(f"ogpctl: {err}", file=sys.stderr)
            raise typer.Exit(err.exit_code) from None

    return run  # type: ignore[return-value]


def root_of(ctx: typer.Context) -> Path:
    """The dataset root: `--root`, else $OGPCTL_ROOT, else found upward from here."""
    from ogpctl.store.config import find_root

    options: Options = ctx.find_root().obj
    return find_root(options.root)
