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
    width = max((len(c.author) for c in commits), default=0)
    return "".join(
        f"{c.sha[:10]}  {c.date[:10]}  {inert(c.author):<{width}}  {inert(c.subject)}\n"
        for c in commits
    )


FORMATS: dict[str, Callable[[list[Commit]], str]] = {"table": as_table, "json": as_json}
