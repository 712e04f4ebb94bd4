"""The built site in a real headless Chromium, loaded from file://: no console errors, phone-sized, a screenshot.

    SITE_SCREENSHOT=docs/site-topic.png .venv/bin/python -m pytest tests/test_browser_site.py
refreshes the screenshot in the README.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON
messages separated by NUL bytes on file descriptors 3 and 4), so no extra package and no
network port is needed. Console errors include failed loads ("Failed to load resource")
and script errors; a page with none has every stylesheet and link it loads in place.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from monitor.site import build_site
from monitor.store import Store
from tests.test_site_store import fill_store, store_config

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH (Debian: apt-get install chromium; scripts/test does this as root)")

TIMEOUT = 60.0
PHONE_WIDTH = 390


class Browser:
    """One headless Chromium and a DevTools session with one page."""

    def __init__(self, profile: Path):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds() -> None:  # in the child: the protocol wants our pipe ends as fds 3 and 4
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
             "--mute-audio", f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=wire_fds)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_child)
        os.close(self._from_child)

    def _receive(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, seconds: float = TIMEOUT) -> None:
        deadline = time.monotonic() + seconds
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._receive(deadline))

    def settle(self, seconds: float = 0.3) -> None:
        """Collect what the page still logs shortly after loading."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._receive(deadline))
        except TimeoutError:
            pass

    def open(self, url: str, width: int = 1000, height: int = 900) -> list[str]:
        """Load ``url`` at a viewport size; return the console errors it caused."""
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}, session=True)
        self.events.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for("Page.loadEventFired")
        self.settle()
        return errors_in(self.events)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, path: Path, width: int = 1000) -> None:
        """A PNG of the whole page (not just the viewport) at ``width`` CSS pixels."""
        height = self.evaluate("document.documentElement.scrollHeight")
        data = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}, session=True)["data"]
        path.write_bytes(base64.b64decode(data))


def errors_in(events: list[dict]) -> list[str]:
    errors = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(json.dumps(params.get("exceptionDetails", {}))[:300])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            errors.append(f"{entry.get('text')} {entry.get('url', '')}".strip())
    return errors


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser-site")
    with Store.open(store_config(tmp)) as store:
        fill_store(store)
        build_site(store, tmp / "public")
    return tmp / "public"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    opened = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield opened
    opened.close()


def test_a_page_with_a_missing_stylesheet_does_show_a_console_error(browser: Browser, tmp_path: Path) -> None:
    """The check below can fail: a dead local link is reported by the browser."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html lang="nl"><head><link rel="stylesheet" href="missing.css">'
                    "<title>x</title></head><body><p>x</p></body></html>", encoding="utf-8")
    errors = browser.open(page.as_uri())
    assert any("ERR_FILE_NOT_FOUND" in e or "Failed to load" in e for e in errors), errors


@pytest.mark.parametrize("path", ["index.html", "topics/defensie-uitgaven.html", "agendas/kst-28676-505.html"])
def test_pages_render_from_file_urls_without_console_errors(browser: Browser, site: Path, path: str) -> None:
    assert browser.open((site / path).as_uri()) == []
    assert browser.evaluate("document.styleSheets.length") == 1
    # the stylesheet applied: the header bar is dark blue
    assert browser.evaluate("getComputedStyle(document.querySelector('header.site')).backgroundColor") \
        == "rgb(20, 50, 92)"


def test_the_topic_page_draws_the_chart_and_the_redlines(browser: Browser, site: Path, tmp_path: Path) -> None:
    assert browser.open((site / "topics/defensie-uitgaven.html").as_uri()) == []
    box = browser.evaluate("(() => { const r = document.querySelector('svg.chart').getBoundingClientRect();"
                           " return [r.width, r.height]; })()")
    assert box[0] > 200 and box[1] > 100
    assert browser.evaluate("document.querySelectorAll('svg.chart rect.bar').length") == 4
    assert browser.evaluate("getComputedStyle(document.querySelector('.redline del')).textDecorationLine") \
        == "line-through"
    # SITE_SCREENSHOT=docs/site-topic.png refreshes the README's picture from this very page
    shot = Path(os.environ.get("SITE_SCREENSHOT") or tmp_path / "topic.png")
    browser.open((site / "topics/defensie-uitgaven.html").as_uri(), width=900)
    browser.screenshot(shot, width=900)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


@pytest.mark.parametrize("path", ["index.html", "topics/oekraine.html", "agendas/kst-28676-505.html",
                                  "letters/kst-28676-474.html"])
def test_pages_fit_a_phone_screen_without_sideways_scrolling(browser: Browser, site: Path, path: str) -> None:
    assert browser.open((site / path).as_uri(), width=PHONE_WIDTH, height=800) == []
    assert browser.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


# WCAG 2 contrast of every piece of text against the background it is drawn on (the first
# opaque background up the tree), as the browser computed them
CONTRAST = """(() => {
  const rgb = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
                     const p = m[1].split(',').map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                                      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                                                                 if (c && c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
  const low = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const el = walk.currentNode.parentElement;
    if (!walk.currentNode.textContent.trim() || el.closest('svg')) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)}: ${walk.currentNode.textContent.trim().slice(0, 40)}`);
  }
  return low;
})()"""


@pytest.mark.parametrize("path", ["index.html", "topics/oekraine.html", "agendas/kst-28676-505.html",
                                  "letters/kst-28676-519.html", "topics/index.html"])
def test_all_text_has_enough_contrast(browser: Browser, site: Path, path: str) -> None:
    assert browser.open((site / path).as_uri()) == []
    assert browser.evaluate(CONTRAST) == []


def test_the_contrast_check_finds_pale_text(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "pale.html"
    page.write_text('<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body>'
                    '<p style="color:#aaaaaa">bleek</p><p style="background:#14325c;color:#ffffff">goed</p>'
                    "</body></html>", encoding="utf-8")
    browser.open(page.as_uri())
    (low,) = browser.evaluate(CONTRAST)
    assert low.startswith("P. 2.32") and low.endswith("bleek")


def test_printed_pages_drop_the_menu_and_spell_out_links_to_the_originals(browser: Browser, site: Path) -> None:
    assert browser.open((site / "agendas/kst-28676-505.html").as_uri()) == []
    browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session=True)
    try:
        assert browser.evaluate("getComputedStyle(document.querySelector('header.site nav')).display") == "none"
        after = browser.evaluate("getComputedStyle(document.querySelector('a[rel=external]'), '::after').content")
        assert "https://zoek.officielebekendmakingen.nl/kst-28676-505.html" in after
    finally:
        browser.call("Emulation.setEmulatedMedia", {"media": ""}, session=True)
