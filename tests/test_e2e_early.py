"""End to end, daemon level: ``dossier-monitor run`` as a process, the Tweede Kamer peer first, the KOOP
peer later, a real SMTP server counting what each subscriber receives."""

from __future__ import annotations

import base64
import datetime as dt
import subprocess
import sys
import time

import pytest

from tests.peer.corpus import NEXT_AGENDA_TITLE, next_agenda_xml
from tests.peer.tk import word_letter
from tests.test_e2e_daemon import INTERVAL, ROOT, Daemon, peer_process, wait_for, write_config  # noqa: F401

pytestmark = pytest.mark.timeout(120)

EARLY, PLAIN = "vroeg@example.org", "gewoon@example.org"


def test_the_daemon_sends_the_early_alert_then_one_note_when_the_kamerstuk_is_published(
        tmp_path, peer_process, smtp_peer, tk):
    config = write_config(tmp_path, peer_process.url, smtp_peer.port)
    config.write_text(config.read_text(encoding="utf-8") + f"""
[tk]
enabled = true
odata_url = "{tk.odata_url}"
allowed_hosts = ["127.0.0.1"]
""", encoding="utf-8")
    for address, flags in ((EARLY, ["--early"]), (PLAIN, [])):
        added = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "subscribers", "add",
                                address, *flags], cwd=ROOT, capture_output=True, text=True, timeout=30)
        assert added.returncode == 0, added.stderr
    letter_day = dt.date.today() - dt.timedelta(days=2)

    daemon = Daemon(config)
    try:
        wait_for(lambda: daemon.messages("poll"), 30, "the first poll")
        tk.publish(NEXT_AGENDA_TITLE, data=word_letter(next_agenda_xml()), date=letter_day)
        published = time.monotonic()
        [early] = wait_for(lambda: smtp_peer.to(EARLY), 2 * INTERVAL + 8, "the early alert")
        assert time.monotonic() - published < 2 * INTERVAL + 8  # within one interval, plus start-up and delivery
        assert "Vroeg, nog niet officieel" in early["Subject"] and smtp_peer.to(PLAIN) == []

        peer_process.control("publish", identifier="kst-28676-490", title=NEXT_AGENDA_TITLE,
                             date=letter_day.isoformat(), available=dt.date.today().isoformat(),
                             xml_base64=base64.b64encode(next_agenda_xml()).decode())
        wait_for(lambda: len(smtp_peer.to(EARLY)) == 2 and smtp_peer.to(PLAIN), 2 * INTERVAL + 8,
                 "the official note and the normal alert")
        polls = len(daemon.messages("poll"))
        wait_for(lambda: len(daemon.messages("poll")) >= polls + 2, 30, "two more polls")
        time.sleep(1.5)  # a delivery tick
    finally:
        code, _ = daemon.stop()
    assert code == 0
    early_mails, plain_mails = smtp_peer.to(EARLY), smtp_peer.to(PLAIN)
    assert [m["Subject"].split(":")[0] for m in early_mails] == ["[NAVO 28676] Vroeg, nog niet officieel",
                                                                 "[NAVO 28676] Officieel gepubliceerd"]
    assert len(plain_mails) == 1 and "1 standpunt gewijzigd" in plain_mails[0]["Subject"]
    ids = [m["Message-ID"] for m in early_mails + plain_mails]
    assert len(set(ids)) == len(ids) == 3
