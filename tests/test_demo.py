"""``scripts/demo.py``, the offline walk-through the README offers, still runs from start to end."""

from __future__ import annotations

import email
import email.policy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(120)
def test_the_demo_ends_with_one_comparison_mail_and_a_site(tmp_path):
    folder = tmp_path / "demo"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py"), str(folder)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=110)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "kst-28676-474 (2024-11-22) → kst-28676-490 (2025-03-24)" in done.stdout
    (mail,) = (folder / "data" / "outbox").glob("*.eml")
    message = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
    assert message["To"] == "analist@example.org"
    assert message["Subject"].endswith("1 standpunt gewijzigd, 1 nieuw, 1 vervallen")
    assert (folder / "site" / "index.html").is_file() and (folder / "site" / "feed.atom").is_file()

    # a second run starts afresh in the same folder, and a folder that is not a demo is left alone
    again = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py"), str(folder)],
                           cwd=tmp_path, capture_output=True, text=True, timeout=110)
    assert again.returncode == 0, again.stderr[-2000:]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    refused = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py"), str(tmp_path / "mine")],
                             cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert refused.returncode != 0 and "is not an earlier demo" in refused.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"
