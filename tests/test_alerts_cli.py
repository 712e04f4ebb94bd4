"""`dossier-monitor alerts list|send|preview` over a real store and a real SMTP server on loopback."""

from __future__ import annotations

import json
import textwrap

import pytest

from monitor.alerts import queue_alerts
from monitor.config import Config
from monitor.store import Store, outbox


@pytest.fixture
def config_file(tmp_path, smtp_peer, monkeypatch):
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)
    path = tmp_path / "monitor.toml"
    path.write_text(textwrap.dedent(f"""
        [storage]
        data_dir = "data"

        [mail]
        smtp_host = "127.0.0.1"
        smtp_port = {smtp_peer.port}
        security = "none"
        from = "dossier-monitor <alerts@example.org>"
    """), encoding="utf-8")
    with Store.open(Config.load(path)) as store, store.transaction() as conn:
        for address in ("a@example.org", "weg@example.org"):
            outbox.save_subscriber(conn, address)
        event = outbox.add_event(conn, key="new:kst-28676-480@1", kind="new-letter", dossier="28676",
                                 identifier="kst-28676-480", version=1, series="other", severity=0, topics=[],
                                 summary={"title": "NAVO; Reactie op verzoek commissie over de NAVO-top"})
        queue_alerts(conn, event)
    return path




def test_preview_shows_exactly_the_parts_that_are_sent(run, smtp_peer):
    code, text, _ = run("alerts", "preview", "1", "--format", "text")
    assert code == 0 and "Reactie op verzoek commissie over de NAVO-top" in text
    code, html, _ = run("alerts", "preview", "1", "--format", "html")
    assert code == 0 and html.startswith("<!DOCTYPE html>")
    code, eml, _ = run("alerts", "preview", "1", "--format", "eml")
    assert code == 0 and "Message-ID: <alert-" in eml

    assert run("alerts", "send")[0] == 0
    (sent,) = smtp_peer.to("a@example.org")
    # the same parts, byte for byte, once the wire's CRLF line ends are undone
    assert sent.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert sent.get_body(("html",)).get_content().replace("\r\n", "\n") == html
    assert f"Message-ID: {sent['Message-ID']}" in eml


def test_list_by_status_and_as_json(run, smtp_peer):
    smtp_peer.refuse("weg@example.org", "550 5.1.1 user unknown")
    code, out, _ = run("alerts", "list", "--pending")
    assert code == 0 and out.count("pending") == 2
    code, out, _ = run("alerts", "send")
    assert code == 0 and "verzonden 1, mislukt 1" in out

    code, out, _ = run("alerts", "list", "--failed")
    assert code == 0 and "weg@example.org" in out and "550 5.1.1 user unknown" in out
    assert "a@example.org" not in out
    code, out, _ = run("alerts", "list", "--json")
    entries = json.loads(out)
    assert [(e["subscriber"], e["status"]) for e in entries] == [("a@example.org", "sent"),
                                                                 ("weg@example.org", "failed")]
    assert entries[0]["event"] == "new:kst-28676-480@1" and entries[0]["message_id"].startswith("<alert-")
    assert run("alerts", "list", "--pending")[1] == "geen meldingen met status pending\n"


def test_preview_of_an_unknown_alert_is_bad_input(run):
    code, out, err = run("alerts", "preview", "99")
    assert code == 2 and out == "" and err == "dossier-monitor: no alert 99 (see `dossier-monitor alerts list`)\n"


def test_preview_for_a_daily_digest_subscriber_is_the_digest_that_goes_out(run, smtp_peer, config_file):
    with Store.open(Config.load(config_file)) as store, store.transaction() as conn:
        outbox.save_subscriber(conn, "dag@example.org", digest="daily")
        for number in (481, 482):
            queue_alerts(conn, outbox.add_event(
                conn, key=f"new:kst-28676-{number}@1", kind="new-letter", dossier="28676",
                identifier=f"kst-28676-{number}", version=1, series="other", severity=0, topics=[],
                summary={"title": f"NAVO; Brief {number} over de NAVO-top"}))
        mine = [a.id for a in outbox.list_alerts(conn) if a.subscriber == "dag@example.org"]
    code, eml, _ = run("alerts", "preview", str(mine[0]), "--format", "eml")
    assert code == 0 and "Subject: [NAVO 28676] Dagoverzicht" in eml and ": 2 meldingen" in eml
    code, text, _ = run("alerts", "preview", str(mine[0]), "--format", "text")
    assert "Brief 481" in text and "Brief 482" in text

    assert run("alerts", "send", "--digests")[0] == 0
    (sent,) = smtp_peer.to("dag@example.org")
    assert sent.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
