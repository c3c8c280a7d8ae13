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
    "add member": [
        "ogpctl add member france --type national-government --name France --country FR"
    ],
    "add action": [
        "ogpctl add action open-budgets --title 'Open budgets' "
        "--theme transparency-integrity-anticorruption"
    ],
    "set action": [
        "ogpctl set action open-public-procurement --status completed",
        "ogpctl set action open-public-procurement --title 'fr=Marchés publics ouverts'",
    ],
    "set member": [
        "ogpctl set member france --website https://www.gouvernement.fr/",
        "ogpctl set member open-data-club --unset name.fr",
    ],
    "milestone": [
        "ogpctl milestone open-public-procurement publish-data --title 'Publish data' "
        "--due 2027-06-30"
    ],
    "resource": [
        "ogpctl resource open-public-procurement https://standard.open-contracting.org/ "
        "--title 'Open Contracting Data Standard' --type standard",
        "ogpctl resource open-public-procurement https://standard.open-contracting.org/ --remove",
    ],
    "leave": ["ogpctl leave open-public-procurement open-data-club --date 2027-01-31"],
    "rename": ["ogpctl rename cost cost-infrastructure-transparency"],
    "merge": ["ogpctl merge republic-of-chile chile"],
    "members": ["ogpctl members", "ogpctl members --type national-government --format csv"],
    "fmt": ["ogpctl fmt", "ogpctl fmt --check data/members"],
    "site": ["ogpctl site -o _site", "ogpctl site --base-url https://example.org/ogp/"],
}


def epilog(name: str) -> str:
    """`Examples:` and the command lines, kept as written (`\\b`: no rewrapping)."""
    lines = "\n".join(f"  $ {line}" for line in EXAMPLES[name])
    return f"\b\nExamples:\n{lines}"


def add_examples(app: typer.Typer, prefix: str = "") -> None:
    """Give every command of `app` (and of its groups: `add member`…) its examples."""
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        if f"{prefix}{name}" in EXAMPLES and command.epilog is None:
            command.epilog = epilog(f"{prefix}{name}")
    for group in app.registered_groups:
        if group.typer_instance is not None:
            add_examples(group.typer_instance, f"{prefix}{group.name} ")
