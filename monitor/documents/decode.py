"""Bytes to text, and which reader a blob of bytes needs.

Raw bytes stay raw in the store; here they are decoded explicitly (mojibake is a top
complaint about monitors): byte-order mark, then UTF-8, then the charset the document
declares, then cp1252, which is what Dutch office software writes when it is not UTF-8.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Literal

from monitor.errors import BadInput

Format = Literal["pdf", "docx", "xml", "html", "text"]

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""(?:encoding|charset)\s*=\s*["']?([A-Za-z0-9._-]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096
# Text has next to no control characters; random or binary bytes decoded as cp1252 have many.
_MAX_CONTROL_SHARE = 0.005
_CONTROLS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v")
_CONTROL_CHARS = re.compile(f"[{_CONTROLS}]")
_CONTROL_BYTES = _CONTROLS.encode("ascii")
_MEDIA_TYPES: dict[str, Format] = {
    "application/pdf": "pdf",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
_SUFFIXES: dict[str, Format] = {".pdf": "pdf", ".xml": "xml", ".html": "html", ".htm": "html", ".txt": "text", ".docx": "docx"}


def sniff_format(data: bytes, *, source: str, name: str | None = None, media_type: str | None = None) -> Format:
    """The format the bytes are in; the bytes decide, name and media type only break ties.

    >>> sniff_format(b"%PDF-1.7 ...", source="x")
    'pdf'
    >>> sniff_format(b'\\xef\\xbb\\xbf<?xml version="1.0"?><officiele-publicatie/>', source="x")
    'xml'
    >>> sniff_format(b"<!DOCTYPE html><html><body>Niet gevonden</body></html>", source="x.xml")
    'html'
    >>> sniff_format(b"<html><title>Fout</title></html>", source="x", name="brief.docx")
    Traceback (most recent call last):
    ...
    monitor.errors.BadInput: x: not a Word file (no zip header)
    """
    hinted = _hinted_format(name, media_type)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if hinted == "pdf":
        raise BadInput(f"{source}: not a PDF (no %PDF header)")
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if hinted == "docx":
        raise BadInput(f"{source}: not a Word file (no zip header)")
    head = data[:_SNIFF_BYTES].lower()
    if b"<officiele-publicatie" in head:
        return "xml"
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head:
        return "html"
    if head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<?xml"):
        return "xml"
    if hinted in ("xml", "html") and head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<"):
        return hinted
    return "text"


def _hinted_format(name: str | None, media_type: str | None) -> Format | None:
    if media_type:
        found = _MEDIA_TYPES.get(media_type.split(";", 1)[0].strip().lower())
        if found:
            return found
    if name:
        dot = name.rfind(".")
        return _SUFFIXES.get(name[dot:].lower()) if dot >= 0 else None
    return None


def decode_text(data: bytes, *, source: str) -> str:
    """Decode a text or HTML document to NFC text; binary data is refused.

    >>> decode_text("Oekraïne – coördinatie €".encode("utf-8"), source="x")
    'Oekraïne – coördinatie €'
    >>> decode_text("Oekraïne – coördinatie €".encode("cp1252"), source="x")
    'Oekraïne – coördinatie €'
    """
    text, bytewise = _decode(data)
    if bytewise:  # counting bytes is the fastest way, and a letter is tens of thousands of them
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    else:
        controls = len(_CONTROL_CHARS.findall(text))
    replaced = text.count("\ufffd")
    if controls + replaced > _MAX_CONTROL_SHARE * max(len(text), 1) + (1 if len(text) > 200 else 0):
        raise BadInput(f"{source}: binary data, not a letter")
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes) -> tuple[str, bool]:
    """The text, and whether every control character in it is one control byte of ``data``
    and back (strict UTF-8 and cp1252 both keep ASCII bytes as they are)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), False
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        pass
    if m := _DECLARED.search(data[:_SNIFF_BYTES]):
        try:
            return data.decode(m.group(1).decode("ascii")), False
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", errors="replace"), True
