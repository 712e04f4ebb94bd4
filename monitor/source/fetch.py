"""Download one publication's manifestations and refuse anything that is not the publication.

XML first (the structured text), the HTML page only when there is no XML, ``metadata.xml``
too, and the PDF when configured. Each body is checked before it is returned: the real site
answers unknown ids with HTTP 200 error pages or a redirect to a ``fout404`` URL ("soft 404"),
and XML may be truncated, malformed or carry entity declarations (XXE). A refusal is logged
here, once, and raised, so the caller only decides whether to go on with other publications.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Mapping
from typing import Protocol

from monitor.clock import utc_now
from monitor.errors import SourceError
from monitor.model import Fetched, Publication
from monitor.source.errors import NotFound, RefusedContent, SoftNotFound
from monitor.source.http import HttpResponse, SourceClient
from monitor.source.xmlsafe import parse_xml, root_element

log = logging.getLogger(__name__)

XML_ROOTS = {"xml": "officiele-publicatie", "metadata": "metadata_gegevens"}
# What the site's error pages say in their <title> (a letter's own title never does).
_ERROR_TITLE = re.compile(
    r"<title[^>]*>[^<]*(niet gevonden|niet beschikbaar|foutmelding|fout 404|page not found|\berror\b)", re.I
)
_XML_ENCODING = re.compile(rb"""\A<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.I)


class Validators(Protocol):
    """What a stored copy remembers of its HTTP validators (a ``Snapshot`` or ``Fetched`` fits)."""

    @property
    def etag(self) -> str | None: ...

    @property
    def last_modified(self) -> str | None: ...


def fetch_publication(
    client: SourceClient,
    pub: Publication,
    *,
    validators: Mapping[str, Validators] | None = None,
    want_pdf: bool = False,
) -> list[Fetched]:
    """The manifestations of ``pub`` whose bytes are new to the caller.

    ``validators`` maps a manifestation ("xml", "html", "metadata", "pdf") to the stored copy's
    ETag/Last-Modified; a manifestation the server reports unchanged (304) is left out, so an
    empty list means "nothing new". Raises a ``SourceError``: ``RefusedContent``/``ForeignHost``/
    ``TooLarge`` (``transient`` False: skip this publication) or an outage (``transient`` True).
    """
    validators = validators or {}
    fetched: list[Fetched] = []

    def get(kind: str, url: str) -> None:
        try:
            known = validators.get(kind)
            response = client.get(url, etag=known and known.etag, last_modified=known and known.last_modified)
            if response.not_modified:
                log.debug("%s %s: not modified", pub.identifier, kind)
                return
            check_manifestation(kind, response, pub.identifier)
        except NotFound:
            raise
        except SourceError as exc:
            log.warning("%s: %s not taken: %s", pub.identifier, kind, exc)
            raise
        fetched.append(Fetched(
            manifestation=kind, url=response.url, data=response.data,
            fetched_at=utc_now(), media_type=response.content_type,
            etag=response.etag, last_modified=response.last_modified,
        ))

    main = "html"
    if "xml" in pub.urls:
        try:
            get("xml", pub.urls["xml"])
            main = "xml"
        except NotFound:
            log.info("%s: no XML manifestation (HTTP 404), falling back to HTML", pub.identifier)
    if main == "html":
        html_url = pub.urls.get("html") or pub.preferred_url
        if not html_url:
            # this record will not get better by asking again: refuse it, as a bad one, and go on
            log.warning("%s: the record names neither an XML nor an HTML manifestation", pub.identifier)
            raise RefusedContent(pub.identifier, "the record names neither an XML nor an HTML manifestation")
        try:
            get("html", html_url)
        except NotFound as exc:
            log.warning("%s: html not taken: %s", pub.identifier, exc)
            raise
    optional = ["metadata"] + (["pdf"] if want_pdf else [])
    for kind in optional:
        if kind in pub.urls:
            try:
                get(kind, pub.urls[kind])
            except NotFound:
                log.warning("%s: %s listed but not found (HTTP 404); fetched without it", pub.identifier, kind)
    return fetched


def check_manifestation(kind: str, response: HttpResponse, identifier: str) -> None:
    """Raise ``RefusedContent`` unless ``response`` really is the ``kind`` manifestation."""
    url, data = response.url, response.data
    if "fout404" in url.lower():
        raise SoftNotFound(url, "redirected to the site's not-found page (soft 404)")
    if kind in XML_ROOTS:
        expected, root = XML_ROOTS[kind], root_element(data)
        if root != expected:
            found = f"<{root}>" if root else "no XML element"
            raise SoftNotFound(url, f"expected <{expected}>, got {found} (soft 404 or wrong document)")
        parse_xml(data, url)
    elif kind == "html":
        head = decode_text(data[:8192], response.content_type)
        if _ERROR_TITLE.search(head):
            raise SoftNotFound(url, "an error page served as HTTP 200 (soft 404)")
        if identifier.lower() not in decode_text(data, response.content_type).lower():
            raise SoftNotFound(url, f"the page does not mention {identifier} (soft 404 or wrong document)")
    elif kind == "pdf":
        if b"%PDF-" not in data[:1024]:
            raise RefusedContent(url, "not a PDF (no %PDF- header)")


def declared_encoding(data: bytes, content_type: str | None = None) -> str | None:
    """The encoding the bytes say they are in: a UTF-8 BOM, else the XML declaration, else the HTTP charset.

    >>> declared_encoding(b'<?xml version="1.0" encoding="UTF-8"?><a/>', "text/xml; charset=iso-8859-1")
    'UTF-8'
    >>> declared_encoding(b"<html>", "text/html; charset=windows-1252"), declared_encoding(b"<html>")
    ('windows-1252', None)
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if declared := _XML_ENCODING.match(data):
        return declared.group(1).decode("ascii")
    charset = _CHARSET.search(content_type or "")
    return charset.group(1) if charset else None


def decode_text(data: bytes, content_type: str | None = None) -> str:
    """Text of fetched bytes: BOM, else the XML declaration, else the HTTP charset, else UTF-8.

    The first of those that decodes cleanly wins; when none does, UTF-8 with replacement
    characters, so a bad byte costs one character, never the document.

    >>> decode_text('<?xml version="1.0" encoding="iso-8859-1"?><a>Oekraïne</a>'.encode("latin-1"))
    '<?xml version="1.0" encoding="iso-8859-1"?><a>Oekraïne</a>'
    >>> decode_text("coördinatie".encode("cp1252"), "text/html; charset=windows-1252")
    'coördinatie'
    >>> decode_text(b"\\xef\\xbb\\xbf\\xe2\\x82\\xac 5 miljoen", "text/plain; charset=iso-8859-1")
    '€ 5 miljoen'
    >>> decode_text(b"caf\\xe9")
    'caf�'
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    declared = _XML_ENCODING.match(data)
    charset = _CHARSET.search(content_type or "")
    for name in (declared and declared.group(1).decode("ascii"), charset and charset.group(1), "utf-8"):
        if not name:
            continue
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")
