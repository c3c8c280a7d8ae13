"""The `ogpctl` program (`python -m ogpctl` too).

`ogpctl --version` and `ogpctl --help` are answered before the command line (typer) is
imported, which costs more than the rest of the answer: the version is known, and the
program's help, as typer wrote it, is kept in the user's cache folder, under a name made
of everything that can change it (ogpctl's version, the size and mtime of each module of
`cli/`, the help's width, the program's path). A cache that cannot be read or written
only costs the time.
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

HELP = (["--help"], ["-h"])


def main() -> None:
    arguments = sys.argv[1:]
    if arguments == ["--version"]:
        from ogpctl import __version__

        print(f"ogpctl {__version__}")
        return
    kept = _kept_help() if arguments in HELP else None
    text = None
    if kept is not None:
        with contextlib.suppress(OSError, UnicodeError):
            text = kept.read_text(encoding="utf-8")
    if text:
        sys.stdout.write(text)
        return
    from ogpctl.cli import main as run

    if kept is None:
        run()
    else:
        _run_keeping_help(run, kept)


def _kept_help() -> Path | None:
    """Where the program's help is kept for this version, code and terminal width."""
    import hashlib
    import os
    import shutil
    from pathlib import Path

    from ogpctl import __version__

    try:
        cli = Path(__file__).resolve().parent / "cli"
        stats = [(p.name, p.stat()) for p in sorted(cli.glob("*.py"))]
    except OSError:
        return None
    width = min(shutil.get_terminal_size().columns, 80)  # as click finds the help's width
    made = "".join(f"{name}:{s.st_size}:{s.st_mtime_ns};" for name, s in stats)
    key = f"{__version__};{width};{sys.argv[0]};{made}"  # argv[0]: the usage line
    name = hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ogpctl" / f"help-{name}.txt"


def _run_keeping_help(run: Callable[[], None], kept: Path) -> None:
    """Run the program for its help, and keep what it printed if it ended well."""
    import io

    captured = io.StringIO()
    code: object = 0
    try:
        with contextlib.redirect_stdout(captured):
            run()
    except SystemExit as done:
        code = done.code
    text = captured.getvalue()
    sys.stdout.write(text)
    if code in (0, None) and text:
        from ogpctl.errors import OgpctlError
        from ogpctl.store.atomic import write_file

        with contextlib.suppress(OgpctlError, OSError):
            write_file(kept, text.encode("utf-8"), new=False)
    raise SystemExit(code)


if __name__ == "__main__":
    main()
