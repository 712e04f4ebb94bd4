"""``python -m tests.peer [--port N] [--publications DIR] [--synthesise N [--dossier D]]``.

Serves until SIGTERM/SIGINT; prints its base URL as the first line on stdout.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from tests.peer.corpus import load_directory, synthesise
from tests.peer.server import Peer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.peer", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--publications", type=Path, help="folder of <id>.xml (+ <id>.json) to serve")
    parser.add_argument("--synthesise", type=int, default=0, metavar="N", help="also serve N synthetic publications")
    parser.add_argument("--dossier", default="28676")
    args = parser.parse_args(argv)
    docs = load_directory(args.publications) if args.publications else []
    if args.synthesise:
        docs += synthesise(args.synthesise, args.dossier)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with Peer(docs, port=args.port) as peer:
        print(peer.url, flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
