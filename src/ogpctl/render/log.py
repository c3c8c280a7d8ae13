"""`ogpctl log`: one line per commit, or JSON."""

from __future__ import annotations

from collections.abc import Callable

from ogpctl.inert import inert, json_text
from ogpctl.store.git import Commit


def as_json(commits: list[Commit]) -> str:
    return json_text(
        [
            {
                "commit": c.sha,
                "date": c.date,
                "author": c.author,
                "email": c.email,
                "message": c.message,
                "trailers": c.trailers,
            }
            for c in commits
        ]
    )


def as_table(commits: list[Commit]) -> str:
    """One line per commit; at a terminal, a long subject wraps between words under itself,
    so that no id or address is split across lines (piped: one line each, for scripts)."""
    import os
    import shutil
    import sys
    import textwrap

    width = max((len(c.author) for c in commits), default=0)
    columns = shutil.get_terminal_size().columns if sys.stdout.isatty() else 0
    columns = int(os.environ.get("COLUMNS", columns) or 0)
    lines = []
    for c in commits:
        head = f"{c.sha[:10]}  {c.date[:10]}  {inert(c.author):<{width}}  "
        subject = inert(c.subject)
        room = columns - len(head)
        if columns and len(head) + len(subject) > columns:
            if room < 24:  # too little room beside: the subject goes on lines of its own
                head, room = head.rstrip() + "\n    ", columns - 4
            wrapped = textwrap.wrap(
                subject, max(room, 1), break_long_words=False, break_on_hyphens=False
            )
            pad = "\n" + " " * (len(head.rsplit("\n", 1)[-1]))
            subject = pad.join(wrapped)
        lines.append(head + subject + "\n")
    return "".join(lines)


FORMATS: dict[str, Callable[[list[Commit]], str]] = {"table": as_table, "json": as_json}
