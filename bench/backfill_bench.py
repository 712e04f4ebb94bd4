"""Backfill speed and the cost of an idle poll, against the KOOP-shaped test peer on loopback.

    .venv/bin/python bench/backfill_bench.py [--publications 500] [--json]

Measures (1) a backfill of N recorded publications into a fresh data folder (SRU pages, XML and
metadata per publication, SQLite and blob writes with fsync), and (2) one poll when nothing is
new: how many requests it makes (target: one, the SRU search) and how long it takes. No pacing
(``min_request_interval_seconds = 0``): this measures our side, not the politeness delay, which
adds ``2 × N`` seconds against the real service at the default of one request per second.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor import pipeline  # noqa: E402
from monitor.config import Config, StorageConfig  # noqa: E402
from monitor.source import SourceClient  # noqa: E402
from monitor.store import Store  # noqa: E402
from tests.peer import Peer, synthesise  # noqa: E402
from tests.peer.fixtures import peer_source_config  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publications", type=int, default=500)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()

    with Peer(synthesise(args.publications)) as peer, tempfile.TemporaryDirectory() as tmp:
        config = Config(source=peer_source_config(peer, page_size=1000, timeout_seconds=10.0),
                        storage=StorageConfig(data_dir=tmp), base_dir=Path(tmp))
        with Store.open(config) as store, SourceClient(config.source) as client:
            started = time.perf_counter()
            result = pipeline.backfill(store, client, config)
            backfill_seconds = time.perf_counter() - started
            backfill_requests = peer.count()
            assert result.ok and result.stored == args.publications, result

            peer.reset_counts()
            started = time.perf_counter()
            idle = pipeline.poll(store, client, config)
            poll_seconds = time.perf_counter() - started
            poll_requests = peer.count()
            assert idle.ok and idle.stored == 0, idle
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())

    figures = {
        "publications": args.publications,
        "backfill_seconds": round(backfill_seconds, 2),
        "backfill_per_publication_ms": round(1000 * backfill_seconds / args.publications, 1),
        "backfill_requests": backfill_requests,
        "data_folder_bytes": size,
        "idle_poll_requests": poll_requests,
        "idle_poll_ms": round(1000 * poll_seconds, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"backfill of {args.publications} publications: {backfill_seconds:.2f} s "
              f"({figures['backfill_per_publication_ms']} ms each, {backfill_requests} requests, "
              f"data folder {size / 1e6:.1f} MB)")
        print(f"poll with nothing new: {poll_requests} request(s), {figures['idle_poll_ms']} ms "
              f"({'meets' if poll_requests == 1 else 'MISSES'} the target of one request)")
    return 0 if poll_requests == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
