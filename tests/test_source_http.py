"""The polite HTTP client against the KOOP-shaped peer on loopback: retries, limits, refusals."""

from __future__ import annotations

import time

import pytest

from monitor.errors import SourceError
from monitor.source.errors import ForeignHost, HttpError, NotFound, TooLarge, Unreachable
from monitor.source.http import SourceClient
from tests.peer import synthesise
from tests.peer.fixtures import peer_source_config


@pytest.fixture
def doc(peer):
    [first] = synthesise(1, first_number=474)
    peer.add([first])
    return first


def client_for(peer, **overrides) -> SourceClient:
    return SourceClient(peer_source_config(peer, **overrides))


def test_sends_the_configured_user_agent_and_keeps_bytes_exactly(peer, doc):
    with client_for(peer, user_agent="dossier-monitor/9 (+ops@example.org)") as client:
        response = client.get(peer.url + doc.path("xml"))
    assert response.data == doc.files["xml"]
    assert response.data.startswith(b"\xef\xbb\xbf<?xml") and b"\r\n" in response.data
    assert peer.requests[-1].headers["User-Agent"] == "dossier-monitor/9 (+ops@example.org)"
    assert response.etag == doc.etag("xml") and response.last_modified == doc.last_modified


def test_retries_500_then_succeeds(peer, doc):
    peer.fail_next(2, 500)
    with client_for(peer, max_retries=3) as client:
        assert client.get(peer.url + doc.path("xml")).data == doc.files["xml"]
    assert peer.count(doc.path("xml")) == 3


def test_retries_429_and_honours_retry_after(peer, doc):
    peer.fail_next(1, 429, retry_after=1)
    started = time.monotonic()
    with client_for(peer, max_retry_wait_seconds=5.0) as client:
        client.get(peer.url + doc.path("xml"))
    assert time.monotonic() - started >= 0.95
    assert peer.count(doc.path("xml")) == 2


def waits(peer, path: str) -> list[float]:
    """Seconds between the requests for ``path``, as the peer saw them arrive."""
    times = [r.at for r in peer.requests if r.path == path]
    return [b - a for a, b in zip(times, times[1:])]


def test_retry_after_is_capped(peer, doc):
    peer.fail_next(1, 503, retry_after=3600)
    with client_for(peer, max_retry_wait_seconds=0.2) as client:
        client.get(peer.url + doc.path("xml"))
    (wait,) = waits(peer, doc.path("xml"))
    assert 0.2 <= wait < 60  # capped: the server asked for an hour


def test_backoff_grows_exponentially(peer, doc):
    peer.fail_next(4, 502)
    with client_for(peer, backoff_base_seconds=0.1, max_retries=4, max_retry_wait_seconds=10) as client:
        client.get(peer.url + doc.path("xml"))
    # waits of 0.1, 0.2, 0.4, 0.8 s, each jittered into [half, full]: the fourth is at least 0.4 s,
    # which a linear backoff (at most 0.4, jittered down) would not reach
    gaps = waits(peer, doc.path("xml"))
    assert len(gaps) == 4
    assert [g >= low for g, low in zip(gaps, (0.05, 0.1, 0.2, 0.4))] == [True] * 4


def test_gives_up_after_max_retries_with_the_last_status(peer, doc):
    peer.fail_next(10, 500)
    with client_for(peer, max_retries=2) as client, pytest.raises(HttpError) as caught:
        client.get(peer.url + doc.path("xml"))
    assert caught.value.status == 500 and caught.value.transient
    assert "\n" not in str(caught.value)
    assert peer.count(doc.path("xml")) == 3


def test_a_timeout_is_retried_then_reported_as_unreachable(peer, doc):
    peer.delay_next(10, seconds=5.0)
    started = time.monotonic()
    with client_for(peer, timeout_seconds=0.3, max_retries=2) as client, pytest.raises(Unreachable) as caught:
        client.get(peer.url + doc.path("xml"))
    assert time.monotonic() - started < 10  # three attempts cut off at 0.3 s, not three of 5 s
    assert peer.count(doc.path("xml")) == 3
    assert caught.value.transient and "after 3 attempts" in str(caught.value)


def test_a_body_cut_short_is_retried(peer, doc):
    peer.cut_next(1, path=doc.path("xml"))
    with client_for(peer) as client:
        assert client.get(peer.url + doc.path("xml")).data == doc.files["xml"]
    assert peer.count(doc.path("xml")) == 2


@pytest.mark.parametrize("status", [404, 410])
def test_not_found_is_not_retried(peer, doc, status):
    peer.fail_next(5, status)
    with client_for(peer) as client, pytest.raises(NotFound):
        client.get(peer.url + doc.path("xml"))
    assert peer.count(doc.path("xml")) == 1


@pytest.mark.parametrize("status", [400, 403])
def test_other_client_errors_are_not_retried(peer, doc, status):
    peer.fail_next(5, status)
    with client_for(peer) as client, pytest.raises(HttpError) as caught:
        client.get(peer.url + doc.path("xml"))
    assert caught.value.status == status and not caught.value.transient
    assert peer.count(doc.path("xml")) == 1


def test_a_foreign_host_is_refused_without_a_request(peer):
    with client_for(peer) as client, pytest.raises(ForeignHost, match="evil.example"):
        client.get("http://evil.example/kst-28676-474.xml")
    with client_for(peer) as client, pytest.raises(ForeignHost):
        client.get("file:///etc/passwd")
    assert peer.count() == 0


def test_host_match_is_exact(peer):
    with client_for(peer, allowed_hosts=["127.0.0.1"]) as client, pytest.raises(ForeignHost):
        client.get(f"http://127.0.0.1.evil.example:{peer.port}/sru")


def test_a_redirect_to_a_foreign_host_is_refused(peer, doc):
    peer.redirect("/kst-28676-474.xml", "http://foreign.example/kst-28676-474.xml")
    with client_for(peer) as client, pytest.raises(ForeignHost, match="foreign.example"):
        client.get(peer.url + "/kst-28676-474.xml")


def test_redirects_on_allowed_hosts_are_followed_and_every_hop_checked(peer, doc):
    peer.redirect("/a", "/b")
    peer.redirect("/b", doc.path("xml"))
    with client_for(peer) as client:
        response = client.get(peer.url + "/a")
    assert response.url == peer.url + doc.path("xml")
    assert response.data == doc.files["xml"]
    peer.redirect("/loop", "/loop")
    with client_for(peer) as client, pytest.raises(SourceError, match="redirects"):
        client.get(peer.url + "/loop")


def test_a_declared_oversize_response_is_refused_before_reading(peer, doc):
    peer.huge(doc.identifier, size=50 * 1024 * 1024, declare_length=True)
    with client_for(peer, max_response_bytes=1024 * 1024) as client, pytest.raises(TooLarge, match="52428800"):
        client.get(peer.url + doc.path("xml"))


def test_an_undeclared_oversize_response_is_cut_off_while_streaming(peer, doc):
    peer.huge(doc.identifier, size=50 * 1024 * 1024, declare_length=False)
    with client_for(peer, max_response_bytes=1024 * 1024) as client, pytest.raises(TooLarge):
        client.get(peer.url + doc.path("xml"))
    deadline = time.monotonic() + 10
    while peer.state.huge_bytes_sent == 0 and time.monotonic() < deadline:
        time.sleep(0.02)  # the server thread notices the closed connection a moment later
    assert 1024 * 1024 < peer.state.huge_bytes_sent < 25 * 1024 * 1024


def test_conditional_get_returns_not_modified(peer, doc):
    with client_for(peer) as client:
        first = client.get(peer.url + doc.path("xml"))
        by_etag = client.get(peer.url + doc.path("xml"), etag=first.etag)
        by_date = client.get(peer.url + doc.path("xml"), last_modified=first.last_modified)
    assert by_etag.not_modified and by_etag.data == b""
    assert by_date.not_modified
    assert peer.requests[-2].headers["If-None-Match"] == first.etag


def test_a_correction_is_not_reported_as_not_modified(peer, doc):
    with client_for(peer) as client:
        first = client.get(peer.url + doc.path("xml"))
        peer.correct(doc.identifier)
        again = client.get(peer.url + doc.path("xml"), etag=first.etag, last_modified=first.last_modified)
    assert not again.not_modified and again.data != first.data and again.etag != first.etag


def test_requests_are_paced(peer, doc):
    started = time.monotonic()
    with client_for(peer, min_request_interval_seconds=0.2) as client:
        for _ in range(4):
            client.get(peer.url + doc.path("xml"))
    assert time.monotonic() - started >= 0.6
