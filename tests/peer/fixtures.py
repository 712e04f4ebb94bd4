"""pytest fixtures around the peer; import them into a test module to use them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from monitor.config import SourceConfig, TkConfig
from tests.peer.server import Peer
from tests.peer.tk import TkPeer


# no pacing, small timeouts and waits
IMPATIENT = dict(
    allowed_hosts=["127.0.0.1"], user_agent="dossier-monitor-tests (+tests@example.org)",
    min_request_interval_seconds=0.0, timeout_seconds=2.0, max_retries=3, backoff_base_seconds=0.01,
    max_retry_wait_seconds=0.2, page_size=50, max_response_bytes=2 * 1024 * 1024,
)


def peer_source_config(peer: Peer, **overrides) -> SourceConfig:
    """``[source]`` pointed at ``peer``, impatient."""
    return SourceConfig(**(IMPATIENT | {"sru_url": peer.sru_url} | overrides))


def peer_tk_config(tk: TkPeer, **overrides) -> TkConfig:
    """``[tk]`` enabled and pointed at the Tweede Kamer peer ``tk``."""
    return TkConfig(**({"enabled": True, "odata_url": tk.odata_url, "allowed_hosts": ["127.0.0.1"]} | overrides))


@pytest.fixture
def peer() -> Iterator[Peer]:
    with Peer() as server:
        yield server


@pytest.fixture
def tk() -> Iterator[TkPeer]:
    with TkPeer() as server:
        yield server


@pytest.fixture
def source_config(peer: Peer) -> SourceConfig:
    return peer_source_config(peer)
