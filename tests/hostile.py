"""Hostile text for tests of every output that shows text from the data.

Import it in any test of a renderer (`from hostile import HOSTILE, assert_inert`): each
string is something a stranger's pull request could put in a name, a title or a file
name, and that a careless renderer would *interpret* (terminal escapes, rich markup,
HTML, GitHub workflow commands) instead of printing. `assert_inert` checks that rendered
output holds none of the characters that can drive a terminal.
"""

from __future__ import annotations

import json
import re

import pytest

# (id, text): the id names the parametrised test case.
HOSTILE_CASES: list[tuple[str, str]] = [
    ("rich-markup", "[bold red]x[/bold red]"),
    ("rich-link", "[link=http://evil.example/]click[/link]"),
    ("rich-escape", "\\[not-a-tag] [/] [@click=app.bell]"),
    ("clear-screen", "\x1b[2J\x1b[Hgone"),
    ("osc8-link", "\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07"),
    ("osc-title", "\x1b]0;owned\x07"),
    ("c1-csi", "\x9b31mred\x9b0m"),
    ("c1-nel-osc", "a\x85b\x9d0;t\x9c"),
    ("bidi-override", "\u202eevil.exe\u202c txt"),
    ("bidi-isolate", "\u2066\u2067\u2068x\u2069\u200f"),
    ("c0-controls", "bell\x07back\x08\x0bvt\x0cff\x7fdel"),
    ("carriage-return", "ok\rFAKE"),
    ("html", '<script>alert(1)</script><img src=x onerror="alert(2)">&amp;'),
    ("markdown", "[click](javascript:alert(1)) | cell | ![x](http://evil.example/x.png)"),
    ("gh-command", "x\n::set-output name=ok::forged\n::add-mask::secret"),
    ("gh-escapes", "50%0A::error::forged %25 %3A %2C, a:b"),
    ("gh-crlf", "a\r\n::error file=x,line=1::forged"),
    ("emoji-code", ":skull: :warning:"),
]
HOSTILE: list[str] = [text for _, text in HOSTILE_CASES]
HOSTILE_PARAMS = [pytest.param(text, id=name) for name, text in HOSTILE_CASES]

# Characters that must never reach a terminal raw: C0 controls but newline (tab too,
# where a test says so), DEL, C1 controls, bidirectional controls, lone surrogates.
RAW_UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def assert_inert(output: str, *, allow_tab: bool = False) -> None:
    """No character of `output` can drive a terminal (escape, C1, bidi, CR, NUL…)."""
    found = RAW_UNSAFE.search(output.replace("\t", "") if allow_tab else output)
    assert found is None, f"raw {found.group()!r} in output: {output!r}"
    if not allow_tab:
        assert "\t" not in output, f"raw tab in output: {output!r}"


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON's escapes are valid YAML escapes)."""
    return json.dumps(text, ensure_ascii=True)


def file_name_safe(text: str) -> bool:
    """True if `text` can be (part of) a file name on Linux."""
    return "/" not in text and "\x00" not in text and len(text.encode("utf-8")) < 200
