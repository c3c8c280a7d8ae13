"""Problems are values: where (path, line, column), what (code, severity) and a message."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the dataset root, "/"-separated
    line: int  # 1-based
    column: int  # 1-based
    code: str
    severity: Severity
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "severity": str(self.severity)}


_HINTS = re.compile(r" \(did you mean '[^']*'\?\)|`ogpctl [^`]*`")


def gist(message: str) -> str:
    """A message without its hints ("did you mean …", commands to run), which change with
    other files: what says whether two problems are the same one."""
    return _HINTS.sub("", message)


def count(number: int, one: str, many: str | None = None) -> str:
    """`1 error`, `2 errors`, `3 other bodies`."""
    return f"{number:,} {one if number == 1 else many or one + 's'}"


def did_you_mean(found: str, allowed: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix for a near miss, or an empty string."""
    matches = difflib.get_close_matches(found, list(allowed), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def one_of(allowed: Iterable[str], limit: int = 12) -> str:
    """'a', 'b' or 'c' — a short list of what is allowed."""
    values = sorted(allowed)
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f" … ({len(values)} in all)" if len(values) > limit else "")
