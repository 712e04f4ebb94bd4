"""The alert HTML in a real browser (headless Chromium): document text never runs as code."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from tests.test_alerts_email import added, changed, compose, content, html_of

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def rendered_dom(tmp_path, html: str) -> BeautifulSoup:
    page = tmp_path / "alert.html"
    page.write_text(html, encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=2000", "--dump-dom",
         page.as_uri()], capture_output=True, text=True, timeout=120, check=True)
    return BeautifulSoup(result.stdout, "html.parser")


def test_scripts_in_the_letter_text_stay_text_in_a_browser(tmp_path):
    attack = "<script>document.title='pwned';document.body.setAttribute('id','pwned')</script>"
    msg = compose(content([
        changed("Nederland steunt dit.", f"Nederland steunt {attack} dit.",
                [("equal", "Nederland steunt "), ("insert", f"{attack} "), ("equal", "dit.")]),
        added('<img src="x" onerror="document.title=\'pwned\'"> & <b>vet</b>'),
    ]))
    dom = rendered_dom(tmp_path, html_of(msg))
    assert dom.title.string == msg["Subject"]
    assert dom.find(id="pwned") is None and dom.find("img") is None and dom.find("b") is None
    assert attack in dom.get_text() and '<img src="x"' in dom.get_text()
    # the cues survive the browser: struck-through deletions, underlined insertions
    assert dom.find("ins") is not None and "underline" in dom.find("ins")["style"]
