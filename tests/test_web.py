"""The web front door through Starlette's test client: every route, status code and bad input.

The app runs on a real store in a temporary data folder (SQLite, and PostgreSQL when scripts/test
started one); confirmation mails go through the real transport into the ``.eml`` outbox folder,
where the tests read them back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import re
from pathlib import Path

import pytest
from sqlalchemy import select, update
from starlette.testclient import TestClient

from monitor.alerts import queue_alerts
from monitor.config import Config, WebConfig
from monitor.positions.lexicon import topics as topic_lexicon
from monitor.store import Store, outbox
from monitor.store.schema import alerts, subscribers
from monitor.web import create_app
from tests.database import on_database

BASE = "https://navo.example.org"
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


def make_config(tmp_path: Path, **web) -> Config:
    return Config.from_dict({"storage": {"data_dir": str(tmp_path / "data")},
                             "web": {"base_url": BASE, **web}})


@pytest.fixture
def config(tmp_path, database_url) -> Config:
    """On SQLite, and on PostgreSQL when scripts/test started one."""
    return on_database(make_config(tmp_path), database_url)


@pytest.fixture
def client(config) -> TestClient:
    with TestClient(create_app(config), base_url="https://testserver") as c:
        yield c


def csrf_of(response) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]{64})"', response.text)[1]


def form_fields(**overrides) -> dict:
    return {"email": "lezer@example.org", "series": "all", "severity": "wording", "delivery": "immediately",
            "language": "nl", **overrides}


def sign_up(client: TestClient, **overrides):
    page = client.get("/subscribe")
    return client.post("/subscribe", data={"csrf": csrf_of(page), **form_fields(**overrides)})


def mails(config: Config) -> list[email.message.EmailMessage]:
    folder = config.outbox_dir
    files = sorted(folder.glob("*.eml")) if folder.is_dir() else []
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]


def confirm_token(mail) -> str:
    return re.search(re.escape(BASE) + r"/confirm/([A-Za-z0-9_-]+)", mail.get_content())[1]


def row(config: Config, address: str):
    with Store.open(config) as store, store.transaction() as conn:
        return outbox.find_subscriber(conn, address)


def subscribed(client: TestClient, config: Config, **overrides) -> outbox.Subscriber:
    """Sign up and confirm through the pages, as a person would."""
    assert sign_up(client, **overrides).status_code == 200
    token = confirm_token(mails(config)[-1])
    page = client.get(f"/confirm/{token}")
    assert client.post(f"/confirm/{token}", data={"csrf": csrf_of(page)}).status_code == 200
    return row(config, overrides.get("email", "lezer@example.org"))


# --- pages and headers ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/index.html", "/agendas/", "/topics/", "/feed.atom", "/style.css",
                                  "/en/", "/subscribe", "/subscribe?lang=en", "/manage/forged", "/no-such-page",
                                  "/api/v1/letters", "/api/v1/nothing", "/healthz"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404, 503)  # /healthz: no poll yet
    for header in SECURITY_HEADERS:
        assert header in response.headers, header
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src" not in csp and "default-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_json_api_is_served_by_the_same_app(client):
    letters = client.get("/api/v1/letters", headers={"origin": "https://research.example.net"})
    assert letters.status_code == 200 and letters.headers["content-type"] == "application/json"
    assert letters.headers["access-control-allow-origin"] == "*"
    assert client.get("/api/v1/nothing").headers["content-type"].startswith("application/")


def test_the_site_is_served_in_dutch_at_the_root_and_in_english_below_en(client):
    nl, en = client.get("/"), client.get("/en/")
    assert nl.status_code == en.status_code == 200
    assert '<html lang="nl">' in nl.text and '<html lang="en">' in en.text
    assert 'href="subscribe"' in nl.text and 'href="../subscribe?lang=en"' in en.text
    assert client.get("/feed.atom").headers["content-type"].startswith("application/atom+xml")
    assert client.get("/no-such-page").status_code == 404


def test_a_missing_page_or_a_wrong_method_is_answered_in_the_language_of_its_part_of_the_site(client):
    missing, english = client.get("/nergens.html"), client.get("/en/nowhere.html")
    assert missing.status_code == english.status_code == 404
    assert "Niet gevonden" in missing.text and "Not found" in english.text
    wrong = client.post("/index.html")
    assert wrong.status_code == 405 and "(405)" in wrong.text and '<html lang="nl">' in wrong.text


def test_the_sign_up_form_offers_the_lexicon_topics_and_severity_in_words(client):
    page = client.get("/subscribe")
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    offered = re.findall(r'name="topics" value="([^"]+)"', page.text)
    assert offered == list(topic_lexicon().names)
    severities = re.findall(r'name="severity" value="([^"]+)"', page.text)
    assert severities == ["wording", "strength", "positions", "stance"]
    assert "<script" not in page.text
    english = client.get("/subscribe?lang=en")
    assert '<html lang="en">' in english.text and "Subscribe to alerts" in english.text


def test_hostile_text_in_a_letter_is_escaped_on_the_served_site(client, config):
    from monitor.model import Publication
    from tests.test_site_store import record

    hostile = '<script>alert("brief")</script><img src=x onerror=alert(1)>'
    pub = Publication("kst-28676-999", "28676", "999", f"NAVO; {hostile}", "Brief", dt.date(2026, 11, 30),
                      dt.date(2026, 11, 30), None, dossiers=("28676",))
    with Store.open(config) as store:
        record(store, pub, f"Den Haag. {hostile} Hoogachtend.".encode(), series="other", media_type="text/plain",
               when=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC))
    for path in ("/", "/letters/kst-28676-999.html", "/en/letters/kst-28676-999.html", "/feed.atom"):
        page = client.get(path)
        assert page.status_code == 200 and "kst-28676-999" in page.text, path
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, path


# --- double opt-in -------------------------------------------------------------------------------


def test_a_sign_up_sends_only_a_confirmation_and_subscribes_no_one_yet(client, config):
    response = sign_up(client, topics=["Oekraïne"], severity="positions", delivery="daily", language="en")
    assert response.status_code == 200 and "Kijk in uw mailbox" in response.text
    (mail,) = mails(config)
    assert mail["To"] == "lezer@example.org" and "/confirm/" in mail.get_content()
    sub = row(config, "lezer@example.org")
    assert sub.state == "unconfirmed" and not sub.active


def test_opening_the_link_shows_a_button_and_confirming_applies_the_settings_asked_for(client, config):
    sign_up(client, topics=["Oekraïne", "China"], severity="positions", delivery="daily", language="en")
    token = confirm_token(mails(config)[0])
    page = client.get(f"/confirm/{token}")
    assert page.status_code == 200 and row(config, "lezer@example.org").state == "unconfirmed"
    done = client.post(f"/confirm/{token}", data={"csrf": csrf_of(page)})
    assert done.status_code == 200
    sub = row(config, "lezer@example.org")
    assert (sub.state, sub.topics, sub.min_severity, sub.digest, sub.language) == (
        "active", ("Oekraïne", "China"), 2, "daily", "en")
    assert f"manage/{sub.token}" in done.text
    again = client.post(f"/confirm/{token}", data={"csrf": csrf_of(page)})
    assert again.status_code == 404  # a link works once


def test_a_sign_up_kept_before_early_alerts_existed_is_confirmed_without_them(client, config):
    sign_up(client, topics=["China"])
    with Store.open(config) as store, store.transaction() as conn:
        conn.execute(update(subscribers).values(pending_settings='{"dossier": null, "digest": null, "language": '
                                                '"nl", "min_severity": 0, "series": "all", "topics": ["China"]}'))
    token = confirm_token(mails(config)[0])
    client.post(f"/confirm/{token}", data={"csrf": csrf_of(client.get(f"/confirm/{token}"))})
    sub = row(config, "lezer@example.org")
    assert (sub.state, sub.topics, sub.early) == ("active", ("China",), False)


def test_an_expired_confirmation_link_is_gone_and_subscribes_no_one(client, config):
    sign_up(client)
    token = confirm_token(mails(config)[0])
    with Store.open(config) as store, store.transaction() as conn:
        conn.execute(update(subscribers).values(confirm_expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    page = client.get(f"/confirm/{token}")
    assert client.post(f"/confirm/{token}", data={"csrf": csrf_of(page)}).status_code == 410
    assert row(config, "lezer@example.org").state == "unconfirmed"


def test_the_answer_is_the_same_whether_the_address_is_known_or_not(client, config):
    subscribed(client, config, email="bekend@example.org", topics=["China"])
    known = sign_up(client, email="bekend@example.org")
    unknown = sign_up(client, email="onbekend@example.org")
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'value="[0-9a-f]{64}"', "", r.text).replace("onbekend@", "@").replace("bekend@", "@")
    assert strip(known) == strip(unknown)
    # the known address keeps its settings until the new link is opened
    assert row(config, "bekend@example.org").topics == ("China",)


def test_an_address_in_other_capitals_is_the_same_subscriber(client, config):
    subscribed(client, config, email="lezer@example.org")
    assert sign_up(client, email="LEZER@Example.ORG").status_code == 200
    with Store.open(config) as store, store.transaction() as conn:
        assert [s.email for s in outbox.list_subscribers(conn)] == ["lezer@example.org"]
    assert sorted(m["To"] for m in mails(config)) == ["LEZER@example.org", "lezer@example.org"]  # as typed


def test_an_internationalised_domain_is_accepted_and_the_confirmation_goes_to_its_ascii_form(client, config):
    assert sign_up(client, email="lezer@bücher.example").status_code == 200
    (mail,) = mails(config)
    assert mail["To"] == "lezer@xn--bcher-kva.example"
    assert row(config, "lezer@bücher.example").state == "unconfirmed"


def test_links_in_mails_already_sent_keep_working(client, config):
    with Store.open(config) as store, store.transaction() as conn:
        sub, _ = outbox.save_subscriber(conn, "oud@example.org")
    assert sub.state == "active"
    assert client.get(f"/manage/{sub.token}").status_code == 200
    assert client.get(f"/unsubscribe/{sub.token}").status_code == 200


# --- bad input changes nothing -------------------------------------------------------------------


@pytest.mark.parametrize("fields, message", [
    ({"email": "geen-adres"}, "geen bruikbaar e-mailadres"),
    ({"email": "lezer@example.org\r\nBcc: iedereen@example.org"}, "geen bruikbaar e-mailadres"),
    ({"email": "lezer@example.org, ander@example.org"}, "geen bruikbaar e-mailadres"),
    ({"topics": ["Mars"]}, "Onbekend onderwerp: Mars"),
    ({"severity": "3"}, "Welke wijzigingen"),
    ({"series": "alles"}, "Welke brieven"),
    ({"language": "de"}, "Taal van de e-mails"),
    ({"delivery": "weekly"}, "Wanneer"),
])
def test_a_form_with_bad_input_is_shown_again_with_the_reason_and_nothing_is_stored(client, config, fields, message):
    response = sign_up(client, **fields)
    assert response.status_code == 400 and message in response.text
    assert mails(config) == [] and row(config, "lezer@example.org") is None


def test_hostile_text_in_a_field_comes_back_escaped(client):
    response = sign_up(client, topics=['<script>alert("x")</script>'], email='"<img src=x onerror=alert(1)>"@x')
    assert response.status_code == 400
    assert "<script>alert" not in response.text and "&lt;script&gt;" in response.text
    assert "<img src=x" not in response.text


def test_an_address_the_mail_server_refuses_is_a_clear_answer_and_an_outage_a_503(tmp_path, smtp_peer):
    config = Config.from_dict({"storage": {"data_dir": str(tmp_path / "data")}, "web": {"base_url": BASE},
                               "mail": {"smtp_host": "127.0.0.1", "smtp_port": smtp_peer.port, "security": "none"}})
    smtp_peer.refuse("nergens@example.org", "550 5.1.1 no such mailbox")
    with TestClient(create_app(config)) as client:
        refused = sign_up(client, email="nergens@example.org")
        assert refused.status_code == 400 and "550 5.1.1 no such mailbox" in refused.text
        assert row(config, "nergens@example.org").state == "unconfirmed"  # nothing subscribed
        smtp_peer.stop()
        down = sign_up(client, email="lezer@example.org")
    assert down.status_code == 503 and down.headers["retry-after"]
    assert smtp_peer.received == [] and row(config, "lezer@example.org").state == "unconfirmed"


def test_a_form_without_a_valid_csrf_token_is_refused(client, config):
    client.get("/subscribe")
    bad = client.post("/subscribe", data={"csrf": "0" * 64, **form_fields()})
    assert bad.status_code == 403
    fresh = TestClient(client.app, base_url="https://testserver")  # no cookie at all
    assert fresh.post("/subscribe", data={"csrf": "0" * 64, **form_fields()}).status_code == 403
    assert mails(config) == [] and row(config, "lezer@example.org") is None


def test_an_oversized_body_is_refused_with_413(client, config):
    page = client.get("/subscribe")
    response = client.post("/subscribe", data={"csrf": csrf_of(page), **form_fields(filler="x" * 20_000)})
    assert response.status_code == 413 and "x-content-type-options" in response.headers
    chunked = client.post("/subscribe", content=iter([b"email=a%40example.org&", b"x" * 20_000]),
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert chunked.status_code == 413
    assert row(config, "a@example.org") is None and row(config, "lezer@example.org") is None


@pytest.mark.parametrize("path", ["/confirm/", "/manage/", "/unsubscribe/"])
def test_forged_tokens_are_unknown_links(client, path):
    page = client.get("/subscribe")
    for token in ("0" * 32, "x", "a" * 200, "%00"):
        assert client.get(path + token).status_code in (404, 200)  # the confirm page is one neutral button
        assert client.post(path + token, data={"csrf": csrf_of(page), "action": "unsubscribe"}).status_code == 404


# --- limits --------------------------------------------------------------------------------------


def test_too_many_sign_ups_from_one_client_are_answered_429_with_retry_after(tmp_path):
    config = make_config(tmp_path, signups_per_ip_per_hour=2)
    with TestClient(create_app(config)) as client:
        assert [sign_up(client, email=f"l{n}@example.org").status_code for n in range(3)] == [200, 200, 429]
        refused = sign_up(client, email="l9@example.org")
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 3600
    assert len(mails(config)) == 2


def test_too_many_confirmation_mails_for_one_address_are_answered_429(tmp_path):
    config = make_config(tmp_path, confirmations_per_address_per_day=2)
    with TestClient(create_app(config)) as client:
        codes = [sign_up(client).status_code for _ in range(3)]
        refused = sign_up(client)
    assert codes == [200, 200, 429] and int(refused.headers["retry-after"]) <= 86400
    assert len(mails(config)) == 2


def test_forwarded_client_addresses_count_only_from_trusted_proxies(tmp_path):
    def codes(trusted: list[str]) -> list[int]:
        config = make_config(tmp_path / str(len(trusted)), signups_per_ip_per_hour=1, trusted_proxies=trusted)
        with TestClient(create_app(config), client=("10.0.0.1", 5000)) as client:
            return [client.post("/subscribe", data={"csrf": csrf_of(client.get("/subscribe")),
                                                    **form_fields(email=f"l{n}@example.org")},
                                headers={"x-forwarded-for": f"192.0.2.{n}"}).status_code for n in range(2)]

    assert codes([]) == [200, 429]  # a client cannot pick its own address
    assert codes(["10.0.0.1"]) == [200, 200]  # behind the proxy, each client has its own limit


# --- the subscriber's own pages ------------------------------------------------------------------


def pending_alert(config: Config, sub: outbox.Subscriber) -> int:
    with Store.open(config) as store, store.transaction() as conn:
        event = outbox.add_event(conn, key="new:kst-28676-999@1", kind="new-letter", dossier="28676",
                                 identifier="kst-28676-999", version=1, series="fmm-agenda", severity=0,
                                 topics=[], summary={"title": "Brief"})
        (alert,) = queue_alerts(conn, event)
    return alert


def alert_status(config: Config, alert_id: int) -> str:
    with Store.open(config) as store, store.transaction() as conn:
        return conn.execute(select(alerts.c.status).where(alerts.c.id == alert_id)).scalar_one()


def test_the_unsubscribe_page_shows_one_button_and_a_get_changes_nothing(client, config):
    sub = subscribed(client, config)
    page = client.get(f"/unsubscribe/{sub.token}")
    assert page.status_code == 200 and page.text.count("<button") == 1
    assert row(config, sub.email).state == "active"
    done = client.post(f"/unsubscribe/{sub.token}", data={"csrf": csrf_of(page)})
    assert done.status_code == 200 and row(config, sub.email).state == "unsubscribed"


def test_one_click_unsubscribe_needs_no_cookie_nor_csrf_and_cancels_pending_alerts(client, config):
    sub = subscribed(client, config)
    alert = pending_alert(config, sub)
    mail_client = TestClient(client.app, base_url="https://testserver")
    response = mail_client.post(f"/unsubscribe/{sub.token}", content=b"List-Unsubscribe=One-Click",
                                headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    assert row(config, sub.email).state == "unsubscribed" and alert_status(config, alert) == "cancelled"
    # any other POST without the CSRF token is refused
    other = mail_client.post(f"/unsubscribe/{sub.token}", data={"List-Unsubscribe": "Two-Click"})
    assert other.status_code == 403


def test_the_manage_page_shows_the_form_filled_in_and_saves_changes(client, config):
    sub = subscribed(client, config, topics=["China"], delivery="daily")
    page = client.get(f"/manage/{sub.token}")
    assert page.status_code == 200 and sub.email in page.text
    assert re.search(r'value="China" aria-describedby="topics-hint" checked', page.text)
    assert re.search(r'value="daily" checked', page.text)
    saved = client.post(f"/manage/{sub.token}", data={"csrf": csrf_of(page), "action": "save", "series": "all",
                                                      "topics": ["Oekraïne"], "severity": "stance",
                                                      "delivery": "immediately", "language": "nl"})
    assert saved.status_code == 200 and "Opgeslagen" in saved.text
    after = row(config, sub.email)
    assert (after.topics, after.min_severity, after.digest, after.state) == (("Oekraïne",), 3, None, "active")
    refused = client.post(f"/manage/{sub.token}", data={"csrf": csrf_of(page), "action": "save",
                                                        "topics": ["Mars"]})
    assert refused.status_code == 400 and row(config, sub.email).topics == ("Oekraïne",)
    assert client.post(f"/manage/{sub.token}", data={"csrf": "0" * 64, "action": "unsubscribe"}).status_code == 403
    assert row(config, sub.email).state == "active"


def test_pause_resume_and_unsubscribe_from_the_manage_page(client, config):
    sub = subscribed(client, config)
    alert = pending_alert(config, sub)
    csrf = csrf_of(client.get(f"/manage/{sub.token}"))
    for action, state in (("pause", "paused"), ("resume", "active"), ("unsubscribe", "unsubscribed"),
                          ("resume", "active")):
        response = client.post(f"/manage/{sub.token}", data={"csrf": csrf, "action": action})
        assert response.status_code == 200 and row(config, sub.email).state == state, action
    assert alert_status(config, alert) == "cancelled"
    assert client.post(f"/manage/{sub.token}", data={"csrf": csrf, "action": "explode"}).status_code == 400


def test_erasing_my_data_removes_the_address_and_kills_the_links(client, config):
    sub = subscribed(client, config)
    alert = pending_alert(config, sub)
    csrf = csrf_of(client.get(f"/manage/{sub.token}"))
    assert client.post(f"/manage/{sub.token}", data={"csrf": csrf, "action": "forget"}).status_code == 200
    assert row(config, sub.email) is None
    assert client.get(f"/manage/{sub.token}").status_code == 404
    with Store.open(config) as store, store.transaction() as conn:
        kept = conn.execute(select(alerts.c.status, alerts.c.message_id).where(alerts.c.id == alert)).one()
        emails = list(conn.execute(select(subscribers.c.email)).scalars())
    assert kept == ("cancelled", "") and emails == [f"forgotten-{sub.id}"]


# --- the mails link back -------------------------------------------------------------------------


def test_alerts_carry_one_click_unsubscribe_and_a_manage_link_when_base_url_is_set(client, config):
    from monitor.alerts import delivery

    sub = subscribed(client, config)
    pending_alert(config, sub)
    with Store.open(config) as store:
        (alert,) = [a.id for a in outbox.list_alerts(store.engine.connect(), "pending")]
        msg = delivery.preview(store, config, alert)
    assert msg["List-Unsubscribe"] == (f"<{BASE}/unsubscribe/{sub.token}>, "
                                       f"<mailto:alerts@localhost?subject=unsubscribe%20{sub.token}>")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{BASE}/manage/{sub.token}" in msg.get_body(("plain",)).get_content()
    digest = delivery.compose_digest([], sub, config.mail, day=dt.date(2026, 12, 1), message_id="<d@x>",
                                     now=dt.datetime(2026, 12, 1, 7, tzinfo=dt.UTC), web_url=BASE)
    assert digest["List-Unsubscribe"] == msg["List-Unsubscribe"] and digest["List-Unsubscribe-Post"]
    plain = dataclasses.replace(config, web=WebConfig())  # no [web] base_url
    with Store.open(plain) as store:
        bare = delivery.preview(store, plain, alert)
    assert bare["List-Unsubscribe-Post"] is None and bare["List-Unsubscribe"].startswith("<mailto:")
