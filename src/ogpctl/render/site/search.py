"""The site's search: Pagefind's index of the records' pages, made offline by its binary.

Pagefind is optional (`pip install 'ogpctl[search]'`; its binary ships in the `pagefind_bin`
wheel): `program()` finds its binary, `missing()` says why search is left out without it.
`indexed()` passes the site's files through and, after the last one, adds the `pagefind/`
bundle: the pages whose `<main>` is marked `data-pagefind-body` (each action's and
member's) are copied to a scratch folder and indexed there, one index per page language
(`<html lang>`); navigation, header and footer are outside `<main>`, so not indexed.

Pagefind 1.5.2 writes the same bytes for the same pages but one file: the languages of
`pagefind-entry.json` come in a varying order (a Rust hash map's). ogpctl writes that file
itself, with them sorted, so two builds of one commit are the same bytes. The Python API of
the `pagefind` package is not used: it waits 0.1 s for each message (a page each) and hangs
when the index is over 2 MiB (its pipe limit).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from ogpctl.errors import OgpctlError
from ogpctl.store.scratch import scratch

BUNDLE = "pagefind/"
MARK = b"data-pagefind-body"
ENTRY = "pagefind-entry.json"
# the other UIs of the bundle: the search page loads the default one only
UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
INSTALL = "pip install 'ogpctl[search]'"


def program() -> Path | None:
    """Pagefind's binary, if the `pagefind` package finds one (its wheel's, or on PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()
    return found if found is not None and found.is_file() else None


def missing() -> str:
    """Why `program()` found no Pagefind."""
    if importlib.util.find_spec("pagefind") is None:
        return f"Pagefind is not installed ({INSTALL})"
    return f"Pagefind's binary is missing ({INSTALL}, or pip install 'pagefind[bin]')"


def indexed(
    files: Iterable[tuple[str, bytes | Path | int]], binary: Path, folders: Collection[str]
) -> Iterator[tuple[str, bytes | Path | int]]:
    """`files`, then the search bundle of the pages among them marked for the index.

    The pages of each language (`folders`: those of the languages other than the root's)
    are indexed by a run of their own, so that Pagefind holds one language at a time: its
    memory grows with the pages (1.4 GB for the 18,000 of the 46,000-file benchmark dataset
    in one run, 0.56 GB for its 6,000 English ones). The runs' common files are the same;
    their `pagefind-entry.json` are merged."""
    with scratch("search") as folder:
        pages = folder / "pages"
        for name, data in files:
            if name.endswith(".html") and isinstance(data, bytes) and MARK in data:
                top = name.split("/", 1)[0]
                copy = pages / (top if top in folders else "_") / name
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_bytes(data)
            yield name, data
        written: set[str] = set()
        entry: dict[str, Any] = {}
        for group in sorted(pages.iterdir()) if pages.is_dir() else ():
            bundle = folder / "bundle" / group.name
            run(binary, group, bundle)
            shutil.rmtree(group)
            for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
                name = path.relative_to(bundle).as_posix()
                if name == ENTRY:
                    found = json.loads(path.read_bytes())
                    entry = {
                        **found,
                        "languages": {**entry.get("languages", {}), **found["languages"]},
                    }
                elif name not in written and not path.name.startswith(UNUSED):
                    written.add(name)
                    yield BUNDLE + name, path.read_bytes()
            shutil.rmtree(bundle)
        if entry:
            yield BUNDLE + ENTRY, entry_bytes(entry)


def run(binary: Path, pages: Path, bundle: Path) -> None:
    try:
        done = subprocess.run(
            [str(binary), "--site", str(pages), "--output-path", str(bundle), "--silent"],
            capture_output=True, text=True, cwd=pages, timeout=3600,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as err:
        raise OgpctlError(f"Pagefind could not index the site: {err}") from None
    if done.returncode:
        said = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
        raise OgpctlError(f"Pagefind could not index the site: {said}")


def entry_bytes(entry: dict[str, Any]) -> bytes:
    """`pagefind-entry.json` as Pagefind writes it, but its languages in alphabetical order
    (Pagefind's order varies from run to run)."""
    entry = {k: dict(sorted(v.items())) if k == "languages" else v for k, v in entry.items()}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
