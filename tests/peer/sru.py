"""The peer's SRU 2.0 side: just enough CQL, and responses in the shape of the KOOP service.

The envelope and record layout copy the captured responses in ``tests/fixtures/koop/captured``
(namespaces on the root, 4-space indent, every change signal a real record carries).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from tests.peer.corpus import PeerDoc

NAMESPACES = (  # as the captured responses declare them, all on the root
    'xmlns:overheidwetgeving="http://standaarden.overheid.nl/wetgeving/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:cd="http://standaarden.overheid.nl/cup/data" '
    'xmlns:sru="http://docs.oasis-open.org/ns/search-ws/sruResponse" '
    'xmlns:gzd="http://standaarden.overheid.nl/sru" '
    'xmlns:diag="http://docs.oasis-open.org/ns/search-ws/diagnostic" '
    'xmlns:facet="http://docs.oasis-open.org/ns/search-ws/facetedResults" '
    'xmlns:c="http://standaarden.overheid.nl/collectie/"'
)
ITEM_ORDER = ("html", "metadata", "metadataowms", "odt", "pdf", "xml")
DIAG_NS = "http://docs.oasis-open.org/ns/search-ws/diagnostic"
MAX_RECORDS = 1000  # the service's page limit, as clients observe it

_CLAUSE = re.compile(r'^\s*([a-z][\w.-]*)\s*(==|>=|<=|=|>|<)\s*("([^"]*)"|(\S+))\s*$', re.I)
_SORT = re.compile(r"^\s*([a-z][\w.-]*)(?:\s*/\s*sort\.(ascending|descending))?\s*$", re.I)


class CqlError(ValueError):
    """A query the peer cannot parse; carries the SRU diagnostic number."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Query:
    clauses: tuple[tuple[str, str, str], ...]  # (index, operator, value)
    sort_key: str = "dt.available"
    descending: bool = False


def parse_cql(text: str) -> Query:
    """``a==b AND c>=d … sortBy x/sort.ascending`` (the subset our client and KOOP users send)."""
    pieces = re.split(r"\s+sortBy\s+", text, maxsplit=1, flags=re.I)
    where, sort = pieces[0], pieces[1] if len(pieces) > 1 else ""
    clauses = []
    for part in re.split(r"\s+AND\s+", where.strip(), flags=re.I):
        m = _CLAUSE.match(part)
        if not m:
            near = part.strip().split(" ")[0] if part.strip() else "<EOF>"
            raise CqlError(10, f"mismatched input '{near}' expecting {{<EOF>, AND, OR, NOT, PROX, SORTBY}}")
        clauses.append((m.group(1).lower(), m.group(2), m.group(4) if m.group(4) is not None else m.group(5)))
    if not sort:
        return Query(tuple(clauses))
    m = _SORT.match(sort)
    if not m:
        raise CqlError(10, f"mismatched input '{sort.strip()}' in sortBy")
    return Query(tuple(clauses), m.group(1).lower(), (m.group(2) or "").lower() == "descending")


def _compare(actual, op: str, wanted) -> bool:
    return {"==": actual == wanted, "=": actual == wanted, ">=": actual >= wanted,
            "<=": actual <= wanted, ">": actual > wanted, "<": actual < wanted}[op]


def matches(doc: PeerDoc, query: Query) -> bool:
    for index, op, value in query.clauses:
        if index == "c.product-area":
            ok = value == "officielepublicaties"
        elif index == "w.dossiernummer":
            ok = value == doc.dossier
        elif index == "w.publicatienaam":
            ok = value == doc.publicatienaam
        elif index == "dt.identifier":
            ok = value == doc.identifier
        elif index == "w.ondernummer":
            ok = value == doc.number
        elif index in ("dt.available", "dt.modified", "dt.date"):
            try:
                wanted = dt.date.fromisoformat(value)
            except ValueError:
                raise CqlError(36, f"Term in invalid format for index or relation: {value}") from None
            actual = {"dt.available": doc.available, "dt.modified": doc.modified.date(), "dt.date": doc.date}[index]
            ok = _compare(actual, op, wanted)
        else:
            raise CqlError(16, f"Unsupported index: {index}")
        if not ok:
            return False
    return True


def sort_docs(docs: list[PeerDoc], query: Query) -> list[PeerDoc]:
    key = {"dt.available": lambda d: d.available, "dt.date": lambda d: d.date,
           "dt.modified": lambda d: d.modified}.get(query.sort_key)
    if key is None:
        raise CqlError(16, f"Unsupported index in sortBy: {query.sort_key}")
    # Ties fall back to plain string order (kst-…-100 before kst-…-99): clients must sort themselves.
    return sorted(docs, key=lambda d: (key(d), d.identifier), reverse=query.descending)


def _url(base: str, doc: PeerDoc, kind: str) -> str:
    return base + doc.path(kind)


def record_xml(doc: PeerDoc, base: str, position: int) -> str:
    """One ``sru:record`` in the gzd schema, elements in the captured records' order."""
    if doc.host:
        base = re.sub(r"//[^:/]+", f"//{doc.host}", base, count=1)
    e = escape
    preferred = f"{base}/{doc.identifier}.html"
    items = "".join(
        f'\n                        <gzd:itemUrl manifestation="{kind}">{e(_url(base, doc, kind))}</gzd:itemUrl>'
        for kind in ITEM_ORDER if kind in doc.files
    )
    main = _url(base, doc, "xml" if "xml" in doc.files else "pdf" if "pdf" in doc.files else "html")
    return f"""
        <sru:record>
            <sru:recordSchema>http://standaarden.overheid.nl/sru/</sru:recordSchema>
            <sru:recordPacking>xml</sru:recordPacking>
            <sru:recordData>
                <gzd:gzd>
                    <gzd:originalData>
                        <overheidwetgeving:meta>
                            <overheidwetgeving:owmskern>
                                <dcterms:identifier>{e(doc.identifier)}</dcterms:identifier>
                                <dcterms:title>{e(doc.dossier_title)}; {e(doc.title)}</dcterms:title>
                                <dcterms:language>nl</dcterms:language>
                                <dcterms:type scheme="OVERHEIDop.Parlementair">{e(doc.dcterms_type)}</dcterms:type>
                                <dcterms:creator scheme="OVERHEID.StatenGeneraal">Tweede Kamer der Staten-Generaal</dcterms:creator>
                                <dcterms:modified>{doc.stamp("dcterms:modified")}</dcterms:modified>
                            </overheidwetgeving:owmskern>
                            <overheidwetgeving:owmsmantel>
                                <dcterms:available>{doc.available.isoformat()}</dcterms:available>
                                <dcterms:date>{doc.date.isoformat()}</dcterms:date>
                                <dcterms:hasVersion resourceIdentifier="{e(preferred)}">{doc.has_version}</dcterms:hasVersion>
                                <dcterms:issued>{doc.date.isoformat()}</dcterms:issued>
                            </overheidwetgeving:owmsmantel>
                            <overheidwetgeving:tpmeta>
                                <c:product-area>officielepublicaties</c:product-area>
                                <c:content-area>officielepublicaties/kst/{e(doc.dossier)}</c:content-area>
                                <overheidwetgeving:documentstatus>Opgemaakt na onopgemaakt</overheidwetgeving:documentstatus>
                                <overheidwetgeving:documenttitel>{e(doc.title)}</overheidwetgeving:documenttitel>
                                <overheidwetgeving:dossiertitel>{e(doc.dossier_title)}</overheidwetgeving:dossiertitel>
                                <overheidwetgeving:ondernummer>{e(doc.number)}</overheidwetgeving:ondernummer>
                                <overheidwetgeving:organisatietype scheme="OVERHEID.Organisatietype">staten generaal</overheidwetgeving:organisatietype>
                                <overheidwetgeving:publicatienaam>{e(doc.publicatienaam)}</overheidwetgeving:publicatienaam>
                                <overheidwetgeving:vergaderjaar>{doc.session_year}</overheidwetgeving:vergaderjaar>
                                <overheidwetgeving:dossiernummer>{e(doc.dossier)}</overheidwetgeving:dossiernummer>
                                <overheidwetgeving:subrubriek scheme="OVERHEIDop.KamerstukTypen">{e(doc.document_type)}</overheidwetgeving:subrubriek>
                                <cd:datumTijdstipWijzigingWork>{doc.stamp("cd:datumTijdstipWijzigingWork")}</cd:datumTijdstipWijzigingWork>
                                <cd:datumTijdstipWijzigingExpression>{doc.stamp("cd:datumTijdstipWijzigingExpression")}</cd:datumTijdstipWijzigingExpression>
                            </overheidwetgeving:tpmeta>
                        </overheidwetgeving:meta>
                    </gzd:originalData>
                    <gzd:enrichedData>
                        <gzd:url>{e(main)}</gzd:url>
                        <gzd:preferredUrl>{e(preferred)}</gzd:preferredUrl>{items}
                        <gzd:timestamp>{doc.stamp("gzd:timestamp")}</gzd:timestamp>
                    </gzd:enrichedData>
                </gzd:gzd>
            </sru:recordData>
            <sru:recordPosition>{position}</sru:recordPosition>
        </sru:record>"""


def response_xml(docs: list[PeerDoc], total: int, start: int, base: str, *, next_position: bool = True,
                 query: str = "", maximum: int = 10) -> bytes:
    """A ``searchRetrieveResponse`` page with the captured envelope: the records, the next
    position, the request echoed and the count's precision."""
    records = "".join(record_xml(d, base, start + i) for i, d in enumerate(docs))
    following = start + len(docs)
    nxt = (f"\n    <sru:nextRecordPosition>{following}</sru:nextRecordPosition>"
           if next_position and docs and following <= total else "")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sru:searchRetrieveResponse {NAMESPACES}>\n'
        f"    <sru:version>2.0</sru:version>\n    <sru:numberOfRecords>{total}</sru:numberOfRecords>\n"
        f"    <sru:records>{records}\n    </sru:records>{nxt}\n"
        "    <sru:echoedSearchRetrieveRequest>\n"
        f"        <sru:query>{escape(query)}</sru:query>\n"
        f"        <sru:startRecord>{start}</sru:startRecord>\n"
        f"        <sru:maximumRecords>{maximum}</sru:maximumRecords>\n"
        "        <sru:recordXMLEscaping>xml</sru:recordXMLEscaping>\n"
        "        <sru:recordSchema>http://standaarden.overheid.nl/sru/</sru:recordSchema>\n"
        "    </sru:echoedSearchRetrieveRequest>\n"
        "    <sru:resultCountPrecision>info:srw/vocabulary/resultCountPrecision/1/estimate</sru:resultCountPrecision>\n"
        "</sru:searchRetrieveResponse>"
    ).encode("utf-8")


def diagnostic_xml(code: int, message: str) -> bytes:
    """A diagnostic, as the service sends it for a bad query: HTTP 200, no numberOfRecords."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sru:searchRetrieveResponse {NAMESPACES}>\n'
        "    <sru:version>2.0</sru:version>\n"
        "    <sru:diagnostics>\n        <diag:diagnostic>\n"
        f"            <diag:uri>info:srw/diagnostic/1/{code}</diag:uri>\n"
        f"            <diag:message>{escape(message)}</diag:message>\n"
        "        </diag:diagnostic>\n    </sru:diagnostics>\n</sru:searchRetrieveResponse>"
    ).encode("utf-8")
