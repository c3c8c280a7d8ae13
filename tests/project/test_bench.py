"""The benchmark (bench/run.py) runs, at a small scale, and prints every figure.

Not a timed test: the figures depend on the machine; `python bench/run.py` measures them.
Here it runs with `--smoke`: each figure's commands once, without waiting out ogpctl's
2-second racy window after writing files (five such waits were 11 s of this test).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

BENCH = REPO / "bench"
FIGURES = [
    "validate, cold (--no-cache)",
    "C-loader parse",
    "ratio validate / C-loader parse",
    "validate, nothing changed (median)",
    "validate, one file changed (median)",
    *(
        f"{command}, {state} (median)"
        for command in ("status", "show action-0000", "log action-0000", "diff HEAD")
        for state in ("warm", "cold")
    ),
    *(f"export {f}, cold (median)" for f in ("json", "csv", "sqlite", "markdown")),
    "ogpctl --version (median)",
    "ogpctl --help (median)",
    "validate, shipped dataset, warm (median)",
    "validate cold, µs/file at 0.0025x",
    "validate cold, µs/file at 0.01x",
    "peak memory at 0.01x: validate --no-cache",
    "peak memory at 0.01x: export sqlite",
]


@pytest.mark.slow
def test_the_benchmark_runs_at_a_small_scale_and_prints_every_figure(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--scale", "0.01", "--repeat", "1", "--smoke"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "smoke run: every figure's code once, not a measurement" in done.stdout
    for figure in FIGURES:
        assert figure in done.stdout
    assert "460 files, " in done.stdout  # 5 members, 1 action, 20 + 20 per action, ×10
    assert "wall-clock time" in done.stdout  # without --cpu
    assert "targets m" in done.stdout  # "every target met" or "some targets missed"


def test_the_cpu_clock_is_named_and_used_for_the_figures(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    command = [sys.executable, str(BENCH / "run.py"), "--scale", "0.0025", "--repeat", "1"]
    command.append("--smoke")
    done = subprocess.run(
        [*command, "--only", "cold", "--cpu"], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "cold figures only: CPU time of all processes" in done.stdout
    assert "ratio validate / C-loader parse" in done.stdout
    assert "peak memory at 0.0025x: validate --no-cache" in done.stdout
