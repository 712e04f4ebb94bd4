"""Delivery against a real SMTP server on loopback (aiosmtpd): at least once, never twice, never lost."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import logging
import socket
from html import escape

import pytest

from monitor.alerts import queue_alerts, queue_operator_event
from monitor.alerts.delivery import SmtpUnreachable, send_digests, send_pending
from monitor.config import Config, MailConfig, StorageConfig
from monitor.model import Fetched, Publication
from monitor.status import OUTAGE_KEY
from monitor.store import PollRecord, Store, outbox
from tests.database import on_database
from tests.smtp_peer import SmtpPeer

T0 = dt.datetime(2024, 11, 22, 9, 0, tzinfo=dt.UTC)
SENDER = "NAVO-monitor <alerts@example.org>"


def smtp_config(tmp_path, port: int, **mail) -> Config:
    settings = {"smtp_host": "127.0.0.1", "smtp_port": port, "security": "none", "from_": SENDER,
                "timeout_seconds": 5.0} | mail
    return Config(storage=StorageConfig(data_dir=str(tmp_path / "data")), mail=MailConfig(**settings))


def new_letter(conn, number: int, title="Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024",
               series="fmm-agenda") -> int:
    event = outbox.add_event(conn, key=f"new:kst-28676-{number}@1", kind="new-letter", dossier="28676",
                             identifier=f"kst-28676-{number}", version=1, series=series, severity=0, topics=[],
                             summary={"title": f"NAVO; {title}", "date": "2024-11-22",
                                      "published_as": f"kst-28676-{number}"})
    queue_alerts(conn, event)
    return event


def store_with_a_letter(store_for, config: Config, *subscribers: str) -> Store:
    """A store with ``subscribers`` and one new letter, kst-28676-474, queued for each of them."""
    store = store_for(config)
    with store.transaction() as conn:
        for address in subscribers:
            outbox.save_subscriber(conn, address)
        new_letter(conn, 474)
    return store


def statuses(store) -> dict[str, list[str]]:
    with store.transaction() as conn:
        found: dict[str, list[str]] = {}
        for a in outbox.list_alerts(conn):
            found.setdefault(a.status, []).append(a.subscriber)
    return found


@pytest.fixture
def store_for(database_url):
    """Opens the store of a test's config on the database under test."""
    opened = []

    def open_(config: Config) -> Store:
        opened.append(Store.open(on_database(config, database_url)))
        return opened[-1]

    yield open_
    for s in opened:
        s.close()


def test_received_message_parses_with_both_parts_subject_recipients_and_headers(tmp_path, smtp_peer, store_for):
    config = smtp_config(tmp_path, smtp_peer.port)
    store = store_for(config)
    with store.transaction() as conn:
        outbox.save_subscriber(conn, "analist@example.org")
        outbox.save_subscriber(conn, "journalist@example.org", language="en")
        new_letter(conn, 474)

    report = send_pending(store, config, now=T0)

    assert (report.sent, report.failed, report.deferred) == (2, 0, 0)
    by_rcpt = {r.rcpt_tos: r for r in smtp_peer.received}
    assert set(by_rcpt) == {("analist@example.org",), ("journalist@example.org",)}
    received = by_rcpt[("analist@example.org",)]
    assert received.mail_from == "alerts@example.org"
    msg = received.message
    assert msg["Subject"] == "[NAVO 28676] Nieuwe brief: Geannoteerde agenda FMM 3-4 dec 2024"
    assert msg["To"] == "analist@example.org" and msg["From"] == SENDER
    assert msg["List-Id"] == "<dossier-28676.dossier-monitor>"
    assert msg["List-Unsubscribe"].startswith("<mailto:alerts@example.org?subject=unsubscribe%20")
    assert msg["Message-ID"].startswith("<alert-")
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert "https://zoek.officielebekendmakingen.nl/kst-28676-474.html" in msg.get_body(("plain",)).get_content()
    english = by_rcpt[("journalist@example.org",)].message
    assert english["Subject"] == "[NAVO 28676] New letter: Annotated agenda FMM 3-4 Dec 2024"
    assert statuses(store) == {"sent": ["analist@example.org", "journalist@example.org"]}
    # nothing is left to send
    assert send_pending(store, config, now=T0).sent == 0 and len(smtp_peer.received) == 2


def test_alerts_go_out_oldest_first(tmp_path, smtp_peer, store_for):
    config = smtp_config(tmp_path, smtp_peer.port)
    store = store_for(config)
    for number in (470, 471, 472):
        with store.transaction() as conn:
            if number == 470:
                outbox.save_subscriber(conn, "a@example.org")
            new_letter(conn, number, title=f"Brief {number}", series="other")
    send_pending(store, config, now=T0)
    assert [m["Subject"].rsplit(" ", 1)[1] for m in smtp_peer.messages] == ["470", "471", "472"]


def test_server_down_keeps_alerts_pending_and_the_next_tick_delivers_each_once(tmp_path, store_for):
    peer = SmtpPeer()  # not started: the port refuses connections
    config = smtp_config(tmp_path, peer.port)
    store = store_with_a_letter(store_for, config, "a@example.org", "b@example.org", "c@example.org")

    with pytest.raises(SmtpUnreachable) as down:
        send_pending(store, config, now=T0)
    assert down.value.report.deferred == 3 and down.value.exit_code == 1
    assert "127.0.0.1" in str(down.value)
    with store.transaction() as conn:
        pending = outbox.list_alerts(conn, "pending")
    # an outage is no answer about an alert: the rows are exactly as they were
    assert len(pending) == 3 and all(a.attempts == 0 and a.next_attempt_at is None for a in pending)

    peer.start()
    try:
        # a one-second outage costs one delivery tick, not a minute per alert
        assert send_pending(store, config, now=T0 + dt.timedelta(seconds=1)).sent == 3
        assert send_pending(store, config, now=T0 + dt.timedelta(hours=1)).sent == 0
    finally:
        peer.stop()
    ids = [m["Message-ID"] for m in peer.messages]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert statuses(store) == {"sent": ["a@example.org", "b@example.org", "c@example.org"]}


def test_an_outage_is_not_a_refusal_it_never_counts_toward_max_attempts(tmp_path, store_for):
    peer = SmtpPeer()
    config = smtp_config(tmp_path, peer.port, max_attempts=3)
    store = store_with_a_letter(store_for, config, "traag@example.org")
    for second in (0, 1):  # two refused connections
        with pytest.raises(SmtpUnreachable):
            send_pending(store, config, now=T0 + dt.timedelta(seconds=second), flush=True)
    peer.refuse("traag@example.org", "451 4.7.1 greylisted, try again later")
    peer.start()
    try:
        report = send_pending(store, config, now=T0 + dt.timedelta(seconds=2), flush=True)
        assert (report.sent, report.failed, report.deferred) == (0, 0, 1)
        with store.transaction() as conn:
            (alert,) = outbox.list_alerts(conn, "pending")
        assert alert.attempts == 1 and "451" in alert.error  # the greylisting answer alone counted
        peer.refusals.clear()
        assert send_pending(store, config, now=T0 + dt.timedelta(minutes=2)).sent == 1
    finally:
        peer.stop()


def test_the_server_not_each_alert_waits_by_the_outage_schedule(tmp_path, store_for):
    peer = SmtpPeer()
    config = smtp_config(tmp_path, peer.port, outage_retry_seconds=[0, 60, 300])
    store = store_with_a_letter(store_for, config, "a@example.org", "b@example.org")
    tries = []
    for second in (0, 1, 30, 61, 100, 361):
        try:
            report = send_pending(store, config, now=T0 + dt.timedelta(seconds=second))
        except SmtpUnreachable:
            tries.append(second)
        else:
            assert report.resting and report.sent == 0
    # failure 1: next tick; failure 2: a minute; failure 3 and on: five minutes
    assert tries == [0, 1, 61, 361]
    peer.start()
    try:
        assert send_pending(store, config, now=T0 + dt.timedelta(seconds=400)).sent == 0  # still resting
        assert send_pending(store, config, now=T0 + dt.timedelta(seconds=400), flush=True).sent == 2
        with store.transaction() as conn:
            assert outbox.list_alerts(conn, "pending") == []
    finally:
        peer.stop()


def test_server_that_dies_mid_run_loses_nothing(tmp_path, smtp_peer, store_for):
    config = smtp_config(tmp_path, smtp_peer.port)
    store = store_for(config)
    with store.transaction() as conn:
        outbox.save_subscriber(conn, "a@example.org")
        for number in (470, 471, 472, 473):
            new_letter(conn, number, title=f"Brief {number}", series="other")
    smtp_peer.refuse("a@example.org", "421 4.3.2 shutting down")  # a 421 closes the session
    with pytest.raises(SmtpUnreachable):
        send_pending(store, config, now=T0)
    smtp_peer.refusals.clear()
    assert send_pending(store, config, now=T0 + dt.timedelta(hours=2)).sent == 4
    assert len(smtp_peer.received) == 4


def test_recipient_refused_with_550_fails_with_the_reason_and_the_others_still_go(tmp_path, smtp_peer, store_for):
    config = smtp_config(tmp_path, smtp_peer.port)
    store = store_for(config)
    smtp_peer.refuse("weg@example.org", "550 5.1.1 <weg@example.org>: mailbox unavailable")
    with store.transaction() as conn:
        for address in ("a@example.org", "weg@example.org", "z@example.org"):
            outbox.save_subscriber(conn, address)
        new_letter(conn, 474)

    report = send_pending(store, config, now=T0)

    assert (report.sent, report.failed, report.deferred) == (2, 1, 0)
    assert sorted(r.rcpt_tos[0] for r in smtp_peer.received) == ["a@example.org", "z@example.org"]
    with store.transaction() as conn:
        (failed,) = outbox.list_alerts(conn, "failed")
    assert failed.subscriber == "weg@example.org"
    assert "550" in failed.error and "mailbox unavailable" in failed.error
    # a permanent refusal is never retried
    send_pending(store, config, now=T0 + dt.timedelta(days=1))
    assert len(smtp_peer.received) == 2


def test_451_is_retried_with_backoff_and_given_up_after_max_attempts(tmp_path, smtp_peer, store_for):
    config = smtp_config(tmp_path, smtp_peer.port, max_attempts=3)
    store = store_for(config)
    smtp_peer.refuse("traag@example.org", "451 4.7.1 greylisted, try again later")
    with store.transaction() as conn:
        outbox.save_subscriber(conn, "traag@example.org")
        new_letter(conn, 474)

    first = send_pending(store, config, now=T0)
    assert (first.sent, first.failed, first.deferred) == (0, 0, 1)
    with store.transaction() as conn:
        (alert,) = outbox.list_alerts(conn, "pending")
    assert alert.attempts == 1 and alert.next_attempt_at == T0 + dt.timedelta(minutes=1) and "451" in alert.error

    second = send_pending(store, config, now=T0 + dt.timedelta(minutes=1))
    assert second.deferred == 1
    with store.transaction() as conn:
        (alert,) = outbox.list_alerts(conn, "pending")
    assert alert.attempts == 2 and alert.next_attempt_at == T0 + dt.timedelta(minutes=3)

    third = send_pending(store, config, now=T0 + dt.timedelta(minutes=3))
    assert third.failed == 1
    with store.transaction() as conn:
        (alert,) = outbox.list_alerts(conn, "failed")
    assert alert.error.startswith("gave up after 3 attempts: ") and "451" in alert.error


def test_without_smtp_host_each_alert_is_an_eml_file_in_the_outbox(tmp_path, store_for):
    config = smtp_config(tmp_path, 0, smtp_host="", outbox_dir=str(tmp_path / "outbox"))
    store = store_for(config)
    with store.transaction() as conn:
        outbox.save_subscriber(conn, "a@example.org")
        outbox.save_subscriber(conn, "b@example.org")
        new_letter(conn, 474)
    assert send_pending(store, config, now=T0).sent == 2
    assert send_pending(store, config, now=T0).sent == 0
    files = sorted((tmp_path / "outbox").iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]  # no temporary files left behind
    parsed = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]
    assert sorted(m["To"] for m in parsed) == ["a@example.org", "b@example.org"]
    assert all(m["Subject"].startswith("[NAVO 28676] Nieuwe brief") and m.get_body(("html",)) for m in parsed)
    assert b"\r\n" in files[0].read_bytes()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_smtp_password_is_used_for_login_and_never_logged(tmp_path, store_for, caplog, monkeypatch):
    secret = "s3cr3t-Wachtwoord!"
    peer = SmtpPeer(login=("monitor", secret)).start()
    try:
        monkeypatch.setenv("TEST_SMTP_PASSWORD", secret)
        config = smtp_config(tmp_path, peer.port, username="monitor", password_env="TEST_SMTP_PASSWORD")
        store = store_with_a_letter(store_for, config, "a@example.org")
        caplog.set_level(logging.DEBUG)
        assert send_pending(store, config, now=T0).sent == 1
        assert peer.logins == ["monitor"]

        # a wrong password: the alert stays pending, and the error names the user, not a password
        monkeypatch.setenv("TEST_SMTP_PASSWORD", "niet-" + secret)
        with store.transaction() as conn:
            new_letter(conn, 475)
        with pytest.raises(SmtpUnreachable) as refused:
            send_pending(store, config, now=T0)
        assert "monitor" in str(refused.value) and "535" in str(refused.value)
        outage = store.get_state(None, OUTAGE_KEY)
        assert secret not in str(refused.value) and "535" in outage["error"] and secret not in outage["error"]
        assert secret not in caplog.text and "niet-" not in caplog.text
        assert caplog.records, "delivery logs what it does"
    finally:
        peer.stop()


def test_daily_digest_gathers_the_days_alerts_in_one_message(tmp_path, smtp_peer, store_for):
    config = smtp_config(tmp_path, smtp_peer.port)
    store = store_for(config)
    with store.transaction() as conn:
        outbox.save_subscriber(conn, "dag@example.org", digest="daily")
        outbox.save_subscriber(conn, "direct@example.org")
        new_letter(conn, 474)
        new_letter(conn, 475, title="Reactie op verzoek commissie", series="other")

    assert send_pending(store, config, now=T0).sent == 2  # the direct subscriber only
    assert {r.rcpt_tos for r in smtp_peer.received} == {("direct@example.org",)}

    assert send_digests(store, config, T0).sent == 1
    (digest,) = smtp_peer.to("dag@example.org")
    assert digest["Subject"] == "[NAVO 28676] Dagoverzicht 22 nov 2024: 2 meldingen"
    text = digest.get_body(("plain",)).get_content()
    assert "kst-28676-474" in text and "kst-28676-475" in text
    with store.transaction() as conn:
        digested = [a for a in outbox.list_alerts(conn) if a.subscriber == "dag@example.org"]
    assert [a.status for a in digested] == ["digested", "digested"]

    # at most one digest a day: a later alert waits for tomorrow's
    with store.transaction() as conn:
        new_letter(conn, 476, title="Nog een brief", series="other")
    assert send_digests(store, config, T0 + dt.timedelta(hours=3)).sent == 0
    assert send_digests(store, config, T0 + dt.timedelta(days=1)).sent == 1
    assert len(smtp_peer.to("dag@example.org")) == 2


XML = ('<?xml version="1.0" encoding="utf-8"?><officiele-publicatie><kamerstuk><stuk><titel>Geannoteerde agenda'
       '</titel><tussenkop>Oekraïne</tussenkop><al>{one}</al><al>{two}</al><tussenkop>Overig</tussenkop>'
       '<al>De bijeenkomst vindt plaats in Brussel &amp; duurt twee dagen.</al></stuk></kamerstuk>'
       '</officiele-publicatie>')


def store_agenda(store, conn, number: str, one: str, two: str, day: dt.date) -> None:
    identifier = f"kst-28676-{number}"
    pub = Publication(identifier, "28676", number, f"NAVO; Geannoteerde agenda NAVO Foreign Ministers Meeting "
                      f"(FMM) {day.day} en {day.day + 1} december {day.year}", "Brief", day, day, None)
    data = XML.format(one=escape(one), two=escape(two)).encode("utf-8")
    fetched = [Fetched("xml", f"https://repository.officiele-overheidspublicaties.nl/{identifier}.xml", data, T0)]
    store.record_publication(conn, pub, fetched, series="fmm-agenda", meeting_date=day)


def test_a_comparison_alert_shows_the_stored_agendas_changes(tmp_path, smtp_peer, store_for):
    config = smtp_config(tmp_path, smtp_peer.port)
    store = store_for(config)
    with store.transaction() as conn:
        outbox.save_subscriber(conn, "a@example.org")
        store_agenda(store, conn, "466", "Nederland steunt Oekraïne politiek en militair.",
                     "Nederland verwelkomt de dialoog met Rusland.", dt.date(2023, 12, 3))
        store_agenda(store, conn, "474", "Nederland blijft Oekraïne politiek en militair onverminderd steunen.",
                     "Nederland steunt <script>alert(1)</script> & meer.", dt.date(2024, 12, 3))
        event = outbox.add_event(conn, key="compare:kst-28676-466@1..kst-28676-474@1", kind="comparison",
                                 dossier="28676", identifier="kst-28676-474", version=1,
                                 old_identifier="kst-28676-466", old_version=1, series="fmm-agenda", severity=3,
                                 topics=[], summary={"counts": {"added": 1, "removed": 1, "changed": 1, "moved": 0}})
        queue_alerts(conn, event)

    assert send_pending(store, config, now=T0).sent == 1
    (msg,) = smtp_peer.messages
    assert msg["Subject"].startswith("[NAVO 28676] Geannoteerde agenda FMM 3-4 dec 2024: ")
    text = msg.get_body(("plain",)).get_content()
    assert "{+" in text and "[-" in text
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; meer" in html
    assert "<del " in html and "<ins " in html


def test_an_alert_whose_texts_compare_equal_is_cancelled_not_sent(tmp_path, smtp_peer, store_for):
    config = smtp_config(tmp_path, smtp_peer.port)
    store = store_for(config)
    same = ("Nederland steunt Oekraïne.", "Nederland verwelkomt de dialoog.")
    with store.transaction() as conn:
        outbox.save_subscriber(conn, "a@example.org")
        store_agenda(store, conn, "466", *same, dt.date(2023, 12, 3))
        store_agenda(store, conn, "474", *same, dt.date(2024, 12, 3))
        event = outbox.add_event(conn, key="compare:kst-28676-466@1..kst-28676-474@1", kind="comparison",
                                 dossier="28676", identifier="kst-28676-474", version=1,
                                 old_identifier="kst-28676-466", old_version=1, series="fmm-agenda", severity=3,
                                 topics=[], summary={"counts": {"changed": 1}})
        queue_alerts(conn, event)
    report = send_pending(store, config, now=T0)
    assert (report.sent, report.cancelled) == (0, 1) and smtp_peer.received == []
    with store.transaction() as conn:
        (alert,) = outbox.list_alerts(conn, "cancelled")
    assert "nothing to report" in alert.error


def test_operator_notices_reach_the_operator_on_failure_and_on_recovery(tmp_path, smtp_peer, store_for):
    config = smtp_config(tmp_path, smtp_peer.port, operator_email="beheer@example.org")
    store = store_for(config)
    failed = [PollRecord(3, T0 + dt.timedelta(hours=1), None, False, 0, 0, "KOOP SRU: 503 Service Unavailable"),
              PollRecord(2, T0, None, False, 0, 0, "KOOP SRU: timeout after 30 s")]
    with store.transaction() as conn:
        outbox.save_subscriber(conn, "a@example.org")
        queue_operator_event(conn, config, kind="source-failure", polls=failed)
    assert send_pending(store, config, now=T0).sent == 1
    (notice,) = smtp_peer.to("beheer@example.org")
    assert notice["Subject"] == "[dossier-monitor] Bron faalt: 2 polls op rij mislukt"
    assert notice["List-Unsubscribe"] is None  # the operator is not a subscriber
    text = notice.get_body(("plain",)).get_content()
    assert "22 nov 2024 11:00: KOOP SRU: 503 Service Unavailable" in text
    assert "22 nov 2024 10:00: KOOP SRU: timeout after 30 s" in text

    recovered = [PollRecord(4, T0 + dt.timedelta(hours=2), None, True, 3, 1, None)]
    with store.transaction() as conn:
        queue_operator_event(conn, config, kind="source-recovered", polls=recovered,
                             failing_since=failed[-1].started_at.isoformat())
    send_pending(store, config, now=T0)
    assert [m["Subject"] for m in smtp_peer.to("beheer@example.org")][1] == \
        "[dossier-monitor] Bron weer bereikbaar"
    assert smtp_peer.to("a@example.org") == []


def test_operator_notices_tell_the_times_on_the_daemons_clock(tmp_path, smtp_peer, store_for):
    config = smtp_config(tmp_path, smtp_peer.port, operator_email="ops@example.org")
    config = dataclasses.replace(config, daemon=dataclasses.replace(config.daemon, timezone="America/New_York"))
    store = store_for(config)
    failed = [PollRecord(2, T0, None, False, 0, 0, "KOOP SRU: timeout after 30 s")]
    with store.transaction() as conn:
        queue_operator_event(conn, config, kind="source-failure", polls=failed)
    send_pending(store, config, now=T0)
    (notice,) = smtp_peer.to("ops@example.org")
    assert "22 nov 2024 04:00: KOOP SRU: timeout after 30 s" in notice.get_body(("plain",)).get_content()


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_no_fallback_to_plain_text_when_tls_is_not_offered(tmp_path, smtp_peer, store_for, security):
    config = smtp_config(tmp_path, smtp_peer.port, security=security)
    store = store_with_a_letter(store_for, config, "a@example.org")
    with pytest.raises(SmtpUnreachable):
        send_pending(store, config, now=T0)
    assert smtp_peer.received == []
    assert statuses(store) == {"pending": ["a@example.org"]}


def test_a_server_that_never_answers_times_out_and_alerts_stay_pending(tmp_path, store_for):
    with socket.socket() as silent:  # takes the connection, never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        config = smtp_config(tmp_path, silent.getsockname()[1], timeout_seconds=0.5)
        store = store_with_a_letter(store_for, config, "a@example.org")
        with pytest.raises(SmtpUnreachable) as waited:
            send_pending(store, config, now=T0)
    assert "timed out" in str(waited.value)
    assert statuses(store) == {"pending": ["a@example.org"]}


@pytest.fixture
def tls_peer(request, tmp_path):
    peer = SmtpPeer(login=("alerts@example.org", "geheim"), tls=request.param, ca_folder=tmp_path).start()
    yield peer
    peer.stop()


def tls_config(tmp_path, peer: SmtpPeer, **mail) -> Config:
    (tmp_path / "smtp-password").write_text("geheim\n")
    return smtp_config(tmp_path, peer.port, security=peer.tls, username="alerts@example.org",
                       password_file=str(tmp_path / "smtp-password"), **mail)


@pytest.mark.parametrize("tls_peer", ["starttls", "ssl"], indirect=True)
def test_a_server_with_a_certificate_of_a_private_ca_gets_the_mail_over_tls_after_login(
        tmp_path, tls_peer, store_for):
    config = tls_config(tmp_path, tls_peer, ca_file=str(tls_peer.ca_file))
    store = store_with_a_letter(store_for, config, "a@example.org")
    assert send_pending(store, config, now=T0).sent == 1
    assert tls_peer.logins == ["alerts@example.org"] and tls_peer.tls_sessions == 1
    assert [m["To"] for m in tls_peer.messages] == ["a@example.org"]


@pytest.mark.parametrize("tls_peer", ["starttls", "ssl"], indirect=True)
def test_a_certificate_nobody_vouches_for_is_refused_and_the_alert_waits(tmp_path, tls_peer, store_for):
    config = tls_config(tmp_path, tls_peer)  # the test CA is not trusted: no ca_file
    store = store_with_a_letter(store_for, config, "a@example.org")
    with pytest.raises(SmtpUnreachable) as refused:
        send_pending(store, config, now=T0)
    assert "certificate verify failed" in str(refused.value)
    assert tls_peer.received == [] and tls_peer.logins == []
    assert statuses(store) == {"pending": ["a@example.org"]}


@pytest.mark.parametrize("tls_peer", ["starttls"], indirect=True)
def test_an_unreadable_ca_file_is_named_and_the_alert_waits(tmp_path, tls_peer, store_for):
    (tmp_path / "not-a-ca.pem").write_text("geen certificaat\n")
    config = tls_config(tmp_path, tls_peer, ca_file=str(tmp_path / "not-a-ca.pem"))
    store = store_with_a_letter(store_for, config, "a@example.org")
    with pytest.raises(SmtpUnreachable) as refused:
        send_pending(store, config, now=T0)
    assert f"mail.ca_file {tmp_path / 'not-a-ca.pem'}: cannot be read as PEM certificates" in str(refused.value)
    assert statuses(store) == {"pending": ["a@example.org"]}


def a_digest_subscriber_with_a_letter(store_for, config: Config) -> Store:
    store = store_for(config)
    with store.transaction() as conn:
        outbox.save_subscriber(conn, "dag@example.org", digest="daily")
        new_letter(conn, 474)
    return store


def test_digests_the_server_could_not_take_at_the_digest_hour_go_at_the_next_delivery_tick(tmp_path, store_for):
    from monitor.daemon import Daemon

    peer = SmtpPeer()  # down at the digest hour
    config = smtp_config(tmp_path, peer.port)
    store = a_digest_subscriber_with_a_letter(store_for, config)
    daemon = Daemon(config, store)
    daemon.digest_job()
    assert statuses(store) == {"pending": ["dag@example.org"]}
    peer.start()
    try:
        daemon.deliver_job()
        daemon.deliver_job()
    finally:
        peer.stop()
    assert [r.rcpt_tos for r in peer.received] == [("dag@example.org",)]  # once, not once per tick
    assert statuses(store) == {"digested": ["dag@example.org"]}


def digest_config(tmp_path, port: int, *, hours_ago: int) -> Config:
    """Mail to ``port``; the digest hour ``hours_ago`` hours before this hour, in a time zone where it
    is now midday (so that neither hour crosses midnight while the test runs)."""
    offset = 12 - dt.datetime.now(dt.UTC).hour  # Etc/GMT-N is N hours ahead of UTC
    zone = f"Etc/GMT{-offset:+d}" if offset else "UTC"
    config = smtp_config(tmp_path, port)
    return dataclasses.replace(config, daemon=dataclasses.replace(config.daemon, timezone=zone, digest_hour=12 - hours_ago))


def test_a_daemon_that_starts_polling_after_the_digest_hour_sends_that_days_digests_once(tmp_path, smtp_peer,
                                                                                          store_for):
    from monitor.daemon import Daemon

    config = digest_config(tmp_path, smtp_peer.port, hours_ago=2)  # the poller was down at the digest hour
    store = a_digest_subscriber_with_a_letter(store_for, config)
    daemon = Daemon(config, store)
    daemon.schedule()
    assert smtp_peer.received == []  # not at once: at the first tick
    daemon.deliver_job()
    daemon.deliver_job()
    assert [r.rcpt_tos for r in smtp_peer.received] == [("dag@example.org",)]
    with store.transaction() as conn:  # after the day's round: for tomorrow's digests
        outbox.save_subscriber(conn, "later@example.org", digest="daily")
        new_letter(conn, 475)
    restarted = Daemon(config, store)
    restarted.schedule()
    restarted.deliver_job()
    assert len(smtp_peer.received) == 1  # the day had its round: no second one, nor a first for a newcomer
    assert statuses(store) == {"digested": ["dag@example.org"], "pending": ["dag@example.org", "later@example.org"]}


def test_a_daemon_that_starts_before_the_digest_hour_leaves_the_digests_for_the_hour(tmp_path, smtp_peer, store_for):
    from monitor.daemon import Daemon

    config = digest_config(tmp_path, smtp_peer.port, hours_ago=-2)
    store = a_digest_subscriber_with_a_letter(store_for, config)
    daemon = Daemon(config, store)
    daemon.schedule()
    daemon.deliver_job()
    assert smtp_peer.received == []
    assert statuses(store) == {"pending": ["dag@example.org"]}
