"""One bad alert never holds back the others: hostile and internationalised addresses, alerts that
cannot be composed, and how the operator finds out. Real SMTP on loopback, with and without SMTPUTF8."""

from __future__ import annotations

import json

import pytest

from monitor.alerts import queue_alerts
from monitor.config import Config
from monitor.store import Store, outbox
from tests.smtp_peer import SmtpPeer

OPERATOR = "beheer@example.org"
JOERG = "jörg@bücher.example"  # a non-ASCII local part: needs SMTPUTF8


@pytest.fixture(params=[False, True], ids=["plain-server", "smtputf8-server"])
def server(request):
    peer = SmtpPeer(smtputf8=request.param).start()
    yield peer
    peer.stop()


@pytest.fixture
def config_file(tmp_path, server, monkeypatch):
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)
    path = tmp_path / "monitor.toml"
    path.write_text(f"""
[storage]
data_dir = "data"
[mail]
smtp_host = "127.0.0.1"
smtp_port = {server.port}
security = "none"
from = "dossier-monitor <alerts@example.org>"
operator_email = "{OPERATOR}"
timeout_seconds = 5.0
""", encoding="utf-8")
    return path


def queue_letter(config_file, number: int = 474) -> None:
    with Store.open(Config.load(config_file)) as store, store.transaction() as conn:
        event = outbox.add_event(conn, key=f"new:kst-28676-{number}@1", kind="new-letter", dossier="28676",
                                 identifier=f"kst-28676-{number}", version=1, series="other", severity=0,
                                 topics=[], summary={"title": f"NAVO; Brief {number}"})
        queue_alerts(conn, event)


def record_a_good_poll(config_file) -> None:
    with Store.open(Config.load(config_file)) as store:
        store.finish_poll(store.start_poll(), True, 1, 0)


def alerts_json(run, *flags: str) -> list[dict]:
    code, out, _ = run("alerts", "list", "--json", *flags)
    assert code == 0
    return json.loads(out)


def test_one_undeliverable_address_does_not_hold_back_the_others(run, server, config_file):
    for address in ("a@example.org", JOERG, "z@example.org"):
        code, _, err = run("subscribers", "add", address)
        assert code == 0, err
    queue_letter(config_file)

    code, out, err = run("alerts", "send")

    assert code == 0 and "Traceback" not in err, err
    delivered = sorted(r.rcpt_tos[0] for r in server.received if r.rcpt_tos != (OPERATOR,))
    if server.smtputf8:
        assert delivered == ["a@example.org", "jörg@xn--bcher-kva.example", "z@example.org"]
        assert alerts_json(run, "--failed") == []
    else:
        assert delivered == ["a@example.org", "z@example.org"]
        (failed,) = alerts_json(run, "--failed")
        assert failed["subscriber"] == JOERG and "SMTPUTF8" in failed["error"]
        code, out, _ = run("alerts", "list", "--failed")
        assert code == 0 and JOERG in out and "SMTPUTF8" in out


@pytest.mark.parametrize("server", [True], ids=["smtputf8-server"], indirect=True)
def test_a_non_ascii_local_part_goes_out_in_utf8_headers_where_the_server_offers_smtputf8(run, server,
                                                                                          config_file):
    run("subscribers", "add", JOERG)
    queue_letter(config_file)
    assert run("alerts", "send")[0] == 0
    (received,) = server.received
    assert b"To: j\xc3\xb6rg@xn--bcher-kva.example\r\n" in received.data
    assert received.message["To"] == "jörg@xn--bcher-kva.example"
    # the preview shows the message as it travels
    code, out, _ = run("alerts", "preview", "1", "--format", "eml")
    assert code == 0 and "To: jörg@xn--bcher-kva.example\n" in out


def test_an_internationalised_domain_travels_in_its_punycode_form(run, server, config_file):
    run("subscribers", "add", "joerg@Bücher.example")
    queue_letter(config_file)
    assert run("alerts", "send")[0] == 0
    (received,) = server.received
    assert received.rcpt_tos == ("joerg@xn--bcher-kva.example",)
    assert b"To: joerg@xn--bcher-kva.example\r\n" in received.data and b"=?utf-8?" not in received.data[:2000]


def test_an_alert_that_cannot_be_composed_fails_alone_with_the_reason(run, server, config_file):
    run("subscribers", "add", "a@example.org")
    # a row from before the address checks: nothing can be sent to it
    with Store.open(Config.load(config_file)) as store, store.transaction() as conn:
        outbox.save_subscriber(conn, "twee woorden@example.org")
    queue_letter(config_file)

    code, out, err = run("alerts", "send")

    assert code == 0 and "mislukt 1" in out and "Traceback" not in err
    assert [r.rcpt_tos for r in server.received if r.rcpt_tos != (OPERATOR,)] == [("a@example.org",)]
    (failed,) = alerts_json(run, "--failed")
    assert failed["subscriber"] == "twee woorden@example.org"
    assert failed["error"].startswith("cannot compose: not a deliverable address")
    code, out, err = run("alerts", "preview", str(failed["id"]))
    assert (code, out) == (2, "") and err.startswith("dossier-monitor: not a deliverable address")


def test_a_permanent_refusal_fails_that_alert_and_a_session_refusal_stops_the_round(run, server, config_file):
    for address in ("a@example.org", "weg@example.org", "z@example.org"):
        run("subscribers", "add", address)
    server.refuse("weg@example.org", "550 5.1.1 no such user")
    queue_letter(config_file)
    assert run("alerts", "send")[0] == 0
    assert sorted(r.rcpt_tos[0] for r in server.received if r.rcpt_tos != (OPERATOR,)) == \
        ["a@example.org", "z@example.org"]

    queue_letter(config_file, 475)
    server.fail_next("421 4.3.2 shutting down")  # the whole session, not one recipient
    code, _, err = run("alerts", "send")
    assert code == 1 and "421" in err and err.count("\n") == 1
    assert [a["subscriber"] for a in alerts_json(run, "--pending")] == \
        ["a@example.org", "weg@example.org", "z@example.org"]
    assert all(a["attempts"] == 0 for a in alerts_json(run, "--pending"))


@pytest.mark.parametrize("server", [False], ids=["plain-server"], indirect=True)
def test_status_names_failing_alerts_and_exits_1_until_they_are_dealt_with(run, server, config_file):
    record_a_good_poll(config_file)
    run("subscribers", "add", "a@example.org")
    run("subscribers", "add", JOERG)
    queue_letter(config_file)
    assert run("status")[0] == 0
    run("alerts", "send")

    code, out, err = run("status")
    assert code == 1 and err.count("\n") == 1 and "1 alerts failed" in err
    assert JOERG in out and "SMTPUTF8" in out
    code, out, _ = run("status", "--json")
    doc = json.loads(out)
    assert code == 1 and doc["healthy"] is False and doc["stale"] is False
    assert [a["subscriber"] for a in doc["mail"]["failing"]] == [JOERG]

    # retried, it fails again (the server still cannot take it); removed, it no longer matters
    assert run("alerts", "retry")[1].startswith("1 mislukte meldingen")
    assert alerts_json(run, "--failed") == []
    run("alerts", "send")
    assert run("status")[0] == 1
    run("subscribers", "remove", JOERG)
    assert run("status")[0] == 0


@pytest.mark.parametrize("server", [False], ids=["plain-server"], indirect=True)
def test_the_operator_hears_once_about_failing_alerts(run, server, config_file):
    run("subscribers", "add", "a@example.org")
    run("subscribers", "add", JOERG)
    queue_letter(config_file)
    run("alerts", "send")
    queue_letter(config_file, 475)
    run("alerts", "send")

    (notice,) = server.to(OPERATOR)
    assert notice["Subject"] == "[dossier-monitor] Meldingen mislukt: 1 niet afgeleverd"
    assert f"aan {JOERG}: the address has non-ASCII letters" in notice.get_body(("plain",)).get_content()
    assert len(alerts_json(run, "--failed")) == 2  # the second failure is in the list, not a second notice

    run("subscribers", "remove", JOERG)  # dealt with: the next failure is news again
    run("subscribers", "add", "weg@example.org")
    server.refuse("weg@example.org", "550 5.1.1 no such user")
    queue_letter(config_file, 476)
    run("alerts", "send")
    assert [m["Subject"] for m in server.to(OPERATOR)][1:] == \
        ["[dossier-monitor] Meldingen mislukt: 1 niet afgeleverd"]
    assert "aan weg@example.org: recipient refused: 550" in server.to(OPERATOR)[1].get_body(("plain",)).get_content()
