"""Regenerate ``docs/alert-sample.png``: a sample alert's HTML part as a mail client shows it.

The sample compares the test pair ``tests/fixtures/pairs/agenda-2025`` (the real agenda of
December 2024 and an edited copy for April 2025) with the real reader and ``compare()``,
composes the alert exactly as delivery would, and has headless Chromium take the picture.

    .venv/bin/python docs/alert-sample.py      # needs `chromium` on PATH
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from monitor.alerts.compose import alert_message_id, compose_alert
from monitor.alerts.content import AlertContent, Letter
from monitor.compare import compare
from monitor.config import MailConfig
from monitor.documents import read_document
from monitor.store.outbox import Event, Subscriber

ROOT = Path(__file__).resolve().parents[1]
PAIR = ROOT / "tests" / "fixtures" / "pairs" / "agenda-2025"
OUTPUT = ROOT / "docs" / "alert-sample.png"
NOW = dt.datetime(2025, 3, 21, 14, 5, tzinfo=dt.UTC)


def sample_html() -> str:
    old, new = (read_document(PAIR.with_suffix(f".{side}.txt").read_bytes(), source=f"{side}.txt",
                              name=f"{side}.txt") for side in ("old", "new"))
    comparison = compare(old, new)
    key = "compare:kst-28676-474@1..kst-28676-999@1"
    event = Event(1, key, "comparison", "28676", "kst-28676-999", 1, "kst-28676-474", 1, "fmm-agenda",
                  max(c.severity for c in comparison.changes), (), {}, NOW)
    content = AlertContent(
        event, "NAVO",
        Letter("kst-28676-999", 1, "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 april 2025",
               dt.date(2025, 3, 21), "fmm-agenda", (dt.date(2025, 4, 3), dt.date(2025, 4, 4))),
        Letter("kst-28676-474", 1, "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024",
               dt.date(2024, 11, 22), "fmm-agenda", (dt.date(2024, 12, 3), dt.date(2024, 12, 4))),
        comparison)
    reader = Subscriber(1, "analist@example.org", "28676", "fmm-agenda", (), 0, None, None, "voorbeeld", True, NOW)
    mail = MailConfig(from_="dossier-monitor <alerts@example.org>")
    msg = compose_alert(content, reader, mail, message_id=alert_message_id(key, reader.email), now=NOW)
    print(msg["Subject"])
    return msg.get_body(("html",)).get_content()


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "alert.html"
        page.write_text(sample_html(), encoding="utf-8")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--screenshot={OUTPUT}", "--window-size=760,1500", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
