"""The output formats of each command, named once: `--format` offers these choices, and
each command's render module maps the same names to its renderers (a test checks both).

Light to import (no renderer is loaded), so the command line can build its options at
start-up.
"""

from __future__ import annotations

from enum import StrEnum

FORMATS: dict[str, tuple[str, ...]] = {
    "validate": ("auto", "text", "json", "github"),  # auto: github under GitHub Actions
    "status": ("table", "json", "csv", "markdown"),
    "show": ("table", "json"),
    "export": ("json", "csv", "markdown", "sqlite"),
    "diff": ("markdown", "json"),
    "log": ("table", "json"),
    "members": ("table", "json", "csv"),
}


def choices(command: str) -> type[StrEnum]:
    """The `--format` choices of a command, as the enum typer wants."""
    name = f"{command.capitalize()}Format"
    return StrEnum(name, {format_: format_ for format_ in FORMATS[command]})  # type: ignore[return-value]
