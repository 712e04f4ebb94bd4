"""The test peer itself: it must look like KOOP where our tests rely on it."""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.peer import agenda_474, synthesise
from tests.peer.corpus import FIXTURE_FILES, kst_xml, load_directory, write_directory
from tests.peer.sru import CqlError, parse_cql

ROOT = Path(__file__).resolve().parents[1]
SRU_NS = "{http://docs.oasis-open.org/ns/search-ws/sruResponse}"


def get(url: str, headers: dict | None = None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as resp:
        return resp.status, dict(resp.headers), resp.read()


def post(url: str, body: dict):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as resp:
        return json.loads(resp.read())


def test_serves_the_agenda_fixture_byte_for_byte_on_every_url_form(peer):
    doc = agenda_474()
    peer.add([doc])
    fixture = FIXTURE_FILES["kst-28676-474.xml"].read_bytes()
    for path in (doc.path("xml"), "/kst-28676-474.xml"):
        status, headers, body = get(peer.url + path)
        assert (status, body) == (200, fixture)
    assert get(peer.url + "/kst-28676-474/metadata.xml")[2] == doc.files["metadata"]
    assert get(peer.url + "/kst-28676-474.pdf")[2].startswith(b"%PDF-")


def test_synthetic_letters_follow_the_real_byte_conventions():
    [doc] = synthesise(1)
    xml = doc.files["xml"]
    assert xml.startswith(b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<officiele-publicatie ")
    assert b"\n" not in xml.replace(b"\r\n", b"")
    assert ET.fromstring(xml).find("kamerstuk/stuk/stuknr/ondernummer").text == "1"

    # metadata.xml and metadata_owms.xml in the shape of the captured kst-32545-143, names and order alike
    captured = FIXTURE_FILES["kst-32545-143"]
    for kind, name in (("metadata", "metadata.xml"), ("metadataowms", "metadata_owms.xml")):
        real, ours = ET.fromstring((captured / name).read_bytes()), ET.fromstring(doc.files[kind])
        assert doc.files[kind].startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<')
        assert ours.tag == real.tag and [c.tag for c in ours] == [c.tag for c in real][: len(ours)]
    real_names = {m.get("name") for m in ET.fromstring((captured / "metadata.xml").read_bytes())}
    assert {m.get("name") for m in ET.fromstring(doc.files["metadata"])} <= real_names


def test_a_corpus_has_varied_titles_and_shared_dates():
    docs = synthesise(120, first_number=400)
    titles = " | ".join(d.title for d in docs)
    for kind in ("Geannoteerde agenda NAVO Foreign Ministers Meeting", "Verslag", "Defensie ministeriële",
                 "informele NAVO Foreign Ministers Meeting", "Motie"):
        assert kind in titles
    assert len({d.available for d in docs}) == 60
    assert [d for d in docs if d.identifier == "kst-28676-474"][0].files["xml"] == agenda_474().files["xml"]


def test_unknown_ids_get_a_200_error_page_and_missing_manifestations_a_404(peer):
    peer.add(synthesise(1))
    status, _, body = get(peer.url + "/kst-28676-999.xml")
    assert status == 200 and b"niet gevonden" in body
    peer.remove_manifestation("kst-28676-1", "pdf")
    with pytest.raises(urllib.error.HTTPError) as caught:
        get(peer.url + "/kst-28676-1.pdf")
    assert caught.value.code == 404


def test_sru_pages_and_filters_like_the_service(peer):
    peer.add(synthesise(7))
    url = (peer.sru_url + "?operation=searchRetrieve&version=2.0&startRecord=3&maximumRecords=2&query="
           + urllib.request.quote("c.product-area==officielepublicaties AND w.dossiernummer==28676 "
                                  "AND dt.available>=2014-01-06 sortBy dt.available/sort.ascending"))
    root = ET.fromstring(get(url)[2])
    assert root.tag == f"{SRU_NS}searchRetrieveResponse"
    assert root.findtext(f"{SRU_NS}numberOfRecords") == "7"
    assert [p.text for p in root.iter(f"{SRU_NS}recordPosition")] == ["3", "4"]
    assert root.findtext(f"{SRU_NS}nextRecordPosition") == "5"


def test_cql_subset():
    query = parse_cql('w.dossiernummer=="21501-02" AND dt.available>=2024-01-01 sortBy dt.available/sort.descending')
    assert query.clauses == (("w.dossiernummer", "==", "21501-02"), ("dt.available", ">=", "2024-01-01"))
    assert query.descending
    with pytest.raises(CqlError, match="mismatched input"):
        parse_cql("w.dossiernummer 28676")


def test_conditional_requests_get_304(peer):
    peer.add(synthesise(1))
    _, headers, _ = get(peer.url + "/kst-28676-1.xml")
    with pytest.raises(urllib.error.HTTPError) as caught:
        get(peer.url + "/kst-28676-1.xml", {"If-None-Match": headers["ETag"]})
    assert caught.value.code == 304
    assert peer.count("/kst-28676-1.xml") == 2


def test_a_directory_round_trips(tmp_path):
    docs = synthesise(3)
    write_directory(tmp_path, docs)
    loaded = load_directory(tmp_path)
    assert [(d.identifier, d.title, d.available, d.modified, d.files["xml"]) for d in loaded] == [
        (d.identifier, d.title, d.available, d.modified, d.files["xml"]) for d in docs]


def test_runs_as_a_process_steered_over_http(tmp_path):
    write_directory(tmp_path, synthesise(2))
    proc = subprocess.Popen([sys.executable, "-m", "tests.peer", "--port", "0", "--publications", str(tmp_path)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:")
        xml = kst_xml("kst-28676-3", "28676", "3", dt.date(2026, 1, 5), ["Nieuwe brief."])
        assert post(base + "/_control/publish", {
            "identifier": "kst-28676-3", "title": "Nieuwe brief", "available": "2026-01-07",
            "xml_base64": base64.b64encode(xml).decode()}) == {"identifier": "kst-28676-3"}
        assert get(base + "/kst-28676-3.xml")[2] == xml
        post(base + "/_control/fail_next", {"times": 1, "status": 429, "retry_after": 1})
        with pytest.raises(urllib.error.HTTPError) as caught:
            get(base + "/kst-28676-1.xml")
        assert caught.value.code == 429 and caught.value.headers["Retry-After"] == "1"
        counts = json.loads(get(base + "/_control/counts")[2])
        assert counts == {"/kst-28676-3.xml": 1, "/kst-28676-1.xml": 1}
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
