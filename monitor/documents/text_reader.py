"""Plain text, as typed, exported or extracted from a PDF (with or without OCR), into blocks.

The text has no markup, so its layout is the evidence: blank lines separate paragraphs, a
short line without final punctuation between sentences is a heading (``headings``), and a
paragraph whose last line stops mid-sentence goes on after a page break, unless its last line
or two make a heading and the text after the gap does not go on in lower case. Where the text marks its page breaks
(a form feed, as PDF extraction and OCR tools write), a gap inside a page also ends a clause
that stops at a comma: a motie's "De Kamer," / "gehoord de beraadslaging," are paragraphs of
their own, as in the XML.
"""

from __future__ import annotations

import re
import statistics
import unicodedata

from monitor.documents.assemble import Block, Hints
from monitor.documents.dates import MONTHS
from monitor.documents.headings import ends_sentence, is_heading, split_trailing_heading
from monitor.documents.letterhead import (
    DOSSIER_LINE,
    KST_ID,
    NUMBER_LINE,
    SIGNATORY,
    STUK_TITLE,
    signature_awaits_name,
    is_fixed_line,
)
from monitor.documents.normalise import RUNNING_FOOTER, HyphenEvidence, normalise_text, repair_ocr, unwrap_hyphens

_PAGE_NUMBER = re.compile(r"\d{1,3}")
_FOOTER_FIRST = frozenset("TtEe")  # RUNNING_FOOTER starts with "Tweede" or "Eerste", any case
# A line that ends a sentence and is much shorter than the text's line width ends a paragraph
# even without a blank line after it (text extracted without paragraph spacing).
_SHORT_LINE = 0.6
_LETTERHEAD_MAX_LINES = 40
# "3 en 4 december 2024" on the line after the agenda's title belongs to the title.
_DATE_LINE = re.compile(
    rf"\d{{1,2}}(?:\s*(?:en|-|–|t/m|tot)\s*\d{{1,2}})?\s+(?:{'|'.join(MONTHS)})(?:\s+\d{{4}})?", re.IGNORECASE
)


PAGE_BREAK = "\f"  # stands as a line of its own between two pages
_BLANK = ("", PAGE_BREAK)  # lines without text (a membership test: read for every line, several times)


def read_text(text: str) -> tuple[list[Block], Hints]:
    """Blocks and letterhead hints of a plain-text letter."""
    lines: list[str] = []
    for page in unicodedata.normalize("NFC", text).split(PAGE_BREAK):
        if lines:
            lines.append(PAGE_BREAK)
        lines += [_clean_line(line) for line in page.splitlines()]
    lines, hints = _take_letterhead(lines)
    return _names_at_the_end(_blocks(lines, HyphenEvidence("\n".join(lines)))), hints


def _clean_line(line: str) -> str:
    line = repair_ocr(" ".join(line.split()))  # PDF layout text pads with runs of spaces
    # (the first letters decide cheaply whether either pattern can match at all)
    if (line[:1] in _FOOTER_FIRST and RUNNING_FOOTER.fullmatch(line)) or (
        len(line) <= 3 and _PAGE_NUMBER.fullmatch(line)
    ):
        return ""  # a page break: like a blank line, but a paragraph may run on across it
    return line


def _take_letterhead(lines: list[str]) -> tuple[list[str], Hints]:
    """Split off the lines before the stuk's own title, reading the identity they state."""
    content = [i for i, line in enumerate(lines) if line not in _BLANK][:_LETTERHEAD_MAX_LINES]
    identifier = dossier = number = None
    end = None
    title_line = None
    for i in content:
        line = lines[i]
        if (m := NUMBER_LINE.match(line)) and number is None:
            number, line = m.group(1), m.group(2)
        if STUK_TITLE.match(line):
            end, title_line = i, line
            break
        if m := KST_ID.fullmatch(line):
            identifier = m.group(0).lower()
        elif (m := DOSSIER_LINE.match(line)) and dossier is None:
            dossier = m.group(1) + m.group(2)
    if end is None:
        return lines, Hints(identifier=identifier)
    rest = ["", title_line, ""] + lines[end + 1 :]
    return rest, Hints(identifier=identifier, dossier=dossier, number=number)


def _blocks(lines: list[str], evidence: HyphenEvidence) -> list[Block]:
    width = _line_width(lines)
    blocks: list[Block] = []
    paragraph: list[str] = []
    at_sentence_end = True  # did the last line of text, across blank lines, end a sentence?
    awaiting_signatory = False

    def close() -> None:
        if paragraph:
            # wrapped hyphens are decided here, with the whole letter's spellings as evidence
            blocks.append(Block("paragraph", unwrap_hyphens("\n".join(paragraph), evidence)))
            paragraph.clear()

    paged = PAGE_BREAK in lines
    for i, line in enumerate(lines):
        if line in _BLANK:
            if paragraph and (ends_sentence(paragraph[-1]) or (
                    paged and paragraph[-1].endswith(",") and _gap_inside_page(lines, i))):
                close()
            elif paragraph and not _goes_on(lines, i):
                # a heading at the end of the block, perhaps wrapped over two lines: not a
                # sentence that goes on after a page break
                body, heading = split_trailing_heading("\n".join(paragraph))
                if heading is not None:
                    paragraph[:] = body.split("\n") if body else []
                    close()
                    blocks.append(Block("heading", heading))
                    at_sentence_end = True
            continue
        following = _next_line(lines, i)
        if awaiting_signatory and SIGNATORY.fullmatch(line):
            awaiting_signatory = False
            at_sentence_end = True
            continue
        if is_fixed_line(line):
            close()
            blocks.append(Block("paragraph", line))  # the assembler reads the date and drops it
            awaiting_signatory = signature_awaits_name(line)
            at_sentence_end = True
            continue
        awaiting_signatory = False
        # (before a blank line, what comes next decides: a page break can fall after a
        # paragraph's first line, and the next page goes on in lower case)
        if at_sentence_end and is_heading(line, following, width) and (following or not _goes_on(lines, i)):
            close()
            if blocks and blocks[-1].kind == "heading" and _DATE_LINE.fullmatch(line):
                blocks[-1] = Block("heading", f"{blocks[-1].text} {line}")
            else:
                blocks.append(Block("heading", line))
            continue
        paragraph.append(line)
        at_sentence_end = ends_sentence(line)
        if at_sentence_end and following and len(line) < _SHORT_LINE * width:
            close()
    close()
    return blocks


def _gap_inside_page(lines: list[str], i: int) -> bool:
    """Whether the blank line ``i`` is followed by more text on the same page."""
    for k in range(i, len(lines)):  # (a slice would copy the rest of the text at every gap)
        line = lines[k]
        if line == PAGE_BREAK:
            return False
        if line:
            return True
    return False


def _goes_on(lines: list[str], i: int) -> bool:
    """Whether the next line of text after line ``i`` (a footer's or letterhead's fixed lines are
    none) starts in lower case: a sentence going on after a gap or page break."""
    for k in range(i + 1, len(lines)):
        if lines[k] not in _BLANK and not is_fixed_line(lines[k]):
            return lines[k][:1].islower()
    return False


def _names_at_the_end(blocks: list[Block]) -> list[Block]:
    """Heading-like lines after the last text are names under it (a motie's signers), one a
    paragraph: a heading heads text, and the XML has them as paragraphs too."""
    last_text = next((i for i in range(len(blocks) - 1, -1, -1)
                      if blocks[i].kind == "paragraph" and not is_fixed_line(normalise_text(blocks[i].text))), None)
    if last_text is None:
        return blocks
    return blocks[: last_text + 1] + [Block("paragraph", b.text) for b in blocks[last_text + 1:]]


def _next_line(lines: list[str], i: int) -> str | None:
    """The next line of the same block, or None at a blank line or the end."""
    return lines[i + 1] if i + 1 < len(lines) and lines[i + 1] not in _BLANK else None


def _line_width(lines: list[str]) -> int:
    long_lines = [len(line) for line in lines if line.count(" ") >= 5]
    return int(statistics.median(long_lines)) if long_lines else 80
