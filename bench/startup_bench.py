"""How long a whole `dossier-monitor diff` process takes, beside a process that runs difflib.HtmlDiff.

A person runs `diff` on two files and waits for the whole process: interpreter start, imports,
reading, comparing, rendering. The yardstick is the cheapest comparison Python offers, a fresh
interpreter that runs ``difflib.HtmlDiff().make_file`` on the same pair. The processes run in
turns, run by run, so that a busy moment of the machine falls on all alike; the medians are
compared. Both run from bytecode compiled in a warm-up run, as an installed package does.

Also measured, per pair, the floor no start-up work can get under: an interpreter that starts
and exits (``python -c pass``) plus the same `diff` command run inside an interpreter that has
already imported everything and run it once (the comparison's own work, no imports, no first-use
set-up). The pairs: two versions of one agenda (one edit), and agenda 474 against each next
agenda of the pairing evaluation (the successive agendas every alert is about). And the imports of `dossier-monitor --help`
(``python -X importtime``, the sum of every module's own time), which must not pay for any command.

    .venv/bin/python bench/startup_bench.py [--runs 21] [OLD NEW]

Targets (issue 14): the `diff` process <= 2x the HtmlDiff process; `--help` under 150 ms of imports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
# two versions of one agenda (one edit), then agenda 474 against each hand-written next agenda
# that the pairing evaluation holds to its targets (bench/pairing_eval.py)
DEFAULT_PAIRS = [(FIXTURES / "pairs" / "agenda-2025.old.txt", FIXTURES / "pairs" / "agenda-2025.new.txt")] + [
    (FIXTURES / "corpus" / "kst-28676-474.ocr.txt", new) for new in sorted((FIXTURES / "successive").glob("*.new.txt"))]
TARGET_RATIO = 2.0
TARGET_HELP_MS = 150.0
HTML_DIFF = """
import difflib, sys
a = open(sys.argv[1], encoding="utf-8").read().splitlines()
b = open(sys.argv[2], encoding="utf-8").read().splitlines()
sys.stdout.write(difflib.HtmlDiff().make_file(a, b, sys.argv[1], sys.argv[2]))
"""
# The same command line inside one interpreter: once to import and set up, then timed.
WARM_RUN = """
import io, statistics, sys, time
from contextlib import redirect_stdout
from monitor.cli import cli
argv = ["diff", sys.argv[1], sys.argv[2]]
times = []
for _ in range(int(sys.argv[3]) + 1):
    start = time.perf_counter()
    with redirect_stdout(io.StringIO()):
        cli.main(argv, prog_name="dossier-monitor", standalone_mode=False)
    times.append(time.perf_counter() - start)
print(statistics.median(times[1:]))
"""


# An installed package runs from bytecode compiled once (pip compiles it): the processes get a
# bytecode cache of their own, even where the environment says not to write one, so that
# neither side pays for compiling its modules' source on every run.
PROCESS_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
PROCESS_ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "dossier-monitor-startup-bench")


def wall_seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=PROCESS_ENV)
    return time.perf_counter() - start


def import_ms(argv: list[str]) -> float:
    """Milliseconds of imports in one process: the sum of the self times ``-X importtime`` reports."""
    run = subprocess.run([sys.executable, "-X", "importtime", *argv], check=True, capture_output=True, text=True,
                         env=PROCESS_ENV)
    total_us = 0
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            own = line.split(":", 1)[1].split("|", 1)[0].strip()
            if own.isdigit():
                total_us += int(own)
    return total_us / 1000


def warm_run_ms(old: Path, new: Path, runs: int) -> float:
    run = subprocess.run([sys.executable, "-c", WARM_RUN, str(old), str(new), str(runs)], check=True,
                         capture_output=True, text=True, env=PROCESS_ENV)
    return float(run.stdout) * 1000


def measure(old: Path, new: Path, runs: int) -> dict[str, float]:
    """Medians, in milliseconds, of the processes on one pair, run in turns."""
    ours = [sys.executable, "-m", "monitor", "diff", str(old), str(new)]
    theirs = [sys.executable, "-c", HTML_DIFF, str(old), str(new)]
    bare = [sys.executable, "-c", "pass"]
    wall_seconds(ours), wall_seconds(theirs), wall_seconds(bare)  # page cache and bytecode caches
    times: dict[str, list[float]] = {"ours": [], "theirs": [], "bare": [], "imports": []}
    for _ in range(runs):
        times["ours"].append(wall_seconds(ours) * 1000)
        times["theirs"].append(wall_seconds(theirs) * 1000)
        times["bare"].append(wall_seconds(bare) * 1000)
        times["imports"].append(import_ms(ours[1:]))
    figures = {name: statistics.median(values) for name, values in times.items()}
    figures["warm"] = warm_run_ms(old, new, runs)
    figures["floor"] = figures["bare"] + figures["warm"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="process pairs to time (default 21)")
    parser.add_argument("pair", nargs="*", type=Path, metavar="OLD NEW",
                        help="one pair to time instead of the default pairs")
    args = parser.parse_args(argv)
    if len(args.pair) not in (0, 2):
        parser.error("give no pair or one OLD NEW")
    pairs = [tuple(args.pair)] if args.pair else DEFAULT_PAIRS

    load_before = os.getloadavg()[0]
    import_ms(["-m", "monitor", "--help"])
    help_ms = statistics.median(import_ms(["-m", "monitor", "--help"]) for _ in range(args.runs))
    # what any comparison built on this standard library pays before its own first line
    stdlib = [sys.executable, "-c", "import dataclasses, re, tomllib, typing"]
    wall_seconds(stdlib)
    stdlib_ms = statistics.median(wall_seconds(stdlib) for _ in range(args.runs)) * 1000
    print(f"{'pair':46} {'diff':>7} {'imports':>8} {'HtmlDiff':>9} {'ratio':>6}   "
          f"{'python':>6} {'+ warm':>7} {'= floor':>8} {'ratio':>6}")
    ratios = []
    for old, new in pairs:
        f = measure(old, new, args.runs)
        ratio, floor_ratio = f["ours"] / f["theirs"], f["floor"] / f["theirs"]
        ratios.append((ratio, floor_ratio))
        print(f"{old.name + ' -> ' + new.name:46} {f['ours']:7.1f} {f['imports']:8.1f} {f['theirs']:9.1f} "
              f"{ratio:5.2f}x   {f['bare']:6.1f} {f['warm']:7.1f} {f['floor']:8.1f} {floor_ratio:5.2f}x")
    print(f"`dossier-monitor --help` imports {help_ms:.1f} ms (target < {TARGET_HELP_MS:.0f} ms)")
    print(f"(an interpreter that imports only dataclasses, re, tomllib and typing: {stdlib_ms:.1f} ms)")
    print(f"(milliseconds, medians of {args.runs} runs, the processes in turns; load average (1 min) "
          f"{load_before:.2f} before and {os.getloadavg()[0]:.2f} after, {os.cpu_count()} cores)")
    worst = max(r for r, _ in ratios)
    above = sum(f > TARGET_RATIO for _, f in ratios)
    print(f"largest ratio {worst:.2f}x HtmlDiff (target <= {TARGET_RATIO:.0f}x); the floor alone is above "
          f"{TARGET_RATIO:.0f}x on {above} of {len(ratios)} pairs")
    ok = worst <= TARGET_RATIO and help_ms < TARGET_HELP_MS
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
