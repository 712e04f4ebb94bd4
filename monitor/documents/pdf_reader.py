"""A PDF's text layer into plain text; the plain-text reader takes it from there."""

from __future__ import annotations

import io
import logging

from monitor.errors import BadInput, NotAnAgenda


def pdf_text(data: bytes, source: str) -> str:
    """The text of every page, each ended by a form feed (as pdftotext writes it): the page
    breaks, which the text reader must tell from gaps between paragraphs."""
    # pypdf logs every repaired cross-reference table as a warning; a damaged but readable PDF
    # is not the user's problem.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    # imported here: the daemon reads XML and would otherwise carry pypdf (~8 MB) all its life
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise BadInput(f"{source}: PDF is encrypted")
        # layout mode keeps the vertical gaps between paragraphs as blank lines
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise BadInput(f"{source}: unreadable PDF ({type(exc).__name__})") from None
    text = "".join(page + "\f" for page in pages)
    if not text.strip():
        raise NotAnAgenda(f"{source}: PDF has no text layer (a scan without OCR?)")
    return text
