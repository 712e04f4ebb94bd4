"""The early-alerts box of the sign-up and manage pages follows ``[tk]``: offered when the Tweede
Kamer is polled, absent when it is not, since a box that can never deliver anything misleads.

A choice stored under an earlier configuration is not changed by the pages while ``[tk]`` is
off; the manage page says in one sentence that early alerts are not offered at the moment.
Through Starlette's test client, on SQLite and on PostgreSQL (see tests/test_web.py).
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from starlette.testclient import TestClient

from monitor.config import Config, TkConfig
from monitor.web import create_app
from tests.database import on_database
from tests.test_web import confirm_token, csrf_of, mails, make_config, row, sign_up, subscribed

BOX = re.compile(r'<input type="checkbox" name="early" value="yes"( checked)?>')
NOT_OFFERED = {"nl": "Vroege waarschuwingen worden op dit moment niet aangeboden; uw keuze ervoor blijft bewaard.",
               "en": "Early warnings are not offered at the moment; your choice for them is kept."}


def with_tk(config: Config, enabled: bool) -> Config:
    return dataclasses.replace(config, tk=TkConfig(enabled=enabled))


@pytest.fixture
def config(tmp_path, database_url) -> Config:
    """``[tk]`` on; the same store with ``[tk]`` off is ``with_tk(config, False)``."""
    return with_tk(on_database(make_config(tmp_path), database_url), True)


@pytest.fixture
def client(config) -> TestClient:
    with TestClient(create_app(config), base_url="https://testserver") as c:
        yield c


@pytest.fixture
def tk_off(config) -> Config:
    return with_tk(config, False)


@pytest.fixture
def client_off(tk_off) -> TestClient:
    """The app on the same store after the operator turned ``[tk]`` off."""
    with TestClient(create_app(tk_off), base_url="https://testserver") as c:
        yield c


def manage_fields(page, **overrides) -> dict:
    return {"csrf": csrf_of(page), "action": "save", "series": "all", "severity": "wording",
            "delivery": "immediately", "language": "nl", **overrides}


# --- [tk] on: offered ------------------------------------------------------------------------------


def test_the_sign_up_form_offers_early_alerts_unticked_in_the_language_of_the_page(client):
    dutch, english = client.get("/subscribe"), client.get("/subscribe?lang=en")
    assert BOX.search(dutch.text) and not BOX.search(dutch.text)[1]
    assert "Ook vroege waarschuwingen: brieven zodra de Tweede Kamer ze registreert" in dutch.text
    assert "Early warnings too: letters as soon as the Tweede Kamer registers them" in english.text


def test_early_alerts_asked_for_on_the_page_apply_only_once_the_link_is_opened(client, config):
    assert not subscribed(client, config).early
    sign_up(client, early="yes")
    assert not row(config, "lezer@example.org").early  # whoever typed the address changed nothing yet
    token = confirm_token(mails(config)[-1])
    client.post(f"/confirm/{token}", data={"csrf": csrf_of(client.get(f"/confirm/{token}"))})
    assert row(config, "lezer@example.org").early


@pytest.mark.parametrize("early", ["ja", ["yes", "yes"]])
def test_an_early_value_the_box_cannot_send_is_refused_when_offered(client, config, early):
    response = sign_up(client, early=early)
    assert response.status_code == 400 and "Vroege waarschuwing" in response.text
    assert mails(config) == [] and row(config, "lezer@example.org") is None


def test_the_manage_page_shows_early_alerts_and_an_unticked_box_turns_them_off(client, config):
    sub = subscribed(client, config, early="yes")
    assert sub.early
    page = client.get(f"/manage/{sub.token}")
    assert BOX.search(page.text)[1] and NOT_OFFERED["nl"] not in page.text
    off = client.post(f"/manage/{sub.token}", data=manage_fields(page))  # an unticked box is not sent at all
    assert off.status_code == 200 and not row(config, sub.email).early
    assert not BOX.search(off.text)[1]
    on = client.post(f"/manage/{sub.token}", data=manage_fields(page, early="yes"))
    assert on.status_code == 200 and row(config, sub.email).early
    assert BOX.search(on.text)[1]


# --- [tk] off: not offered -------------------------------------------------------------------------


def test_without_tk_neither_page_shows_the_box(client_off, tk_off):
    for path in ("/subscribe", "/subscribe?lang=en"):
        page = client_off.get(path)
        assert page.status_code == 200 and not BOX.search(page.text), path
        assert "Vroege waarschuwing" not in page.text and "Early warning" not in page.text, path
    sub = subscribed(client_off, tk_off)
    manage = client_off.get(f"/manage/{sub.token}")
    assert manage.status_code == 200 and not BOX.search(manage.text)
    assert "Vroege waarschuwing" not in manage.text  # nor the sentence: this subscriber asked for none


@pytest.mark.parametrize("early", ["yes", "ja"])
def test_without_tk_an_early_value_posted_anyway_is_ignored(client_off, tk_off, early):
    sub = subscribed(client_off, tk_off, early=early)
    assert sub.state == "active" and sub.early is False
    page = client_off.get(f"/manage/{sub.token}")
    saved = client_off.post(f"/manage/{sub.token}", data=manage_fields(page, early=early))
    assert saved.status_code == 200 and row(tk_off, sub.email).early is False
    assert NOT_OFFERED["nl"] not in saved.text


def test_without_tk_a_subscriber_who_asked_before_is_told_and_keeps_the_choice(client, config, client_off):
    sub = subscribed(client, config, early="yes", language="en")
    dutch = client_off.get(f"/manage/{sub.token}?lang=nl")
    english = client_off.get(f"/manage/{sub.token}")  # the subscriber's own language
    assert not BOX.search(dutch.text) and not BOX.search(english.text)
    assert dutch.text.count(NOT_OFFERED["nl"]) == 1 and NOT_OFFERED["en"] not in dutch.text
    assert english.text.count(NOT_OFFERED["en"]) == 1
    saved = client_off.post(f"/manage/{sub.token}", data=manage_fields(english, topics=["China"], language="en"))
    assert saved.status_code == 200 and NOT_OFFERED["en"] in saved.text
    after = row(config, sub.email)
    assert after.topics == ("China",) and after.early is True  # saved what was offered, kept the rest
    paused = client_off.post(f"/manage/{sub.token}", data={"csrf": csrf_of(english), "action": "pause"})
    assert NOT_OFFERED["en"] in paused.text and row(config, sub.email).early is True
    back = client.get(f"/manage/{sub.token}")  # [tk] on again: the box, ticked
    assert BOX.search(back.text)[1]
