"""The `ogpctl` program (`python -m ogpctl` too).

`ogpctl --version` and `ogpctl --help` are answered before the command line (typer) is
imported, which costs more than the rest of the answer: the version is known, and the
program's help, as typer wrote it, is kept in the user's cache folder, under a name made
of everything that can change it (ogpctl's version, the size and mtime of each module of
`cli/`, the help's width, the program's path). A cache that cannot be read or written
only costs the time.

A plain `ogpctl validate [--format F] [--root R] [--no-cache]` (the pre-commit hook's and
CI's) is run without typer either, whose start-up (building every command, pydantic for
option coercion) costs more than a validation that the cache answers; when nothing
changed since the last run, the kept report is printed without importing PyYAML or
pydantic either (`check.fast.warm`). Anything else (other arguments, an error of any kind)
goes to the full command line, which does the work again and answers as usual: the plain
path prints nothing before it has its whole answer, so nothing is said twice.
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from types import ModuleType

    from ogpctl.check.report import Report

HELP = (["--help"], ["-h"])


def main() -> None:
    arguments = sys.argv[1:]
    if arguments == ["--version"]:
        from ogpctl import __version__

        print(f"ogpctl {__version__}")
        return
    if "validate" in arguments:
        code = _plain_validate(arguments)
        if code is not None:
            raise SystemExit(code)
    if "export" in arguments:
        code = _plain_export(arguments)
        if code is not None:
            raise SystemExit(code)
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


_FORMATS = ("auto", "text", "json", "github")


def _plain_options(arguments: list[str]) -> dict[str, str] | None:
    """The `root`, `format` and `no-cache` of a plain `validate` command line; None for
    any other (typer's to parse)."""
    from ogpctl.plain import options

    found = options(arguments, "validate", {"--no-cache": "no-cache"},
                    {"--format": "format", "-f": "format"})  # fmt: skip
    return None if found is None or found.get("format", "auto") not in _FORMATS else found


def _plain_validate(arguments: list[str]) -> int | None:
    """The exit code of a plain `validate`, run without typer after printing what the
    command prints; None where the full command line must answer (it then does the work
    again, and says what went wrong in the one place errors become exit codes)."""
    import signal

    from ogpctl.errors import ExitCode

    options = _plain_options(arguments)
    if options is None:
        return None
    interrupts: list[int] = []

    def interrupt(signum: int, frame: object) -> None:
        interrupts.append(signum)  # a library may turn it into an error of its own
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        try:
            report, absent, render = _plain_report(options)
        except Exception:
            return ExitCode.INTERRUPTED if interrupts else None
        try:
            sys.stdout.write(
                render.RENDERERS[render.resolve(options.get("format", "auto"))](report)
            )
            print(render.summary(report), file=sys.stderr)
            if absent:
                print(render.not_checked_out(absent), file=sys.stderr)
            sys.stdout.flush()
        except BrokenPipeError:
            from ogpctl.cli.support import closed_pipe

            closed_pipe()
            return ExitCode.CLOSED_PIPE
        except Exception as err:  # said in part already: as the full command says a bug
            from ogpctl.cli.support import report_bug

            report_bug(err)
            return ExitCode.BUG
        return ExitCode.OK if report.ok else ExitCode.INVALID
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    finally:
        signal.signal(signal.SIGINT, previous)


def _plain_report(options: dict[str, str]) -> tuple[Report, int, ModuleType]:
    """The report of a plain `validate`, the files a sparse checkout left out, and the
    renderer: from the last run's report when nothing changed (`check.fast.warm`: neither
    PyYAML nor pydantic is imported then), else by validating as the command does."""
    from pathlib import Path

    from ogpctl.render import validate as render
    from ogpctl.store.config import find_root, load_settings, today
    from ogpctl.store.gitquery import not_checked_out

    root = find_root(Path(options["root"]) if "root" in options else None)
    cache = "no-cache" not in options
    if not cache:
        from ogpctl.store.isocodes import bypass

        bypass()
    settings, now = load_settings(root), today()
    report = None
    if cache:
        from ogpctl.check.fast.warm import unchanged

        report = unchanged(root, settings, now)
    if report is None:
        from ogpctl.check.validate import check_dataset

        _, report = check_dataset(root, now, settings, records=False, cache=cache)
    return report, not_checked_out(root), render


def _plain_export(arguments: list[str]) -> int | None:
    """The exit code of a plain `export` answered from the last export kept, without
    typer (`export_plain`); None where the full command line must answer."""
    from ogpctl.errors import ExitCode
    from ogpctl.export_plain import answer

    try:
        found = answer(arguments)
        if found is None:
            return None
        chunks, written = found
        try:
            for chunk in chunks:
                sys.stdout.write(chunk)
            sys.stdout.flush()
        except BrokenPipeError:
            from ogpctl.cli.support import closed_pipe

            closed_pipe()
            return ExitCode.CLOSED_PIPE
        for path in written:
            print(f"wrote {path}", file=sys.stderr)
        return ExitCode.OK
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED


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
