"""XML from the network, parsed without entity expansion, DTD fetching or network access.

>>> parse_xml(b"<a><b>1</b></a>").find("b").text
'1'
>>> parse_xml(b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')
Traceback (most recent call last):
...
monitor.source.errors.UnsafeXml: refused (bytes): XML declares entities or external references
>>> root_element("\\ufeff<?xml version='1.0'?>\\r\\n<!-- note -->\\r\\n<officiele-publicatie>".encode())
'officiele-publicatie'
>>> root_element(b"<!DOCTYPE html><html><body>Pagina niet gevonden</body></html>")
'html'
>>> root_element(b"%PDF-1.4") is None
True
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from monitor.source.errors import MalformedXml, UnsafeXml, one_line

# How far into a file the root start tag must appear. Real OP XML has it within a few hundred
# bytes (BOM, declaration, maybe a comment); an error page or a PDF never has a matching one.
ROOT_SCAN_BYTES = 4096

# BOM, then any of: whitespace, declaration/processing instructions, comments, a DOCTYPE
# (internal subset included), then the first start tag. Single-char alternatives only inside
# the repeat, so a long run of whitespace cannot make the regex backtrack exponentially.
_PROLOGUE_THEN_ROOT = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*<([A-Za-z_][\w.:-]*)",
    re.S | re.I,
)


def root_element(data: bytes) -> str | None:
    """Name of the first element in ``data`` (lower-cased for HTML), or None if there is none early on."""
    match = _PROLOGUE_THEN_ROOT.match(data[:ROOT_SCAN_BYTES])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    return name.lower() if name.lower() == "html" else name


def parse_xml(data: bytes, url: str = "(bytes)") -> ET.Element:
    """Parse ``data`` strictly; entities, external references and bad syntax are refused."""
    try:
        return safe_et.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeXml(url, "XML declares entities or external references") from None
    except ET.ParseError as exc:
        raise MalformedXml(url, f"not well-formed XML ({one_line(exc)})") from None

