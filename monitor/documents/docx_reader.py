"""A Word file (.docx, as the Tweede Kamer's open data serves letters) into blocks.

A .docx is a zip; the text is in ``word/document.xml``: paragraphs (``w:p``) of runs (``w:r``)
of text (``w:t``), in body order, table cells included (letterheads are often tables). A
paragraph is a heading when its style is one (``Heading1``, Dutch Word's ``Kop1``, ``Title``)
or it carries an outline level. Page headers, footers and footnotes live in other parts and
are left out, like the letterhead and footnotes of the other formats.

The part is parsed like every XML from the network (no entities, no external references),
and refused when it unpacks to more than ``MAX_PART_BYTES`` (a zip bomb).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator

from monitor.documents.assemble import Block, Hints
from monitor.documents.xml_reader import parse_safely
from monitor.errors import BadInput, NotAnAgenda

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAIN_PART = "word/document.xml"
MAX_PART_BYTES = 50 * 1024 * 1024
_HEADING_STYLE = re.compile(r"^(?:heading|kop|title|titel|subtitle|ondertitel)\s*\d*$", re.IGNORECASE)


def read_docx(data: bytes, source: str) -> tuple[list[Block], Hints]:
    """Blocks of a Word letter; ``BadInput`` for a file that is no readable Word document."""
    body = _body(_main_part(data, source), source)
    blocks = list(_blocks(body))
    if not blocks:
        raise NotAnAgenda(f"{source}: Word file without text")
    return blocks, Hints()


def _main_part(data: bytes, source: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo(MAIN_PART)
            except KeyError:
                raise BadInput(f"{source}: not a Word document (no {MAIN_PART})") from None
            if info.file_size > MAX_PART_BYTES:
                raise BadInput(f"{source}: Word text part unpacks to {info.file_size} bytes; refused")
            with archive.open(info) as part:
                content = part.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise BadInput(f"{source}: unreadable Word file ({type(exc).__name__})") from None
    if len(content) > MAX_PART_BYTES:
        raise BadInput(f"{source}: Word text part unpacks to more than {MAX_PART_BYTES} bytes; refused")
    return content


def _body(content: bytes, source: str) -> ET.Element:
    root = parse_safely(content, f"{source} ({MAIN_PART})")
    body = root.find(f"{W}body")
    if root.tag != f"{W}document" or body is None:
        raise BadInput(f"{source}: not a Word document (no w:document/w:body)")
    return body


def _blocks(body: ET.Element) -> Iterator[Block]:
    for paragraph in body.iter(f"{W}p"):
        text = " ".join(_text(paragraph).split())
        if text:
            yield Block("heading" if _is_heading(paragraph) else "paragraph", text)


def _text(paragraph: ET.Element) -> str:
    """The paragraph's visible text: runs joined, tabs and line breaks as spaces, deletions left out."""
    parts: list[str] = []
    for element in paragraph.iter():
        if element.tag == f"{W}t":
            parts.append(element.text or "")
        elif element.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            parts.append(" ")
        elif element.tag == f"{W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _is_heading(paragraph: ET.Element) -> bool:
    properties = paragraph.find(f"{W}pPr")
    if properties is None:
        return False
    style = properties.find(f"{W}pStyle")
    if style is not None and _HEADING_STYLE.match(style.get(f"{W}val", "")):
        return True
    return properties.find(f"{W}outlineLvl") is not None
