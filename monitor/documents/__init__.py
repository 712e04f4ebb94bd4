"""Letters in any of the publisher's formats, read into one ``Document``.

``read_document`` takes bytes (officielepublicaties XML, a zoek.officielebekendmakingen.nl
page, a PDF with a text layer, a Word file from the Tweede Kamer, or plain text such as OCR output) and gives sections →
paragraphs → sentences with normalised display text and accent-folded matching keys, plus
the letter's identity, title, date and meeting dates.
"""

from __future__ import annotations

from pathlib import Path

from monitor.documents.assemble import build_document
from monitor.documents.decode import decode_text, sniff_format
from monitor.documents.normalise import match_key, normalise_text
from monitor.documents.pdf_reader import pdf_text
from monitor.documents.sentences import split_sentences
from monitor.documents.text_reader import read_text
from monitor.errors import BadInput
from monitor.model import Document, Snapshot

__all__ = ["MAX_DOCUMENT_BYTES", "load_document", "match_key", "normalise_text", "read_document", "read_snapshot",
           "split_sentences"]

# The largest file read as a letter: the fetcher's own default cap (source.max_response_bytes),
# so a file on the command line is held to what the store could hold. Letters of the dossier
# are well under 1 MB.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def read_document(data: bytes, *, source: str, name: str | None = None, media_type: str | None = None) -> Document:
    """Read one letter from its bytes; ``source`` names it in the Document and in errors.

    Raises ``BadInput`` for bytes that are no document (empty, binary, broken XML or PDF) and
    ``NotAnAgenda`` for a document that holds no letter text (an error or search page).
    """
    if not data.strip():
        raise BadInput(f"{source}: empty file")
    kind = sniff_format(data, source=source, name=name, media_type=media_type)
    if kind == "pdf":
        blocks, hints = read_text(pdf_text(data, source))
    elif kind == "docx":
        from monitor.documents.docx_reader import read_docx  # the markup readers' parsers load on demand

        blocks, hints = read_docx(data, source)
    elif kind == "xml":
        from monitor.documents.xml_reader import read_xml

        blocks, hints = read_xml(data, source)
    elif kind == "html":
        from monitor.documents.html_reader import read_html

        blocks, hints = read_html(decode_text(data, source=source), source)
    else:
        blocks, hints = read_text(decode_text(data, source=source))
    return build_document(blocks, source=source, hints=hints)


def read_snapshot(snapshot: Snapshot, data: bytes) -> Document:
    """A stored version's text, read the way the pipeline read it when it was fetched."""
    return read_document(data, source=f"store:{snapshot.identifier}@{snapshot.version}",
                         name=f"{snapshot.identifier}.{snapshot.manifestation}", media_type=snapshot.media_type)


def load_document(path: str | Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """Read a letter from a file (.xml, .html, .pdf, .docx, .txt; the content decides the format).

    A file over ``max_bytes`` is refused before a byte of it is read.
    """
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a folder, not a file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BadInput(f"{path}: too big to read as a letter ({size / 2**20:.1f} MB; the limit is "
                           f"{max_bytes / 2**20:g} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read ({exc.strerror})") from None
    return read_document(data, source=str(path), name=path.name)
