"""From the blocks a reader found (headings, paragraphs) to one ``Document``.

Every reader ends here, so normalisation, the letterhead filter, sentence splitting and the
metadata rules are the same whatever format the letter came in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from monitor.documents.dates import letter_date, meeting_dates
from monitor.documents.headings import split_trailing_heading
from monitor.documents.letterhead import KST_ID, SIGNATORY, signature_awaits_name, is_fixed_line
from monitor.documents.normalise import match_key, normalise_text
from monitor.documents.sentences import split_sentences
from monitor.errors import NotAnAgenda
from monitor.model import Document, Paragraph, Section, Sentence


@dataclass(frozen=True)
class Block:
    """A heading or a paragraph as the reader found it (raw text, possibly wrapped)."""

    kind: Literal["heading", "paragraph"]
    text: str


@dataclass(frozen=True)
class Hints:
    """What a format states outside the running text (XML elements, HTML meta tags, letterhead)."""

    identifier: str | None = None
    dossier: str | None = None
    number: str | None = None
    title: str | None = None
    date: dt.date | None = None


# The heading that names the meeting, not the covering letter ("BRIEF VAN DE MINISTER …").
_MEETING_TITLE = re.compile(
    r"geannoteerde agenda|verslag|ministers meeting|ministeri[eë]le|bijeenkomst|\btop\b|\bFMM\b|\bDMM\b",
    re.IGNORECASE,
)
_LETTER_HEADING = re.compile(r"^BRIEF\b")
# The date of a meeting is stated in the title or, failing that, in the first few sentences.
_SENTENCES_FOR_MEETING_DATE = 4


def build_document(blocks: Iterable[Block], *, source: str, hints: Hints = Hints()) -> Document:
    """Normalise, drop the fixed parts, split sentences and fill in the metadata."""
    sections: list[Section] = []
    headings: list[str] = []
    heading: str | None = None
    paragraphs: list[Paragraph] = []
    date = hints.date
    awaiting_signatory = False

    def close_section() -> None:
        # A heading without text of its own ("Sessie 1: …" above "Oekraïne") stays, as part of
        # the letter's outline; before the first text it is letterhead.
        if paragraphs or sections:
            sections.append(Section(heading=heading, paragraphs=tuple(paragraphs)))

    for block in _headings_split_off(blocks):
        text = normalise_text(block.text)
        if not text:
            continue
        if block.kind == "heading":
            close_section()
            heading, paragraphs = text, []
            headings.append(text)
            awaiting_signatory = False
            continue
        if awaiting_signatory and SIGNATORY.fullmatch(text):
            awaiting_signatory = False
            continue
        if is_fixed_line(text):
            date = date or letter_date(text)
            awaiting_signatory = signature_awaits_name(text)
            continue
        awaiting_signatory = False
        sentences = tuple([Sentence(s, match_key(s)) for s in split_sentences(text)])
        paragraphs.append(Paragraph(sentences=sentences))
    close_section()
    while sections and not sections[-1].paragraphs:
        sections.pop()

    if not sections:
        raise NotAnAgenda(f"{source}: holds no letter text")
    identifier, dossier, number = _identity(hints, sections, headings)
    title = _title(headings) or hints.title
    return Document(
        sections=tuple(sections),
        source=source,
        identifier=identifier,
        dossier=dossier,
        number=number,
        title=title,
        date=date,
        meeting_dates=_meeting_dates(title, sections, date),
    )


def _headings_split_off(blocks: Iterable[Block]) -> Iterator[Block]:
    """The blocks, with a heading that a paragraph's block ends in (a reader that saw no gap
    before it, a ``<br>`` in a page's paragraph) as a heading block of its own."""
    for block in blocks:
        if block.kind == "paragraph" and "\n" in block.text.strip():
            body, heading = split_trailing_heading(block.text)
            if heading is not None:
                if body:
                    yield Block("paragraph", body)
                yield Block("heading", heading)
                continue
        yield block


def _identity(hints: Hints, sections: list[Section], headings: list[str]) -> tuple[str | None, ...]:
    identifier = hints.identifier
    if identifier is None and hints.dossier and hints.number:
        identifier = f"kst-{hints.dossier}-{hints.number}"
    if identifier is None:
        for text in (*headings, *(s.text for sec in sections[:1] for s in sec.sentences)):
            if m := KST_ID.search(text):
                identifier = m.group(0).lower()
                break
    dossier, number = hints.dossier, hints.number
    if identifier and (m := KST_ID.fullmatch(identifier)):
        dossier = dossier or m.group(1)
        number = number or m.group(2)
    return identifier, dossier, number


def _title(headings: list[str]) -> str | None:
    for text in headings:
        if _MEETING_TITLE.search(text) and not _LETTER_HEADING.match(text):
            return text
    return next((h for h in headings if not _LETTER_HEADING.match(h)), None)


def _meeting_dates(title: str | None, sections: list[Section], date: dt.date | None) -> tuple[dt.date, ...]:
    candidates = [title] if title else []
    candidates += [s.text for sec in sections[:2] for s in sec.sentences[:_SENTENCES_FOR_MEETING_DATE]]
    for text in candidates:
        if days := meeting_dates(text, date):
            return days
    return ()
