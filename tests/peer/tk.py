"""A Tweede Kamer-shaped OData v4 server on 127.0.0.1 for tests: ``Document`` rows, their files, faults.

It serves what the monitor asks of ``gegevensmagazijn.tweedekamer.nl`` (``shared/koop/API.md`` §6):
``GET /OData/v4/2.0/Document?$filter=…&$orderby=GewijzigdOp asc&$top=N`` as OData JSON, at most
``$top`` rows a page with an ``@odata.nextLink`` (``$skip``) to the next (``GewijzigdOp desc``:
newest first, as ``doctor`` asks), and
``GET /OData/v4/2.0/Document(<guid>)/resource`` as the file's bytes with the row's content type.
The ``$filter`` is read for what the monitor sends (the dossier and ``GewijzigdOp ge``); anything
else in it is refused with an OData error body, as the real service does.

Faults: ``odata_error_next`` (an error body with HTTP 400), ``fail_next`` (an HTTP status),
``error_page`` (the file answers an HTML page with 200), ``unlink`` (the row matches the dossier
filter but its expanded ``Kamerstukdossier`` is empty), and ``deviate`` (each search answer
rewritten: a field dropped, the order or the next link changed, an HTML page instead).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import threading
import uuid
import zipfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape

from tests.peer.corpus import AMSTERDAM

ROOT = "/OData/v4/2.0"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TOP = 250
_DOSSIER = re.compile(r"Kamerstukdossier/any\(d:d/Nummer eq (\d+)(?: and d/Toevoeging eq '(\w+)')?\)")
_SINCE = re.compile(r"GewijzigdOp ge (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")
_KNOWN = re.compile(r"(?:Verwijderd eq false|Kamerstukdossier/any\(d:[^)]*\)|GewijzigdOp ge \S+)(?: and |$)")
_RESOURCE = re.compile(rf"^{ROOT}/Document\((?P<id>[0-9a-f-]+)\)/resource$")


# --- Word files --------------------------------------------------------------------------------


def docx_bytes(blocks: list[tuple[str, str]]) -> bytes:
    """A minimal Word file: ``blocks`` are ("heading" | "paragraph", text), in order."""
    def paragraph(kind: str, text: str) -> str:
        style = '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>' if kind == "heading" else ""
        return f'<w:p>{style}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                + "".join(paragraph(k, t) for k, t in blocks) + "<w:sectPr/></w:body></w:document>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
        '+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": document,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def word_letter(kst_xml: bytes) -> bytes:
    """The Word file a ministry sends for a Kamerstuk: its headings and paragraphs, no Kamerstuk letterhead."""
    skipped = {"metadata", "kamerstukkop", "dossier", "stuknr", "noot"}
    blocks: list[tuple[str, str]] = []

    def walk(element: ET.Element) -> None:
        for child in element:
            if child.tag in skipped:
                continue
            if child.tag == "kop":
                blocks.append(("heading", " ".join("".join(child.itertext()).split())))
            elif child.tag in ("al", "functie", "naam"):
                blocks.append(("paragraph", " ".join("".join(child.itertext()).split())))
            else:
                walk(child)

    walk(ET.fromstring(kst_xml.decode("utf-8-sig").split("?>", 1)[1]))
    return docx_bytes(blocks)


# --- the server --------------------------------------------------------------------------------


@dataclass
class TkDoc:
    """One ``Document`` row and its file."""

    id: str
    number: str  # DocumentNummer, "2025D12345"
    subject: str  # Onderwerp
    dossiers: list[tuple[int, str | None]]
    date: dt.date
    modified: dt.datetime
    data: bytes
    content_type: str = WORD
    kind: str = "Brief regering"
    volgnummer: int = -1
    external_id: str | None = None
    expand_dossiers: bool = True  # False: the row's Kamerstukdossier comes back empty
    error_page: bool = False  # the file answers an HTML error page with 200

    def row(self) -> dict:
        def moment(day: dt.date) -> str:
            return dt.datetime.combine(day, dt.time(), AMSTERDAM).isoformat()

        return {
            "Id": self.id, "Soort": self.kind, "DocumentNummer": self.number, "Titel": "NAVO",
            "Onderwerp": self.subject, "Datum": moment(self.date), "Vergaderjaar": "2024-2025", "Kamer": 2,
            "Volgnummer": self.volgnummer, "Citeertitel": None, "Alias": None,
            "DatumRegistratie": moment(self.date), "DatumOntvangst": None, "Aanhangselnummer": None,
            "KenmerkAfzender": None, "Organisatie": "Tweede Kamer", "ContentType": self.content_type,
            "ContentLength": len(self.data), "GewijzigdOp": self.modified.isoformat(timespec="milliseconds"),
            "ApiGewijzigdOp": self.modified.astimezone(dt.UTC).isoformat(), "Verwijderd": False,
            "HuidigeDocumentVersie_Id": str(uuid.uuid5(uuid.NAMESPACE_URL, self.id)),
            "Kamerstukdossier": [{"Nummer": n, "Toevoeging": t} for n, t in self.dossiers]
            if self.expand_dossiers else [],
            "HuidigeDocumentVersie": {"Id": str(uuid.uuid5(uuid.NAMESPACE_URL, self.id)),
                                      "ExterneIdentifier": self.external_id, "DocumentPublicatie": []},
        }


@dataclass
class TkState:
    docs: dict[str, TkDoc] = field(default_factory=dict)
    faults: list[list] = field(default_factory=list)  # [times, path part, status, OData error?, skip first]
    counts: Counter = field(default_factory=Counter)
    queries: list[dict[str, list[str]]] = field(default_factory=list)
    # each search answer as the test wants it changed: a body, or bytes sent as an HTML page
    deviation: Callable[[dict], dict | bytes] | None = None


class TkPeer:
    """``with TkPeer() as tk:`` — ``tk.odata_url`` goes into ``[tk] odata_url``."""

    def __init__(self):
        self.state = TkState()
        self.lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.tk = self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def odata_url(self) -> str:
        return self.url + ROOT

    def __enter__(self) -> TkPeer:
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- content -------------------------------------------------------------------------

    def publish(self, subject: str, *, dossier: str = "28676", data: bytes | None = None,
                content_type: str = WORD, date: dt.date | None = None, number: str | None = None,
                modified: dt.datetime | None = None, **fields) -> TkDoc:
        """A new document (a Word file saying ``subject`` unless ``data`` is given), changed now."""
        with self.lock:
            nummer, _, toevoeging = dossier.partition("-")
            guid = str(uuid.uuid4())
            doc = TkDoc(id=guid, number=number or f"{dt.date.today().year}D{10000 + len(self.state.docs)}",
                        subject=subject, dossiers=[(int(nummer), toevoeging or None)],
                        date=date or dt.date.today(), modified=modified or self._now(),
                        data=data if data is not None else docx_bytes([("paragraph", subject + ".")]),
                        content_type=content_type, **fields)
            self.state.docs[guid] = doc
            return doc

    def update(self, guid: str, **fields) -> TkDoc:
        """Change a row (a Volgnummer, an ExterneIdentifier, new bytes); its GewijzigdOp moves to now."""
        with self.lock:
            doc = self.state.docs[guid]
            for name, value in fields.items():
                setattr(doc, name, value)
            doc.modified = self._now()
            return doc

    def _now(self) -> dt.datetime:
        """Now, but after every change so far: each change has its own GewijzigdOp, in order."""
        latest = max((d.modified for d in self.state.docs.values()), default=None)
        now = dt.datetime.now(AMSTERDAM).replace(microsecond=0)
        return max(now, latest + dt.timedelta(seconds=1)) if latest else now

    # --- faults and observation -------------------------------------------------------------

    def odata_error_next(self, times: int = 1, *, after: int = 0) -> None:
        """The next ``times`` searches (after ``after`` good ones) answer an OData error body, HTTP 400."""
        with self.lock:
            self.state.faults.append([times, "/Document", 400, True, after])

    def deviate(self, rewrite: Callable[[dict], dict | bytes]) -> None:
        """From now on each search answer is ``rewrite(body)``: a changed body, or bytes (an HTML page)."""
        with self.lock:
            self.state.deviation = rewrite

    def fail_next(self, times: int = 1, status: int = 500, *, path: str = "/Document") -> None:
        with self.lock:
            self.state.faults.append([times, path, status, False, 0])

    def count(self, part: str = "") -> int:
        with self.lock:
            return sum(n for p, n in self.state.counts.items() if part in p)

    @property
    def queries(self) -> list[dict[str, list[str]]]:
        with self.lock:
            return list(self.state.queries)

    def _take_fault(self, path: str) -> list | None:
        with self.lock:
            for fault in self.state.faults:
                if fault[0] > 0 and fault[1] in path:
                    if fault[4] > 0:
                        fault[4] -= 1
                        return None
                    fault[0] -= 1
                    return fault
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "tk-peer/1"

    def log_message(self, *args) -> None:
        pass

    @property
    def tk(self) -> TkPeer:
        return self.server.tk

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        with self.tk.lock:
            self.tk.state.counts[path] += 1
            if path == f"{ROOT}/Document":
                self.tk.state.queries.append(query)
        fault = self.tk._take_fault(path)
        if fault and fault[3]:
            return self._error(fault[2], "An error has occurred.")
        if fault:
            return self._send(fault[2], f"status {fault[2]}\n".encode(), "text/plain")
        if path == f"{ROOT}/Document":
            return self._documents(query)
        match = _RESOURCE.match(path)
        with self.tk.lock:
            doc = self.tk.state.docs.get(match["id"]) if match else None
        if doc is None:
            return self._error(404, "Resource not found for the segment 'Document'.")
        if doc.error_page:
            return self._send(200, b"<!DOCTYPE html><html><head><title>Er is een fout opgetreden</title></head>"
                                   b"<body><h1>Fout</h1></body></html>", "text/html; charset=utf-8")
        self._send(200, doc.data, doc.content_type)

    def _documents(self, query: dict[str, list[str]]) -> None:
        def arg(name: str, default: str = "") -> str:
            return (query.get(name) or [default])[0]

        text = arg("$filter")
        dossier, since = _DOSSIER.search(text), _SINCE.search(text)
        if not dossier or _KNOWN.sub("", text).strip():
            return self._error(400, f"The query specified in the URI is not valid: {text!r}")
        try:
            top, skip = min(int(arg("$top", str(MAX_TOP))), MAX_TOP), int(arg("$skip", "0"))
        except ValueError:
            return self._error(400, "Invalid $top or $skip.")
        wanted = (int(dossier[1]), dossier[2])
        start = dt.datetime.fromisoformat(since[1].replace("Z", "+00:00")) if since else None
        with self.tk.lock:
            rows = sorted((d for d in self.tk.state.docs.values()
                           if wanted in d.dossiers and (start is None or d.modified >= start)),
                          key=lambda d: (d.modified, d.id), reverse=arg("$orderby").endswith(" desc"))
            page = [d.row() for d in rows[skip: skip + top]]
            deviation = self.tk.state.deviation
        body: dict = {"@odata.context": f"{self.tk.odata_url}/$metadata#Document", "value": page}
        if skip + top < len(rows):
            following = {k: v[0] for k, v in query.items() if k != "$skip"} | {"$skip": str(skip + top)}
            body["@odata.nextLink"] = f"{self.tk.odata_url}/Document?{urlencode(following)}"
        answer = deviation(body) if deviation else body
        if isinstance(answer, bytes):
            return self._send(200, answer, "text/html; charset=utf-8")
        self._send(200, json.dumps(answer).encode(), "application/json; odata.metadata=minimal")

    def _error(self, status: int, message: str) -> None:
        body = {"error": {"code": "", "message": message}}
        self._send(status, json.dumps(body).encode(), "application/json; odata.metadata=minimal")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            self.close_connection = True
