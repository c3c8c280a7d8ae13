"""The examples that end each command's `--help`: one or two command lines people can copy."""

from __future__ import annotations

import typer

EXAMPLES: dict[str, list[str]] = {
    "validate": ["ogpctl validate", "ogpctl validate --changed-since origin/main --format github"],
    "schema": ["ogpctl schema", "ogpctl schema --check"],
    "status": ["ogpctl status", "ogpctl status --overdue --format markdown"],
    "show": ["ogpctl show open-public-procurement", "ogpctl show member:france"],
    "export": ["ogpctl export --format json > record.json", "ogpctl export --format csv -o csv/"],
    "join": ["ogpctl join open-public-procurement france --contribution 'Publish contracts'"],
    "lead": ["ogpctl lead open-public-procurement --government france"],
    "update": [
        "ogpctl update open-public-procurement --by france --completion limited "
        "--summary 'Data standard adopted'"
    ],
    "commit": ["ogpctl commit", "ogpctl commit -m 'Add Chile, per its letter of 3 Feb'"],
    "log": ["ogpctl log", "ogpctl log open-public-procurement"],
    "diff": ["ogpctl diff origin/main", "ogpctl diff v1.0 HEAD --format json"],
    "init": ["ogpctl init my-record"],
    "codeowners": ["ogpctl codeowners", "ogpctl codeowners --check"],
    "member": ["ogpctl add member france --type national-government --name France --country FR"],
    "action": [
        "ogpctl add action open-budgets --title 'Open budgets' "
        "--theme transparency-integrity-anticorruption"
    ],
}


def epilog(name: str) -> str:
    """`Examples:` and the command lines, kept as written (`\\b`: no rewrapping)."""
    lines = "\n".join(f"  $ {line}" for line in EXAMPLES[name])
    return f"\b\nExamples:\n{lines}"


def add_examples(app: typer.Typer) -> None:
    """Give every command of `app` (and of its groups) its examples."""
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        if name in EXAMPLES and command.epilog is None:
            command.epilog = epilog(name)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            add_examples(group.typer_instance)
