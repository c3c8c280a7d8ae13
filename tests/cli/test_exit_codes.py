"""The one mapping of errors to exit codes (`cli.support.handle_errors`), the unexpected too."""

from __future__ import annotations

import pytest
from helpers import DatasetFactory, Run

from ogpctl.errors import ExitCode

BUG_LINE = (
    "ogpctl: internal error (a bug in ogpctl): RuntimeError: boom; please report it at "
    "the project's issue tracker with OGPCTL_DEBUG=1 output\n"
)


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("target", "argv"),
    [
        ("ogpctl.status.status", ["status"]),  # a command of cli/program.py
        ("ogpctl.log.history", ["log"]),  # a command registered by cli/history.py
        ("ogpctl.changes.join", ["join", "a", "b", "--no-commit"]),  # cli/write.py
    ],
)
def test_a_bug_is_one_line_and_exit_4(
    target: str,
    argv: list[str],
    dataset: DatasetFactory,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(target, _boom)
    monkeypatch.delenv("OGPCTL_DEBUG", raising=False)
    result = run(dataset(), *argv)
    assert result.exit_code == ExitCode.BUG == 4
    assert result.stderr == BUG_LINE
    assert "Traceback" not in result.output


def test_ogpctl_debug_shows_the_traceback(
    dataset: DatasetFactory, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ogpctl.status.status", _boom)
    monkeypatch.setenv("OGPCTL_DEBUG", "1")
    result = run(dataset(), "status")
    assert result.exit_code == 4
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert 'raise RuntimeError("boom")' in result.stderr
    assert result.stderr.endswith(BUG_LINE)


def test_ogpctl_errors_keep_their_own_code(dataset: DatasetFactory, run: Run) -> None:
    result = run(dataset(), "show", "no-such-record")
    assert result.exit_code == ExitCode.INVALID
    assert "internal error" not in result.stderr
