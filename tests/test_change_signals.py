"""A stored publication is fetched again when any one of its record's change signals moves, and
only then: an unchanged record costs the search and nothing else (requests counted at the peer)."""

import pytest
from sqlalchemy import update

from monitor import pipeline
from monitor.source.sru import SIGNALS, parse_response
from monitor.store.schema import publications
from tests.peer.server import SIGNALS as PEER_SIGNALS
from tests.peer.sru import response_xml
from tests.test_pipeline import client, config, recent, store  # noqa: F401  (pytest fixtures)

EVERY_SIGNAL = ["expression", *(name for name, _ in SIGNALS)]
LETTER = "kst-28676-3"


def signals_of(doc) -> dict[str, str]:
    [pub] = parse_response(response_xml([doc], 1, 1, "https://repository.overheid.nl")).publications
    return pub.signals


@pytest.fixture
def polled(peer, store, client, config):  # noqa: F811
    """Three letters, polled once: all stored as version 1."""
    peer.add(recent(3))
    assert pipeline.poll(store, client, config).stored == 3
    peer.reset_counts()
    return peer


def test_the_peer_moves_exactly_the_signals_it_is_asked_to_and_the_parser_sees_all_of_them():
    assert sorted(PEER_SIGNALS) == sorted(EVERY_SIGNAL)


@pytest.mark.parametrize("signal", EVERY_SIGNAL)
def test_each_signal_alone_brings_one_fetch_and_a_version_2(polled, store, client, config, signal):  # noqa: F811
    before = polled.doc(LETTER)
    after = polled.republish(LETTER, signals=(signal,))
    old, new = signals_of(before), signals_of(after)
    assert set(old) == set(new) == set(EVERY_SIGNAL)
    assert {name for name in new if new[name] != old[name]} == {signal}

    result = pipeline.poll(store, client, config)

    assert result.ok and result.stored == 1
    assert polled.count(after.path("xml")) == 1
    assert store.read_version(LETTER, 2)[1] == after.files["xml"]
    assert store.get_publication(LETTER).signals == new


def test_a_republished_letter_with_new_urls_and_date_but_the_old_gzd_timestamp_is_fetched(
        polled, store, client, config):  # noqa: F811
    after = polled.republish(LETTER, signals=("expression", "dcterms:modified"))
    assert "/2/xml/" in after.path("xml")
    assert pipeline.poll(store, client, config).stored == 1
    assert store.read_version(LETTER, 2)[0].url.endswith(after.path("xml"))


def test_no_signal_moved_costs_no_request_beyond_the_search(polled, store, client, config):  # noqa: F811
    result = pipeline.poll(store, client, config)
    assert result.ok and result.stored == 0 and result.known == 3
    assert polled.count() == polled.count("/sru") == 1


def test_a_row_stored_before_signals_were_kept_is_compared_by_its_stamp_once_then_by_its_signals(
        polled, store, client, config):  # noqa: F811
    with store.transaction() as conn:
        conn.execute(update(publications).values(signals="{}"))
    assert pipeline.poll(store, client, config).stored == 0
    assert polled.count() == polled.count("/sru")  # the same stamp: known, and no fetch
    assert store.get_publication(LETTER).signals == signals_of(polled.doc(LETTER))

    polled.republish(LETTER, signals=("dcterms:hasVersion",))
    assert pipeline.poll(store, client, config).stored == 1
