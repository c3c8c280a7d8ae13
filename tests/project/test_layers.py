"""The house rules of `src/ogpctl`, read from its import statements (ast; nothing is imported).

Layers, lowest first; a module may import its own layer and the layers below it:

    foundations  errors, problems, codes, inert (and the package's `__init__`)
    model        model/      pure values
    store        store/      the only code touching files or git
    check        check/      checking records and the dataset (check/fast/: the speed layer)
    commands     the other root modules: one per command's logic
    render       render/     every output format
    cli          cli/, __main__

Also: typer only under cli/, rich only under render/, GitPython only in store/git.py, no
import cycles (imports under `if TYPE_CHECKING:` do not run, so they do not count), no
module over 400 lines. Each rule is made to fail once, on a copy of the package, below.
"""

from __future__ import annotations

import ast
import functools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import REPO

PACKAGE = REPO / "src" / "ogpctl"
LAYERS = ("foundations", "model", "store", "check", "commands", "render", "cli")
FOUNDATIONS = {"ogpctl", "ogpctl.errors", "ogpctl.problems", "ogpctl.codes", "ogpctl.inert"}
MAX_LINES = 400

# Violations not fixed yet, each with its reason; the test fails on any new violation and
# on a listed one that has gone (then delete it here).
KNOWN_EXCEPTIONS: set[tuple[str, str, str]] = set()


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def layer(module: str) -> str:
    if module in FOUNDATIONS:
        return "foundations"
    parts = module.split(".")
    if len(parts) > 2 and parts[1] in {"model", "store", "check", "render", "cli"}:
        return parts[1]
    if parts[1:] in (["model"], ["store"], ["check"], ["render"], ["cli"]):
        return parts[1]
    return "cli" if module == "ogpctl.__main__" else "commands"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path, known: dict[str, Path]) -> Iterator[tuple[str, bool]]:
    """(imported module, runs?) for every import of a file, lazy ones included."""

    def visit(node: ast.AST, runs: bool) -> Iterator[tuple[str, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.body:
                    yield from visit_one(sub, False)
                for sub in child.orelse:
                    yield from visit_one(sub, runs)
            else:
                yield from visit_one(child, runs)

    def visit_one(node: ast.AST, runs: bool) -> Iterator[tuple[str, bool]]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, runs
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:  # `from ogpctl.check import rules`: a module
                candidate = f"{node.module}.{alias.name}"
                yield (candidate if candidate in known else node.module), runs
        yield from visit(node, runs)

    yield from visit(_parsed(path.read_text(encoding="utf-8")), True)


@functools.cache
def _parsed(text: str) -> ast.Module:
    """A module's syntax tree, parsed once per text: each rule reads every module, and each
    broken copy differs from the package in one file."""
    return ast.parse(text)


def graph(package: Path) -> dict[str, dict[str, bool]]:
    """module → {imported module: runs?}, for every import (internal or not)."""
    known = modules(package)
    result: dict[str, dict[str, bool]] = {}
    for name, path in known.items():
        edges: dict[str, bool] = {}
        for target, runs in imports(path, known):
            edges[target] = edges.get(target, False) or runs
        result[name] = edges
    return result


def _internal(target: str) -> bool:
    return target == "ogpctl" or target.startswith("ogpctl.")


def layer_violations(package: Path) -> set[tuple[str, str, str]]:
    found = set()
    for module, edges in graph(package).items():
        for target in filter(_internal, edges):
            if LAYERS.index(layer(target)) > LAYERS.index(layer(module)):
                found.add(("layers", module, target))
    return found


def _only_in(rule: str, library: str, allowed: Callable[[str], bool]) -> Callable[[Path], set]:
    def violations(package: Path) -> set[tuple[str, str, str]]:
        return {
            (rule, module, target)
            for module, edges in graph(package).items()
            for target in edges
            if (target == library or target.startswith(library + ".")) and not allowed(module)
        }

    return violations


def cycle_violations(package: Path) -> set[tuple[str, str, str]]:
    """Each import cycle, named by its modules in order from the smallest name."""
    edges = {
        module: sorted(t for t, runs in targets.items() if runs and _internal(t) and t != module)
        for module, targets in graph(package).items()
    }
    found = set()
    for start in edges:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in edges.get(node, ()):
                if nxt == start:
                    if start == min(path):
                        found.add(("cycles", start, " → ".join([*path, start])))
                elif nxt not in path and nxt > start:
                    stack.append((nxt, [*path, nxt]))
    return found


def size_violations(package: Path) -> set[tuple[str, str, str]]:
    return {
        ("size", module, f"{lines} lines")
        for module, path in modules(package).items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }


RULES: dict[str, Callable[[Path], set[tuple[str, str, str]]]] = {
    "layers": layer_violations,
    "typer": _only_in("typer", "typer", lambda m: layer(m) == "cli"),
    "click": _only_in("click", "click", lambda m: False),  # typer vendors its own
    "rich": _only_in("rich", "rich", lambda m: layer(m) == "render"),
    "git": _only_in("git", "git", lambda m: m == "ogpctl.store.git"),
    "cycles": cycle_violations,
    "size": size_violations,
}

# one way to break each rule, added to a copy of the package
BREAKS = {
    "layers": ("model/keys.py", "from ogpctl.store import scan\n"),
    "typer": ("status.py", "import typer\n"),
    "click": ("cli/support.py", "import click\n"),
    "rich": ("cli/support.py", "from rich.console import Console\n"),
    "git": ("store/atomic.py", "def f() -> None:\n    import git\n"),
    "cycles": ("problems.py", "def f() -> None:\n    from ogpctl import codes\n"),
    "size": ("inert.py", "\n" * MAX_LINES),
}


@pytest.mark.parametrize("rule", RULES)
def test_rule_holds(rule: str) -> None:
    found = RULES[rule](PACKAGE)
    known = {v for v in KNOWN_EXCEPTIONS if v[0] == rule}
    assert found - known == set(), "new violations"
    assert known - found == set(), "fixed: remove them from KNOWN_EXCEPTIONS"


@pytest.mark.parametrize("rule", RULES)
def test_rule_fails_when_broken(rule: str, tmp_path: Path) -> None:
    copy = tmp_path / "ogpctl"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = RULES[rule](copy)
    file, text = BREAKS[rule]
    with (copy / file).open("a", encoding="utf-8") as handle:
        handle.write(text)
    assert RULES[rule](copy) - before


def test_layer_of_each_folder() -> None:
    assert [layer(m) for m in ("ogpctl.codes", "ogpctl.model.keys", "ogpctl.store")] == [
        "foundations",
        "model",
        "store",
    ]
    assert [layer(m) for m in ("ogpctl.check.fast.cache", "ogpctl.status", "ogpctl.cli")] == [
        "check",
        "commands",
        "cli",
    ]
