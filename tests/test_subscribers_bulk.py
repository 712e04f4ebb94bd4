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


def test_early_alerts_asked_for_in_a_file_apply_once_the_link_is_opened(run, tmp_path, config_file):
    file = tmp_path / "lijst.csv"
    file.write_text("email,early\nvroeg@example.org,true\n", encoding="utf-8")
    assert run("subscribers", "import", str(file))[0] == 0
    (mail,) = outbox_mails(config_file)
    token = re.search(re.escape(BASE) + r"/confirm/(\S+)", mail.get_content())[1]
    with Store.open(Config.load(config_file)) as store, store.transaction() as conn:
        assert subs.confirm(conn, token, now=dt.datetime.now(dt.UTC)).early


def test_import_with_confirmation_mails_needs_a_base_url_for_the_links(run, tmp_path, config_file):
    config_file.write_text('[storage]\ndata_dir = "data"\n', encoding="utf-8")
    file = tmp_path / "lijst.csv"
    file.write_text("email\nanalist@example.org\n", encoding="utf-8")
    code, _, err = run("subscribers", "import", str(file))
    assert code == 2 and "web.base_url" in err and listed(run) == []


@pytest.mark.parametrize("text, message", [
    ("adres\nanalist@example.org\n", "email column"),
    ("email,kleur\nanalist@example.org,rood\n", "unknown columns: kleur"),
])
def test_a_file_that_is_not_a_subscriber_list_is_refused_whole(run, tmp_path, text, message):
    file = tmp_path / "lijst.csv"
    file.write_text(text, encoding="utf-8")
    code, _, err = run("subscribers", "import", str(file), "--confirmed")
    assert code == 2 and message in err and listed(run) == []
    assert run("subscribers", "import", str(tmp_path / "missing.csv"), "--confirmed")[0] == 2


def test_export_writes_what_import_reads(run, tmp_path, config_file, capsys):
    file = tmp_path / "lijst.csv"
    file.write_text(CSV, encoding="utf-8")
    run("subscribers", "import", str(file), "--confirmed")
    run("subscribers", "add", "vroeg@example.org", "--early")
    code, exported, _ = run("subscribers", "export")
    assert code == 0 and exported.splitlines()[0] == (
        "email,dossier,series,topics,min_severity,digest,language,early,created_at,confirmed_at")
    before = listed(run)
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (elsewhere / "monitor.toml").write_text('[storage]\ndata_dir = "data"\n', encoding="utf-8")
    (elsewhere / "export.csv").write_text(exported, encoding="utf-8")
    from monitor.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--config", str(elsewhere / "monitor.toml"), "subscribers", "import", str(elsewhere / "export.csv"),
              "--confirmed"])
    assert done.value.code == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["--config", str(elsewhere / "monitor.toml"), "subscribers", "list", "--json"])
    after = [{k: v for k, v in s.items() if k != "created_at"} for s in json.loads(capsys.readouterr().out)]
    assert after == before and [s["email"] for s in after if s["early"]] == ["vroeg@example.org"]


def test_forget_erases_the_address_and_its_links_and_keeps_the_counts(run, config_file):
    assert run("subscribers", "add", "analist@example.org")[0] == 0
    config = Config.load(config_file)
    with Store.open(config) as store, store.transaction() as conn:
        sub = outbox.find_subscriber(conn, "analist@example.org")
        event = outbox.add_event(conn, key="new:kst-28676-999@1", kind="new-letter", dossier="28676",
                                 identifier="kst-28676-999", version=1, series="other", severity=0, topics=[],
                                 summary={})
        outbox.insert_alerts(conn, event, [(sub.id, "<x-analist@example.org>")])
    code, out, _ = run("subscribers", "forget", "analist@example.org")
    assert code == 0 and "gewist: analist@example.org" in out and "1 wachtende" in out
    with Store.open(config) as store, store.transaction() as conn:
        assert outbox.find_subscriber(conn, "analist@example.org") is None
        assert subs.by_token(conn, sub.token) is None
        assert conn.execute(select(func.count()).select_from(alerts)).scalar_one() == 1
        assert conn.execute(select(alerts.c.message_id, alerts.c.status)).one() == ("", "cancelled")
    code, _, err = run("subscribers", "forget", "analist@example.org")
    assert code == 2 and "unknown address" in err
