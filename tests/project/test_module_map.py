"""The README's module map names every module of the package."""

from __future__ import annotations

import re

from helpers import REPO

PACKAGE = REPO / "src" / "ogpctl"


def _development_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Development\n", 1)[1].split("\n### ", 1)[0]


def test_every_module_is_in_the_readme_module_map() -> None:
    section = _development_section()
    named = set(re.findall(r"`([a-z_]+\.py)`", section))
    folders = {
        "": section,
        **{
            row.split("`")[1]: row
            for row in section.splitlines()
            if row.startswith("| `") and "/`" in row.split("|")[1]
        },
    }
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.name in {"__init__.py", "__main__.py"}:
            continue
        row = folders.get(f"{relative.parts[0]}/", section) if len(relative.parts) > 1 else section
        if relative.name not in named or f"`{relative.name}`" not in row:
            missing.append(relative.as_posix())
    assert missing == []
