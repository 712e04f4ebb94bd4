"""Headings in running text: where no markup says what a heading is, its form does.

A heading is short, starts with a capital, holds no sentence, and ends neither in a stop nor
in a word that needs a continuation. A long one wraps over two lines ("Voortzetting
Nederlandse bijdrage operatie Interflex en" / "vooruitblik"), and in text laid out without
spacing it may close a paragraph's block. Plain text (and a PDF's text layer) is read line by
line with these rules; the paragraphs of every reader are checked for a heading at their end.
"""

from __future__ import annotations

import re

from monitor.documents.letterhead import STUK_TITLE

_STOPS = (".", "!", "?", ":", ";")
_CLOSERS = ")\"']"
_STARTS_UPPER = re.compile(r"[\"'(]?[A-ZÀ-ÖØ-Þ0-9]")
# A heading never ends in a word that needs a continuation.
_DANGLING = frozenset(
    "de het een van in op en of te voor met aan door die dat om tot bij naar over als is zijn zal "
    "worden wordt heeft hebben moet kan ook niet nog maar dan waar wat wie deze dit".split()
)
_HEADING_MAX_WORDS = 12
_CAPS_HEADING_MAX_WORDS = 20
_HEADING_MAX_CHARS = 100
# Two lines of a paragraph cut by a page break hold a line's worth of words and more (some ten
# at the usual width); a heading that wraps is shorter.
_WRAPPED_HEADING_MAX_WORDS = 10
# A heading followed by text on the next line is clearly shorter than a wrapped text line,
# unless it is the agenda's or report's title, which may be long.
_HEADING_WIDTH = 0.75
_MEETING_TITLE_LINE = re.compile(r"(?:Geannoteerde agenda|Verslag)\b")
_SENTENCE_INSIDE = re.compile(r"[.!?] [A-Z]")


def ends_sentence(line: str) -> bool:
    """Whether a line (no line break in it) ends in a stop, possibly inside quotes or brackets."""
    return line.rstrip(_CLOSERS).endswith(_STOPS)


def is_heading(line: str, following: str | None = None, width: int = 80) -> bool:
    """Whether a line that starts after a sentence end is a heading rather than new text.

    ``following`` is the next line of the same block (None at a blank line or the end), and
    ``width`` the text's usual line length: a heading with text right under it is short.

    >>> is_heading("Werksessie Strategische uitdagingen"), is_heading("Nederland steunt dit.")
    (True, False)
    >>> is_heading("Voortzetting Nederlandse bijdrage operatie Interflex en")  # goes on on the next line
    False
    """
    words = line.split()
    if STUK_TITLE.match(line) and len(words) <= _CAPS_HEADING_MAX_WORDS:
        return True
    return (
        len(words) <= _HEADING_MAX_WORDS
        and len(line) <= _HEADING_MAX_CHARS
        and _STARTS_UPPER.match(line) is not None
        and not ends_sentence(line)
        and not _SENTENCE_INSIDE.search(line)
        and (following is None or len(line) < _HEADING_WIDTH * width or _MEETING_TITLE_LINE.match(line) is not None)
        and not line.endswith((",", "-", "–"))
        and words[-1].lower() not in _DANGLING
        and (following is None or _STARTS_UPPER.match(following) is not None)
    )


def wrapped_heading(first: str, second: str) -> str | None:
    """The heading two lines make together, when they end a block; None when they make none.

    >>> wrapped_heading("Voortzetting Nederlandse bijdrage operatie Interflex en", "vooruitblik")
    'Voortzetting Nederlandse bijdrage operatie Interflex en vooruitblik'
    >>> wrapped_heading("Tevens steunt Nederland het voorstel van de secretaris-generaal van de", "NAVO") is None
    True
    """
    if ends_sentence(first) or first.endswith(","):
        return None
    joined = f"{first} {second}"
    return joined if len(joined.split()) <= _WRAPPED_HEADING_MAX_WORDS and is_heading(joined) else None


def split_trailing_heading(text: str) -> tuple[str, str | None]:
    """A paragraph's raw text (lines as laid out) without the heading at its end, and that heading.

    The heading is its last line or two, after a line that ends a sentence (or the whole
    paragraph, when that is two lines that wrap one heading).

    >>> split_trailing_heading("De FMM begint om negen uur.\\nVoortzetting Nederlandse bijdrage operatie Interflex en\\nvooruitblik")
    ('De FMM begint om negen uur.', 'Voortzetting Nederlandse bijdrage operatie Interflex en vooruitblik')
    >>> split_trailing_heading("Nederland steunt\\nhet voorstel.")
    ('Nederland steunt\\nhet voorstel.', None)
    """
    if ends_sentence(text.rstrip().rpartition("\n")[2].strip()):  # most paragraphs: no need to split them
        return text, None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return text, None
    if ends_sentence(lines[-2]) and is_heading(lines[-1]):
        return "\n".join(lines[:-1]), lines[-1]
    if len(lines) == 2 or ends_sentence(lines[-3]):
        heading = wrapped_heading(lines[-2], lines[-1])
        if heading is not None:
            return "\n".join(lines[:-2]), heading
    return text, None
