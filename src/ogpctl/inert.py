"""Text from the data, made inert for a terminal: control characters and bidirectional
overrides become visible escapes, so a file name or value can never drive the terminal.

Lone surrogates (from file names that are not UTF-8) are escaped too: they cannot be
written as UTF-8 at all, so left alone they would crash the output.
"""

from __future__ import annotations

import json
import re
from typing import Any

_UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def inert(text: str, *, keep_newlines: bool = False) -> str:
    if text.isascii() and text.isprintable():  # no control character: nothing to escape
        return text
    escaped = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return escaped if keep_newlines else escaped.replace("\n", "\\n").replace("\t", "\\t")


def json_text(document: Any) -> str:
    """`document` as indented JSON, unchanged as data but inert as text.

    JSON escapes C0 controls itself; C1 controls, bidi overrides and lone surrogates are
    written as `\\uXXXX` escapes too (inside strings, where alone they can occur).
    """
    return json_inert(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def json_inert(text: str) -> str:
    """JSON text with the characters `json_text` escapes beyond JSON's own escaped."""
    if text.isascii() and "\x7f" not in text:  # the only one of them that is ASCII and
        return text  # that JSON does not escape itself (as `\u00XX`, like C0 controls)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
