"""Delivery throughput: N queued alerts to an SMTP server on loopback, by one worker and by four.

    bash scripts/with-postgresql .venv/bin/python bench/delivery_bench.py [--alerts 2000] [--json]

The alerts (one new letter, N subscribers) wait in a fresh PostgreSQL database; each worker is a
process running ``send_pending`` on it, as a daemon's delivery job does, until nothing is due.
Several workers share the queue through the per-alert claim (``SELECT … FOR UPDATE SKIP
LOCKED``); the clock starts when every worker has opened the store. The SMTP server is aiosmtpd
(the test peer) in this process, one asyncio thread; every Message-ID it
receives is counted, so a mail sent twice or never fails the run. With ``--sqlite`` the one-worker
figure is measured on SQLite as well (one writer: no more workers there). ``--answer-delay 0.05``
makes the server answer each message after 50 ms, as a server across the internet does: then the
workers wait on the network rather than on the CPU.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.alerts import queue_alerts  # noqa: E402
from monitor.alerts.delivery import send_pending  # noqa: E402
from monitor.config import Config, MailConfig, StorageConfig  # noqa: E402
from monitor.store import Store, outbox  # noqa: E402
from tests.database import ENV_VAR, new_database  # noqa: E402
from tests.smtp_peer import SmtpPeer  # noqa: E402


def worker(config: Config, start) -> None:
    with Store.open(config) as store:
        start.wait()  # the clock runs from here: process start-up and imports are not delivery
        send_pending(store, config)


def fill(config: Config, alerts: int) -> None:
    with Store.open(config) as store, store.transaction() as conn:
        for n in range(alerts):
            outbox.save_subscriber(conn, f"lezer{n:05d}@example.org")
        event = outbox.add_event(conn, key="new:kst-28676-474@1", kind="new-letter", dossier="28676",
                                 identifier="kst-28676-474", version=1, series="fmm-agenda", severity=0, topics=[],
                                 summary={"title": "NAVO; Geannoteerde agenda NAVO-ministeriële 3 en 4 december 2024",
                                          "date": "2024-11-22", "published_as": "kst-28676-474"})
        assert len(queue_alerts(conn, event)) == alerts


def run(config: Config, workers: int, smtp: SmtpPeer, alerts: int) -> dict:
    fill(config, alerts)
    smtp.received.clear()
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(workers + 1)
    processes = [context.Process(target=worker, args=(config, start)) for _ in range(workers)]
    for p in processes:
        p.start()
    start.wait()
    started = time.perf_counter()
    for p in processes:
        p.join()
    seconds = time.perf_counter() - started
    received = Counter(m["Message-ID"] for m in smtp.messages)
    twice = sum(1 for n in received.values() if n > 1)
    assert all(p.exitcode == 0 for p in processes), [p.exitcode for p in processes]
    assert twice == 0 and len(received) == alerts, (twice, len(received))
    return {"workers": workers, "alerts": alerts, "seconds": round(seconds, 2),
            "alerts_per_second": round(alerts / seconds, 1), "answer_delay": smtp.answer_delay}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=2000)
    parser.add_argument("--sqlite", action="store_true", help="also one worker on SQLite")
    parser.add_argument("--answer-delay", type=float, default=0.0, metavar="SECONDS",
                        help="the SMTP server waits this long before accepting each message "
                             "(a remote server; loopback answers at once)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    server = os.environ.get(ENV_VAR)
    if not server:
        print(f"no PostgreSQL: run under `bash scripts/with-postgresql`, or set ${ENV_VAR}", file=sys.stderr)
        return 2

    smtp = SmtpPeer().start()
    smtp.answer_delay = args.answer_delay
    mail = MailConfig(smtp_host="127.0.0.1", smtp_port=smtp.port, security="none",
                      from_="dossier-monitor <alerts@example.org>", timeout_seconds=30.0)
    results = []
    try:
        for workers in (1, 4):
            with new_database(server) as url, tempfile.TemporaryDirectory() as tmp:
                config = Config(storage=StorageConfig(data_dir=tmp, database_url=url), mail=mail)
                results.append({"database": "postgresql"} | run(config, workers, smtp, args.alerts))
        if args.sqlite:
            with tempfile.TemporaryDirectory() as tmp:
                config = Config(storage=StorageConfig(data_dir=tmp), mail=mail)
                results.append({"database": "sqlite"} | run(config, 1, smtp, args.alerts))
    finally:
        smtp.stop()

    if args.json:
        print(json.dumps(results))
    else:
        print(f"SMTP answer delay {args.answer_delay * 1000:.0f} ms")
        print(f"{'database':<12}{'workers':>8}{'alerts':>8}{'seconds':>9}{'alerts/s':>10}")
        for r in results:
            print(f"{r['database']:<12}{r['workers']:>8}{r['alerts']:>8}{r['seconds']:>9.2f}{r['alerts_per_second']:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
