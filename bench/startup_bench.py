"""How long a whole `dossier-monitor diff` process takes, beside a process that runs difflib.HtmlDiff.

A person runs `diff` on two files and waits for the whole process: interpreter start, imports,
reading, comparing, rendering. The yardstick is the cheapest comparison Python offers, a fresh
interpreter that runs ``difflib.HtmlDiff().make_file`` on the same pair. The two processes run in
turns, run by run, so that a busy moment of the machine falls on both alike; the medians are
compared. Both run from bytecode compiled in a warm-up run, as an installed package does. Also
measured: the imports of `dossier-monitor --help` (``python -X importtime``, the sum of every
module's own time), which must not pay for any command.

    .venv/bin/python bench/startup_bench.py [--runs 21] [OLD NEW]

Targets (issue 14): the `diff` process ≤ 2× the HtmlDiff process; `--help` under 150 ms of imports.
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

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pairs"
TARGET_RATIO = 2.0
TARGET_HELP_MS = 150.0
HTML_DIFF = """
import difflib, sys
a = open(sys.argv[1], encoding="utf-8").read().splitlines()
b = open(sys.argv[2], encoding="utf-8").read().splitlines()
sys.stdout.write(difflib.HtmlDiff().make_file(a, b, sys.argv[1], sys.argv[2]))
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="process pairs to time (default 21)")
    parser.add_argument("old", nargs="?", type=Path, default=PAIRS / "agenda-2025.old.txt")
    parser.add_argument("new", nargs="?", type=Path, default=PAIRS / "agenda-2025.new.txt")
    args = parser.parse_args(argv)

    ours = [sys.executable, "-m", "monitor", "diff", str(args.old), str(args.new)]
    theirs = [sys.executable, "-c", HTML_DIFF, str(args.old), str(args.new)]
    bare = [sys.executable, "-c", "import click"]  # what any click command line costs before its own work
    load_before = os.getloadavg()[0]
    # warm the page cache and the bytecode caches
    wall_seconds(ours), wall_seconds(theirs), wall_seconds(bare), import_ms(["-m", "monitor", "--help"])
    ours_s, theirs_s, bare_s, help_ms, diff_import_ms = [], [], [], [], []
    for _ in range(args.runs):
        ours_s.append(wall_seconds(ours))
        theirs_s.append(wall_seconds(theirs))
        bare_s.append(wall_seconds(bare))
        help_ms.append(import_ms(["-m", "monitor", "--help"]))
        diff_import_ms.append(import_ms(ours[1:]))
    ours_ms, theirs_ms = statistics.median(ours_s) * 1000, statistics.median(theirs_s) * 1000
    ratio = ours_ms / theirs_ms
    helps = statistics.median(help_ms)
    print(f"pair: {args.old.name} -> {args.new.name}")
    print(f"`dossier-monitor diff` process      {ours_ms:7.1f} ms  (of which imports {statistics.median(diff_import_ms):.1f} ms)")
    print(f"difflib.HtmlDiff process             {theirs_ms:7.1f} ms")
    print(f"ratio                                {ratio:7.2f}x  (target <= {TARGET_RATIO:.0f}x)")
    print(f"(a process that only imports click   {statistics.median(bare_s) * 1000:7.1f} ms)")
    print(f"`dossier-monitor --help` imports     {helps:7.1f} ms  (target < {TARGET_HELP_MS:.0f} ms)")
    print(f"(medians of {args.runs} runs, the two processes in turns; load average (1 min) {load_before:.2f} "
          f"before and {os.getloadavg()[0]:.2f} after, {os.cpu_count()} cores)")
    ok = ratio <= TARGET_RATIO and helps < TARGET_HELP_MS
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
