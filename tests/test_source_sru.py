"""Finding a dossier's publications: SRU query, paging, record parsing, against the peer."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from monitor.errors import SourceError
from monitor.source.errors import SruDiagnostic, UnsafeXml
from monitor.source.http import SourceClient
from monitor.model import natural_key
from monitor.source.sru import dedupe, parse_response, search_dossier
from tests.peer import make_doc, synthesise
from tests.peer.sru import response_xml
from tests.peer.fixtures import peer_source_config


def search(peer, config=None, dossier="28676", since=None):
    config = config or peer_source_config(peer)
    with SourceClient(config) as client:
        return search_dossier(client, config, dossier, since)


def ids(pubs) -> list[str]:
    return [p.identifier for p in pubs]


# --- the query ------------------------------------------------------------------------------


def test_the_query_is_the_documented_dossier_query(peer):
    search(peer, since=dt.date(2024, 11, 1))
    [request] = peer.requests
    assert request.path == "/sru"
    assert {k: v[0] for k, v in request.query.items()} == {
        "operation": "searchRetrieve", "version": "2.0", "recordSchema": "gzd", "httpAccept": "application/xml",
        "startRecord": "1", "maximumRecords": "50",
        "query": "c.product-area==officielepublicaties AND w.dossiernummer==28676 AND w.publicatienaam==Kamerstuk"
                 " AND dt.available>=2024-11-01 sortBy dt.available/sort.ascending",
    }


def test_a_dossier_with_a_suffix_is_quoted(peer):
    search(peer, dossier="21501-02")
    assert 'w.dossiernummer=="21501-02"' in peer.requests[0].query["query"][0]


def test_a_bad_dossier_number_is_refused_before_any_request(peer):
    with pytest.raises(SourceError, match="not a dossier number"):
        search(peer, dossier="28676 OR 1==1")
    assert peer.count() == 0


# --- paging ---------------------------------------------------------------------------------


def test_pages_through_120_publications_each_once_sorted(peer):
    docs = synthesise(120, first_number=400)
    peer.add(docs)
    pubs = search(peer)
    assert sorted(ids(pubs)) == sorted(d.identifier for d in docs)
    assert len(set(ids(pubs))) == 120
    assert [(p.available, natural_key(p.identifier)) for p in pubs] == sorted(
        (p.available, natural_key(p.identifier)) for p in pubs)
    assert peer.count("/sru") == 3  # 50 + 50 + 20
    starts = [r.query["startRecord"][0] for r in peer.requests]
    assert starts == ["1", "51", "101"]


def test_ties_on_the_date_are_broken_by_the_number_not_the_string(peer):
    day = dt.date(2025, 3, 1)
    peer.add([make_doc("kst-28676-99", "Brief", available=day), make_doc("kst-28676-100", "Brief", available=day),
              make_doc("kst-28676-98", "Brief", available=day - dt.timedelta(days=1))])
    assert ids(search(peer)) == ["kst-28676-98", "kst-28676-99", "kst-28676-100"]


def test_pages_without_next_record_position_by_counting(peer):
    peer.add(synthesise(120))
    peer.set(next_position=False)
    assert len(search(peer)) == 120
    assert peer.count("/sru") == 3


def test_a_server_that_repeats_its_first_page_is_an_error_not_a_short_list(peer):
    peer.add(synthesise(120))
    peer.set(ignore_start=True)
    with pytest.raises(SourceError, match="paging does not advance"):
        search(peer)
    assert peer.count("/sru") == 2


def test_an_empty_dossier_takes_one_request(peer):
    assert search(peer) == []
    assert peer.count("/sru") == 1


def test_nothing_new_since_the_watermark_costs_one_request(peer):
    peer.add(synthesise(120))
    latest = max(d.available for d in peer.state.docs.values())
    peer.reset_counts()
    assert len(search(peer, since=latest + dt.timedelta(days=1))) == 0
    assert peer.count() == 1


def test_since_filters_on_the_publication_date(peer):
    docs = synthesise(40)
    peer.add(docs)
    cut = docs[25].available
    found = search(peer, since=cut)
    assert ids(found) == [d.identifier for d in docs if d.available >= cut]
    assert all(p.available >= cut for p in found)


def test_a_new_publication_is_found_by_the_next_search(peer):
    peer.add(synthesise(10))
    before = search(peer)
    peer.publish(title="Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 april 2026")
    after = search(peer)
    assert ids(after)[:-1] == ids(before)
    assert after[-1].identifier == "kst-28676-11" and after[-1].title.startswith("Geannoteerde agenda")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(0, 130), page_size=st.integers(1, 60))
# the edges random draws rarely hit: exact multiples of the page, one over, one per page, none
@example(count=50, page_size=50)
@example(count=100, page_size=50)
@example(count=51, page_size=50)
@example(count=130, page_size=1)
@example(count=0, page_size=1)
def test_paging_returns_every_record_once_for_any_page_size(peer, count, page_size):
    docs = synthesise(count, first_number=7)
    peer.reset(docs)
    config = peer_source_config(peer, page_size=page_size)
    pubs = search(peer, config)
    assert sorted(ids(pubs)) == sorted(d.identifier for d in docs)
    assert peer.count("/sru") == max(1, -(-count // page_size))


# --- failures -------------------------------------------------------------------------------


def test_a_failing_page_is_retried_and_the_search_completes(peer):
    peer.add(synthesise(120))
    peer.fail_next(2, 500, path="/sru")
    peer.fail_next(1, 429, path="/sru", retry_after=0)
    assert len(search(peer)) == 120
    assert peer.count("/sru") == 3 + 3


def test_a_timeout_fails_the_whole_search(peer):
    peer.add(synthesise(120))
    peer.delay_next(20, seconds=5.0, path="/sru")
    config = peer_source_config(peer, timeout_seconds=0.3, max_retries=1)
    with pytest.raises(SourceError) as caught:
        search(peer, config)
    assert caught.value.transient


def test_a_diagnostic_becomes_an_error_with_its_message(peer):
    peer.diagnose_next("mismatched input 'AND' expecting {<EOF>, AND, OR, NOT, PROX, SORTBY}")
    with pytest.raises(SruDiagnostic, match="mismatched input 'AND'"):
        search(peer)


def test_an_sru_response_with_an_entity_is_refused(peer):
    evil = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<sru:searchRetrieveResponse xmlns:sru="http://docs.oasis-open.org/ns/search-ws/sruResponse">'
            b"<sru:numberOfRecords>&b;</sru:numberOfRecords></sru:searchRetrieveResponse>")
    with pytest.raises(UnsafeXml):
        parse_response(evil)


# --- filtering ------------------------------------------------------------------------------


def test_only_kamerstukken_of_the_asked_dossier_are_kept(peer):
    peer.add(synthesise(3))
    peer.publish("blg-1184123", "Bijlage bij kst-28676-3", dossier="28676", number="3", dcterms_type="Bijlage")
    peer.add(synthesise(2, dossier="21501-02"))
    assert ids(search(peer)) == ["kst-28676-1", "kst-28676-2", "kst-28676-3"]
    assert ids(search(peer, dossier="21501-02")) == ["kst-21501-02-1", "kst-21501-02-2"]


def test_a_herdruk_is_its_own_publication_pointing_at_the_original(peer):
    peer.add(synthesise(3, first_number=186))
    peer.reissue("kst-28676-187")
    [herdruk] = [p for p in search(peer) if p.identifier == "kst-28676-187-n1"]
    assert herdruk.reissue_of == "kst-28676-187"
    assert herdruk.number == "187" and herdruk.dossier == "28676"


def test_a_duplicate_record_is_kept_once_the_latest_version():
    """Records can shift between pages while a dossier is paged; an identifier still counts once."""
    old = parse_record_of(make_doc("kst-28676-5", "Brief", modified=dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC)))
    new = parse_record_of(make_doc("kst-28676-5", "Brief (gecorrigeerd)", modified=dt.datetime(2025, 2, 1, 9, tzinfo=dt.UTC)))
    other = parse_record_of(make_doc("kst-28676-6", "Brief"))
    assert [p.title for p in dedupe([old, other, new])] == ["Brief (gecorrigeerd)", "Brief"]
    assert [p.title for p in dedupe([new, other, old])] == ["Brief (gecorrigeerd)", "Brief"]


def parse_record_of(doc):
    [pub] = parse_response(response_xml([doc], 1, 1, "https://repository.overheid.nl")).publications
    return pub


# --- records --------------------------------------------------------------------------------


def test_parses_the_reconstructed_koop_response(fixtures):
    page = parse_response((fixtures / "koop" / "sru-response-28676.RECONSTRUCTED.xml").read_bytes())
    assert page.total == 1 and page.next_position is None
    [pub] = page.publications
    assert pub.identifier == "kst-28676-474"
    assert pub.dossier == "28676" and pub.dossiers == ("28676",) and pub.number == "474"
    assert pub.title == "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024"
    assert pub.document_type == "Brief"
    assert pub.date == dt.date(2024, 11, 22) and pub.available == dt.date(2024, 11, 25)
    assert pub.modified == "2024-11-25T10:35:38.545935+01:00"  # gzd:timestamp: finer than dcterms:modified
    base = "https://repository.overheid.nl/frbr/officielepublicaties/kst/28676/kst-28676-474/1"
    assert pub.urls["xml"] == f"{base}/xml/kst-28676-474.xml"
    assert pub.urls["metadata"] == f"{base}/metadata/metadata.xml"
    assert set(pub.urls) == {"html", "metadata", "metadataowms", "pdf", "xml"}
    assert pub.preferred_url == "https://zoek.officielebekendmakingen.nl/kst-28676-474.html"
    assert pub.reissue_of is None


MINIMAL = b"""<?xml version="1.0"?>
<r:searchRetrieveResponse xmlns:r="http://docs.oasis-open.org/ns/search-ws/sruResponse">
  <r:numberOfRecords>2</r:numberOfRecords>
  <r:records>
    <r:record><r:recordData><x:gzd xmlns:x="http://standaarden.overheid.nl/sru"><x:originalData>
      <m:meta xmlns:m="http://standaarden.overheid.nl/wetgeving/" xmlns:d="http://purl.org/dc/terms/">
        <m:owmskern><d:identifier>kst-28676-12</d:identifier><d:title>NAVO; Brief regering</d:title>
          <d:modified>2003-05-02</d:modified><unknown:thing xmlns:unknown="urn:x">ignored</unknown:thing></m:owmskern>
      </m:meta></x:originalData>
      <x:enrichedData><x:url>https://repository.overheid.nl/frbr/x/kst-28676-12.xml</x:url></x:enrichedData>
    </x:gzd></r:recordData><r:recordPosition>1</r:recordPosition></r:record>
    <r:record><r:recordData><x:gzd xmlns:x="http://standaarden.overheid.nl/sru"/></r:recordData></r:record>
  </r:records>
</r:searchRetrieveResponse>"""


def test_a_record_missing_optional_fields_still_parses(caplog):
    """Other prefixes, no tpmeta, no dates, no itemUrl: read by namespace URI, gaps become None."""
    with caplog.at_level(logging.WARNING, logger="monitor.source.sru"):
        page = parse_response(MINIMAL)
    [pub] = page.publications
    assert pub.identifier == "kst-28676-12" and pub.dossier == "28676" and pub.number == "12"
    assert pub.title == "Brief regering"  # dcterms:title "dossiertitel; documenttitel" split
    assert pub.document_type is None and pub.date is None and pub.available is None
    assert pub.modified == "2003-05-02"
    assert pub.urls == {"xml": "https://repository.overheid.nl/frbr/x/kst-28676-12.xml"}
    assert "without dcterms:identifier" in caplog.text


def test_a_multi_dossier_stuk_lists_every_dossier(peer):
    peer.add([make_doc("kst-17050-229", "Brief over twee dossiers", dossier="17050;22343")])
    with SourceClient(peer_source_config(peer)) as client:
        response = client.get(peer.sru_url, params={
            "operation": "searchRetrieve", "query": "dt.identifier==kst-17050-229", "maximumRecords": "5"})
    [pub] = parse_response(response.data).publications
    assert pub.dossiers == ("17050", "22343") and pub.dossier == "17050"

