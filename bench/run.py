"""The benchmark of DESIGN §6: each figure of `ogpctl` beside its reference, from one run.

    python bench/run.py [--scale 1.0] [--dir DIR] [--repeat 5] [--large]
                        [--only site|read|memory|cold] [--cpu] [--smoke]

Generates the benchmark dataset (`bench/generate.py`: at scale 1.0, 46,000 files, valid
under every rule) into DIR (default: a temporary folder, removed afterwards), commits it
to a new git repository (`log` and `diff` read history), then runs, each as a separate
process, and prints each figure beside its target's reference with ok or MISSED:

- cold `ogpctl validate --no-cache` against 0.8x parsing the same files with PyYAML's C
  loader (`yaml.load(..., Loader=yaml.CSafeLoader)`) in one process, in wall-clock time
  (validate on every core, the parse on one), with the CPU time of all processes of each
  beside it;
- `ogpctl validate` with nothing changed, and after one file changed (under 0.5 s);
- every read command (`status`, `show ID`, `log ID`, `diff HEAD`, `export` in each
  format; `members` and `site` where this ogpctl has them), warm (validation cache filled)
  against 2x warm validate, and cold (caches removed) against 1.5x cold validate (medians);
- with `--only site`, just `site -o DIR --no-search` (cold) against 3x cold validate, the
  site's size and the command's peak memory, then the build with Pagefind's search index
  where Pagefind is installed (its time and memory, not a target); with `--only read`,
  just the read commands beside cold and warm validate; with `--only memory`, just every
  command's peak memory (at `--scale`: `--scale 4 --dir DIR` generates the 184,000 files
  once and keeps them); with `--only cold`, just cold validate beside the C-loader parse
  (wall, CPU, µs per file) and its peak memory, at `--scale`;
- `ogpctl --version` and `--help` against 0.8x `yamllint --version`, and warm validate on
  the shipped dataset (the pre-commit hook) against 2x `yamllint --version` (medians);
- µs per file (wall and CPU) of cold validate and of the C-loader parse at 0.25x and 1x
  the scale (and 4x with --large): it should stay flat;
- the peak memory of every command, cold (under 300 MiB; `validate` both without its
  cache and on an empty one), then of `validate` with its cache filled, nothing changed
  and after a file was replaced (its folder changed: the whole cache is read): all its
  processes together, the highest sum of their proportional set sizes (Pss, shared pages
  divided among the processes sharing them) sampled from /proc every 10 ms, beside the
  largest process's `ru_maxrss`; at 4x the scale with --large (DESIGN's figure: 184,000
  files), else at 1x.

`--smoke` (for the test suite, tests/project/test_bench.py) runs the code of every figure
and prints it, but measures nothing worth reading: each run once, and no waiting for the
files just written to leave ogpctl's 2-second racy window, so "warm" runs may be partly cold;
the cache is not refilled after each read command's cold run, and one read command's peak
memory (`export sqlite`) stands for the others' (the same code, other arguments).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
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


def _script(name: str) -> list[str]:
    """`name` as installed beside this interpreter, as users run it (whatever PATH holds),
    else its module (for a checkout not installed)."""
    script = Path(sys.executable).parent / name
    return [str(script)] if script.is_file() else [sys.executable, "-m", name]


OGPCTL = _script("ogpctl")
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


CPU_CLOCK = False  # --cpu: each run timed by the CPU time of all its processes
SMOKE = False  # --smoke: every figure's code run once, nothing waited for


def _run(command: list[str], env: dict[str, str], check_ok: bool) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of all its processes: user and system, its worker
    processes included) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check_ok and done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def timed(command: list[str], env: dict[str, str], *, check_ok: bool = True) -> float:
    """Seconds of one run of `command`: wall-clock, or with `--cpu` its CPU time."""
    wall, cpu = _run(command, env, check_ok)
    return cpu if CPU_CLOCK else wall


def _clock() -> str:
    return "CPU time of all processes" if CPU_CLOCK else "wall-clock time"


def cpu_timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of all its processes) of one run of `command`."""
    return _run(command, env, True)


def best(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The least wall-clock and the least CPU time of two runs of `command` (one with
    --smoke)."""
    runs = [cpu_timed(command, env) for _ in range(1 if SMOKE else 2)]
    return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)


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


def commit_all(root: Path) -> None:
    """Make the dataset a git repository with one commit (`log` and `diff` need history)."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "bench"]):
        subprocess.run(["git", "-C", str(root), *command], env=env, check=True)


def settle(root: Path) -> None:
    """Wait until the dataset's files and folders are 2.1 s old: ogpctl never trusts from
    its cache a file changed less than 2 s before a run (racy-git). Waits only what is left;
    with --smoke, not at all. (Setting the files' mtimes into the past would not do: that
    moves their ctimes to now, and ogpctl trusts neither time within the window.)"""
    if SMOKE:
        return
    newest = root.stat().st_ctime_ns
    for folder, _, files in os.walk(root / "data"):
        for name in [".", *files]:
            found = os.lstat(f"{folder}/{name}")
            newest = max(newest, found.st_mtime_ns, found.st_ctime_ns)
    time.sleep(max(0.0, newest / 1e9 + 2.1 - time.time()))


def forget_cache(root: Path, cache: Path) -> None:
    """Remove ogpctl's validation caches (not pycountry's code lists): the next run is cold."""
    shutil.rmtree(root / ".git" / "ogpctl", ignore_errors=True)
    for entry in (cache / "ogpctl").glob("*"):
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def line(label: str, value: str, reference: str, verdict: bool | None) -> None:
    mark = "" if verdict is None else ("  ok" if verdict else "  MISSED")
    print(f"{label:<44} {value:>12}   {reference:<40}{mark}", flush=True)


class Verdicts:
    """Prints each figure beside its reference and remembers whether every target was met."""

    def __init__(self) -> None:
        self.met = True

    def __call__(self, label: str, value: str, reference: str, verdict: bool | None) -> None:
        if verdict is False:
            self.met = False
        line(label, value, reference, verdict)


def read_commands(root: Path) -> dict[str, list[str]]:
    """Each read command of DESIGN §6 that this ogpctl has, as run by the benchmark."""
    action = sorted((root / "data" / "actions").iterdir())[0].name
    commands = {
        "status": ["status"],
        f"show {action}": ["show", action],
        f"log {action}": ["log", action],
        "diff HEAD": ["diff", "HEAD"],
        "export json": ["export", "--format", "json", "-o", str(root.parent / "out.json")],
        "export csv": ["export", "--format", "csv", "-o", str(root.parent / "out-csv")],
        "export sqlite": ["export", "--format", "sqlite", "-o", str(root.parent / "out.db")],
        "export markdown": ["export", "--format", "markdown", "-o", str(root.parent / "out.md")],
    }
    have = subprocess.run([*OGPCTL, "--help"], capture_output=True, text=True).stdout
    for name in ("members", "site"):  # not every version has them
        if f"  {name} " in have:
            # the site as its target measures it: without the optional search index
            out = ["-o", str(root.parent / "out-site"), "--no-search"] if name == "site" else []
            commands[" ".join([name, *out[2:]])] = [name, *out]
    return commands


def per_file(root: Path, cache: Path, report: Verdicts, scale: float) -> None:
    """µs per file of cold validate and of the C-loader parse at one scale."""
    env = _environment(root, cache)
    files = sum(1 for _ in (root / "data").rglob("*.yaml"))
    runs = best([*OGPCTL, "validate", "--no-cache"], env)
    parses = best([sys.executable, "-c", C_LOADER, str(root / "data")], env)
    for label, cold, parse in (("wall", runs[0], parses[0]), ("CPU", runs[1], parses[1])):
        report(
            f"validate cold, µs/file at {scale:g}x ({files:,})",
            f"{cold / files * 1e6:.0f} µs {label}",
            f"C-loader parse {parse / files * 1e6:.0f} µs",
            None,
        )


def memory_all(
    root: Path, cache: Path, report: Verdicts, scale: float, only: list[str] | None = None
) -> None:
    """Peak memory, all processes together, of every command (or those named in `only`)
    at one scale (cold); with none named, then of validate warm and after a file replaced."""
    env = _environment(root, cache)
    commands = {
        "validate --no-cache": ["validate", "--no-cache"],
        "validate": ["validate"],  # its cache empty, then filled
        **read_commands(root),
    }
    # with --smoke, one read command's peak stands for the others' (the same code)
    smoke = ["validate --no-cache", "validate", "export sqlite"] if SMOKE else None
    wanted = only if only is not None else smoke
    for label, arguments in commands.items():
        if wanted is not None and label not in wanted:
            continue
        forget_cache(root, cache)
        _peak(f"peak memory at {scale:g}x: {label}", [*OGPCTL, *arguments], env, report)
    if only is None:  # validate with its cache filled: nothing changed, then a file replaced
        settle(root)
        forget_cache(root, cache)
        timed([*OGPCTL, "validate"], env)
        _peak(f"peak memory at {scale:g}x: validate, warm", [*OGPCTL, "validate"], env, report)
        replace_one(root)
        settle(root)
        label = f"peak memory at {scale:g}x: validate, a file replaced"
        _peak(label, [*OGPCTL, "validate"], env, report)


def _peak(label: str, command: list[str], env: dict[str, str], report: Verdicts) -> None:
    largest, together = memory(command, env)
    figure = together if together is not None else largest
    report(label, f"{figure:.0f} MiB", f"target < 300 MiB (largest {largest:.0f})", figure < 300)


def replace_one(root: Path) -> None:
    """Replace one member file by an edited copy, as many editors save (a new file
    renamed over the old: its folder changes too, so validate reads its whole cache)."""
    path = next((root / "data" / "members").iterdir())
    edited = root / ".edited.tmp"
    edited.write_text(path.read_text(encoding="utf-8") + "# replaced\n", encoding="utf-8")
    edited.replace(path)


def cold_validate(root: Path, cache: Path, report: Verdicts) -> float:
    """Cold validate beside the C-loader parse of the same files, from the same runs: wall
    time (the target), CPU time and µs per file; returns validate's wall time."""
    env = _environment(root, cache)
    cold, cold_cpu = best([*OGPCTL, "validate", "--no-cache"], env)
    parse, parse_cpu = best([sys.executable, "-c", C_LOADER, str(root / "data")], env)
    files = sum(1 for _ in (root / "data").rglob("*.yaml"))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = os.environ.get("OGPCTL_WORKERS") or str(cores)
    report(
        f"validate, cold (--no-cache), wall, {workers} workers",
        f"{cold:.2f} s",
        f"0.8 x C-loader parse (1 process) {parse:.2f} s",
        cold <= 0.8 * parse,
    )
    report("  ratio validate / C-loader parse, wall", f"{cold / parse:.2f}", "target <= 0.80", None)
    # the same runs in CPU time: what the workers' wall-clock gain costs (not a target)
    report(
        "  CPU, all processes: validate / C-loader",
        f"{cold_cpu / parse_cpu:.2f}",
        f"{cold_cpu:.2f} s / {parse_cpu:.2f} s CPU",
        None,
    )
    report(
        f"  CPU per file ({files:,} files)",
        f"{cold_cpu / files * 1e6:.0f} µs",
        f"C-loader parse {parse_cpu / files * 1e6:.0f} µs",
        None,
    )
    return cold


def benchmark(root: Path, cache: Path, repeat: int, report: Verdicts) -> None:
    env = _environment(root, cache)
    validate = [*OGPCTL, "validate"]
    files = sum(1 for _ in (root / "data").rglob("*.yaml"))
    python = sys.version.split()[0]
    print(f"ogpctl benchmark: {files:,} files, {os.cpu_count()} cores, Python {python}, {_clock()}")
    print(f"{'figure':<44} {'ogpctl':>12}   reference (same run)")
    cold = cold_validate(root, cache, report)

    settle(root)
    timed(validate, env)  # fills the cache
    unchanged = median(lambda: timed(validate, env), repeat)
    changed: list[float] = []
    for _ in range(repeat):
        touch_one(root)
        changed.append(timed(validate, env))
    one_changed = statistics.median(changed)
    report(
        "validate, nothing changed (median)",
        f"{unchanged:.3f} s",
        "target < 0.5 s",
        unchanged < 0.5,
    )
    report(
        "validate, one file changed (median)",
        f"{one_changed:.3f} s",
        "target < 0.5 s",
        one_changed < 0.5,
    )
    read_figures(root, cache, repeat, report, cold, unchanged)


def read_figures(
    root: Path, cache: Path, repeat: int, report: Verdicts, cold: float, unchanged: float
) -> None:
    """Each read command, warm (validation cache filled) and cold (no cache), beside the
    references: `cold` and `unchanged` (warm) validate, in seconds."""
    env = _environment(root, cache)
    validate = [*OGPCTL, "validate"]
    settle(root)
    timed(validate, env)
    for label, arguments in read_commands(root).items():
        command = [*OGPCTL, *arguments]
        warm = median(lambda command=command: timed(command, env), repeat)

        def cold_run(command: list[str] = command) -> float:
            forget_cache(root, cache)
            return timed(command, env)

        first = median(cold_run, repeat)
        if not SMOKE:  # with --smoke, the cold run's own cache will do
            timed(validate, env)  # leaves the cache filled for the next command
        report(
            f"{label}, warm (median)",
            f"{warm:.3f} s",
            f"2 x warm validate {2 * unchanged:.3f} s",
            warm <= 2 * unchanged,
        )
        report(
            f"{label}, cold (median)",
            f"{first:.3f} s",
            f"1.5 x cold validate {1.5 * cold:.2f} s",
            first <= 1.5 * cold,
        )


def site_figure(root: Path, cache: Path, repeat: int, report: Verdicts) -> None:
    """`site -o DIR --no-search`, cold, beside cold validate from the same run (DESIGN §6:
    at most 3x), and its peak memory, all processes together (under 300 MiB); then, when
    Pagefind is installed, the same with the search index (not a target: Pagefind's own)."""
    env = _environment(root, cache)
    out = root.parent / "out-site"
    cold = min(timed([*OGPCTL, "validate", "--no-cache"], env) for _ in range(2))
    site = [*OGPCTL, "site", "-o", str(out), "--no-search"]

    def build(command: list[str] = site) -> float:
        forget_cache(root, cache)
        return timed(command, env)

    took = median(build, repeat)
    files = sum(1 for p in out.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    report(
        "site --no-search, cold (median)",
        f"{took:.2f} s",
        f"3 x cold validate {3 * cold:.2f} s",
        took <= 3 * cold,
    )
    report("  ratio site / cold validate", f"{took / cold:.2f}", "target <= 3.00", None)
    report("  the site", f"{files:,} files", f"{size / MIB:.0f} MiB", None)
    forget_cache(root, cache)
    largest, together = memory(site, env)
    figure = together if together is not None else largest
    report(
        "peak memory: site --no-search",
        f"{figure:.0f} MiB",
        f"target < 300 MiB (largest {largest:.0f})",
        figure < 300,
    )
    if importlib.util.find_spec("pagefind") is None:
        return
    searched = build(site[:-1])
    forget_cache(root, cache)
    largest, together = memory(site[:-1], env)
    report(
        "site with search (Pagefind), cold",
        f"{searched:.2f} s",
        f"{searched / cold:.2f} x cold validate; peak {together or largest:.0f} MiB",
        None,
    )


def start_up(repeat: int, cache: Path, report: Verdicts) -> None:
    """`--version`, `--help`, and warm validate on the shipped dataset, against yamllint.
    The shipped dataset is copied into a repository of its own first: its validation cache
    is then the copy's, not the checkout's."""
    checkout, shipped = Path(__file__).resolve().parent.parent, cache.parent / "shipped"
    for part in ("data", "schemas"):
        shutil.copytree(checkout / part, shipped / part)
    shutil.copy(checkout / "ogpctl.toml", shipped)
    commit_all(shipped)
    env = _environment(shipped, cache)
    env.pop("OGPCTL_TODAY")
    version = median(lambda: timed([*OGPCTL, "--version"], env), repeat)
    help_ = median(lambda: timed([*OGPCTL, "--help"], env), repeat)
    validate = [*OGPCTL, "validate"]
    settle(shipped)
    timed(validate, env, check_ok=False)  # fills the cache
    hook = median(lambda: timed(validate, env, check_ok=False), repeat)
    yamllint = _script("yamllint") if importlib.util.find_spec("yamllint") else None
    if yamllint is None:
        for label, value in (("--version", version), ("--help", help_), ("validate", hook)):
            report(f"ogpctl {label} (median)", f"{value:.3f} s", "yamllint not installed", None)
        return
    reference = median(lambda: timed([*yamllint, "--version"], env), repeat)
    for label, value in (("--version", version), ("--help", help_)):
        report(
            f"ogpctl {label} (median)",
            f"{value:.3f} s",
            f"0.8 x yamllint --version {0.8 * reference:.3f} s",
            value <= 0.8 * reference,
        )
    report(
        "validate, shipped dataset, warm (median)",
        f"{hook:.3f} s",
        f"2 x yamllint --version {2 * reference:.3f} s",
        hook <= 2 * reference,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 46,000 files")
    parser.add_argument("--dir", type=Path, help="generate here (kept) instead of a temp folder")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median")
    parser.add_argument(
        "--large",
        action="store_true",
        help="also at 4x scale (184,000 files): µs/file, and peak memory of every command",
    )
    parser.add_argument(
        "--only",
        choices=["site", "read", "memory", "cold"],
        help="only these figures (site: `site -o DIR` beside validate; read: the read "
        "commands beside validate; memory: every command's peak memory, at --scale; "
        "cold: cold validate beside the C-loader parse, and its peak memory, at --scale)",
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time each run, references included, by the CPU time of all its processes "
        "instead of the wall clock (steadier where other work shares the cores)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="check that every figure runs and prints (the test suite): each run once, "
        "nothing waited for; the figures then mean nothing",
    )
    args = parser.parse_args()
    global CPU_CLOCK, SMOKE
    CPU_CLOCK, SMOKE = args.cpu, args.smoke
    if SMOKE:
        print("smoke run: every figure's code once, not a measurement")
    report = Verdicts()
    with tempfile.TemporaryDirectory(prefix="ogpctl-bench-") as temporary:
        cache = Path(temporary) / "cache"
        root = (args.dir or Path(temporary) / "dataset").resolve()
        if not (root / "data").exists():
            started = time.perf_counter()
            count = generate(root, args.scale)
            print(f"generated {count:,} files in {time.perf_counter() - started:.1f} s: {root}")
        if not (root / ".git").exists():
            commit_all(root)
        if args.only:
            print(f"ogpctl benchmark, {args.only} figures only: {_clock()}")
        if args.only == "site":
            site_figure(root, cache, args.repeat, report)
            print("every target met" if report.met else "some targets missed")
            return
        if args.only == "read":
            env, validate = _environment(root, cache), [*OGPCTL, "validate"]
            cold = min(timed([*validate, "--no-cache"], env) for _ in range(2))
            settle(root)
            timed(validate, env)
            unchanged = median(lambda: timed(validate, env), args.repeat)
            line("validate cold / warm (references)", f"{cold:.2f} s", f"{unchanged:.3f} s", None)
            read_figures(root, cache, args.repeat, report, cold, unchanged)
        if args.only == "memory":
            memory_all(root, cache, report, args.scale)
        if args.only == "cold":
            cold_validate(root, cache, report)
            memory_all(root, cache, report, args.scale, ["validate --no-cache"])
        if args.only:
            print("every target met" if report.met else "some targets missed")
            return
        benchmark(root, cache, args.repeat, report)
        start_up(args.repeat, cache, report)
        small = Path(temporary) / "quarter"
        generate(small, args.scale / 4)
        per_file(small, cache, report, args.scale / 4)
        per_file(root, cache, report, args.scale)
        if args.large:
            large = Path(temporary) / "large"
            generate(large, args.scale * 4)
            commit_all(large)
            per_file(large, cache, report, args.scale * 4)
            memory_all(large, cache, report, args.scale * 4)
        else:
            memory_all(root, cache, report, args.scale)
    print("every target met" if report.met else "some targets missed")


if __name__ == "__main__":
    main()
