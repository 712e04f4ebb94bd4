"""Static-site build time for a store of N letters (target: 500 letters in under 10 s).

    .venv/bin/python bench/site_bench.py [--letters 500] [--agendas 50] [--json]

Synthesises the letters into a fresh store through the Store API (not timed): every
FMM agenda is the whole kst-28676-474 agenda with its figures and wording edited (as in
tests/test_site_store.py), the other letters are openings of real letters of the dossier,
each made unique. Then times (1) a first build into an empty folder — every page, every
text read, every agenda analysed and compared, 17 topic timelines, the feed; (2) a rebuild
with nothing new; (3) a rebuild after one more agenda arrives.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.model import Publication  # noqa: E402
from monitor.site import build_site  # noqa: E402
from monitor.store import Store  # noqa: E402
from tests.test_site_store import (  # noqa: E402
    DEFENCE, OTHERS, UKRAINE, AgendaSpec, agenda_xml, fetched_at, other_text, record, record_agenda, store_config,
)

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def agenda_spec(i: int, number: int) -> AgendaSpec:
    """The i-th synthetic agenda: two meetings a year, the defence figure creeping up."""
    meeting = dt.date(2000, 4, 3) + dt.timedelta(days=182 * i)
    words = f"{meeting.day} {_MONTHS[meeting.month - 1]} {meeting.year}"
    figure = f"{2 + i // 4},{(i % 4) * 25:02d}".replace(",00", "")
    defence = DEFENCE.replace("minimaal 2%", f"minimaal {figure}%")
    ukraine = UKRAINE if i % 3 else UKRAINE.replace("voor zolang als nodig", "onverminderd")
    return AgendaSpec(str(number), meeting - dt.timedelta(days=12), (meeting,), words, words.rsplit(" ", 1)[0],
                      defence, ukraine, china=i % 2 == 1, gaza=i % 5 != 4)


def fill(store: Store, letters: int, agendas: int) -> AgendaSpec:
    """``letters`` publications of which ``agendas`` are FMM agendas; returns one more agenda, unrecorded."""
    every = max(1, letters // max(agendas, 1))
    made = 0
    for n in range(letters):
        number = 1000 + n
        if n % every == every - 1 and made < agendas:
            record_agenda(store, agenda_spec(made, number))
            made += 1
            continue
        base = OTHERS[n % len(OTHERS)]
        day = dt.date(2000, 1, 1) + dt.timedelta(days=13 * n)
        text = other_text(base) + f"\n\nKenmerk van deze synthetische brief: {number}.\n".encode()
        pub = Publication(f"kst-28676-{number}", "28676", str(number), f"{base.title} ({number})", "Brief",
                          day, day, None, dossiers=("28676",))
        record(store, pub, text, series=base.series, media_type="text/plain", when=fetched_at(day))
    return agenda_spec(made, 1000 + letters)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--agendas", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Store.open(store_config(root)) as store:
            started = time.perf_counter()
            extra = fill(store, args.letters, args.agendas)
            fill_seconds = time.perf_counter() - started

            first = build_site(store, root / "site")
            unchanged = build_site(store, root / "site")
            record_agenda(store, extra, agenda_xml(extra))
            incremental = build_site(store, root / "site")

    figures = {
        "letters": args.letters, "agendas": args.agendas, "store_fill_seconds": round(fill_seconds, 2),
        "first_build_seconds": round(first.seconds, 2), "files": len(first.written),
        "unchanged_rebuild_seconds": round(unchanged.seconds, 3),
        "one_new_agenda_seconds": round(incremental.seconds, 2),
        "one_new_agenda_files_written": len(incremental.written),
        "target_seconds": 10, "within_target": first.seconds < 10,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"site for {args.letters} letters ({args.agendas} FMM agendas), store filled in {fill_seconds:.1f} s")
        print(f"  first build:          {first.seconds:6.2f} s  ({len(first.written)} files; target < 10 s)")
        print(f"  rebuild, nothing new: {unchanged.seconds:6.3f} s")
        print(f"  rebuild, one agenda:  {incremental.seconds:6.2f} s  ({len(incremental.written)} files written)")
    return 0 if first.seconds < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
