"""Advice for a YAML syntax error, in the words of a person writing YAML by hand.

The parser says where it gave up (`mapping values are not allowed in this context`), which
is often a line after the slip. These rules read the lines around that place and say what
to change, at the line to change: quote text that holds `: ` or starts with a character
YAML reserves, put a space after a key's colon, line a key up with the others of its
mapping, close a quote. Where no rule fits, the parser's own words are kept.
"""

from __future__ import annotations

import re

from ogpctl.model.loaded import Mark
from ogpctl.problems import count

# `key:value` with no space after the colon (not the `//` of a web address)
_NO_SPACE = re.compile(r"^(?P<lead>\s*(?:- +)?)(?P<key>[A-Za-z_][\w-]*):(?!//)(?P<value>\S.*)$")
_KEY = re.compile(r"^(?P<lead>\s*(?:- +)?)(?P<key>[^\s#:][^:#]*?): +(?P<value>\S.*)?$")
# characters YAML reserves at the start of a plain value
_RESERVED = "@`*&!|>%{[\"'"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _quoted(value: str) -> str:
    return '"' + value.rstrip().replace("\\", "\\\\").replace('"', '\\"') + '"'


def _single(value: str) -> str:
    return "'" + value.rstrip()[1:-1].replace("'", "''") + "'"


def missing_space(text: str) -> tuple[Mark, str] | None:
    """`joined:2016-12-07` anywhere before the end of the first mapping line the parser met."""
    for number, line in enumerate(text.splitlines(), 1):
        if (m := _NO_SPACE.match(line)) and not line.lstrip().startswith("#"):
            key, value = m["key"], m["value"]
            return (number, m.end("key") + 1), (
                f"put a space after the colon of `{key}:`: write `{key}: {value.rstrip()}`"
            )
    return None


def advise(
    text: str, problem: str, context: str, where: Mark, opened: Mark | None
) -> tuple[Mark, str]:
    """Where to look and what to do for a syntax error the parser reported at `where`
    (1-based), with the start of the construct it was reading at `opened`, if any."""
    lines = text.splitlines()
    line_no, col = where
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    above = [n for n in range(line_no - 1, 0, -1) if lines[n - 1].strip()][:1]
    said = f"YAML syntax: {problem}"

    # a `key:value` on this line or the line above, with no space after the colon
    for number in (*above, line_no):
        if 0 < number <= len(lines) and (m := _NO_SPACE.match(lines[number - 1])):
            key, value = m["key"], m["value"].rstrip()
            return (number, m.end("key") + 1), (
                f"{said}; put a space after the colon of `{key}:`: write `{key}: {value}`"
            )

    if "quoted scalar" in context and opened:
        return opened, f"{said}; the quote opened on line {opened[0]} is never closed: close it"

    if "flow" in context and opened and 0 < opened[0] <= len(lines):
        bracket = lines[opened[0] - 1][opened[1] - 1 : opened[1]]
        close = "]" if bracket == "[" else "}"
        return opened, (
            f"{said}; the {bracket!r} on line {opened[0]} starts a list or mapping that is "
            f"never closed: close it with {close!r}, or quote text that starts with {bracket!r}"
        )

    key = _KEY.match(line)
    if key and key["value"] is not None:
        start = key.start("value") + 1
        value = key["value"]
        if col > start and "mapping values" in problem:
            return (line_no, start), (
                f"{said}; text that holds ': ' must be quoted: "
                f"write `{key['key']}: {_quoted(value)}`"
            )
        if value[0] == "'" and "expected key" in problem and col > start:
            return (line_no, start), (
                f"{said}; a ' inside text in single quotes is written '': "
                f"write `{key['key']}: {_single(value)}`"
            )
        if value[0] in _RESERVED and value[0] not in "\"'":
            return (line_no, start), (
                f"{said}; text that starts with {value[0]!r} must be quoted: "
                f"write `{key['key']}: {_quoted(value)}`"
            )

    if above and "mapping values" in problem:
        prev = lines[above[0] - 1]
        if (m := _KEY.match(prev)) and m["value"] is not None and _indent(line) > _indent(prev):
            return (line_no, _indent(line) + 1), (
                f"{said}; this line is indented more than `{m['key'].strip()}:` on line "
                f"{above[0]}, which already has a value: line the keys of one mapping up, or "
                f"leave nothing after `{m['key'].strip()}:` to put this line inside it"
            )

    if above and ("expected key" in problem or "block end" in problem):
        prev = lines[above[0] - 1]
        if _indent(line) != _indent(prev) and line.strip() and not prev.rstrip().endswith(":"):
            name = line.strip().split(":")[0]
            return (line_no, _indent(line) + 1), (
                f"{said}; `{name}:` is indented by {count(_indent(line), 'space')}, the key above "
                f"it (line {above[0]}) by {_indent(prev)}: indent the keys of one mapping alike"
            )
    return where, said
