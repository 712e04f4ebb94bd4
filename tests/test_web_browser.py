"""A person's whole way through the web front door, in a real headless Chromium driven by Selenium.

Sign up on /subscribe, read the confirmation mail from a real SMTP server on loopback, open its
link and confirm; the test publisher puts out a new agenda and a poll mails the alert; its
``List-Unsubscribe`` URL answers a one-click POST (as a mail client sends it: no cookie, no form
token), after which the subscriber is inactive and its pending alert cancelled; the manage page
switches alerts back on for one topic only, and the next poll mails what touches that topic and
not the plain letter published beside it. No page logs a console error.

    WEB_SCREENSHOTS=docs .venv/bin/python -m pytest tests/test_web_browser.py
refreshes the screenshots of the sign-up and manage pages in the README.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor import pipeline
from monitor.config import Config
from monitor.source import SourceClient
from monitor.store import Store, outbox
from monitor.store.schema import alerts
from monitor.web.server import WebServer
from tests.peer import agenda_474
from tests.peer.corpus import NEXT_AGENDA_TITLE, next_agenda_xml
from tests.peer.fixtures import peer_source_config
from tests.smtp_peer import free_port

CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
webdriver = pytest.importorskip("selenium.webdriver")

pytestmark = [
    pytest.mark.skipif(CHROMEDRIVER is None or CHROMIUM is None,
                       reason="no chromium/chromedriver (Debian: apt-get install chromium-driver; scripts/test does this "
                              "as root)"),
    pytest.mark.timeout(180),
]

READER = "lezer@example.org"
TODAY = dt.date.today()
UKRAINE = "Nederland zal Oekraïne daarom voor zolang als nodig blijven steunen"


def third_agenda_xml() -> bytes:
    """kst-28676-495: the agenda after kst-28676-490 with only the Ukraine position changed."""
    text = next_agenda_xml().decode("utf-8")
    for old, new in (("3 en 4 april 2025", "1 en 2 december 2025"), ("3 en 4 april aanstaande", "1 en 2 december aanstaande"),
                     ("kst-28676-490", "kst-28676-495"), ('kamer="2">490<', 'kamer="2">495<'),
                     (UKRAINE, "Nederland zal Oekraïne daarom onverminderd en ook financieel blijven steunen")):
        assert old in text, old
        text = text.replace(old, new)
    return text.encode("utf-8")


@pytest.fixture
def browser(tmp_path):
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
                 "--window-size=390,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def service(tmp_path, peer, smtp_peer):
    port = free_port()
    config = Config.from_dict({
        "storage": {"data_dir": str(tmp_path / "data")},
        "mail": {"smtp_host": "127.0.0.1", "smtp_port": smtp_peer.port, "security": "none",
                 "from": "NAVO-monitor <alerts@example.org>"},
        "web": {"listen": f"127.0.0.1:{port}", "base_url": f"http://127.0.0.1:{port}"},
    })
    config = Config(**{**config.__dict__, "source": peer_source_config(peer)})
    peer.add([agenda_474()])
    with Store.open(config) as store, SourceClient(config.source) as client:
        pipeline.poll(store, client, config)  # the history is recorded quietly
        server = WebServer(config).start()
        try:
            yield config, store, client, server
        finally:
            server.stop()


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def fits_a_phone(driver) -> bool:
    """Nothing sticks out sideways at 390 CSS pixels: the page reads without scrolling left and right."""
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def screenshot(driver, name: str) -> None:
    folder = os.environ.get("WEB_SCREENSHOTS")
    if not folder:
        return
    driver.set_window_size(900, 900)  # a laptop's width: the topics stand in columns
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(900, height + 100)
    driver.save_screenshot(str(Path(folder) / name))
    driver.set_window_size(390, 900)


def press(driver, css: str) -> None:
    """Click a form's button and wait until the page the form leads to has loaded."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    driver.execute_script("window.stillHere = true")  # gone once the next page replaced this one
    driver.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return !window.stillHere && document.readyState === 'complete'"))


def the_subscriber(store: Store) -> outbox.Subscriber:
    with store.transaction() as conn:
        return outbox.find_subscriber(conn, READER)


def test_sign_up_confirm_alert_one_click_unsubscribe_and_manage_in_a_browser(service, browser, peer, smtp_peer):
    from selenium.webdriver.common.by import By

    config, store, client, server = service
    # --- sign up --------------------------------------------------------------------------------
    browser.get(server.url + "subscribe")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Aanmelden voor meldingen"
    assert fits_a_phone(browser)
    browser.find_element(By.ID, "email").send_keys(READER)
    screenshot(browser, "web-subscribe.png")
    press(browser, "form.subscription button[type=submit]")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kijk in uw mailbox"
    (confirmation,) = smtp_peer.to(READER)
    assert the_subscriber(store).state == "unconfirmed"

    # --- the link in the mail, then the button -----------------------------------------------------
    link = re.search(r"http://127\.0\.0\.1:\d+/confirm/\S+", confirmation.get_content())[0]
    browser.get(link)
    press(browser, "main form button")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Aangemeld"
    assert the_subscriber(store).state == "active"

    # --- a new agenda, a poll, the alert -----------------------------------------------------------
    peer.publish("kst-28676-490", title=NEXT_AGENDA_TITLE, date=TODAY - dt.timedelta(days=1), available=TODAY,
                 xml=next_agenda_xml())
    assert pipeline.poll(store, client, config).alerts >= 1
    (alert,) = smtp_peer.to(READER)[1:]
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click, mailto = re.findall(r"<([^>]+)>", alert["List-Unsubscribe"])
    assert one_click.startswith(server.url + "unsubscribe/") and mailto.startswith("mailto:")
    manage = re.search(r"http://127\.0\.0\.1:\d+/manage/\S+", alert.get_body(("plain",)).get_content())[0]

    # --- a letter whose alert is still pending when the subscriber leaves ---------------------------
    smtp_peer.stop()
    peer.publish("kst-28676-491", title="Reactie op verzoek commissie over de NAVO-top", available=TODAY)
    assert pipeline.poll(store, client, config).delivery_error
    with store.engine.connect() as conn:
        pending = conn.execute(select(alerts.c.id).where(alerts.c.status == "pending")).scalar_one()
    smtp_peer.start()

    # --- one click, as the mail client does it: a POST without cookie or form token ------------------
    request = urllib.request.Request(one_click, data=b"List-Unsubscribe=One-Click", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    assert the_subscriber(store).state == "unsubscribed"
    with store.engine.connect() as conn:
        assert conn.execute(select(alerts.c.status).where(alerts.c.id == pending)).scalar_one() == "cancelled"

    # --- the manage page: alerts on again, for Ukraine only ------------------------------------------
    browser.get(manage)
    assert fits_a_phone(browser)
    press(browser, "button[value=resume]")
    assert the_subscriber(store).state == "active"
    browser.find_element(By.CSS_SELECTOR, "input[name=topics][value='Oekraïne']").click()
    screenshot(browser, "web-manage.png")
    press(browser, "button[value=save]")
    assert "Opgeslagen" in browser.find_element(By.CSS_SELECTOR, "p.state").text
    assert the_subscriber(store).topics == ("Oekraïne",)

    # --- the next poll follows the new topics: the Ukraine change comes, the plain letter does not -----
    peer.publish("kst-28676-495", title=NEXT_AGENDA_TITLE.replace("3 en 4 april 2025", "1 en 2 december 2025"),
                 date=TODAY, available=TODAY, xml=third_agenda_xml())
    peer.publish("kst-28676-496", title="Verslag van een schriftelijk overleg over de NAVO-top", available=TODAY)
    pipeline.poll(store, client, config)
    (latest,) = smtp_peer.to(READER)[2:]
    assert "kst-28676-495" in latest.get_body(("plain",)).get_content()
    assert "kst-28676-496" not in latest.get_body(("plain",)).get_content()

    assert console_errors(browser) == []
