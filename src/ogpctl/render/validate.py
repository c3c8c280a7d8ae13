"""Rendering a validation report: `text`, `json` or `github` (workflow annotations)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable

from ogpctl.check.report import Report
from ogpctl.inert import inert, json_text
from ogpctl.problems import Problem, count


def text(report: Report) -> str:
    return "".join(
        f"{inert(p.path)}:{p.line}:{p.column}: {p.severity} {p.code} {inert(p.message)}\n"
        for p in report.problems
    )


def as_json(report: Report) -> str:
    document = {
        "ok": report.ok,
        "checked": report.checked,
        "errors": report.errors,
        "warnings": report.warnings,
        "problems": [p.as_dict() for p in report.problems],
    }
    return json_text(document)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _annotation(p: Problem) -> str:
    return (
        f"::{p.severity} file={_escape_property(inert(p.path))},line={p.line},col={p.column},"
        f"title={_escape_property(p.code)}::{_escape_data(inert(p.message, keep_newlines=True))}\n"
    )


def github(report: Report) -> str:
    return "".join(_annotation(p) for p in report.problems)


RENDERERS: dict[str, Callable[[Report], str]] = {"text": text, "json": as_json, "github": github}


def resolve(name: str) -> str:
    """`auto`: workflow annotations under GitHub Actions, text elsewhere."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def summary(report: Report) -> str:
    """One line for people, on stderr: counts, and the codes that occur."""
    by_code = Counter(p.code for p in report.problems)
    codes = ", ".join(f"{code} ×{n}" for code, n in sorted(by_code.items()))
    verdict = "valid" if report.ok else "INVALID"
    return (
        f"{verdict}: {count(report.checked, 'file')} checked, {count(report.errors, 'error')}, "
        f"{count(report.warnings, 'warning')}" + (f" ({codes})" if codes else "")
    )


def not_checked_out(absent: int) -> str:
    """The warning, on stderr, that a sparse checkout left `absent` record files out."""
    return (
        f"ogpctl: warning: {count(absent, 'file')} under data/ are not checked out "
        "(sparse checkout): this result covers only the files present"
    )
