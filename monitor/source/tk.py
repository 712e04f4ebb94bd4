"""The Tweede Kamer's open data (gegevensmagazijn): letters to the Kamer before they are Kamerstukken.

A letter is registered there the day it is sent; officielebekendmakingen.nl publishes it as a
Kamerstuk days later. We ask the OData v4 ``Document`` entity set (``shared/koop/API.md`` §6)
for the documents of a dossier changed since a moment, page by page (``$top`` at most 250,
``@odata.nextLink`` to the next page), and fetch each document's file (PDF or Word, its
``ContentType`` says which) through the same polite ``SourceClient`` as the publisher, with
its own allowed hosts.

A row without a link to a watched dossier, or without what we need, is skipped with one log
line; an OData error body or a page that is no OData JSON is a ``SourceError`` for the whole
search (a partial list would move the caller's watermark past documents it never saw).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import quote

from monitor.clock import utc_now
from monitor.config import Config, TkConfig
from monitor.errors import SourceError
from monitor.model import Fetched, Publication
from monitor.source.errors import HttpError, RefusedContent, one_line
from monitor.source.fetch import Validators
from monitor.source.http import HttpResponse, SourceClient

log = logging.getLogger(__name__)

SOURCE = "tk"
_DOSSIER = re.compile(r"(?P<number>\d+)(?:-(?P<suffix>[0-9A-Za-z]+))?")
_KST = re.compile(r"kst-\d+(?:-[0-9A-Za-z]+)?-\d+[0-9A-Za-z-]*")
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DOCUMENT_NUMBER = re.compile(r"\d{4}D\d+")
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MANIFESTATIONS = {"application/pdf": "pdf", WORD: "docx"}
_EXPAND = "Kamerstukdossier($select=Nummer,Toevoeging),HuidigeDocumentVersie($expand=DocumentPublicatie)"


class ODataError(SourceError):
    """The service answered with an OData error body, or with something that is no OData JSON."""

    transient = True  # nothing was listed, so nothing may be skipped: ask again next time


@dataclass(frozen=True)
class TkDocument:
    """One ``Document`` row, with the fields the monitor uses."""

    id: str  # the GUID
    number: str | None  # DocumentNummer, "2024D50160"
    kind: str | None  # Soort, "Brief regering"
    title: str  # Onderwerp (what the letter is about), else Titel
    date: dt.date | None  # Datum: the letter's date
    registered: dt.date | None  # DatumRegistratie
    modified: str  # GewijzigdOp, as given: a change marks a new version
    dossiers: tuple[str, ...]  # "28676", "21501-02"
    volgnummer: int | None  # the Kamerstuk's ondernummer once known (-1 on the wire: none yet)
    external_id: str | None  # DocumentVersie.ExterneIdentifier, "kst-28676-474" when filled
    content_type: str | None
    resource_url: str

    @property
    def identifier(self) -> str:
        """Where the store keeps it: ``tk-<DocumentNummer>``, else ``tk-<GUID>``."""
        return f"tk-{self.number or self.id}"

    @property
    def kamerstuk(self) -> str | None:
        """The Kamerstuk id it is (to be) published as, when the row says so.

        >>> row = TkDocument("g", "2024D1", "Brief regering", "t", None, None, "m", ("21501-02",), 3185, None,
        ...                  "application/pdf", "u")
        >>> row.kamerstuk
        'kst-21501-02-3185'
        >>> replace(row, volgnummer=None).kamerstuk is None, replace(row, external_id="kst-28676-474").kamerstuk
        (True, 'kst-28676-474')
        """
        return kamerstuk_id(self.dossiers[0] if self.dossiers else None, self.volgnummer, self.external_id)

    @property
    def modified_at(self) -> dt.datetime:
        return changed_at(self.modified)

    @property
    def manifestation(self) -> str | None:
        return MANIFESTATIONS.get((self.content_type or "").split(";", 1)[0].strip().lower())

    def publication(self, dossier: str) -> Publication:
        """As a record of its own source, filed under the watched ``dossier`` it was found in."""
        kind = self.manifestation
        return Publication(
            identifier=self.identifier, dossier=dossier, number=None, title=self.title, document_type=self.kind,
            date=self.date, available=self.registered or self.date, modified=self.modified,
            urls={kind: self.resource_url} if kind else {}, dossiers=self.dossiers,
            source=SOURCE, kamerstuk=self.kamerstuk)


def kamerstuk_id(dossier: str | None, volgnummer: int | None, external_id: str | None) -> str | None:
    """``kst-{Nummer}[-{Toevoeging}]-{Volgnummer}``; the service's own ExterneIdentifier wins.

    >>> kamerstuk_id("28676", 474, None), kamerstuk_id("28676", -1, None), kamerstuk_id(None, 5, "kst-28676-5")
    ('kst-28676-474', None, 'kst-28676-5')
    """
    if external_id and _KST.fullmatch(external_id.strip()):
        return external_id.strip()
    if dossier and volgnummer is not None and volgnummer > 0:
        return f"kst-{dossier}-{volgnummer}"
    return None


def client_for(config: Config) -> SourceClient:
    """A ``SourceClient`` with [source]'s manners and [tk]'s hosts."""
    return SourceClient(replace(config.source, allowed_hosts=list(config.tk.allowed_hosts)))


# --- the search --------------------------------------------------------------------------------


def build_filter(dossier: str, since: dt.datetime | None) -> str:
    """The ``$filter`` for the documents of ``dossier`` changed since ``since``.

    >>> build_filter("28676", dt.datetime(2024, 11, 1, tzinfo=dt.UTC))
    'Verwijderd eq false and Kamerstukdossier/any(d:d/Nummer eq 28676) and GewijzigdOp ge 2024-11-01T00:00:00Z'
    >>> build_filter("21501-02", None)
    "Verwijderd eq false and Kamerstukdossier/any(d:d/Nummer eq 21501 and d/Toevoeging eq '02')"
    """
    m = _DOSSIER.fullmatch(dossier)
    if not m:
        raise SourceError(f"not a dossier number: {dossier!r}")
    clause = f"d/Nummer eq {int(m['number'])}"
    if m["suffix"]:
        clause += f" and d/Toevoeging eq '{m['suffix']}'"
    parts = ["Verwijderd eq false", f"Kamerstukdossier/any(d:{clause})"]
    if since is not None:
        parts.append("GewijzigdOp ge " + since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return " and ".join(parts)


def documents_url(config: TkConfig) -> str:
    return f"{config.odata_url.rstrip('/')}/Document"


def search_params(config: TkConfig, dossier: str, since: dt.datetime | None, *,
                  newest_first: bool = False) -> dict[str, str]:
    """The query of the first page; the poll reads oldest change first (``newest_first`` is for
    ``doctor``, which wants a recent document to fetch)."""
    return {"$filter": build_filter(dossier, since),
            "$orderby": f"GewijzigdOp {'desc' if newest_first else 'asc'}", "$expand": _EXPAND,
            "$top": str(min(max(config.page_size, 1), 250))}


def get_page(client: SourceClient, url: str, params: dict[str, str] | None) -> HttpResponse:
    """One page as the service sent it; ``ODataError`` when it refused with an OData error body."""
    try:
        return client.get(url, params=params)
    except HttpError as exc:
        if exc.body.lstrip().startswith(b"{"):  # an OData error body says what was wrong
            parse_page(exc.body, f"HTTP {exc.status} for {exc.url}")
        raise


def search_documents(client: SourceClient, config: TkConfig, dossier: str,
                     since: dt.datetime | None) -> list[TkDocument]:
    """The usable documents of ``dossier`` changed since ``since`` whose kind is one of ``[tk]
    document_types``, oldest change first, each once."""
    params: dict[str, str] | None = search_params(config, dossier, since)
    url, found, pages = documents_url(config), {}, 0
    while url:
        response = get_page(client, url, params)
        rows, url = parse_page(response.data, response.url)
        params, pages = None, pages + 1  # a nextLink carries its own query
        if pages > 10_000:
            raise ODataError(f"{response.url}: more than 10000 pages; the service keeps sending a next link")
        for row in rows:
            doc = parse_document(row, config.odata_url, dossier)
            if doc is not None and config.document_types and doc.kind not in config.document_types:
                log.debug("%s: a %s, not one of [tk] document_types", doc.identifier, doc.kind)
            elif doc is not None:
                found[doc.id] = doc  # a row moved by an edit while we paged is seen twice: keep the last
    return sorted(found.values(), key=lambda d: (d.modified, d.id))


def parse_page(data: bytes, url: str) -> tuple[list[dict], str | None]:
    """The rows of one OData JSON page and the next page's URL; ``ODataError`` for anything else.

    >>> parse_page(b'{"value": [{"Id": "a"}], "@odata.nextLink": "https://x/Document?$skip=250"}', "u")
    ([{'Id': 'a'}], 'https://x/Document?$skip=250')
    >>> parse_page(b'{"error": {"code": "0x0", "message": "The query specified in the URI is not valid."}}', "u")
    Traceback (most recent call last):
    ...
    monitor.source.tk.ODataError: u: OData error 0x0: The query specified in the URI is not valid.
    """
    try:
        body = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ODataError(f"{url}: not JSON ({one_line(data[:80].decode('utf-8', 'replace'), 80)})") from None
    if not isinstance(body, dict):
        raise ODataError(f"{url}: not an OData response (a JSON {type(body).__name__})")
    if "error" in body:
        error = body["error"] if isinstance(body["error"], dict) else {"message": body["error"]}
        code = f" {error['code']}" if error.get("code") else ""
        raise ODataError(f"{url}: OData error{code}: {one_line(error.get('message') or '(no message)')}")
    rows = body.get("value")
    if not isinstance(rows, list):
        raise ODataError(f"{url}: an OData response without a value list")
    following = body.get("@odata.nextLink")
    return [r for r in rows if isinstance(r, dict)], following if isinstance(following, str) else None


def parse_document(row: dict, odata_url: str, dossier: str) -> TkDocument | None:
    """One row as a ``TkDocument``; None (one log line) for a row we cannot use."""
    guid = row.get("Id")
    name = row.get("DocumentNummer") or guid
    if not isinstance(guid, str) or not GUID.fullmatch(guid):
        log.warning("TK document %s skipped: no valid Id", name)
        return None
    dossiers = tuple(dossier_name(d) for d in row.get("Kamerstukdossier") or [] if isinstance(d, dict))
    dossiers = tuple(d for d in dossiers if d)
    if dossier not in dossiers:
        log.warning("TK document %s skipped: not linked to dossier %s (linked: %s)", name, dossier,
                    ", ".join(dossiers) or "none")
        return None
    if row.get("Verwijderd") is True:
        return None
    modified = row.get("GewijzigdOp")
    try:
        changed_at(modified)
    except (TypeError, ValueError):
        log.warning("TK document %s skipped: no usable GewijzigdOp (%r)", name, modified)
        return None
    number = row.get("DocumentNummer")
    version = row.get("HuidigeDocumentVersie") if isinstance(row.get("HuidigeDocumentVersie"), dict) else {}
    volgnummer = row.get("Volgnummer")
    return TkDocument(
        id=guid.lower(), number=number if isinstance(number, str) and _DOCUMENT_NUMBER.fullmatch(number) else None,
        kind=_text(row.get("Soort")), title=_text(row.get("Onderwerp")) or _text(row.get("Titel")) or str(name),
        date=_day(row.get("Datum")), registered=_day(row.get("DatumRegistratie")), modified=modified,
        dossiers=(dossier, *(d for d in dossiers if d != dossier)),
        volgnummer=volgnummer if isinstance(volgnummer, int) and not isinstance(volgnummer, bool) else None,
        external_id=_external_id(version), content_type=_text(row.get("ContentType")),
        resource_url=f"{odata_url.rstrip('/')}/Document({quote(guid.lower())})/resource",
    )


def changed_at(stamp: str) -> dt.datetime:
    """A ``GewijzigdOp`` stamp as a UTC moment (one without an offset is taken as UTC).

    >>> changed_at("2024-11-22T14:03:12.497+01:00").isoformat()
    '2024-11-22T13:03:12.497000+00:00'
    """
    moment = dt.datetime.fromisoformat(stamp)
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def dossier_name(entry: dict) -> str | None:
    """A ``Kamerstukdossier`` row as the dossier it names.

    >>> dossier_name({"Nummer": 21501, "Toevoeging": "02"}), dossier_name({"Nummer": 28676, "Toevoeging": None})
    ('21501-02', '28676')
    """
    number, suffix = entry.get("Nummer"), entry.get("Toevoeging")
    if not isinstance(number, int) or isinstance(number, bool):
        return None
    return f"{number}-{suffix}" if isinstance(suffix, str) and suffix.strip() else str(number)


def _external_id(version: dict) -> str | None:
    found = version.get("ExterneIdentifier")
    if isinstance(found, str) and _KST.fullmatch(found.strip()):
        return found.strip()
    for publication in version.get("DocumentPublicatie") or []:
        ident = publication.get("Identifier") if isinstance(publication, dict) else None
        if isinstance(ident, str) and _KST.fullmatch(ident.strip()):
            return ident.strip()
    return None


def _text(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _day(value: object) -> dt.date | None:
    """``2019-04-24T00:00:00+02:00`` → the date it names (the Dutch calendar day, as written)."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


# --- the file ----------------------------------------------------------------------------------


def fetch_document(client: SourceClient, doc: TkDocument, *,
                   validators: Mapping[str, Validators] | None = None) -> Fetched | None:
    """The document's file, checked to be what its ContentType says; None when the server says the
    stored copy is current (304). ``RefusedContent`` (one log line) for an error page or a file of
    a kind we do not keep."""
    kind = doc.manifestation
    if kind is None:
        log.warning("%s not taken: content type %s is neither PDF nor Word", doc.identifier, doc.content_type)
        raise RefusedContent(doc.resource_url, f"content type {doc.content_type} is neither PDF nor Word")
    known = (validators or {}).get(kind)
    try:
        response = client.get(doc.resource_url, etag=known and known.etag,
                              last_modified=known and known.last_modified)
        if response.not_modified:
            return None
        check_resource(kind, response.data, response.url)
    except SourceError as exc:
        log.warning("%s: %s not taken: %s", doc.identifier, kind, exc)
        raise
    return Fetched(manifestation=kind, url=response.url, data=response.data, fetched_at=utc_now(),
                   media_type=response.content_type, etag=response.etag, last_modified=response.last_modified)


def check_resource(kind: str, data: bytes, url: str) -> None:
    """Raise ``RefusedContent`` unless ``data`` is a PDF, or a Word file with a main document part.

    >>> check_resource("pdf", b"<html><title>Fout</title></html>", "u")
    Traceback (most recent call last):
    ...
    monitor.source.errors.RefusedContent: refused u: not a PDF (an HTML page?)
    """
    if kind == "pdf":
        if b"%PDF-" not in data[:1024]:
            raise RefusedContent(url, "not a PDF (an HTML page?)" if b"<" in data[:256] else "not a PDF")
        return
    if not data.startswith(b"PK\x03\x04"):
        raise RefusedContent(url, "not a Word file (an HTML page?)" if b"<" in data[:256] else "not a Word file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise RefusedContent(url, "a zip file without word/document.xml, not a Word document")
    except zipfile.BadZipFile:
        raise RefusedContent(url, "a damaged Word file (not a readable zip)") from None
