"""`dossier-monitor snapshots list|show|export` over a real store in a temporary data folder."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from monitor.cli import main
from monitor.config import Config
from monitor.model import Fetched, Publication
from monitor.store import Store

AT = dt.datetime(2024, 11, 22, 12, 30, tzinfo=dt.UTC)
XML_474 = ("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<officiele-publicatie><kamerstuk><stuk>"
           "<titel>Geannoteerde agenda</titel><al>Nederland blijft Oekraïne steunen met € 3,5 miljard.</al>"
           "</stuk></kamerstuk></officiele-publicatie>\r\n").encode("utf-8")
XML_474_V2 = XML_474.replace("3,5".encode(), "4".encode())
PDF_474 = b"%PDF-1.7\n\x00\xff binary"


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "monitor.toml"
    path.write_text('[storage]\ndata_dir = "data"\n', encoding="utf-8")
    return path


@pytest.fixture
def filled(config_file):
    def add(identifier, title, series, items, *, date, meeting=None, reissue_of=None):
        pub = Publication(identifier, "28676", identifier.split("-")[2], title, "Brief", date, date, None,
                          preferred_url=f"https://zoek.officielebekendmakingen.nl/{identifier}.html",
                          reissue_of=reissue_of)
        fetched = [Fetched(kind, f"https://zoek.officielebekendmakingen.nl/{identifier}.{kind}", data, AT)
                   for kind, data in items]
        with store.transaction() as conn:
            store.record_publication(conn, pub, fetched, series=series, meeting_date=meeting)

    with Store.open(Config.load(config_file)) as store:
        add("kst-28676-446", "Geannoteerde agenda NAVO Foreign Ministers Meeting 28–29 november 2023", "fmm-agenda",
            [("html", "<html><body><p>Agenda 2023</p></body></html>".encode())], date=dt.date(2023, 11, 20),
            meeting=dt.date(2023, 11, 28))
        add("kst-28676-474", "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024",
            "fmm-agenda", [("xml", XML_474), ("pdf", PDF_474)], date=dt.date(2024, 11, 22),
            meeting=dt.date(2024, 12, 3))
        add("kst-28676-474", "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024",
            "fmm-agenda", [("xml", XML_474_V2)], date=dt.date(2024, 11, 22), meeting=dt.date(2024, 12, 3))
        add("kst-28676-448", "Verslag NAVO Foreign Ministers Meeting 28–29 november 2023", "fmm-verslag",
            [("xml", b"<officiele-publicatie>verslag</officiele-publicatie>")], date=dt.date(2023, 12, 18))
    return config_file


def run(capsysbinary, *args) -> tuple[int, bytes, str]:
    with pytest.raises(SystemExit) as exit_:
        main([*args])
    out, err = capsysbinary.readouterr()
    return exit_.value.code, out, err.decode()


def test_list_json_has_the_contract_shape(filled, capsysbinary):
    code, out, _ = run(capsysbinary, "--config", str(filled), "snapshots", "list", "--json")
    entries = json.loads(out)
    assert code == 0
    assert [(e["id"], e["version"]) for e in entries] == [
        ("kst-28676-446", 1), ("kst-28676-448", 1), ("kst-28676-474", 1), ("kst-28676-474", 2)]
    for e in entries:
        assert {"id", "version", "series", "title", "date", "sha256", "fetched_at"} <= e.keys()
        assert isinstance(e["version"], int) and len(e["sha256"]) == 64
        dt.date.fromisoformat(e["date"]), dt.datetime.fromisoformat(e["fetched_at"])
    assert entries[2]["title"].startswith("Geannoteerde agenda NAVO") and entries[2]["series"] == "fmm-agenda"


def test_list_filters_on_series(filled, capsysbinary):
    code, out, _ = run(capsysbinary, "--config", str(filled), "snapshots", "list", "--series", "fmm-verslag",
                       "--json")
    assert code == 0 and [e["id"] for e in json.loads(out)] == ["kst-28676-448"]
    code, out, _ = run(capsysbinary, "--config", str(filled), "snapshots", "list", "--series", "fmm-agenda")
    text = out.decode()
    assert code == 0 and "kst-28676-474" in text and "kst-28676-448" not in text


def test_list_of_an_unknown_series_is_bad_input(filled, capsysbinary):
    code, _, err = run(capsysbinary, "--config", str(filled), "snapshots", "list", "--series", "fmm")
    assert code == 2 and err.count("\n") == 1 and "unknown series 'fmm'" in err


def test_show_gives_metadata_versions_and_text(filled, capsysbinary):
    code, out, _ = run(capsysbinary, "--config", str(filled), "snapshots", "show", "kst-28676-474")
    text = out.decode()
    assert code == 0
    assert "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024" in text
    assert "reeks fmm-agenda" in text and "vorige kst-28676-446" in text and "vergadering 2024-12-03" in text
    assert "\n    1  2024-11-22T12:30:00+00:00" in text and "\n    2  " in text
    assert "Nederland blijft Oekraïne steunen met € 4 miljard." in text


def test_show_an_older_version(filled, capsysbinary):
    code, out, _ = run(capsysbinary, "--config", str(filled), "snapshots", "show", "kst-28676-474", "--version", "1")
    assert code == 0 and "€ 3,5 miljard" in out.decode()


def test_show_json(filled, capsysbinary):
    code, out, _ = run(capsysbinary, "--config", str(filled), "snapshots", "show", "kst-28676-474", "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "kst-28676-474" and data["previous_in_series"] == "kst-28676-446"
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert [m["manifestation"] for m in data["versions"][0]["manifestations"]] == ["xml", "pdf"]


def test_export_writes_the_raw_bytes_exactly(filled, capsysbinary, tmp_path):
    target = tmp_path / "out" / "474.xml"
    target.parent.mkdir()
    code, _, err = run(capsysbinary, "--config", str(filled), "snapshots", "export", "kst-28676-474",
                       "-o", str(target), "--version", "1")
    assert code == 0 and target.read_bytes() == XML_474 and "versie 1" in err
    code, _, _ = run(capsysbinary, "--config", str(filled), "snapshots", "export", "kst-28676-474",
                     "-o", str(target), "--version", "1", "--manifestation", "pdf")
    assert code == 0 and target.read_bytes() == PDF_474
    code, _, _ = run(capsysbinary, "--config", str(filled), "snapshots", "export", "kst-28676-474", "-o", str(target))
    assert code == 0 and target.read_bytes() == XML_474_V2


def test_export_to_standard_output(filled, capsysbinary):
    code, out, _ = run(capsysbinary, "--config", str(filled), "snapshots", "export", "kst-28676-474", "-o", "-",
                       "--version", "1", "--manifestation", "pdf")
    assert code == 0 and out == PDF_474


@pytest.mark.parametrize("args, message", [
    (["show", "kst-28676-999"], "unknown kst id kst-28676-999"),
    (["export", "kst-28676-999", "-o", "x.xml"], "unknown kst id kst-28676-999"),
    (["show", "kst-28676-474", "--version", "9"], "has no version 9"),
    (["export", "kst-28676-474", "-o", "x", "--manifestation", "odt"], "has no odt manifestation"),
    (["export", "../../etc/passwd", "-o", "x"], "not a publication identifier"),
    (["show", "kst-28676-474/../../x"], "not a publication identifier"),
])
def test_bad_input_is_one_line_and_exit_2(filled, capsysbinary, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsysbinary, "--config", str(filled), "snapshots", *args)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x").exists() and not (tmp_path / "x.xml").exists()


def test_an_empty_store_lists_nothing(config_file, capsysbinary):
    code, out, _ = run(capsysbinary, "--config", str(config_file), "snapshots", "list", "--json")
    assert code == 0 and json.loads(out) == []
