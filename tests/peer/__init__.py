"""A KOOP-shaped test server ("the peer") and the publications it serves.

In a test::

    from tests.peer.fixtures import peer, source_config   # noqa: F401  (pytest fixtures)

    def test_x(peer, source_config):
        peer.add(synthesise(120))
        ...

As a process: ``python -m tests.peer --port 0 --publications DIR`` prints its base URL.
"""

from tests.peer.corpus import PeerDoc, agenda_474, make_doc, synthesise
from tests.peer.server import Peer

__all__ = ["Peer", "PeerDoc", "agenda_474", "make_doc", "synthesise"]
