"""Time reading one real-size agenda in each format the publisher serves, and analysing its sentences.

The same letter (kst-28676-474) as officielepublicaties XML, as the zoek.officielebekendmakingen.nl
page, and as OCR'd text: median of ``--runs`` reads each, after one read that warms imports and
caches; then every sentence through the position analysis.

    .venv/bin/python bench/read_bench.py [--runs 25]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from monitor.documents import read_document
from monitor.positions import analyse

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
FILES = [FIXTURES / "letters" / "kst-28676-474.xml", FIXTURES / "letters" / "kst-28676-474.html",
         FIXTURES / "corpus" / "kst-28676-474.ocr.txt"]


def median_ms(work, runs: int) -> float:
    work()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    runs = parser.parse_args().runs
    for path in FILES:
        data = path.read_bytes()
        ms = median_ms(lambda: read_document(data, source=str(path)), runs)
        print(f"read {path.name:28} {ms:6.1f} ms")
    sentences = [s.text for s in read_document(FILES[0].read_bytes(), source="474").sentences]
    ms = median_ms(lambda: [analyse(s) for s in sentences], runs)
    print(f"analyse {len(sentences)} sentences        {ms:6.1f} ms")


if __name__ == "__main__":
    main()
