"""What every command shares: the global options, the dataset root, errors → exit codes."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.exceptions import TyperException

from ogpctl.errors import ExitCode, Interrupted, OgpctlError
from ogpctl.problems import count

if TYPE_CHECKING:
    from ogpctl.model.dataset import Facts
    from ogpctl.write import Change

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Options:
    root: Path | None
    no_color: bool


def handle_errors(function: F) -> F:
    """The one place where errors become a message and an exit code.

    ogpctl's own errors (`OgpctlError`) say their code; typer's exits and usage errors pass
    through; anything else is a bug in ogpctl: one line, exit 4, and the traceback only
    with OGPCTL_DEBUG=1. Ctrl-C after a write was committed says so and exits 130; other
    KeyboardInterrupts and SystemExit are not `Exception`s: untouched (`main` makes them 130).
    """

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
        except Interrupted as interrupted:  # Ctrl-C once the change was committed: kept
            print(interrupted, file=sys.stderr)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except BrokenPipeError:
            closed_pipe()
            raise typer.Exit(ExitCode.CLOSED_PIPE) from None
        except Exception as err:
            if INTERRUPTS:  # a library turned Ctrl-C into an error of its own
                raise typer.Exit(ExitCode.INTERRUPTED) from None
            report_bug(err)
            raise typer.Exit(ExitCode.BUG) from None

    return run  # type: ignore[return-value]


def closed_pipe() -> None:
    """The reader of stdout went away: what is still buffered goes nowhere, quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a stream without a file (tests)
            os.dup2(devnull, stream.fileno())


# Global options, accepted after the command as well (`ogpctl status --no-color`): moved
# in front of it before parsing. A value that merely looks like one is left alone after
# `--`, and after an option that takes a value.
GLOBAL_FLAGS = ("--no-color",)
GLOBAL_WITH_VALUE = ("--root",)


def global_options_first(argv: list[str]) -> list[str]:
    """`argv` with the global options moved before the command."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            rest += argv[index:]
            break
        if arg in GLOBAL_FLAGS or arg.startswith(tuple(f"{o}=" for o in GLOBAL_WITH_VALUE)):
            front.append(arg)
        elif arg in GLOBAL_WITH_VALUE and index + 1 < len(argv):
            front += argv[index : index + 2]
            index += 1
        else:
            rest.append(arg)
        index += 1
    return front + rest


ISSUES = "the project's issue tracker"
INTERRUPTS: list[int] = []  # the Ctrl-Cs this process received (see `count_interrupts`)


def count_interrupts() -> None:
    """Make Ctrl-C raise KeyboardInterrupt as usual, and remember that it came: pydantic-core,
    for one, turns it into an error of its own while it builds a schema."""

    def interrupt(signum: int, frame: object) -> None:
        INTERRUPTS.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)


def report_bug(err: Exception) -> None:
    """One line saying it is a bug and how to report it; the traceback with OGPCTL_DEBUG=1."""
    if os.environ.get("OGPCTL_DEBUG") == "1":
        traceback.print_exception(err, file=sys.stderr)
    print(
        f"ogpctl: internal error (a bug in ogpctl): {type(err).__name__}: {err}; please "
        f"report it at {ISSUES} with OGPCTL_DEBUG=1 output",
        file=sys.stderr,
    )


def root_of(ctx: typer.Context) -> Path:
    """The dataset root: `--root`, else $OGPCTL_ROOT, else found upward from here."""
    from ogpctl.store.config import find_root

    options: Options = ctx.find_root().obj
    return find_root(options.root)


E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], *names: str, help: str) -> Any:
    """An option taking one value of `enum`, with its case folded (`Limited` is `limited`)
    and a did-you-mean for a near miss (`completed` → `complete`)."""
    allowed = [str(v) for v in enum]

    def parse(value: str | E) -> E:
        if isinstance(value, enum):
            return value
        folded = str(value).strip().casefold().replace("_", "-").replace(" ", "-")
        if folded in allowed:
            return enum(folded)
        from ogpctl.problems import did_you_mean, one_of

        raise typer.BadParameter(
            f"{str(value)!r} is not allowed; use one of {one_of(allowed)}"
            f"{did_you_mean(folded, allowed)}"
        )

    return typer.Option(*names, parser=parse, metavar=f"[{'|'.join(allowed)}]", help=help)


def apply_change(
    ctx: typer.Context, build: Callable[[Facts], Change], commit: bool, dry: bool
) -> None:
    """Check, write and commit the change `build` makes, and say what was done."""
    from ogpctl import write
    from ogpctl.check.validate import Report
    from ogpctl.render.validate import text
    from ogpctl.store.config import today

    outcome = write.apply(root_of(ctx), build, today(), commit=commit, dry_run=dry)
    for note in outcome.recovered:
        print(f"ogpctl: {note}", file=sys.stderr)
    if outcome.warnings:
        sys.stderr.write(text(Report(1, outcome.warnings)))
    said = outcome.change.body if outcome.change else ()  # a change of many files lists them
    if said:
        sys.stdout.write("".join(f"{line}\n" for line in [*said, *outcome.also]))
    files = "the files above" if said else outcome.path
    if dry:
        if not said:
            sys.stdout.write(outcome.content)
        print(f"ogpctl: dry run: {'' if said else files + ' would be written; '}nothing written",
              file=sys.stderr)  # fmt: skip
    elif outcome.commit:
        wrote = files if said else " and ".join([outcome.path, *outcome.also])
        print(f"wrote {wrote}, committed {outcome.commit[:12]}", file=sys.stderr)
    else:
        print(f"wrote {files} (not committed)", file=sys.stderr)
    if outcome.old_errors:
        print(
            f"ogpctl: the dataset still has {count(outcome.old_errors, 'error')} that this change "
            "did not bring (see `ogpctl validate`)",
            file=sys.stderr,
        )
