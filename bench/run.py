"""The benchmark of DESIGN §6: each figure of `ogpctl` beside its reference, from one run.

    python bench/run.py [--scale 1.0] [--dir DIR] [--repeat 5]

Generates the benchmark dataset (`bench/generate.py`: at scale 1.0, 46,000 files, valid
under every rule) into DIR (default: a temporary folder, removed afterwards), then runs,
each as a separate process:

- cold `ogpctl validate --no-cache`, and its reference: parsing the same files with
  PyYAML's C loader (`yaml.load(..., Loader=yaml.CSafeLoader)`) in one process;
- `ogpctl validate` twice to fill the cache, then again with nothing changed, and after
  one file changed (target: under 0.5 s);
- the peak memory of the cold validate (target: under 300 MiB): the largest process, from
  `getrusage(RUSAGE_CHILDREN).ru_maxrss` of a fresh runner process (exact), and all its
  processes together, the highest sum of their proportional set sizes (Pss, shared pages
  divided among the processes sharing them) sampled from /proc every 10 ms;
- `ogpctl --version` and `ogpctl --help` against `yamllint --version` (medians).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import TODAY, generate

MIB = 1024 * 1024
# the installed command, as users run it (else the module, for a checkout not installed)
OGPCTL = (
    [shutil.which("ogpctl") or ""] if shutil.which("ogpctl") else [sys.executable, "-m", "ogpctl"]
)
C_LOADER = """
import os, sys, yaml
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".yaml"):
            with open(os.path.join(folder, name), "rb") as handle:
                yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""
# Runs one command and prints the peak RSS of its largest process, in KiB (Linux: KiB).
MAX_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _environment(root: Path, cache: Path) -> dict[str, str]:
    return {
        **os.environ,
        "OGPCTL_TODAY": TODAY,
        "OGPCTL_ROOT": str(root),
        "NO_COLOR": "1",
        "XDG_CACHE_HOME": str(cache),  # not the user's own cache folder
    }


def timed(command: list[str], env: dict[str, str], *, check_ok: bool = True) -> float:
    """Wall-clock seconds of one run of `command`."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if check_ok and done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def median(run: Callable[[], float], repeat: int) -> float:
    return statistics.median(run() for _ in range(repeat))


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        found.append(parent)
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        todo += [int(child) for child in children]
    return found


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:"))


def memory(command: list[str], env: dict[str, str]) -> tuple[float, float | None]:
    """(largest process, all processes together) of one run, in MiB."""
    runner = subprocess.Popen(
        [sys.executable, "-c", MAX_RSS, *command], env=env, stdout=subprocess.PIPE, text=True
    )
    peak_sum = 0
    sampled = Path("/proc/self/smaps_rollup").exists()

    def sample() -> None:
        nonlocal peak_sum
        while runner.poll() is None:
            pids = _descendants(runner.pid)[1:]  # not the runner itself
            peak_sum = max(peak_sum, sum(_pss_kib(pid) for pid in pids))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output, _ = runner.communicate()
    sampler.join()
    largest = int(output.strip()) * 1024 / MIB  # ru_maxrss is in KiB on Linux
    return largest, (peak_sum / 1024 if sampled else None)


def touch_one(root: Path) -> Path:
    """Change one member file's content (still valid), as a contributor would."""
    path = next((root / "data" / "members").iterdir())
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    return path


def line(label: str, value: str, reference: str, verdict: bool | None) -> None:
    mark = "" if verdict is None else ("  ok" if verdict else "  MISSED")
    print(f"{label:<44} {value:>12}   {reference:<36}{mark}")


def benchmark(root: Path, cache: Path, repeat: int) -> bool:
    env = _environment(root, cache)
    validate = [*OGPCTL, "validate"]
    cold = min(timed([*validate, "--no-cache"], env) for _ in range(2))
    parse = min(timed([sys.executable, "-c", C_LOADER, str(root / "data")], env) for _ in range(2))
    largest, together = memory([*validate, "--no-cache"], env)

    timed(validate, env)  # fills the cache
    time.sleep(2.1)  # files younger than 2 s are never trusted from the cache (racy-git)
    timed(validate, env)
    unchanged = median(lambda: timed(validate, env), repeat)
    changed: list[float] = []
    for _ in range(repeat):
        touch_one(root)
        changed.append(timed(validate, env))
    one_changed = statistics.median(changed)

    version = median(lambda: timed([*OGPCTL, "--version"], env), repeat)
    help_ = median(lambda: timed([*OGPCTL, "--help"], env), repeat)
    yamllint = shutil.which("yamllint")
    reference = median(lambda: timed([yamllint, "--version"], env), repeat) if yamllint else None

    files = sum(1 for _ in (root / "data").rglob("*.yaml"))
    python = sys.version.split()[0]
    print(f"ogpctl benchmark: {files:,} files, {os.cpu_count()} cores, Python {python}")
    print(f"{'figure':<44} {'ogpctl':>12}   reference (same run)")
    results = [
        cold <= parse,
        unchanged < 0.5,
        one_changed < 0.5,
        largest < 300,
        together is None or together < 300,
    ]
    line(
        "validate, cold (--no-cache)",
        f"{cold:.2f} s",
        f"C-loader parse {parse:.2f} s",
        cold <= parse,
    )
    line("  ratio validate / C-loader parse", f"{cold / parse:.2f}", "target <= 1.00", None)
    line(
        "validate, nothing changed (median)",
        f"{unchanged:.3f} s",
        "target < 0.5 s",
        unchanged < 0.5,
    )
    line(
        "validate, one file changed (median)",
        f"{one_changed:.3f} s",
        "target < 0.5 s",
        one_changed < 0.5,
    )
    line(
        "peak memory, cold, largest process",
        f"{largest:.0f} MiB",
        "target < 300 MiB",
        largest < 300,
    )
    if together is not None:
        line(
            "peak memory, cold, all processes (Pss)",
            f"{together:.0f} MiB",
            "target < 300 MiB",
            together < 300,
        )
    else:
        line("peak memory, cold, all processes (Pss)", "n/a", "needs Linux /proc", None)
    if reference is not None:
        results += [version <= reference, help_ <= reference]
        line(
            "ogpctl --version (median)",
            f"{version:.3f} s",
            f"yamllint --version {reference:.3f} s",
            version <= reference,
        )
        line(
            "ogpctl --help (median)",
            f"{help_:.3f} s",
            f"yamllint --version {reference:.3f} s",
            help_ <= reference,
        )
    else:
        line("ogpctl --version (median)", f"{version:.3f} s", "yamllint not installed", None)
        line("ogpctl --help (median)", f"{help_:.3f} s", "yamllint not installed", None)
    return all(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 46,000 files")
    parser.add_argument("--dir", type=Path, help="generate here (kept) instead of a temp folder")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ogpctl-bench-") as temporary:
        root = args.dir or Path(temporary) / "dataset"
        if not (root / "data").exists():
            started = time.perf_counter()
            count = generate(root, args.scale)
            print(f"generated {count:,} files in {time.perf_counter() - started:.1f} s: {root}")
        met = benchmark(root.resolve(), Path(temporary) / "cache", args.repeat)
    print("every target met" if met else "some targets missed")


if __name__ == "__main__":
    main()
