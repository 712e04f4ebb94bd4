"""`dossier-monitor subscribers add|list|remove` over a real store in a temporary data folder."""

from __future__ import annotations

import datetime as dt
import json

import pytest



@pytest.fixture
def config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)
    path = tmp_path / "monitor.toml"
    path.write_text('[storage]\ndata_dir = "data"\n', encoding="utf-8")
    return path




def listed(run) -> list[dict]:
    code, out, _ = run("subscribers", "list", "--json")
    assert code == 0
    return json.loads(out)


def test_add_list_and_remove(run):
    code, out, _ = run("subscribers", "add", "Analist@Example.ORG", "--series", "fmm-agenda", "--topic", "Oekraine",
                       "--topic", "defensie-uitgaven", "--min-severity", "2", "--language", "en", "--early")
    assert code == 0 and "aangemeld: analist@example.org" in out and "vroeg (Tweede Kamer)" in out
    assert run("subscribers", "add", "ngo@example.org", "--dossier", "28676", "--digest", "daily")[0] == 0
    subs = listed(run)
    created = [dt.datetime.fromisoformat(s.pop("created_at")) for s in subs]
    assert subs == [
        {"email": "analist@example.org", "dossier": None, "series": "fmm-agenda",
         "topics": ["Oekraïne", "defensie-uitgaven"], "min_severity": 2, "digest": None, "language": "en",
         "early": True},
        {"email": "ngo@example.org", "dossier": "28676", "series": "all", "topics": [], "min_severity": 0,
         "digest": "daily", "language": None, "early": False},
    ]
    assert all(dt.timedelta(0) <= dt.datetime.now(dt.UTC) - c < dt.timedelta(minutes=5) for c in created)
    code, out, _ = run("subscribers", "list")
    assert code == 0 and "analist@example.org" in out and "dagoverzicht" in out

    code, out, _ = run("subscribers", "remove", "ngo@example.org")
    assert code == 0 and "afgemeld: ngo@example.org" in out
    assert [s["email"] for s in listed(run)] == ["analist@example.org"]


def test_early_alerts_are_asked_for_and_left_out_again_by_adding_the_address_again(run):
    run("subscribers", "add", "a@example.org", "--early")
    assert listed(run)[0]["early"] is True
    run("subscribers", "add", "a@example.org")
    assert listed(run)[0]["early"] is False


EARLY_OFF = ("let op: a@example.org vraagt om vroege waarschuwingen, maar [tk] staat uit; die gaan pas uit met "
             "[tk] enabled = true (de keuze is bewaard)\n")


def test_early_alerts_asked_for_while_tk_is_off_are_kept_with_one_line_saying_none_are_sent_yet(run, config_file):
    code, out, err = run("subscribers", "add", "a@example.org", "--early")
    assert code == 0 and "aangemeld: a@example.org" in out and err == EARLY_OFF
    assert listed(run)[0]["early"] is True  # the operator may turn [tk] on later
    assert run("subscribers", "add", "a@example.org", "--no-early")[2] == ""
    with config_file.open("a", encoding="utf-8") as f:
        f.write("[tk]\nenabled = true\n")
    code, _, err = run("subscribers", "add", "a@example.org", "--early")
    assert code == 0 and err == "" and listed(run)[0]["early"] is True


def test_adding_an_existing_address_updates_it(run):
    run("subscribers", "add", "a@example.org", "--topic", "oekraine", "--digest", "daily")
    code, out, _ = run("subscribers", "add", "a@example.org", "--min-severity", "3")
    assert code == 0 and "bijgewerkt: a@example.org" in out
    (sub,) = listed(run)
    assert (sub["topics"], sub["min_severity"], sub["digest"]) == ([], 3, None)


@pytest.mark.parametrize("address", ["geen-adres", "a@", "a b@example.org", "@example.org"])
def test_a_bad_address_is_one_line_and_exit_2(run, address):
    code, out, err = run("subscribers", "add", address)
    assert code == 2 and out == ""
    assert err.startswith("dossier-monitor: not a valid email address") and err.count("\n") == 1
    assert "Traceback" not in err


def test_a_topic_is_stored_by_its_lexicon_name_and_an_unknown_one_is_refused(run):
    assert run("subscribers", "add", "a@example.org", "--topic", "eu-navo", "--topic", "OEKRAINE")[0] == 0
    assert listed(run)[0]["topics"] == ["EU–NAVO", "Oekraïne"]
    code, out, err = run("subscribers", "add", "b@example.org", "--topic", "energie")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("dossier-monitor: unknown topic 'energie' (known: Rusland, Oekraïne, China")
    assert [s["email"] for s in listed(run)] == ["a@example.org"]


def test_bad_options_are_bad_input(run):
    assert run("subscribers", "add", "a@example.org", "--dossier", "../etc")[0] == 2
    assert run("subscribers", "add", "a@example.org", "--series", "verslagen")[0] == 2
    assert run("subscribers", "add", "a@example.org", "--min-severity", "9")[0] == 2
    code, _, err = run("subscribers", "remove", "nooit@example.org")
    assert code == 2 and err == "dossier-monitor: not subscribed: nooit@example.org\n"
    assert listed(run) == []


def test_the_same_address_in_other_capitals_is_the_same_subscriber(run):
    assert run("subscribers", "add", "ok2@example.org")[0] == 0
    code, out, _ = run("subscribers", "add", "OK2@EXAMPLE.ORG", "--digest", "daily")
    assert code == 0 and out.startswith("bijgewerkt: ok2@example.org")
    assert [(s["email"], s["digest"]) for s in listed(run)] == [("ok2@example.org", "daily")]
    assert run("subscribers", "remove", "Ok2@Example.Org")[0] == 0
    assert listed(run) == []


def test_a_subscription_to_a_dossier_that_is_not_watched_is_refused(run):
    code, out, err = run("subscribers", "add", "a@example.org", "--dossier", "21501-20")
    assert code == 2 and out == ""
    assert err == "dossier-monitor: dossier 21501-20 is not watched (source.dossiers: 28676)\n"
    assert listed(run) == []
    assert run("subscribers", "add", "a@example.org", "--dossier", "28676")[0] == 0


def test_an_absurdly_long_address_is_refused_without_echoing_it(run):
    address = "a" * 100_000 + "@example.org"
    code, out, err = run("subscribers", "add", address)
    assert code == 2 and out == ""
    assert err == "dossier-monitor: not a valid email address: 100012 characters long (at most 254)\n"
    # a merely long bad one is quoted, cut short
    code, _, err = run("subscribers", "add", "b" * 200 + "@")
    assert code == 2 and len(err) < 250 and "bbb…'" in err


def test_a_non_ascii_local_part_is_accepted_with_a_warning_about_smtputf8(run):
    code, out, err = run("subscribers", "add", "Jörg@Bücher.example")
    assert code == 0 and out.startswith("aangemeld: jörg@bücher.example")
    assert "SMTPUTF8" in err and err.count("\n") == 1
