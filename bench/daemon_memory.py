"""Resident memory of an idle ``dossier-monitor run``, read from /proc (Linux).

    .venv/bin/python bench/daemon_memory.py [--publications 60] [--idle 10] [--json]

Starts the KOOP-shaped test peer with N publications, starts the daemon against it (interval
2 s, so it polls several times), waits until the first poll has stored everything, lets it idle,
and reads ``VmRSS`` and ``VmHWM`` (peak) of the daemon process. Target: under 80 MB.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.config import Config  # noqa: E402
from monitor.store import Store  # noqa: E402
from tests.peer import Peer, synthesise  # noqa: E402

TARGET_MB = 80


def proc_status(pid: int) -> dict[str, int]:
    """The ``Vm*`` lines of /proc/<pid>/status, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name.startswith("Vm"):
            fields[name] = int(value.split()[0])
    return fields


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publications", type=int, default=60)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds to idle after the first poll")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with Peer(synthesise(args.publications)) as peer, tempfile.TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "monitor.toml"
        config_path.write_text(f"""
[source]
sru_url = "{peer.sru_url}"
allowed_hosts = ["127.0.0.1"]
min_request_interval_seconds = 0
interval_seconds = 2
[storage]
data_dir = "data"
[daemon]
jitter_seconds = 0
delivery_interval_seconds = 1
""", encoding="utf-8")
        daemon = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config_path), "run"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        try:
            config = Config.load(config_path)
            deadline = time.monotonic() + 120
            while True:
                if daemon.poll() is not None:
                    raise SystemExit(f"the daemon exited with {daemon.returncode}")
                if (config.data_dir / "monitor.sqlite").exists():
                    with Store.open(config) as store:
                        polls = store.last_polls(1)
                    if polls and polls[0].ok and polls[0].stored == args.publications:
                        break
                if time.monotonic() > deadline:
                    raise SystemExit("the first poll did not finish within 120 s")
                time.sleep(0.2)
            time.sleep(args.idle)
            status = proc_status(daemon.pid)
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=15)

    figures = {"publications": args.publications, "idle_seconds": args.idle,
               "rss_mb": round(status["VmRSS"] / 1024, 1), "peak_rss_mb": round(status["VmHWM"] / 1024, 1),
               "target_mb": TARGET_MB}
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"dossier-monitor run, idle after storing {args.publications} publications: "
              f"{figures['rss_mb']} MB resident (peak {figures['peak_rss_mb']} MB; target < {TARGET_MB} MB)")
    return 0 if figures["rss_mb"] < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
