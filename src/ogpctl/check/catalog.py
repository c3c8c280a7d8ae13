"""The table of problem codes in `docs/checks.md`, generated from the registries.

python -m ogpctl.catalog > docs/checks.md
"""

from __future__ import annotations

from ogpctl.check import rules as checks
from ogpctl.codes import CODES

STAGES = {
    "file": "Reading a file",
    "layout": "Where files are",
    "record": "One record against its model",
    "dataset": "Rules across files",
    "change": "A change against a base (`validate --changed-since REF`)",
}


def markdown() -> str:
    names = {c.code: c.name for c in checks.CHECKS}
    lines = [
        "# Problem codes",
        "",
        "Generated from ogpctl's registries by `python -m ogpctl.catalog > docs/checks.md`;",
        "a test fails when this file is out of date. Codes are stable: scripts may rely on them.",
    ]
    for stage, title in STAGES.items():
        lines += ["", f"## {title}", "", "| code | severity | check | rule |", "|---|---|---|---|"]
        for code in sorted(c for c in CODES.values() if c.stage == stage):
            lines.append(
                f"| {code.code} | {code.severity} | {names.get(code.code, '')} | {code.summary} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
