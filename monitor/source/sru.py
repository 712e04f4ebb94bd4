"""Find a dossier's Kamerstukken through the publisher's SRU 2.0 search service.

The query, paging and record fields follow ``shared/koop/API.md`` §1, §2 and §8. Records are
read by namespace URI, never by prefix, and unknown elements are ignored, so a server that
renames prefixes or adds fields does not break us.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from monitor.config import SourceConfig
from monitor.errors import SourceError
from monitor.model import Publication, natural_key
from monitor.source.errors import SruDiagnostic, one_line
from monitor.source.http import SourceClient
from monitor.source.xmlsafe import parse_xml

log = logging.getLogger(__name__)

SRU = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
DIAGNOSTIC_NS = ("http://docs.oasis-open.org/ns/search-ws/diagnostic", "http://www.loc.gov/zing/srw/diagnostic/")
GZD = "http://standaarden.overheid.nl/sru"
DCTERMS = "http://purl.org/dc/terms/"
OW = "http://standaarden.overheid.nl/wetgeving/"
CD = "http://standaarden.overheid.nl/cup/data"

# The record's change signals (see ``Publication.signals``): a republished letter may move any
# one of them alone (new item URLs and modified date under an unchanged gzd:timestamp, seen).
SIGNALS = (
    ("gzd:timestamp", f"{{{GZD}}}timestamp"),
    ("dcterms:modified", f"{{{DCTERMS}}}modified"),
    ("dcterms:hasVersion", f"{{{DCTERMS}}}hasVersion"),
    ("cd:datumTijdstipWijzigingExpression", f"{{{CD}}}datumTijdstipWijzigingExpression"),
    ("cd:datumTijdstipWijzigingWork", f"{{{CD}}}datumTijdstipWijzigingWork"),
)
# …/frbr/officielepublicaties/kst/28676/kst-28676-474/<expression>/xml/kst-28676-474.xml
_EXPRESSION = re.compile(r"/frbr/(?:[^/]+/)+?(?P<work>[^/]+)/(?P<expression>\d+)/(?P<kind>[^/]+)/[^/]+$")

_DOSSIER = re.compile(r"\d+(?:-[0-9A-Za-z]+)?")  # "28676", "21501-02", "36200-V"
_REISSUE = re.compile(r"^(?P<base>.+)-n\d+$")  # herdruk: "kst-28676-187-n1"


def build_query(dossier: str, since: dt.date | None = None) -> str:
    """The CQL for every Kamerstuk of ``dossier``, oldest publication first.

    >>> build_query("28676", dt.date(2024, 11, 1))
    'c.product-area==officielepublicaties AND w.dossiernummer==28676 AND w.publicatienaam==Kamerstuk AND dt.available>=2024-11-01 sortBy dt.available/sort.ascending'
    >>> build_query("21501-02")
    'c.product-area==officielepublicaties AND w.dossiernummer=="21501-02" AND w.publicatienaam==Kamerstuk sortBy dt.available/sort.ascending'
    """
    if not _DOSSIER.fullmatch(dossier):
        raise SourceError(f"not a dossier number: {dossier!r}")
    term = dossier if dossier.isdigit() else f'"{dossier}"'
    clauses = ["c.product-area==officielepublicaties", f"w.dossiernummer=={term}", "w.publicatienaam==Kamerstuk"]
    if since is not None:
        clauses.append(f"dt.available>={since.isoformat()}")
    return " AND ".join(clauses) + " sortBy dt.available/sort.ascending"


def search_params(query: str, start: int, page_size: int) -> dict[str, str]:
    return {
        "operation": "searchRetrieve",
        "version": "2.0",
        "query": query,
        "startRecord": str(start),
        "maximumRecords": str(page_size),
        "recordSchema": "gzd",
        "httpAccept": "application/xml",
    }


@dataclass(frozen=True)
class SruPage:
    total: int
    next_position: int | None
    keys: tuple[str, ...]  # per record: its position, else its identifier (the paging guard)
    publications: tuple[Publication, ...]


def search_dossier(
    client: SourceClient, config: SourceConfig, dossier: str, since: dt.date | None = None
) -> list[Publication]:
    """Every Kamerstuk of ``dossier`` (published on or after ``since``), each once, oldest first.

    Raises ``SourceError`` when any page fails: a partial list would let the caller move its
    watermark past publications it never saw.
    """
    query = build_query(dossier, since)
    start, pages, found = 1, 0, []
    seen: set[str] = set()
    while True:
        response = client.get(config.sru_url, params=search_params(query, start, config.page_size))
        page = parse_response(response.data, response.url)
        pages += 1
        if page.keys and seen.issuperset(page.keys):
            raise SourceError(f"SRU paging does not advance: startRecord={start} repeats records already read")
        seen.update(page.keys)
        found.extend(page.publications)
        # SRU 2.0 names the next start; without it (not yet seen from KOOP) count records instead.
        next_start = page.next_position if page.next_position is not None else start + len(page.keys)
        if not page.keys or next_start > page.total:
            break
        if next_start <= start:
            raise SourceError(f"SRU paging does not advance: nextRecordPosition {next_start} after {start}")
        start = next_start
    result = sort_publications(dedupe(p for p in found if belongs_to(p, dossier)))
    log.info("SRU: %d publications of dossier %s%s in %d page(s)", len(result), dossier,
             f" since {since}" if since else "", pages)
    return result


def belongs_to(pub: Publication, dossier: str) -> bool:
    """A Kamerstuk (``kst-``) of ``dossier``; bijlagen and other records a dossier query returns are not."""
    return pub.identifier.startswith("kst-") and (
        dossier in pub.dossiers or pub.identifier.startswith(f"kst-{dossier}-")
    )


def dedupe(pubs) -> list[Publication]:
    """One publication per identifier; of duplicates the most recently modified wins."""
    best: dict[str, Publication] = {}
    for pub in pubs:
        kept = best.get(pub.identifier)
        if kept is None or (pub.modified or "") > (kept.modified or ""):
            best[pub.identifier] = pub
    return list(best.values())


def sort_publications(pubs) -> list[Publication]:
    return sorted(pubs, key=lambda p: (p.available or dt.date.min, natural_key(p.identifier)))


# --- parsing --------------------------------------------------------------------------------


def parse_response(data: bytes, url: str = "(SRU response)") -> SruPage:
    """One ``searchRetrieveResponse`` page; a diagnostic becomes ``SruDiagnostic``."""
    root = parse_xml(data, url)
    diagnostic = _diagnostic(root)
    if diagnostic:
        raise SruDiagnostic(f"SRU service refused the query: {diagnostic}")
    if root.tag != f"{{{SRU}}}searchRetrieveResponse":
        raise SourceError(f"{url}: not an SRU 2.0 searchRetrieveResponse (root <{root.tag}>)")
    total = _int(root.findtext(f"{{{SRU}}}numberOfRecords"))
    if total is None:
        raise SourceError(f"{url}: SRU response without numberOfRecords")
    keys, publications = [], []
    for record in root.iterfind(f"{{{SRU}}}records/{{{SRU}}}record"):
        pub = parse_record(record)
        position = _int(record.findtext(f"{{{SRU}}}recordPosition"))
        keys.append(f"@{position}" if position is not None else pub.identifier if pub else f"#{id(record)}")
        if pub is not None:
            publications.append(pub)
    return SruPage(total, _int(root.findtext(f"{{{SRU}}}nextRecordPosition")), tuple(keys), tuple(publications))


def _diagnostic(root: ET.Element) -> str | None:
    for ns in DIAGNOSTIC_NS:
        for diag in root.iter(f"{{{ns}}}diagnostic"):
            parts = [diag.findtext(f"{{{ns}}}{name}") for name in ("message", "details", "uri")]
            return one_line(" — ".join(p.strip() for p in parts if p and p.strip()) or "unspecified")
    return None


def parse_record(record: ET.Element) -> Publication | None:
    """A ``sru:record`` (gzd schema) as a ``Publication``; None when it has no identifier."""
    identifier = _text(record, f".//{{{DCTERMS}}}identifier")
    if not identifier:
        log.warning("SRU record without dcterms:identifier skipped")
        return None
    dossiers: list[str] = []
    for el in record.iter(f"{{{OW}}}dossiernummer"):
        for d in (el.text or "").split(";"):
            if d.strip() and d.strip() not in dossiers:
                dossiers.append(d.strip())
    reissue = _REISSUE.match(identifier)
    base = reissue.group("base") if reissue else identifier
    if not dossiers:
        guessed = re.match(r"kst-(\d+)-", identifier)
        dossiers = [guessed.group(1)] if guessed else []
    dossier = dossiers[0] if dossiers else ""
    number = _text(record, f".//{{{OW}}}ondernummer")
    if number is None and dossier and base.startswith(f"kst-{dossier}-"):
        number = base[len(f"kst-{dossier}-"):]
    urls = _urls(record)
    return Publication(
        identifier=identifier,
        dossier=dossier,
        number=number,
        title=_title(record),
        document_type=_text(record, f".//{{{OW}}}subrubriek"),
        date=_date(_text(record, f".//{{{DCTERMS}}}date")),
        available=_date(_text(record, f".//{{{DCTERMS}}}available")),
        modified=_text(record, f".//{{{GZD}}}timestamp") or _text(record, f".//{{{DCTERMS}}}modified"),
        urls=urls,
        preferred_url=_text(record, f".//{{{GZD}}}preferredUrl"),
        dossiers=tuple(dossiers),
        reissue_of=base if reissue else None,
        signals=change_signals(record, urls),
    )


def change_signals(record: ET.Element, urls: dict[str, str]) -> dict[str, str]:
    """The record's change signals that are present; the FRBR expression of its item URLs as "expression".

    >>> url = "https://repository.overheid.nl/frbr/officielepublicaties/kst/28676/kst-28676-474/2/xml/kst-28676-474.xml"
    >>> change_signals(ET.Element("record"), {"xml": url})
    {'expression': '2'}
    """
    found = {name: value for name, path in SIGNALS if (value := _text(record, f".//{path}"))}
    expressions = sorted({m.group("expression") for url in urls.values() if (m := _EXPRESSION.search(url))})
    if expressions:
        found["expression"] = ",".join(expressions)
    return found


def _title(record: ET.Element) -> str:
    document_title = _text(record, f".//{{{OW}}}documenttitel")
    if document_title:
        return document_title
    # Before ~2010 there is no documenttitel; dcterms:title is "dossiertitel; documenttitel".
    title = _text(record, f".//{{{DCTERMS}}}title") or ""
    return title.split("; ", 1)[1] if "; " in title else title


def _urls(record: ET.Element) -> dict[str, str]:
    urls: dict[str, str] = {}
    for item in record.iter(f"{{{GZD}}}itemUrl"):
        kind, url = item.get("manifestation"), (item.text or "").strip()
        if kind and url:
            urls.setdefault(kind, url)
    main = _text(record, f".//{{{GZD}}}url")
    if main and "xml" not in urls and main.endswith(".xml"):
        urls["xml"] = main
    return urls


def _text(el: ET.Element, path: str) -> str | None:
    found = el.find(path)
    text = (found.text or "").strip() if found is not None else ""
    return text or None


def _int(text: str | None) -> int | None:
    try:
        return int(text.strip()) if text else None
    except ValueError:
        return None


def _date(text: str | None) -> dt.date | None:
    """The date part of an ISO date or timestamp; None for anything else.

    >>> _date("2024-11-25T10:35:38.545935+01:00"), _date("25-11-2024")
    (datetime.date(2024, 11, 25), None)
    """
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None
