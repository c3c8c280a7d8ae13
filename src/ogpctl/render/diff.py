"""`ogpctl diff` as markdown (a pull-request comment) or JSON."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict

from ogpctl.diff import Summary
from ogpctl.inert import json_text
from ogpctl.model.keys import Kind

_KINDS = {Kind.MEMBER: "members", Kind.ACTION: "actions", Kind.PARTICIPANT: "participants",
          Kind.UPDATE: "updates"}  # fmt: skip


def as_json(summary: Summary) -> str:
    return json_text({**asdict(summary), "counts": _counts(summary)})


def as_markdown(summary: Summary) -> str:
    lines = [f"### What this change does to the record ({_code(summary.base)} → "
             f"{_code(summary.head)})", ""]  # fmt: skip
    if not summary.changes:
        return "\n".join([*lines, "No record is added, changed or removed.", ""])
    counts = _counts(summary)
    lines += [", ".join(f"{n} {verb}" for verb, n in counts.items() if n) + ".", ""]
    for kind, title in [*((str(k), t) for k, t in _KINDS.items()), ("file", "other files")]:
        mine = [c for c in summary.changes if c.kind == kind]
        if mine:
            lines += [f"**{title.capitalize()}**", ""]
            for c in mine:
                moved = f", from {_code(c.old_path)}" if c.change == "renamed" else ""
                lines.append(f"- {c.change}: {_inline(c.description)} "
                             f"({_code(c.path)}{moved})")  # fmt: skip
            lines.append("")
    return "\n".join(lines)


def _code(text: str) -> str:
    """A path or a git ref in a code span; anything unusual escaped as text instead."""
    return f"`{text}`" if re.fullmatch(r"[A-Za-z0-9._/~^@{}-]+", text) else _inline(text)


def _inline(text: str) -> str:
    from ogpctl.render import markdown  # with the records it imports: only when needed

    return markdown.inline(text)


def _counts(summary: Summary) -> dict[str, int]:
    return {verb: sum(c.change == verb for c in summary.changes)
            for verb in ("added", "changed", "renamed", "removed")}  # fmt: skip


FORMATS: dict[str, Callable[[Summary], str]] = {"markdown": as_markdown, "json": as_json}
