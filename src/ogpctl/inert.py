"""Text from the data, made inert for a terminal: control characters and bidirectional
overrides become visible escapes, so a file name or value can never drive the terminal."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str, *, keep_newlines: bool = False) -> str:
    escaped = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return escaped if keep_newlines else escaped.replace("\n", "\\n").replace("\t", "\\t")
