"""The publisher's content XML (``kst-….xml``, root ``<officiele-publicatie>``) into blocks.

Read by element names only, descending into anything unknown, so schema additions do not
break reading. The parser refuses DTD entities outright: this XML never needs them, and
refusing them closes entity-expansion and external-entity attacks (the bytes come from the
network).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from monitor.documents.assemble import Block, Hints
from monitor.documents.letterhead import KST_ID
from monitor.errors import BadInput, NotAnAgenda

ROOT = "officiele-publicatie"
_HEADINGS = frozenset({"kop", "tussenkop"})
_PARAGRAPHS = frozenset({"al"})
# Letterhead, signature and footnotes: fixed or secondary text, never compared.
_SKIPPED = frozenset(
    {"metadata", "kamerstukkop", "dossier", "stuknr", "ondertekening", "noot", "noten", "voetnoot", "voetnoten"}
)
_KOP_PARTS = ("nr", "titel", "label")


def read_xml(data: bytes, source: str) -> tuple[list[Block], Hints]:
    """Blocks and metadata of an officielepublicaties XML document."""
    root = parse_safely(data, source)
    tag = _local(root.tag)
    if tag != ROOT:
        raise NotAnAgenda(f"{source}: XML root is <{tag}>, not an officiële publicatie")
    return list(_walk(root)), _hints(root)


def parse_safely(data: bytes, source: str) -> ET.Element:
    """The root of XML from the network; entities refused outright, bad syntax one ``BadInput`` line."""
    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadInput(f"{source}: XML declares entities ({type(exc).__name__}); refused") from None
    except ET.ParseError as exc:
        raise BadInput(f"{source}: not well-formed XML ({exc})") from None


def _walk(element: ET.Element) -> Iterator[Block]:
    for child in element:
        tag = _local(child.tag)
        if tag in _SKIPPED:
            continue
        if tag in _HEADINGS:
            yield Block("heading", _kop_text(child))
        elif tag in _PARAGRAPHS:
            yield Block("paragraph", _text(child))
        elif tag == "titel" and _local(element.tag) == "stuk":
            yield Block("heading", _text(child))  # the stuk's own title: "BRIEF VAN DE MINISTER …"
        else:
            yield from _walk(child)


def _kop_text(kop: ET.Element) -> str:
    parts = [_text(part) for part in kop if _local(part.tag) in _KOP_PARTS]
    return " ".join(p for p in parts if p) or _text(kop)


def _text(element: ET.Element) -> str:
    """All text inside ``element`` except footnotes, which would land mid-sentence."""
    pieces = [element.text or ""]
    for child in element:
        if _local(child.tag) not in _SKIPPED:
            pieces.append(_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _hints(root: ET.Element) -> Hints:
    identifier = None
    for meta in root.iter():
        if _local(meta.tag) == "meta" and (m := KST_ID.search(meta.get("content", ""))):
            identifier = m.group(0).lower()
            break
    dossier = _first_text(root, "dossiernr")
    number = _first_text(root, "ondernummer")
    return Hints(
        identifier=identifier,
        dossier=dossier.replace(" ", "") if dossier else None,
        number=number,
        date=_stated_date(root),
    )


def _stated_date(root: ET.Element) -> dt.date | None:
    """The date in the stuk's ``<datumtekst>`` ("Voorgesteld <datum isodatum=…>"), which is never read as text."""
    for element in root.iter():
        if _local(element.tag) == "datumtekst":
            for datum in element.iter():
                if _local(datum.tag) == "datum" and datum.get("isodatum"):
                    try:
                        return dt.date.fromisoformat(datum.get("isodatum", "")[:10])
                    except ValueError:
                        return None
    return None


def _first_text(root: ET.Element, name: str) -> str | None:
    for element in root.iter():
        if _local(element.tag) == name:
            return " ".join(_text(element).split()) or None
    return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
