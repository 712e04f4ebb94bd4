"""A KOOP-shaped HTTP server on 127.0.0.1 for tests: SRU search, document manifestations, faults.

``Peer`` runs a stdlib ``ThreadingHTTPServer`` in a thread. Tests steer it through its methods
(publish, correct, republish, reissue, fail_next, delay_next, garbage_next, corrupt, huge, …); a
peer in another process is steered the same way over ``POST /_control/<method>`` with a JSON body
(see ``control``).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.peer import sru
from tests.peer.corpus import AMSTERDAM, PeerDoc, html_page, make_doc, render

_FRBR = re.compile(r"^/frbr/officielepublicaties/[a-z]+/[^/]+/(?P<id>[^/]+)/(?P<expr>\d+)/"
                   r"(?P<kind>xml|html|pdf|metadata|metadataowms)/[^/]+$")
_SHORT = re.compile(r"^/(?:dossier/)?(?P<id>[a-z]+-[\w-]+?)(?:\.(?P<ext>xml|html|pdf)|/metadata\.xml)$")
CONTENT_TYPES = {"xml": "application/xml", "metadata": "application/xml", "metadataowms": "application/xml",
                 "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
CHUNK = 64 * 1024
GARBAGE = b"\x00\x9f<<?xml \xff\xfe garbage from a proxy in distress \x1b[2J" * 4
# the PeerDoc field behind each time-stamp signal of a record
_SIGNAL_FIELDS = {"dcterms:modified": "modified", "gzd:timestamp": "timestamp",
                  "cd:datumTijdstipWijzigingExpression": "changed_expression",
                  "cd:datumTijdstipWijzigingWork": "changed_work"}
SIGNALS = ("expression", "dcterms:hasVersion", *_SIGNAL_FIELDS)


def error_page(what: str) -> bytes:
    """What the site shows for an unknown id, with HTTP 200 (a "soft 404")."""
    return (
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Pagina niet gevonden | "
        "Officiële bekendmakingen</title></head><body><h1>Fout 404</h1>"
        f"<p>De pagina {what} kon niet worden gevonden.</p></body></html>\n"
    ).encode("utf-8")


@dataclass
class Fault:
    """What to do instead of (or before) answering the next ``times`` requests matching ``path``."""

    times: int
    path: str | None = None  # substring of the request path; None: any request
    status: int | None = None  # answer with this status (500, 429, 503, 404 …)
    retry_after: str | None = None
    delay: float = 0.0  # sleep before answering (the client's read timeout fires)
    cut: bool = False  # declare the full length, send half the body, close the connection
    diagnostic: str | None = None  # SRU: answer with this diagnostic message
    garbage: bool = False  # answer 200 with bytes that are no XML at all


@dataclass
class Huge:
    size: int
    declare_length: bool


@dataclass
class RequestLog:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)  # when it arrived: the waits between retries


@dataclass
class PeerState:
    docs: dict[str, PeerDoc] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    huge: dict[tuple[str, str], Huge] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    requests: list[RequestLog] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    soft404_redirect: bool = False  # unknown ids: redirect to /fout404.html instead of a 200 page
    next_position: bool = True  # emit sru:nextRecordPosition
    ignore_start: bool = False  # a broken server that always returns the first page
    conditional: bool = True  # honour If-None-Match / If-Modified-Since
    # (regex, replacement) applied to every SRU answer: a publisher that renamed a prefix,
    # dropped a field, or answers with an HTML page
    sru_rewrites: list[tuple[str, str]] = field(default_factory=list)
    huge_bytes_sent: int = 0


class Peer:
    """``with Peer() as peer:`` — a server on a free port of 127.0.0.1; ``peer.url`` is its base."""

    def __init__(self, docs: list[PeerDoc] = (), port: int = 0):
        self.state = PeerState(docs={d.identifier: d for d in docs})
        self.lock = threading.RLock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True  # a handler sleeping in a delay must not block stop()
        self._server.peer = self
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sru_url(self) -> str:
        return f"{self.url}/sru"

    def start(self) -> Peer:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"peer:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Peer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- content -----------------------------------------------------------------------------

    def add(self, docs: list[PeerDoc]) -> None:
        with self.lock:
            self.state.docs.update((d.identifier, d) for d in docs)

    def reset(self, docs: list[PeerDoc] = ()) -> None:
        """Forget everything (documents, faults, counts) and serve ``docs``."""
        with self.lock:
            self.state = PeerState(docs={d.identifier: d for d in docs})

    def doc(self, identifier: str) -> PeerDoc:
        with self.lock:
            return self.state.docs[identifier]

    def publish(self, identifier: str | None = None, title: str = "Brief regering", **fields) -> PeerDoc:
        """A new publication (``make_doc`` fields: dossier, number, date, available, modified, xml, …)."""
        with self.lock:
            if identifier is None:
                dossier = fields.get("dossier", "28676")
                numbers = [int(d.number) for d in self.state.docs.values() if d.dossier == dossier and d.number.isdigit()]
                identifier = f"kst-{dossier}-{max(numbers, default=0) + 1}"
            doc = make_doc(identifier, title, **fields)
            self.state.docs[identifier] = doc
            return doc

    def correct(self, identifier: str, xml: bytes | None = None, modified: dt.datetime | None = None) -> PeerDoc:
        """New content under the same identifier and URLs, with a later modification time."""
        with self.lock:
            old = self.state.docs[identifier]
            later = modified or max(old.modified + dt.timedelta(hours=1), dt.datetime.now(AMSTERDAM).replace(microsecond=0))
            return self._replace_text(old, xml, modified=later)

    def republish(self, identifier: str, signals: tuple[str, ...] = SIGNALS, xml: bytes | None = None) -> PeerDoc:
        """New content under the same identifier, moving only the record's change ``signals``
        (the names in ``monitor.source.sru.SIGNALS``, and "expression": new item URLs …/2/…)."""
        with self.lock:
            old = self.state.docs[identifier]
            # a day later, so that dcterms:modified (a date) can move too; the others stay put
            later = max(old.modified + dt.timedelta(days=1), dt.datetime.now(AMSTERDAM).replace(microsecond=0))
            fields = {"modified": old.modified, "timestamp": old.timestamp or old.modified,
                      "changed_expression": old.changed_expression or old.modified,
                      "changed_work": old.changed_work or old.modified}
            for signal in signals:
                if signal == "expression":
                    fields["expression"] = old.expression + 1
                elif signal == "dcterms:hasVersion":
                    fields["has_version"] = old.has_version + 1
                else:
                    fields[_SIGNAL_FIELDS[signal]] = later
            return self._replace_text(old, xml, **fields)

    def _replace_text(self, old: PeerDoc, xml: bytes | None, **fields) -> PeerDoc:
        if xml is None:
            xml = old.files["xml"].replace(
                b"</tekst>", "<al>Deze versie vervangt de eerder gepubliceerde versie (correctie).</al>\r\n"
                "          </tekst>".encode(), 1)
        doc = render(replace(old, **fields), xml)
        doc.files = {k: v for k, v in doc.files.items() if k in old.files or k == "xml"}
        self.state.docs[old.identifier] = doc
        return doc

    def reissue(self, identifier: str, xml: bytes | None = None, available: dt.date | None = None) -> PeerDoc:
        """A herdruk: the same stuk again under ``<identifier>-n1``."""
        with self.lock:
            old = self.state.docs[identifier]
            new_id = f"{identifier}-n1"
            xml = xml or old.files["xml"].replace(b"</ondernummer></stuknr>", b"</ondernummer><herdruk>HERDRUK</herdruk></stuknr>", 1)
            return self.publish(new_id, old.title, dossier=old.dossier, number=old.number, date=old.date,
                                available=available or dt.date.today(), xml=xml, document_type=old.document_type)

    def remove_manifestation(self, identifier: str, kind: str) -> None:
        """The record no longer lists ``kind`` and its URL answers a hard 404."""
        with self.lock:
            self.state.docs[identifier].files.pop(kind, None)

    def corrupt(self, identifier: str, how: str, kind: str = "xml") -> None:
        """Serve bad bytes for a manifestation from now on.

        ``truncated`` (cut mid-element, correct length), ``malformed`` (mismatched tags),
        ``xxe`` (an external entity to /etc/passwd), ``error-page`` (an HTML error page),
        ``not-pdf`` (HTML where a PDF should be).
        """
        with self.lock:
            doc = self.state.docs[identifier]
            good = doc.files.get(kind, b"")
            doc.files[kind] = {
                "truncated": lambda: good[: len(good) // 2],
                "malformed": lambda: good.replace(b"</al>", b"</a1>", 1),
                "xxe": lambda: (b'<?xml version="1.0" encoding="utf-8"?>\r\n<!DOCTYPE officiele-publicatie '
                                b'[<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\r\n<officiele-publicatie><kamerstuk>'
                                b"<al>&xxe;</al></kamerstuk></officiele-publicatie>\r\n"),
                "error-page": lambda: error_page(identifier),
                "not-pdf": lambda: html_page(doc, None),
            }[how]()

    def huge(self, identifier: str, kind: str = "xml", size: int = 50 * 1024 * 1024, declare_length: bool = True) -> None:
        """Stream ``size`` bytes for this manifestation, generated on the fly (never held in memory)."""
        with self.lock:
            self.state.huge[(identifier, kind)] = Huge(size, declare_length)

    def foreign_host(self, identifier: str, host: str = "foreign.example") -> None:
        """The SRU record's URLs for this publication point at ``host``."""
        with self.lock:
            self.state.docs[identifier].host = host

    def redirect(self, path: str, location: str) -> None:
        """``GET path`` answers 302 to ``location`` (absolute or relative)."""
        with self.lock:
            self.state.redirects[path] = location

    def set(self, **options) -> None:
        """Switch behaviour: soft404_redirect, next_position, ignore_start, conditional, sru_rewrites."""
        with self.lock:
            for name, value in options.items():
                if name not in ("soft404_redirect", "next_position", "ignore_start", "conditional", "sru_rewrites"):
                    raise KeyError(name)
                setattr(self.state, name, value)

    # --- faults ------------------------------------------------------------------------------

    def fail_next(self, times: int = 1, status: int = 500, *, path: str | None = None,
                  retry_after: str | int | None = None) -> None:
        with self.lock:
            self.state.faults.append(Fault(times, path, status=status,
                                           retry_after=None if retry_after is None else str(retry_after)))

    def delay_next(self, times: int = 1, seconds: float = 5.0, *, path: str | None = None) -> None:
        with self.lock:
            self.state.faults.append(Fault(times, path, delay=seconds))

    def cut_next(self, times: int = 1, *, path: str | None = None) -> None:
        with self.lock:
            self.state.faults.append(Fault(times, path, cut=True))

    def garbage_next(self, times: int = 1, *, path: str | None = None) -> None:
        with self.lock:
            self.state.faults.append(Fault(times, path, garbage=True))

    def diagnose_next(self, message: str, times: int = 1) -> None:
        with self.lock:
            self.state.faults.append(Fault(times, "/sru", diagnostic=message))

    # --- observation -------------------------------------------------------------------------

    def count(self, path_part: str | None = None) -> int:
        """Requests so far whose path contains ``path_part`` (all requests when None)."""
        with self.lock:
            return sum(n for p, n in self.state.counts.items() if path_part is None or path_part in p)

    @property
    def requests(self) -> list[RequestLog]:
        with self.lock:
            return list(self.state.requests)

    def reset_counts(self) -> None:
        with self.lock:
            self.state.counts.clear()
            self.state.requests.clear()

    def _take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.state.faults:
                if fault.times > 0 and (fault.path is None or fault.path in path):
                    fault.times -= 1
                    return fault
            return None

    # --- remote control ----------------------------------------------------------------------

    CONTROL = ("publish", "correct", "republish", "reissue", "remove_manifestation", "corrupt", "huge",
               "foreign_host", "redirect", "set", "fail_next", "delay_next", "cut_next", "garbage_next",
               "diagnose_next", "reset_counts")

    def control(self, action: str, args: dict) -> object:
        """Run ``action`` with JSON ``args``: ``xml_base64`` → ``xml``; ISO strings for dates."""
        if action not in self.CONTROL:
            raise KeyError(action)
        args = dict(args)
        if "xml_base64" in args:
            args["xml"] = base64.b64decode(args.pop("xml_base64"))
        for key in ("date", "available"):
            if key in args:
                args[key] = dt.date.fromisoformat(args[key])
        if "modified" in args:
            args["modified"] = dt.datetime.fromisoformat(args["modified"])
        result = getattr(self, action)(**args)
        return {"identifier": result.identifier} if isinstance(result, PeerDoc) else None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each small response waits ~40 ms for a delayed ACK
    server_version = "koop-peer/1"

    @property
    def peer(self) -> Peer:
        return self.server.peer

    def log_message(self, *args) -> None:  # quiet: tests read counts, not stderr
        pass

    # --- dispatch ----------------------------------------------------------------------------

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if not parts.path.startswith("/_control/"):
            return self._send(405, b"method not allowed\n", "text/plain")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            result = self.peer.control(parts.path.removeprefix("/_control/"), json.loads(body or b"{}"))
        except (KeyError, TypeError, ValueError) as exc:
            return self._send(400, json.dumps({"error": repr(exc)}).encode(), "application/json")
        self._send(200, json.dumps(result).encode(), "application/json")

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/_control/counts":
            with self.peer.lock:
                counts = dict(self.peer.state.counts)
            return self._send(200, json.dumps(counts).encode(), "application/json")
        with self.peer.lock:
            self.peer.state.counts[path] += 1
            self.peer.state.requests.append(RequestLog("GET", path, query, dict(self.headers.items())))
            redirect = self.peer.state.redirects.get(path)
        fault = self.peer._take_fault(path)
        if fault and fault.delay:
            if self.peer._stopping.wait(fault.delay):
                return
        if fault and fault.status:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return self._send(fault.status, f"status {fault.status}\n".encode(), "text/plain", headers)
        if fault and fault.garbage:
            return self._send(200, GARBAGE, "application/xml; charset=utf-8")
        if redirect:
            return self._send(302, b"", "text/plain", {"Location": redirect})
        if path == "/sru":
            body = (sru.diagnostic_xml(1, fault.diagnostic) if fault and fault.diagnostic else self._sru(query))
            with self.peer.lock:
                rewrites = list(self.peer.state.sru_rewrites)
            for pattern, replacement in rewrites:
                body = re.sub(pattern.encode(), replacement.encode(), body)
            return self._send(200, body, "application/xml; charset=utf-8", cut=bool(fault and fault.cut))
        if path.startswith("/fout404"):
            return self._send(200, error_page("die u zocht"), CONTENT_TYPES["html"])
        match = _FRBR.match(path) or _SHORT.match(path)
        if not match:
            return self._soft404(path)
        identifier = match.group("id")
        kind = match.groupdict().get("kind") or match.groupdict().get("ext") or "metadata"
        with self.peer.lock:
            doc = self.peer.state.docs.get(identifier)
            huge = self.peer.state.huge.get((identifier, kind))
        if doc is None:
            return self._soft404(path)
        if huge:
            return self._stream_huge(huge, kind)
        data = doc.files.get(kind)
        if data is None:  # a known publication without this manifestation: an honest 404
            return self._send(404, b"<html><body>404 Not Found</body></html>\n", "text/html")
        validators = {"ETag": doc.etag(kind), "Last-Modified": doc.last_modified}
        if self._not_modified(doc, kind):
            return self._send(304, b"", None, validators)
        self._send(200, data, CONTENT_TYPES[kind], validators, cut=bool(fault and fault.cut))

    # --- answers -----------------------------------------------------------------------------

    def _sru(self, query: dict[str, list[str]]) -> bytes:
        def arg(name: str, default: str = "") -> str:
            return (query.get(name) or [default])[0]

        if arg("operation") != "searchRetrieve":
            return sru.diagnostic_xml(4, f"Unsupported operation: {arg('operation')}")
        try:
            cql = sru.parse_cql(arg("query"))
            start = int(arg("startRecord", "1"))
            maximum = min(int(arg("maximumRecords", "10")), sru.MAX_RECORDS)
            if start < 1:
                raise sru.CqlError(61, f"First record position out of range: {start}")
            with self.peer.lock:
                docs = [d for d in self.peer.state.docs.values() if sru.matches(d, cql)]
                page_from = 1 if self.peer.state.ignore_start else start
                next_position = self.peer.state.next_position
            ordered = sru.sort_docs(docs, cql)
        except sru.CqlError as exc:
            return sru.diagnostic_xml(exc.code, str(exc))
        except ValueError as exc:
            return sru.diagnostic_xml(6, f"Unsupported parameter value: {exc}")
        page = ordered[page_from - 1: page_from - 1 + maximum]
        return sru.response_xml(page, len(ordered), page_from, self.peer.url, next_position=next_position,
                                query=arg("query"), maximum=maximum)

    def _not_modified(self, doc: PeerDoc, kind: str) -> bool:
        if not self.peer.state.conditional:
            return False
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return doc.etag(kind) in [t.strip() for t in if_none_match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return doc.modified.replace(microsecond=0) <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def _soft404(self, path: str) -> None:
        if self.peer.state.soft404_redirect:
            return self._send(302, b"", "text/plain", {"Location": f"/fout404.html?url={path}"})
        self._send(200, error_page(path), CONTENT_TYPES["html"])

    def _send(self, status: int, body: bytes, content_type: str | None, headers: dict | None = None,
              *, cut: bool = False) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Date", format_datetime(dt.datetime.now(dt.UTC), usegmt=True))
        self.send_header("Content-Length", str(len(body)))
        if cut:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(body[: len(body) // 2] if cut else body)
            if cut:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
        except OSError:  # the client gave up (timeout) before we answered
            self.close_connection = True

    def _stream_huge(self, huge: Huge, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPES[kind])
        if huge.declare_length:
            self.send_header("Content-Length", str(huge.size))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        opening = b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\r\n<officiele-publicatie>\r\n'
        filler = b"  <al>" + b"NAVO " * (CHUNK // 5 - 4) + b"</al>\r\n"
        sent = 0
        try:
            chunk = opening
            while sent < huge.size:
                piece = chunk[: huge.size - sent]
                self.wfile.write(piece)
                sent += len(piece)
                chunk = filler
        except OSError:
            pass  # the client refused the rest: exactly what the test wants to see
        finally:
            with self.peer.lock:
                self.peer.state.huge_bytes_sent += sent

