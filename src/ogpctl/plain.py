"""The options of a plain command line, one that `__main__` answers without typer (a
plain `validate`, or an `export` whose last result is kept): the command's name once, its
own flags and valued options after it, the program's `--root` anywhere, `--no-color`
ignored. Anything else gives None: typer's to parse, and to explain if it is wrong."""

from __future__ import annotations

ROOT = {"--root": "root"}


def options(
    arguments: list[str], command: str, flags: dict[str, str], valued: dict[str, str]
) -> dict[str, str] | None:
    """`{name: value}` of a plain `command` line (flags as "yes"); None for any other."""
    valued = {**ROOT, **valued}
    found: dict[str, str] = {}
    seen = False
    index = 0
    while index < len(arguments):
        arg = arguments[index]
        name, equals, value = arg.partition("=")
        if arg == command and not seen:
            seen = True
        elif arg in flags and seen and flags[arg] not in found:
            found[flags[arg]] = "yes"
        elif arg != "--no-color":  # neither command writes colour
            if equals and name.startswith("--") and name in valued:
                key = valued[name]
            elif arg in valued and index + 1 < len(arguments):
                key, value = valued[arg], arguments[index + 1]
                index += 1
            else:
                return None
            if key in found or not value or (value.startswith("-") and value != "-"):
                return None
            if arg not in ROOT and name not in ROOT and not seen:
                return None
            found[key] = value
        index += 1
    return found if seen else None
