"""The terminal as rich sees it: the one place rich's console is configured, and what a
table's text depends on besides the data (the key of a kept answer, `check.fast.answers`).
Light to import: neither the records nor the commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def console(*, no_color: bool = False) -> Console:
    """The one place rich is configured (NO_COLOR is honoured by rich itself)."""
    from rich.console import Console

    class Quiet(Console):
        def on_broken_pipe(self) -> None:
            """A closed pipe ends ogpctl as it ends any other write (exit 141), not rich's 1."""
            self.quiet = True
            raise BrokenPipeError

    return Quiet(no_color=no_color or None, highlight=False, emoji=False, markup=False)


def terminal(*, no_color: bool = False) -> tuple[object, ...]:
    """What a table's text depends on besides the data: the console rich finds here."""
    out = console(no_color=no_color)
    return out.width, out.color_system, out.is_terminal, out.encoding, out.legacy_windows


def plain_lines(text: str) -> str:
    """Captured console text without trailing padding: what is piped or copied ends where
    its text ends."""
    return "".join(line.rstrip(" ") + "\n" for line in text.splitlines())
