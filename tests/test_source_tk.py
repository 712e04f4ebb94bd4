"""The Tweede Kamer's open data: the OData query, paging, rows, the Kamerstuk id, the file, bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import zipfile

import pytest

from monitor.config import Config, SourceConfig
from monitor.errors import SourceError
from monitor.source.errors import ForeignHost, RefusedContent
from monitor.source.http import SourceClient
from monitor.source.tk import (
    ODataError, TkDocument, build_filter, client_for, fetch_document, kamerstuk_id, parse_document, parse_page,
    search_documents,
)
from tests.peer.corpus import pdf_bytes
from tests.peer.fixtures import IMPATIENT, peer_tk_config
from tests.peer.tk import WORD, TkPeer, docx_bytes

GUID = "ec9315bf-e1d1-422e-a8fb-0000932ed927"
SINCE = dt.datetime(2024, 11, 1, tzinfo=dt.UTC)


def client_of(tk: TkPeer, **tk_overrides) -> SourceClient:
    return client_for(Config(source=SourceConfig(**IMPATIENT), tk=peer_tk_config(tk, **tk_overrides)))


def search(tk: TkPeer, dossier="28676", since=SINCE, **tk_overrides) -> list[TkDocument]:
    with client_of(tk, **tk_overrides) as client:
        return search_documents(client, peer_tk_config(tk, **tk_overrides), dossier, since)


def row(**fields) -> dict:
    """A real-shaped Document row (the fields of the 2022 row in OpenDataPortaal issue #75), expanded."""
    return {
        "Id": GUID, "Soort": "Brief regering", "DocumentNummer": "2024D50160", "Titel": "NAVO",
        "Onderwerp": "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024",
        "Datum": "2024-11-22T00:00:00+01:00", "Vergaderjaar": "2024-2025", "Kamer": 2, "Volgnummer": -1,
        "DatumRegistratie": "2024-11-22T00:00:00+01:00", "Organisatie": "Tweede Kamer",
        "ContentType": "application/pdf", "ContentLength": 32150, "GewijzigdOp": "2024-11-22T14:03:12.497+01:00",
        "Verwijderd": False, "Kamerstukdossier": [{"Nummer": 28676, "Toevoeging": None}],
        "HuidigeDocumentVersie": {"ExterneIdentifier": None, "DocumentPublicatie": []},
    } | fields


# --- the query ---------------------------------------------------------------------------------


def test_the_query_filters_on_the_dossier_and_the_change_moment_ordered_oldest_first(tk):
    search(tk)
    [query] = tk.queries
    assert {k: v[0] for k, v in query.items()} == {
        "$filter": "Verwijderd eq false and Kamerstukdossier/any(d:d/Nummer eq 28676) "
                   "and GewijzigdOp ge 2024-11-01T00:00:00Z",
        "$orderby": "GewijzigdOp asc", "$top": "250",
        "$expand": "Kamerstukdossier($select=Nummer,Toevoeging),HuidigeDocumentVersie($expand=DocumentPublicatie)",
    }


def test_a_dossier_with_a_suffix_filters_on_its_toevoeging():
    assert "d/Nummer eq 21501 and d/Toevoeging eq '02'" in build_filter("21501-02", None)


def test_a_bad_dossier_number_is_refused_before_any_request(tk):
    with pytest.raises(SourceError, match="not a dossier number"):
        search(tk, dossier="28676) or (1 eq 1")
    assert tk.count() == 0


def test_top_never_exceeds_what_the_service_allows(tk):
    search(tk, page_size=1000)
    assert tk.queries[0]["$top"] == ["250"]


# --- paging ------------------------------------------------------------------------------------


def test_every_page_is_followed_through_next_link_and_each_document_comes_once(tk):
    published = [tk.publish(f"Brief {i}") for i in range(7)]
    found = search(tk, page_size=3)
    assert [d.id for d in found] == [p.id for p in published]
    assert tk.count("/Document") == 3
    assert [q.get("$skip", ["0"])[0] for q in tk.queries] == ["0", "3", "6"]


def test_only_the_configured_kinds_of_document_are_listed(tk):
    letter = tk.publish("Geannoteerde agenda")
    motion = tk.publish("Motie van het lid Van der Lee", kind="Motie")
    assert [d.id for d in search(tk)] == [letter.id]
    assert [d.id for d in search(tk, document_types=[])] == [letter.id, motion.id]
    assert [d.id for d in search(tk, document_types=["Motie"])] == [motion.id]


def test_only_documents_changed_since_the_moment_are_listed(tk):
    tk.publish("oud", modified=dt.datetime(2024, 10, 1, tzinfo=dt.UTC))
    new = tk.publish("nieuw", modified=dt.datetime(2024, 11, 2, tzinfo=dt.UTC))
    assert [d.id for d in search(tk)] == [new.id]


def test_a_row_on_two_pages_after_an_edit_is_kept_once_with_its_last_state():
    first = parse_document(row(), "https://x/OData/v4/2.0", "28676")
    again = parse_document(row(GewijzigdOp="2024-11-23T09:00:00+01:00", Volgnummer=474), "https://x", "28676")
    assert first.id == again.id and again.kamerstuk == "kst-28676-474"


# --- a row -------------------------------------------------------------------------------------


def test_a_row_gives_the_fields_the_monitor_uses():
    doc = parse_document(row(), "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0", "28676")
    assert doc.identifier == "tk-2024D50160" and doc.kind == "Brief regering"
    assert doc.title.startswith("Geannoteerde agenda NAVO") and doc.date == dt.date(2024, 11, 22)
    assert doc.dossiers == ("28676",) and doc.kamerstuk is None and doc.manifestation == "pdf"
    assert doc.modified_at == dt.datetime(2024, 11, 22, 13, 3, 12, 497000, tzinfo=dt.UTC)
    assert doc.resource_url == f"https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Document({GUID})/resource"
    pub = doc.publication("28676")
    assert (pub.source, pub.urls, pub.modified) == ("tk", {"pdf": doc.resource_url}, "2024-11-22T14:03:12.497+01:00")


@pytest.mark.parametrize("fields, expected", [
    ({"Volgnummer": 474}, "kst-28676-474"),
    ({"Volgnummer": -1}, None),
    ({"Volgnummer": 0}, None),
    ({"Volgnummer": -1, "HuidigeDocumentVersie": {"ExterneIdentifier": "kst-28676-474"}}, "kst-28676-474"),
    ({"Volgnummer": 473, "HuidigeDocumentVersie": {"ExterneIdentifier": "kst-28676-474"}}, "kst-28676-474"),
    ({"HuidigeDocumentVersie": {"DocumentPublicatie": [{"Identifier": "kst-28676-474"}]}}, "kst-28676-474"),
    ({"HuidigeDocumentVersie": {"ExterneIdentifier": "2024D50160"}}, None),
    ({"Volgnummer": 3185, "Kamerstukdossier": [{"Nummer": 21501, "Toevoeging": "02"}]}, "kst-21501-02-3185"),
])
def test_the_kamerstuk_id_comes_from_the_external_identifier_else_from_dossier_and_volgnummer(fields, expected):
    dossier = "21501-02" if "Kamerstukdossier" in fields else "28676"
    assert parse_document(row(**fields), "https://x", dossier).kamerstuk == expected


def test_kamerstuk_id_rule():
    assert kamerstuk_id("36200-V", 12, None) == "kst-36200-V-12"
    assert kamerstuk_id("28676", None, " kst-28676-474 ") == "kst-28676-474"


def test_a_row_without_a_document_number_is_kept_under_its_guid():
    assert parse_document(row(DocumentNummer=None), "https://x", "28676").identifier == f"tk-{GUID}"


@pytest.mark.parametrize("fields, reason", [
    ({"Kamerstukdossier": []}, "not linked to dossier 28676"),
    ({"Kamerstukdossier": None}, "not linked to dossier 28676"),
    ({"Kamerstukdossier": [{"Nummer": 21501, "Toevoeging": "02"}]}, "not linked to dossier 28676"),
    ({"Id": "../../etc/passwd"}, "no valid Id"),
    ({"GewijzigdOp": None}, "no usable GewijzigdOp"),
    ({"GewijzigdOp": "gisteren"}, "no usable GewijzigdOp"),
])
def test_a_row_we_cannot_use_is_one_log_line(fields, reason, caplog):
    with caplog.at_level(logging.WARNING, logger="monitor.source.tk"):
        assert parse_document(row(**fields), "https://x", "28676") is None
    [record] = caplog.records
    assert reason in record.getMessage()


def test_a_document_without_a_dossier_link_is_skipped_and_the_others_are_listed(tk, caplog):
    tk.publish("zonder dossier", expand_dossiers=False)
    kept = tk.publish("met dossier")
    with caplog.at_level(logging.WARNING, logger="monitor.source.tk"):
        assert [d.id for d in search(tk)] == [kept.id]
    assert sum("not linked to dossier" in r.getMessage() for r in caplog.records) == 1


# --- error bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize("body, message", [
    (b'{"error": {"code": "", "message": "The query specified in the URI is not valid."}}',
     "OData error: The query specified in the URI is not valid."),
    (b'{"error": {"code": "0x8", "message": ""}}', r"OData error 0x8: \(no message\)"),
    (b"<!DOCTYPE html><html><body>Onderhoud</body></html>", "not JSON"),
    (b"[1, 2]", "not an OData response"),
    (b'{"@odata.context": "x"}', "without a value list"),
])
def test_a_page_that_is_no_odata_result_is_an_error_for_the_whole_search(body, message):
    with pytest.raises(ODataError, match=message):
        parse_page(body, "https://x/Document")


def test_an_odata_error_answer_fails_the_search(tk):
    tk.publish("brief")
    tk.odata_error_next()
    with pytest.raises(SourceError, match=r"HTTP 400 for .*/Document: OData error: An error has occurred\."):
        search(tk)


def test_an_odata_error_on_a_later_page_fails_the_whole_search(tk):
    for i in range(4):
        tk.publish(f"brief {i}")
    tk.odata_error_next(after=1)
    with pytest.raises(SourceError, match="HTTP 400"):
        search(tk, page_size=2)
    assert tk.count("/Document") == 2


# --- the file ----------------------------------------------------------------------------------


def doc_for(tk: TkPeer, **fields) -> TkDocument:
    published = tk.publish("Geannoteerde agenda", **fields)
    return next(d for d in search(tk) if d.id == published.id)


def test_a_word_file_is_fetched_as_a_docx_manifestation(tk):
    doc = doc_for(tk, data=docx_bytes([("paragraph", "Tekst.")]))
    with client_of(tk) as client:
        fetched = fetch_document(client, doc)
    assert (fetched.manifestation, fetched.media_type) == ("docx", WORD)
    assert fetched.data == docx_bytes([("paragraph", "Tekst.")])


def test_a_pdf_is_fetched_as_a_pdf_manifestation(tk):
    doc = doc_for(tk, data=pdf_bytes(["Tekst."]), content_type="application/pdf")
    with client_of(tk) as client:
        assert fetch_document(client, doc).manifestation == "pdf"


@pytest.mark.parametrize("fields, reason", [
    ({"error_page": True}, "not a Word file (an HTML page?)"),
    ({"error_page": True, "content_type": "application/pdf"}, "not a PDF (an HTML page?)"),
    ({"data": b"PK\x03\x04 broken"}, "damaged Word file"),
    ({"data": b"PK\x03\x04" + b"\x00" * 40}, "damaged Word file"),
    ({"content_type": "text/html"}, "neither PDF nor Word"),
])
def test_a_file_that_is_not_what_its_row_says_is_refused_with_one_log_line(tk, fields, reason, caplog):
    doc = doc_for(tk, **fields)
    with client_of(tk) as client, caplog.at_level(logging.WARNING, logger="monitor.source.tk"):
        with pytest.raises(RefusedContent, match=reason.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
            fetch_document(client, doc)
    assert len(caplog.records) == 1


def test_a_zip_that_is_not_a_word_document_is_refused(tk):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    doc = doc_for(tk, data=buffer.getvalue())
    with client_of(tk) as client, pytest.raises(RefusedContent, match="without word/document.xml"):
        fetch_document(client, doc)


def test_the_tk_client_only_talks_to_its_own_hosts(tk):
    doc = doc_for(tk)
    config = Config(source=SourceConfig(**IMPATIENT),
                    tk=peer_tk_config(tk, allowed_hosts=["gegevensmagazijn.tweedekamer.nl"]))
    with client_for(config) as client, pytest.raises(ForeignHost):
        fetch_document(client, doc)


def test_the_tk_client_has_the_sources_manners_and_its_own_hosts():
    config = Config()
    with client_for(config) as client:
        assert client.config.user_agent == config.source.user_agent
        assert client.config.allowed_hosts == ["gegevensmagazijn.tweedekamer.nl"]
        assert client.config.max_response_bytes == config.source.max_response_bytes


def test_rows_serialise_as_the_real_service_does(tk):
    tk.publish("brief", volgnummer=474)
    with client_of(tk) as client:
        body = json.loads(client.get(tk.odata_url + "/Document", params={
            "$filter": build_filter("28676", None)}).data)
    assert set(row()) <= set(body["value"][0]) and body["value"][0]["Volgnummer"] == 474
