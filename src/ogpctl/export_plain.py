"""A plain `ogpctl export [--format F] [-o PATH] [--lang L] [--metadata] [--root R]`
answered without typer when the last export of its format is kept and nothing changed
since (`check.fast.kept`): typer's start-up (building every command, pydantic for option
coercion) costs more than copying the files. Anything else (other arguments, no kept
export, an error of any kind before the answer is given) goes to the full command line,
which does the work again and answers as usual. (`__main__` prints the answer.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from ogpctl import plain
from ogpctl.errors import UsageError

_VALUED = {"--format": "format", "-f": "format", "--output": "output", "-o": "output",
           "--lang": "lang"}  # fmt: skip
_FORMATS = ("json", "csv", "markdown", "sqlite")


def check_target(output_format: str, target: Path | None, metadata: bool = False) -> None:
    """Before any work: csv and sqlite need somewhere to write (a usage error otherwise)."""
    if metadata and output_format != "sqlite":
        raise UsageError(
            "--metadata goes with --format sqlite (csv always writes datapackage.json)"
        )
    if target is None and output_format in ("csv", "sqlite"):
        what = "a folder for its four files" if output_format == "csv" else "a database file"
        raise UsageError(f"--format {output_format} needs -o PATH: {what}")
    if target is not None and output_format == "csv" and target.exists() and not target.is_dir():
        raise UsageError(f"-o {target}: --format csv writes a folder, and this is a file")
    if target is not None and output_format != "csv" and target.is_dir():
        raise UsageError(f"-o {target} is a folder; --format {output_format} writes one file")


def kept_key(
    output_format: str, target: Path | None, today: date, lang: str | None, metadata: bool
) -> tuple[object, ...]:
    """What an export is made of besides the records (`check.fast.kept`): the format,
    language and options, the day, and the database's name its metadata gives."""
    stem = target.stem if metadata and target is not None else None
    return (output_format, lang, metadata, stem, today.isoformat())


def options(arguments: list[str]) -> dict[str, str] | None:
    """The options of a plain `export` command line; None for any other (typer's)."""
    found = plain.options(arguments, "export", {"--metadata": "metadata"}, _VALUED)
    return None if found is None or found.get("format", "json") not in _FORMATS else found


def answer(arguments: list[str]) -> tuple[Iterable[str], list[Path]] | None:
    """What a plain `export` command line prints on stdout, and the files it wrote, from
    the kept export; None where the full command line must answer (nothing said yet)."""
    found = options(arguments)
    if found is None:
        return None
    from ogpctl.check.fast import kept
    from ogpctl.store.config import find_root, load_settings, today

    try:
        root = find_root(Path(found["root"]) if "root" in found else None)
        output = found.get("output")
        target = None if output is None or output == "-" else Path(output)
        output_format, metadata = found.get("format", "json"), "metadata" in found
        check_target(output_format, target, metadata)
        now = today()
        key = kept_key(output_format, target, now, found.get("lang"), metadata)
        return kept.answer(root, load_settings(root), key, target, output_format == "csv")
    except Exception:  # said by the full command line
        return None
