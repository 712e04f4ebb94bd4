"""A real SMTP server on loopback (aiosmtpd) that records what it accepts.

It can be told to refuse a recipient (``refuse(addr, "550 …")``, also 451), to refuse the next
few messages whoever they are for (``fail_next("421 …", times)``), to take the next message's
data and drop the connection without answering (``drop_next``), to be down (``stop()``: the
port is closed, connections are refused) and back up (``start()`` on the same port), to
require a login, to offer SMTPUTF8 or not (``smtputf8``), and to keep a message without ever
answering (``hold_after``: the message after that many), so a test can kill the sender
between acceptance and commit.

With ``tls="starttls"`` it refuses everything until the client switched to TLS; with
``tls="ssl"`` it speaks TLS from the first byte. Its certificate, for 127.0.0.1, is signed by a
CA made for the test (trustme), whose certificate is at ``ca_file``.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    at: float = field(default_factory=time.monotonic)  # when the server took it

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self, peer: SmtpPeer):
        self.peer = peer

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.peer.refusals.get(address) or self.peer._take(self.peer.failures)
        if answer:
            if answer.startswith("421"):  # the server closes the session once it has said so
                asyncio.get_running_loop().call_later(0.05, server.transport.close)
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        peer = self.peer
        if peer._take(peer.drops):
            # the data arrived, the answer never does: the client cannot know whether it was taken
            peer.dropped.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.content))
            server.transport.abort()
            return "451 dropped"  # written to a closed connection: never seen
        holding = peer.hold_after is not None and len(peer.received) >= peer.hold_after
        peer.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.content))
        if server.transport.get_extra_info("ssl_object") is not None:
            peer.tls_sessions += 1
        if holding:
            # taken, but the answer never comes: the client is killed while it waits for it
            peer.holding.set()
            await asyncio.sleep(3600)
        if peer.answer_delay:
            await asyncio.sleep(peer.answer_delay)  # a server across the internet, not on loopback
        return "250 Message accepted"


class SmtpPeer:
    def __init__(self, *, login: tuple[str, str] | None = None, tls: str | None = None,
                 ca_folder: Path | None = None, smtputf8: bool = False, port: int | None = None):
        self.port = port or free_port()
        self.smtputf8 = smtputf8
        self.failures: list[str] = []  # answers for the next recipients, whoever they are
        self.drops: list[bool] = []  # the next messages to take and drop without an answer
        self.dropped: list[Received] = []
        self._faults = threading.Lock()
        self.tls = tls
        self.ca_file: Path | None = None
        self._tls_context = None
        if tls:
            ca = trustme.CA()
            self._tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert("127.0.0.1").configure_cert(self._tls_context)
            self.ca_file = Path(ca_folder) / "smtp-test-ca.pem"
            ca.cert_pem.write_to_path(str(self.ca_file))
        self.tls_sessions = 0  # messages that arrived over TLS
        self.received: list[Received] = []
        self.refusals: dict[str, str] = {}
        self.login = login
        self.logins: list[str] = []  # user names that logged in
        self.hold_after: int | None = None
        self.answer_delay = 0.0  # seconds before each message is answered
        self.holding = threading.Event()
        self._controller: Controller | None = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and self.login == (
                auth_data.login.decode(), auth_data.password.decode()):
            self.logins.append(auth_data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def start(self) -> SmtpPeer:
        # aiosmtpd logs every connection at INFO from its own thread: not what our tests look at;
        # with TLS, a client that refuses the test certificate is logged as an error: expected there
        logging.getLogger("mail.log").setLevel(logging.CRITICAL if self.tls else logging.WARNING)
        kwargs = {}
        if self.login:
            # on an implicit-TLS port aiosmtpd does not know it speaks TLS: it would hide AUTH
            kwargs = {"authenticator": self._authenticate, "auth_required": True,
                      "auth_require_tls": self.tls == "starttls"}
        if self.tls == "starttls":
            kwargs |= {"tls_context": self._tls_context, "require_starttls": True}
        elif self.tls == "ssl":
            kwargs |= {"ssl_context": self._tls_context}
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                      enable_SMTPUTF8=self.smtputf8, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse(self, address: str, answer: str) -> None:
        self.refusals[address] = answer

    def fail_next(self, answer: str, times: int = 1) -> None:
        """Answer the next ``times`` recipients with ``answer`` (a 421 also closes the session)."""
        with self._faults:
            self.failures.extend([answer] * times)

    def drop_next(self, times: int = 1) -> None:
        with self._faults:
            self.drops.extend([True] * times)

    def _take(self, queue: list):
        with self._faults:
            return queue.pop(0) if queue else None

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.rcpt_tos]

    @property
    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.received]


@pytest.fixture
def smtp_peer():
    peer = SmtpPeer().start()
    yield peer
    peer.stop()
