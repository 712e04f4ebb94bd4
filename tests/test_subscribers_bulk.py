"""`dossier-monitor subscribers import|export|forget` over a real store; confirmation mails land as
``.eml`` files in the outbox folder."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re

import pytest
from sqlalchemy import func, select

from monitor.config import Config
from monitor.store import Store, outbox
from monitor.store import subscriptions as subs
from monitor.store.schema import alerts

BASE = "https://navo.example.org"


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)
    path = tmp_path / "monitor.toml"
    path.write_text(f'[storage]\ndata_dir = "data"\n[web]\nbase_url = "{BASE}"\n', encoding="utf-8")
    return path


def listed(run) -> list[dict]:
    code, out, _ = run("subscribers", "list", "--json")
    assert code == 0
    return [{k: v for k, v in s.items() if k != "created_at"} for s in json.loads(out)]


def outbox_mails(config_file) -> list:
    folder = config_file.parent / "data" / "outbox"
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(folder.glob("*.eml"))] if folder.is_dir() else []


CSV = """email,series,topics,min_severity,digest,language
analist@example.org,fmm-agenda,Oekraïne;China,2,daily,en
ngo@example.org,,,,,
geen-adres,,,,,
pers@example.org,,Mars,,,
redactie@example.org,summit,,3,none,nl
"""


def test_import_confirmed_subscribes_the_good_rows_names_each_refused_one_and_is_idempotent(run, tmp_path):
    file = tmp_path / "lijst.csv"
    file.write_text(CSV, encoding="utf-8")
    code, out, err = run("subscribers", "import", str(file), "--confirmed")
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"{file}:4: not a valid email address") and lines[1].startswith(f"{file}:5: unknown topic")
    assert "3 aangemeld" in out and "2 geweigerd" in out
    first = listed(run)
    assert [s["email"] for s in first] == ["analist@example.org", "ngo@example.org", "redactie@example.org"]
    assert first[0] == {"email": "analist@example.org", "dossier": None, "series": "fmm-agenda",
                        "topics": ["Oekraïne", "China"], "min_severity": 2, "digest": "daily", "language": "en",
                        "early": False}
    code, out, _ = run("subscribers", "import", str(file), "--confirmed")
    assert "0 aangemeld" in out and "3 ongewijzigd" in out and listed(run) == first


def test_import_without_confirmed_sends_confirmation_mails_once_and_subscribes_no_one_yet(run, tmp_path, config_file):
    file = tmp_path / "lijst.csv"
    file.write_text("email,topics\nanalist@example.org,China\nngo@example.org,\n", encoding="utf-8")
    code, out, _ = run("subscribers", "import", str(file))
    assert code == 0 and "2 bevestigingsmails verstuurd" in out
    assert listed(run) == []
    mails = outbox_mails(config_file)
    assert sorted(m["To"] for m in mails) == ["analist@example.org", "ngo@example.org"]
    code, out, _ = run("subscribers", "import", str(file))
    assert "0 bevestigingsmails" in out and len(outbox_mails(config_file)) == 2  # nobody gets a second one
    mail = next(m for m in mails if m["To"] == "analist@example.org")
    token = re.search(re.escape(BASE) + r"/confirm/(\S+)", mail.get_content())[1]
    config = Config.load(config_file)
    with Store.open(config) as store, store.transaction() as conn:
        sub = subs.confirm(conn, token, now=dt.datetime.now(dt.UTC))
    assert sub.topics == ("China",) and [s["email"] for s in listed(run)] == ["analist@example.org"]


def test_an_early_column_asks_for_early_alerts_and_a_file_without_one_asks_for_none(run, tmp_path):
    file = tmp_path / "lijst.csv"
    file.write_text("email,early\nvroeg@example.org,true\nlaat@example.org,false\nleeg@example.org,\n"
                    "fout@example.org,ja\n", encoding="utf-8")
    code, _, err = run("subscribers", "import", str(file), "--confirmed")
    assert code == 2 and err.startswith(f"{file}:5: early: 'ja' is not one of true, false")
    assert {s["email"]: s["early"] for s in listed(run)} == {
        "vroeg@example.org": True, "laat@example.org": False, "leeg@example.org": False}
    # the rows of a file from before the column stay as they were: not early
    (tmp_path / "oud.csv").write_text(CSV, encoding="utf-8")
    run("subscribers", "import", str(tmp_path / "oud.csv"), "--confirmed")
    assert not any(s["early"] for s in listed(run) if s["email"] != "vroeg@example.org")


def test_early_rows_imported_while_tk_is_off_are_kept_with_one_line_saying_none_are_sent_yet(run, tmp_path,
                                                                                            config_file):
    file = tmp_path / "lijst.csv"
    file.write_text("email,early\nvroeg@example.org,true\nook@example.org,true\nlaat@example.org,false\n",
                    encoding="utf-8")
    code, out, err = run("subscribers", "import", str(file))  # kept with each invitation
    assert code == 0 and "3 bevestigingsmails verstuurd" in out
    assert err == ("let op: 2 rijen vragen om vroege waarschuwingen, maar [tk] staat uit; die gaan pas uit met "
                   "[tk] enabled = true (de keuze is bewaard)\n")
    code, out, err = run("subscribers", "import", str(file))  # nothing stored again: nothing to say
    assert code == 0 and "3 ongewijzigd" in out and err == ""
    config_file.write_text(config_file.read_text(encoding="utf-8") + "[tk]\nenabled = true\n", encoding="utf-8")
    code, _, err = run("subscribers", "import", str(file), "--confirmed")
    assert code == 0 and err == ""
    assert {s["email"]: s["early"] for s in listed(run)} == {
        "vroeg@example.org": True, "ook@example.org": True, "laat@example.org": False}
