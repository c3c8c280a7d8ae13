"""Changing some fields of a record file while keeping the rest of its text, comments too.

A person's file may hold comments, a chosen layout, the shorthand `title: Text`. A command
that changes one field (`set`, `milestone`, `lead`, `leave`) rewrites only the lines of the
top-level keys whose value changes, in the canonical form, and keeps every other line byte
for byte: the comments between keys, the first-line schema comment, the other keys as
typed. A comment inside a changed key's block goes with that block (its value is new).

The caller checks that reading the result gives the intended record (`changes.py` does,
and falls back to the whole record in canonical form if not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ogpctl.store.canonical import body

_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t]|$)")
_SCHEMA = "# yaml-language-server:"
_EMPTY: tuple[Any, ...] = (None, [], {}, "")


def _loose(line: str) -> bool:
    """A line that belongs to no key: blank, or a comment at the left margin."""
    return not line.strip() or line.startswith("#")


def _blocks(text: str) -> tuple[list[str], list[tuple[str, list[str], list[str]]], list[str]]:
    """(head, [(key, lines before it, its lines)], tail): the text cut at top-level keys."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _TOP_KEY.match(line)]
    if not starts:
        return lines, [], []
    blocks: list[tuple[str, list[str], list[str]]] = []
    head_end = starts[0]
    floor = 1 if lines[0].startswith(_SCHEMA) else 0  # the schema comment stays first
    while head_end > floor and _loose(lines[head_end - 1]) and lines[head_end - 1].strip():
        head_end -= 1  # comments right above the first key are about it
    head = lines[:head_end]
    lead_start = head_end
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        cut = end
        while cut > start + 1 and _loose(lines[cut - 1]):
            cut -= 1  # blank lines and comments before the next key belong to it
        match = _TOP_KEY.match(lines[start])
        assert match is not None
        blocks.append((match.group(1), lines[lead_start:start], lines[start:cut]))
        lead_start = cut
    return head, blocks, lines[lead_start:]


def _comment(line: str) -> str:
    """The comment at the end of a one-line `key: plain value  # …`, or ``."""
    _, _, value = line.partition(":")
    if value.strip().startswith(("'", '"')):
        return ""  # a quoted value may hold ` #`: leave it be
    found = re.search(r"[ \t]+#", value)
    return value[found.start() :].rstrip("\r\n") if found else ""


def _with_comment(fresh: list[str], old: list[str]) -> list[str]:
    """A one-line key's new line keeps the comment at the end of its old line."""
    if len(old) != 1 or len(fresh) != 1 or fresh[0].count("\n") != 1:
        return fresh
    comment = _comment(old[0])
    return [fresh[0][:-1] + comment + "\n"] if comment else fresh


def rewrite(text: str, old: dict[str, Any], new: dict[str, Any], order: Sequence[str]) -> str:
    """`text` (a record's file, holding `old`) changed to hold `new`, keys in `order`.

    Keys whose value is the same in `old` and `new` keep their lines as typed; changed keys
    are written in canonical form in their place; new keys go after the key before them in
    `order`; removed keys lose their lines (not the comments above them).
    """
    head, blocks, tail = _blocks(text if text.endswith("\n") or not text else text + "\n")
    present = {key for key, _, _ in blocks}
    out = list(head)
    written: set[str] = set()

    def fresh(key: str) -> list[str]:
        value = new.get(key)
        return [] if value in _EMPTY else [body({key: value})]

    def pending_before(key: str | None) -> None:
        """New keys that come before `key` in `order` (all remaining ones if None)."""
        stop = order.index(key) if key in order else len(order)
        for name in order[:stop]:
            if name not in present and name not in written and new.get(name) not in _EMPTY:
                out.extend(fresh(name))
                written.add(name)

    for key, lead, lines in blocks:
        pending_before(key)
        out.extend(lead)
        if key in new and new[key] == old.get(key):
            out.extend(lines)
        else:
            out.extend(_with_comment(fresh(key), lines))
        written.add(key)
    pending_before(None)
    out.extend(tail)
    return "".join(out)


def _bare(lines: Sequence[str]) -> list[str]:
    """The lines without comments and trailing blanks: what a block says, not how."""
    found = []
    for line in "".join(lines).splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        key, colon, _ = line.partition(":")
        if colon and "'" not in key and '"' not in key:
            comment = _comment(line)
        elif not colon and "'" not in line and '"' not in line:  # a list item: `- ocds  # …`
            found_at = re.search(r"[ \t]+#", line)
            comment = line[found_at.start() :] if found_at else ""
        else:
            comment = ""
        found.append(line[: len(line) - len(comment)].rstrip() if comment else line.rstrip())
    return found


def reformat(text: str, new: dict[str, Any], order: Sequence[str], schema: str) -> str:
    """`text` in canonical form, comments kept: `schema` as its first line, its top-level
    keys in `order` (each with the comments above it), and each key whose lines are not the
    canonical writing of its value in `new` written again (`text` holds `\\n` line ends)."""
    head, blocks, tail = _blocks(text if text.endswith("\n") or not text else text + "\n")
    if head and head[0].startswith(_SCHEMA):
        head = head[1:]
    out = [schema + "\n", *head]
    rank = {name: index for index, name in enumerate(order)}
    for key, lead, lines in sorted(blocks, key=lambda b: rank.get(b[0], len(order))):
        value = new.get(key)
        fresh = [] if value in _EMPTY else [body({key: value})]
        out.extend(lead)
        out.extend(lines if _bare(lines) == _bare(fresh) and fresh else _with_comment(fresh, lines))
    out.extend(tail)
    return "".join(out)
