"""Fetching a publication's manifestations, and refusing what is not the publication."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.errors import SourceError
from monitor.source import decode_text, fetch_publication, search_dossier
from monitor.source.errors import ForeignHost, MalformedXml, RefusedContent, SoftNotFound, TooLarge, UnsafeXml
from monitor.source.http import SourceClient
from tests.peer import agenda_474, make_doc, synthesise
from tests.peer.fixtures import peer_source_config

LOGGER = "monitor.source.fetch"


@pytest.fixture
def client(source_config):
    with SourceClient(source_config) as c:
        yield c


def publication(client, source_config, identifier):
    [pub] = [p for p in search_dossier(client, source_config, identifier.split("-")[1]) if p.identifier == identifier]
    return pub


def by_kind(fetched) -> dict:
    return {f.manifestation: f for f in fetched}


def test_fetches_xml_and_metadata_exactly_as_served(peer, client, source_config):
    doc = agenda_474()
    peer.add([doc])
    pub = publication(client, source_config, "kst-28676-474")
    before = dt.datetime.now(dt.UTC)
    got = by_kind(fetch_publication(client, pub))
    assert set(got) == {"xml", "metadata"}
    assert got["xml"].data == doc.files["xml"]  # BOM, CRLF and all
    assert got["metadata"].data == doc.files["metadata"]
    assert got["xml"].url == pub.urls["xml"]
    assert got["xml"].etag == doc.etag("xml") and got["xml"].last_modified == doc.last_modified
    assert got["xml"].media_type == "application/xml"
    assert before <= got["xml"].fetched_at <= dt.datetime.now(dt.UTC)
    assert got["xml"].fetched_at.tzinfo is not None


def test_fetches_the_pdf_when_asked(peer, client, source_config):
    peer.add(synthesise(1))
    pub = publication(client, source_config, "kst-28676-1")
    got = by_kind(fetch_publication(client, pub, want_pdf=True))
    assert set(got) == {"xml", "metadata", "pdf"}
    assert got["pdf"].data.startswith(b"%PDF-")


def test_a_pdf_that_is_not_a_pdf_is_refused(peer, client, source_config, caplog):
    peer.add(synthesise(1))
    peer.corrupt("kst-28676-1", "not-pdf", kind="pdf")
    pub = publication(client, source_config, "kst-28676-1")
    with caplog.at_level(logging.WARNING, LOGGER), pytest.raises(RefusedContent, match="not a PDF"):
        fetch_publication(client, pub, want_pdf=True)
    assert "kst-28676-1: pdf not taken" in caplog.text


def test_a_record_without_xml_or_html_is_refused_not_an_outage(peer, client, source_config, caplog):
    """An outage would end the cycle at this record on every poll, and hold the watermark for good."""
    peer.add(synthesise(1))
    pub = dataclasses.replace(publication(client, source_config, "kst-28676-1"), urls={}, preferred_url=None)
    with caplog.at_level(logging.WARNING, LOGGER), pytest.raises(RefusedContent) as refused:
        fetch_publication(client, pub)
    assert refused.value.transient is False
    assert "kst-28676-1: the record names neither an XML nor an HTML manifestation" in caplog.text


def test_html_is_the_fallback_when_the_record_has_no_xml(peer, client, source_config):
    peer.add([make_doc("kst-28676-20", "Brief zonder XML", html_only=True)])
    pub = publication(client, source_config, "kst-28676-20")
    assert "xml" not in pub.urls
    got = by_kind(fetch_publication(client, pub))
    assert set(got) == {"html", "metadata"}
    assert b'id="broodtekst"' in got["html"].data


def test_html_is_the_fallback_when_the_xml_is_gone(peer, client, source_config):
    peer.add(synthesise(1))
    pub = publication(client, source_config, "kst-28676-1")
    peer.remove_manifestation("kst-28676-1", "xml")
    assert set(by_kind(fetch_publication(client, pub))) == {"html", "metadata"}
    assert peer.count(pub.urls["xml"].removeprefix(peer.url)) == 1  # 404 is not retried


def test_the_real_agenda_page_passes_the_html_check(peer, client, source_config):
    doc = agenda_474()
    peer.add([doc])
    peer.remove_manifestation(doc.identifier, "xml")
    got = by_kind(fetch_publication(client, publication(client, source_config, doc.identifier)))
    assert got["html"].data == doc.files["html"]


def test_a_missing_metadata_file_does_not_cost_the_letter(peer, client, source_config, caplog):
    peer.add(synthesise(1))
    pub = publication(client, source_config, "kst-28676-1")
    peer.remove_manifestation("kst-28676-1", "metadata")
    with caplog.at_level(logging.WARNING, LOGGER):
        assert set(by_kind(fetch_publication(client, pub))) == {"xml"}
    assert "metadata listed but not found" in caplog.text


@pytest.mark.parametrize(("how", "error", "says"), [
    ("malformed", MalformedXml, "not well-formed XML"),
    ("truncated", MalformedXml, "not well-formed XML"),
    ("xxe", UnsafeXml, "entities or external references"),
    ("error-page", SoftNotFound, "expected <officiele-publicatie>, got <html>"),
])
def test_bad_xml_is_refused_with_a_log_line(peer, client, source_config, caplog, how, error, says):
    peer.add(synthesise(2))
    peer.corrupt("kst-28676-2", how)
    pub = publication(client, source_config, "kst-28676-2")
    with caplog.at_level(logging.WARNING, LOGGER), pytest.raises(error) as caught:
        fetch_publication(client, pub)
    assert not caught.value.transient
    [line] = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert line.startswith("kst-28676-2: xml not taken: refused http://127.0.0.1:") and says in line
    assert "\n" not in line
    # the other publication of the cycle is unaffected
    assert len(fetch_publication(client, publication(client, source_config, "kst-28676-1"))) == 2


def test_an_xxe_payload_never_reaches_the_file_system(peer, client, source_config):
    peer.add(synthesise(1))
    peer.corrupt("kst-28676-1", "xxe")
    with pytest.raises(UnsafeXml) as caught:
        fetch_publication(client, publication(client, source_config, "kst-28676-1"))
    assert "root:" not in str(caught.value)


def test_malformed_metadata_refuses_the_publication(peer, client, source_config):
    peer.add(synthesise(1))
    peer.corrupt("kst-28676-1", "truncated", kind="metadata")
    with pytest.raises(MalformedXml):
        fetch_publication(client, publication(client, source_config, "kst-28676-1"))


def test_a_soft_404_html_page_is_refused(peer, client, source_config, caplog):
    peer.add([make_doc("kst-28676-20", "Brief zonder XML", html_only=True)])
    pub = publication(client, source_config, "kst-28676-20")
    peer.corrupt("kst-28676-20", "error-page", kind="html")
    with caplog.at_level(logging.WARNING, LOGGER), pytest.raises(SoftNotFound, match="error page"):
        fetch_publication(client, pub)
    assert "kst-28676-20: html not taken" in caplog.text


def test_an_unknown_id_on_the_short_url_is_a_soft_404(peer, client):
    pub = make_pub(peer, "kst-28676-999", xml=f"{peer.url}/kst-28676-999.xml")
    with pytest.raises(SoftNotFound, match="soft 404"):
        fetch_publication(client, pub)


def test_a_redirect_to_the_not_found_page_is_a_soft_404(peer, client, caplog):
    peer.set(soft404_redirect=True)
    pub = make_pub(peer, "kst-28676-999", html=f"{peer.url}/kst-28676-999.html")
    with caplog.at_level(logging.WARNING, LOGGER), pytest.raises(SoftNotFound, match="not-found page"):
        fetch_publication(client, pub)
    assert "fout404" in caplog.text


def make_pub(peer, identifier, **urls):
    from monitor.model import Publication
    return Publication(identifier=identifier, dossier="28676", number=identifier.rsplit("-", 1)[1], title="x",
                       document_type="Brief", date=None, available=None, modified=None, urls=urls)


def test_a_record_url_on_a_foreign_host_is_refused_and_logged(peer, client, source_config, caplog):
    peer.add(synthesise(2))
    peer.foreign_host("kst-28676-2", "foreign.example")
    pubs = search_dossier(client, source_config, "28676")
    peer.reset_counts()
    with caplog.at_level(logging.WARNING, LOGGER), pytest.raises(ForeignHost):
        fetch_publication(client, pubs[1])
    assert "kst-28676-2: xml not taken: refused http://foreign.example" in caplog.text
    assert peer.count() == 0
    assert fetch_publication(client, pubs[0])


def test_a_50_mb_response_is_refused(peer, client, source_config, caplog):
    peer.add(synthesise(1))
    peer.huge("kst-28676-1", size=50 * 1024 * 1024, declare_length=False)
    with caplog.at_level(logging.WARNING, LOGGER), pytest.raises(TooLarge):
        fetch_publication(client, publication(client, source_config, "kst-28676-1"))
    assert "max_response_bytes" in caplog.text


def test_unchanged_manifestations_are_left_out(peer, client, source_config):
    peer.add(synthesise(1))
    pub = publication(client, source_config, "kst-28676-1")
    first = by_kind(fetch_publication(client, pub))
    peer.reset_counts()
    assert fetch_publication(client, pub, validators=first) == []
    assert all("If-None-Match" in r.headers for r in peer.requests)
    assert peer.count() == 2


def test_a_correction_comes_back_with_new_bytes(peer, client, source_config):
    peer.add(synthesise(1))
    pub = publication(client, source_config, "kst-28676-1")
    first = by_kind(fetch_publication(client, pub))
    peer.correct("kst-28676-1")
    corrected = publication(client, source_config, "kst-28676-1")
    assert corrected.modified > pub.modified
    again = by_kind(fetch_publication(client, corrected, validators=first))
    assert set(again) == {"xml"}  # metadata.xml did not change: 304, left out
    assert b"correctie" in again["xml"].data and again["xml"].data != first["xml"].data


def test_an_outage_during_fetch_is_transient(peer, source_config):
    peer.add(synthesise(1))
    with SourceClient(source_config) as c:
        pub = publication(c, source_config, "kst-28676-1")
    peer.fail_next(10, 503)
    with SourceClient(peer_source_config(peer, max_retries=1)) as c, pytest.raises(SourceError) as caught:
        fetch_publication(c, pub)
    assert caught.value.transient


# --- decoding -------------------------------------------------------------------------------


def test_decode_text_prefers_the_xml_declaration_over_the_header():
    data = '<?xml version="1.0" encoding="windows-1252"?><al>€ 5 miljoen – Oekraïne</al>'.encode("cp1252")
    assert decode_text(data, "application/xml; charset=utf-8").endswith("<al>€ 5 miljoen – Oekraïne</al>")


def test_decode_text_keeps_the_real_fixture_readable(fixtures):
    text = decode_text((fixtures / "koop" / "kst-28676-474.RECONSTRUCTED.xml").read_bytes(), "application/xml")
    assert text.startswith("<?xml") and "Oekraïne" in text and "2024–2025" in text


@given(st.binary(max_size=200), st.sampled_from([None, "text/html", "text/html; charset=latin-1",
                                                  "text/xml; charset=bogus"]))
def test_decode_text_never_fails(data, content_type):
    assert isinstance(decode_text(data, content_type), str)
