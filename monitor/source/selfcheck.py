"""Ask the live publisher whether it still answers the way this package expects.

Every expectation the source code relies on, checked on one search page per dossier and on the
manifestations of the newest letter: the namespaces records are read by, the fields taken from
them, the sort order and the paging the search loop trusts, the item URL forms, the soft-404
guard, the encodings. Each check is one ``Check`` with its evidence; the raw answers can be
kept (``save``) in the layout of ``tests/fixtures/koop/captured``, ready to become fixtures.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import defusedxml.ElementTree as safe_et

from monitor.clock import utc_now
from monitor.config import SourceConfig
from monitor.errors import MonitorError, SourceError
from monitor.model import Check, Publication
from monitor.source.errors import NotFound, RefusedContent
from monitor.source.fetch import check_manifestation, declared_encoding
from monitor.source.http import SourceClient
from monitor.source.sru import (
    CD, DCTERMS, GZD, OW, SRU, build_query, parse_record, parse_response, search_params,
)
from monitor.source.xmlsafe import parse_xml, root_element

# namespace URI -> the prefix the captured responses give it; the parser reads by URI
NAMESPACES = {SRU: "sru", GZD: "gzd", DCTERMS: "dcterms", OW: "overheidwetgeving", CD: "cd"}
# what a Kamerstuk record must carry (path inside the record) and what it should carry
REQUIRED_FIELDS = {
    "dcterms:identifier": f".//{{{DCTERMS}}}identifier",
    "dcterms:title": f".//{{{DCTERMS}}}title",
    "dcterms:available": f".//{{{DCTERMS}}}available",
    "dcterms:date": f".//{{{DCTERMS}}}date",
    "overheidwetgeving:dossiernummer": f".//{{{OW}}}dossiernummer",
    "gzd:preferredUrl": f".//{{{GZD}}}preferredUrl",
    "gzd:itemUrl xml": f".//{{{GZD}}}itemUrl[@manifestation='xml']",
    "gzd:itemUrl html": f".//{{{GZD}}}itemUrl[@manifestation='html']",
    "gzd:itemUrl metadata": f".//{{{GZD}}}itemUrl[@manifestation='metadata']",
    "gzd:timestamp": f".//{{{GZD}}}timestamp",
}
EXPECTED_FIELDS = {
    "overheidwetgeving:documenttitel": f".//{{{OW}}}documenttitel",
    "overheidwetgeving:ondernummer": f".//{{{OW}}}ondernummer",
    "overheidwetgeving:subrubriek": f".//{{{OW}}}subrubriek",
    "gzd:itemUrl pdf": f".//{{{GZD}}}itemUrl[@manifestation='pdf']",
    "dcterms:modified": f".//{{{DCTERMS}}}modified",
    "dcterms:hasVersion": f".//{{{DCTERMS}}}hasVersion",
    "cd:datumTijdstipWijzigingExpression": f".//{{{CD}}}datumTijdstipWijzigingExpression",
    "cd:datumTijdstipWijzigingWork": f".//{{{CD}}}datumTijdstipWijzigingWork",
}
_ITEM_URL = re.compile(r"^https?://[^/]+/frbr/officielepublicaties/kst/[^/]+/(?P<id>kst-[^/]+)/\d+/"
                       r"(?P<kind>[a-z]+)/[^/]+$")
_TITLE = re.compile(rb"<title[^>]*>([^<]{0,120})", re.I)
UNKNOWN_ID = "kst-00000-0"  # no Kamerstuk has it: what the site answers for it must be refused


@dataclass
class Saved:
    """Where ``--save`` writes, in the layout of ``tests/fixtures/koop/captured``."""

    folder: Path | None
    files: list[tuple[str, str]] = field(default_factory=list)  # (relative path, URL)

    def keep(self, relative: str, url: str, data: bytes) -> None:
        if self.folder is None:
            return
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files.append((relative, url))


def check_publisher(client: SourceClient, config: SourceConfig, saved: Saved) -> list[Check]:
    """One search page per dossier, then the newest Kamerstuk of the first dossier, fetched whole."""
    checks: list[Check] = []
    for dossier in config.dossiers:
        checks += _check_search(client, config, dossier, saved)
    if config.dossiers:
        checks += _check_newest_letter(client, config, config.dossiers[0], saved)
    return checks


# --- the search --------------------------------------------------------------------------------


def _check_search(client: SourceClient, config: SourceConfig, dossier: str, saved: Saved) -> list[Check]:
    label = f"SRU {dossier}"
    try:
        response = client.get(config.sru_url, params=search_params(build_query(dossier), 1, config.page_size))
    except MonitorError as exc:
        return [Check(f"{label}: search answers", "fail", str(exc))]
    saved.keep(f"sru-{dossier}.xml", response.url, response.data)
    checks = [Check(f"{label}: search answers", "ok",
                    f"HTTP {response.status}, {len(response.data)} bytes, {response.content_type or 'no Content-Type'}")]
    root = _xml_answer(response.data, response.url, checks, label)
    if root is None:
        return checks
    checks.append(_encoding(response.data, response.content_type, f"{label}:"))
    checks.append(_namespaces(response.data, label))
    try:
        page = parse_response(response.data, response.url)
    except MonitorError as exc:
        return checks + [Check(f"{label}: records", "fail", str(exc))]
    records = list(root.iterfind(f"{{{SRU}}}records/{{{SRU}}}record"))
    checks.append(_paging(root, page.total, len(records), label))
    kst = [(r, p) for r in records if (p := parse_record(r)) is not None and p.identifier.startswith("kst-")]
    checks += _fields([r for r, _ in kst], label)
    pubs = [p for _, p in kst]
    checks.append(_sort_order(pubs, label))
    checks.append(_item_urls(pubs, config, label))
    return checks


def _xml_answer(data: bytes, url: str, checks: list[Check], label: str) -> ET.Element | None:
    """The parsed answer, or None with a failed check saying what came instead of XML."""
    root_name = root_element(data)
    if root_name == "html" or root_name is None:
        checks.append(Check(f"{label}: answer is XML", "fail", f"got {what_came(data, 'XML')}"))
        return None
    try:
        root = parse_xml(data, url)
    except RefusedContent as exc:
        checks.append(Check(f"{label}: answer is XML", "fail", exc.reason))
        return None
    checks.append(Check(f"{label}: answer is XML", "ok", f"root <{root_name}>"))
    return root


def what_came(data: bytes, wanted: str) -> str:
    """What an answer is when it is not what was asked for: an error page by its title.

    >>> what_came(b"<!DOCTYPE html><html><head><title>Pagina niet gevonden</title>", "XML")
    "an HTML page (title 'Pagina niet gevonden')"
    >>> what_came(b"status 500", "JSON")
    "no JSON (b'status 500')"
    """
    title = _TITLE.search(data[:4096])
    if title:
        return f"an HTML page (title {title.group(1).decode('utf-8', 'replace').strip()!r})"
    return f"no {wanted} ({data[:40]!r})"


def _encoding(data: bytes, content_type: str | None, label: str) -> Check:
    """The bytes decode strictly in the encoding they declare (XML declaration, else HTTP charset)."""
    declared = declared_encoding(data, content_type)
    name = declared or "utf-8"
    try:
        data.removeprefix(codecs.BOM_UTF8).decode(name)
    except (LookupError, UnicodeDecodeError) as exc:
        return Check(f"{label} encoding", "fail", f"declared {name}, but does not decode as such ({exc})")
    return Check(f"{label} encoding", "ok", f"{name}{'' if declared else ' (undeclared)'}, decodes cleanly")


def _namespaces(data: bytes, label: str) -> Check:
    """Every namespace URI the parser reads by must be there; other prefixes for them do no harm."""
    declared: dict[str, str] = {}
    for _event, (prefix, uri) in safe_et.iterparse(io.BytesIO(data), events=("start-ns",), forbid_entities=True,
                                                   forbid_external=True):
        declared.setdefault(uri, prefix)
    missing = [uri for uri in NAMESPACES if uri != CD and uri not in declared]
    if missing:
        by_prefix = {prefix: uri for uri, prefix in declared.items()}
        found = "; ".join(f"{NAMESPACES[u]}: {by_prefix.get(NAMESPACES[u], 'not declared')}" for u in missing)
        return Check(f"{label}: namespaces", "fail", f"missing {', '.join(missing)} (found {found})")
    renamed = [f"{NAMESPACES[u]} is now {declared[u] or '(default)'}" for u in NAMESPACES
               if u in declared and declared[u] != NAMESPACES[u]]
    if CD not in declared:
        return Check(f"{label}: namespaces", "warn", f"no {CD}: the datumTijdstipWijziging stamps are gone")
    if renamed:
        return Check(f"{label}: namespaces", "warn", "prefix renamed: " + ", ".join(renamed)
                     + " (records are read by namespace URI: no harm)")
    return Check(f"{label}: namespaces", "ok", ", ".join(f"{p}={u}" for u, p in NAMESPACES.items()))


def _paging(root: ET.Element, total: int, records: int, label: str) -> Check:
    positions = [el.text for el in root.iterfind(f"{{{SRU}}}records/{{{SRU}}}record/{{{SRU}}}recordPosition")]
    following = root.findtext(f"{{{SRU}}}nextRecordPosition")
    evidence = f"numberOfRecords {total}, {records} records, positions {','.join(p or '?' for p in positions[:3])}…"
    if positions != [str(i) for i in range(1, records + 1)]:
        return Check(f"{label}: paging", "fail", f"{evidence}: recordPosition is not 1…{records}")
    if total > records and following is None:
        return Check(f"{label}: paging", "warn", f"{evidence}, no nextRecordPosition (the search counts records)")
    if total > records and following.strip() != str(records + 1):
        return Check(f"{label}: paging", "fail", f"{evidence}, nextRecordPosition {following} (expected {records + 1})")
    return Check(f"{label}: paging", "ok", evidence + (f", next {following}" if following else ", one page"))


def _fields(records: list[ET.Element], label: str) -> list[Check]:
    if not records:
        return [Check(f"{label}: record fields", "warn", "no Kamerstuk in the first page to look at")]
    checks = []
    for fields, status in ((REQUIRED_FIELDS, "fail"), (EXPECTED_FIELDS, "warn")):
        missing = {name: [r for r in records if r.find(path) is None] for name, path in fields.items()}
        gaps = [f"{name} missing in {len(rs)} of {len(records)} ({_id(rs[0])}…)" for name, rs in missing.items() if rs]
        kind = "required" if status == "fail" else "expected"
        checks.append(Check(f"{label}: {kind} record fields", status if gaps else "ok",
                            "; ".join(gaps) if gaps else f"all {len(fields)} in each of {len(records)} Kamerstukken"))
    return checks


def _id(record: ET.Element) -> str:
    return record.findtext(f".//{{{DCTERMS}}}identifier") or "?"


def _sort_order(pubs: list[Publication], label: str) -> Check:
    days = [p.available for p in pubs]
    if None in days:
        return Check(f"{label}: sort order", "fail", "a record without dcterms:available cannot be ordered")
    for before, after in zip(pubs, pubs[1:]):
        if after.available < before.available:
            return Check(f"{label}: sort order", "fail", f"{after.identifier} ({after.available}) comes after "
                         f"{before.identifier} ({before.available}): not dt.available ascending")
    span = f"{days[0]} … {days[-1]}" if days else "no records"
    return Check(f"{label}: sort order", "ok", f"dt.available ascending, {span}")


def _item_urls(pubs: list[Publication], config: SourceConfig, label: str) -> Check:
    allowed = {h.lower() for h in config.allowed_hosts}
    for pub in pubs:
        for kind, url in sorted(pub.urls.items()):
            match = _ITEM_URL.match(url)
            host = (urlsplit(url).hostname or "").lower()
            if match is None or match.group("id") != pub.identifier or match.group("kind") != kind:
                return Check(f"{label}: item URLs", "fail", f"{pub.identifier} {kind}: {url} is not "
                             ".../frbr/officielepublicaties/kst/<dossier>/<id>/<expression>/<kind>/<file>")
            if host not in allowed:
                return Check(f"{label}: item URLs", "fail", f"{url}: host {host} is not in source.allowed_hosts")
    count = sum(len(p.urls) for p in pubs)
    return Check(f"{label}: item URLs", "ok", f"{count} URLs in the FRBR form, on allowed hosts")


# --- one letter, whole --------------------------------------------------------------------------


def _check_newest_letter(client: SourceClient, config: SourceConfig, dossier: str, saved: Saved) -> list[Check]:
    label = f"letter {dossier}"
    query = build_query(dossier).replace("sort.ascending", "sort.descending")
    try:
        response = client.get(config.sru_url, params=search_params(query, 1, 1))
        page = parse_response(response.data, response.url)
    except MonitorError as exc:
        return [Check(f"{label}: newest Kamerstuk", "fail", str(exc))]
    saved.keep(f"sru-{dossier}-newest.xml", response.url, response.data)
    if not page.publications:
        return [Check(f"{label}: newest Kamerstuk", "warn", "the dossier has no Kamerstuk to fetch")]
    pub = page.publications[0]
    checks = [Check(f"{label}: newest Kamerstuk", "ok", f"{pub.identifier}, available {pub.available}")]
    texts: dict[str, bytes] = {}
    for kind in ("xml", "html", "metadata", "pdf"):
        url = pub.urls.get(kind)
        if url is None:
            checks.append(Check(f"{label}: {kind}", "warn", f"{pub.identifier} lists no {kind} manifestation"))
            continue
        try:
            got = client.get(url)
            check_manifestation(kind, got, pub.identifier)
        except MonitorError as exc:
            checks.append(Check(f"{label}: {kind}", "fail", str(exc)))
            continue
        name = {"metadata": "metadata.xml"}.get(kind, f"{pub.identifier}.{kind}")
        saved.keep(f"{pub.identifier}/{name}", got.url, got.data)
        texts[kind] = got.data
        checks.append(Check(f"{label}: {kind}", "ok", f"{len(got.data)} bytes, {got.content_type}"))
        if kind != "pdf":
            checks.append(_encoding(got.data, got.content_type, f"{label}: {kind}"))
    checks.append(_same_text(texts, pub.identifier, label))
    checks.append(_soft_404_guard(client, pub, label))
    return checks


def _same_text(texts: dict[str, bytes], identifier: str, label: str) -> Check:
    """The letter's XML and its page read to the same sentences: a letter without XML is read
    from its page, and its next version must not differ only by format."""
    from monitor.documents import read_document  # the documents stage, only for this comparison

    keys = {}
    for kind in ("xml", "html"):
        if kind in texts:
            try:
                keys[kind] = [s.key for s in read_document(texts[kind], source=kind, name=f"{identifier}.{kind}")
                              .sentences]
            except MonitorError as exc:
                return Check(f"{label}: formats read alike", "fail", f"{kind}: {exc}")
    counts = ", ".join(f"{kind} {len(k)}" for kind, k in keys.items())
    differ = [kind for kind, k in keys.items() if k != next(iter(keys.values()))]
    if differ:
        return Check(f"{label}: formats read alike", "warn", f"sentences {counts}; {', '.join(differ)} differ")
    return Check(f"{label}: formats read alike", "ok", f"the same sentences: {counts}")


def _soft_404_guard(client: SourceClient, pub: Publication, label: str) -> Check:
    """What the site answers for an unknown id must be refused, whatever its status code."""
    url = (pub.preferred_url or pub.urls.get("html", "")).replace(pub.identifier, UNKNOWN_ID)
    try:
        got = client.get(url)
        check_manifestation("html", got, UNKNOWN_ID)
    except NotFound as exc:
        return Check(f"{label}: soft-404 guard", "ok", f"unknown id: {exc}")
    except RefusedContent as exc:
        return Check(f"{label}: soft-404 guard", "ok", f"unknown id refused: {exc.reason}")
    except SourceError as exc:
        return Check(f"{label}: soft-404 guard", "warn", f"unknown id: {exc}")
    return Check(f"{label}: soft-404 guard", "fail", f"{url} answered HTTP {got.status} with a page the guard "
                 "takes for a letter")


def provenance(saved: Saved, checks: list[Check], when: dt.datetime | None = None) -> str:
    """The note ``--save`` writes next to the files: where each came from, when, and what was checked."""
    when = when or utc_now()
    rows = "\n".join(f"| `{path}` | {url} |" for path, url in saved.files)
    marks = "\n".join(f"- {check.line()}" for check in checks)
    return (f"# Captured by `dossier-monitor doctor --live --save` on {when.isoformat(timespec='seconds')}\n\n"
            "Byte for byte as the publisher sent them.\n\n| file | URL |\n|---|---|\n"
            f"{rows}\n\n## Checks\n\n{marks}\n")
