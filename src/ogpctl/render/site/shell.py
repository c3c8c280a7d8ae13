"""The record pages (each action's and member's, in every language: nearly all the site's
pages) without rendering `base.html` for each: what is around a record's own parts (the
head, the header, the language links, the footer) is the same on every page of a kind of
record and a language but for the record's id in the links, so it is rendered once
(`shell.html`, with a mark where each part goes and another for the id), and each page
is the record's parts (the template's `title`, `main` and `record` blocks) put into it.

The first page of each kind and language is also rendered whole, the usual way: if the
two differ (a mark among the dataset's own text, say), that kind and language are
rendered whole, page by page, so the bytes are always those of the templates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

HOLE = "\ue000"  # where a block goes (a private-use character: no text has it)
ID = "\ue001"  # the record's id, in the shell's links
BLOCKS = ("title", "main", "record")


def top_level(template: str, detail: Any, site: Any) -> dict[str, Any]:
    """What the template's own top-level `{% set %}`s name, which its blocks read."""
    if template == "action.html":
        return {"a": detail.record, "row": site.row(detail.id)}
    return {"r": detail.record}


class Shell:
    """A kind of record's pages in one language: `context` is a page's, its path with
    `ID` in place of the record's id."""

    def __init__(self, env: Environment, template: str, context: dict[str, Any]) -> None:
        self.template = env.get_template(template)
        made = env.get_template("shell.html").render(context, hole=Markup(HOLE))
        self.pieces = made.split(HOLE)
        assert len(self.pieces) == len(BLOCKS) + 1, "a hole in the shell for each block"
        # `{% import "macros.html" as m with context %}`, once: the blocks' macros read
        # nothing of the page but its language and what is the site's
        macros = env.get_template("macros.html")
        self.macros = macros.make_module({**env.globals, **context}, True, {})
        self.checked: bool | None = None  # the first page the same as rendered whole?

    def page(self, ident: str, context: dict[str, Any], whole: Callable[[], bytes]) -> bytes:
        """A record's page: its blocks rendered in `context` (the page's, with the
        template's top-level names), put in the shell; or `whole()` (rendered the usual
        way) if this shell's first page was not the same bytes as that."""
        if self.checked is False:
            return whole()
        made = self.template.new_context({**context, "m": self.macros})
        parts = ["".join(self.template.blocks[block](made)) for block in BLOCKS]
        pieces = [piece.replace(ID, ident) for piece in self.pieces]
        page = "".join(
            piece + part for piece, part in zip(pieces, [*parts, ""], strict=True)
        ).encode()
        if self.checked is None:
            self.checked = page == whole()
            if not self.checked:
                return whole()
        return page
