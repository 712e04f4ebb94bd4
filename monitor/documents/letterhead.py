"""The fixed parts of a Kamerstuk around the letter's own words.

Letterhead (chamber, session year, dossier and stuk numbers, ISSN, printing place), the
addressee, the "Den Haag, <date>" line and the signature are the same in every version of a
letter; they must never count as body sentences, or every re-issue would show them as changes.
"""

from __future__ import annotations

import re

from monitor.documents.dates import LETTER_DATE
from monitor.documents.normalise import RUNNING_FOOTER

KST_ID = re.compile(r"\bkst-(\d{4,6})-(\d+)((?:-[a-z0-9]+)*)\b", re.IGNORECASE)
DOSSIER_LINE = re.compile(r"^(\d{2}) ?(\d{3})(?:-[A-Z0-9]{1,3})?(?:\s+(\S.*))?$")
NUMBER_LINE = re.compile(r"^Nr\.\s*(\d+)\b\s*(.*)$")
# The all-capitals title of the stuk itself, which ends the letterhead.
STUK_TITLE = re.compile(r"^(?:BRIEF|VERSLAG|GEANNOTEERDE AGENDA|AGENDA|NOTA|MOTIE|AMENDEMENT|LIJST)\b[^a-z]*$")

_FIXED_LINES = re.compile(
    r"(?:Tweede|Eerste) Kamer der Staten-Generaal"
    r"|Vergaderjaar \d{4}\s*[-\u2010-\u2015]\s*\d{4}"
    r"|kst-\d+-\d+(?:-[a-z0-9]+)*"
    r"|ISSN [\d\s\-\u2013]+"
    r"|['\u2019]s-Gravenhage \d{4}"
    r"|Nr\.\s*\d+"
    r"|\d{2} ?\d{3}(?:-[A-Z0-9]{1,3})?"
    r"|Aan de Voorzitter van de (?:Tweede|Eerste) Kamer der Staten-Generaal",
    re.IGNORECASE,
)
_INITIALS = r"(?:[A-Z][a-z]{0,2}\.\s?){1,5}"
_SURNAME = r"(?:(?:van|der|den|de|ter|ten|te|het|'t|in)\s)*[A-Z][\w'\u2019-]+(?:\s(?:(?:van|der|den|de|ter|ten)\s)*[A-Z][\w'\u2019-]+){0,2}"
SIGNATORY = re.compile(rf"{_INITIALS}{_SURNAME}")
# "De Minister van Buitenlandse Zaken," possibly with the name on the same line.
SIGNATURE = re.compile(
    rf"De (?:Minister|Ministers|Minister-President|Staatssecretaris|Staatssecretarissen)\b[^.,]{{0,120}},(?:\s*{_INITIALS}{_SURNAME})?"
)


# How a match of any pattern above (or LETTER_DATE, RUNNING_FOOTER) starts, in lower case,
# when it starts with three ASCII characters that are not a digit: any other line of text
# needs no regex. (Non-ASCII still goes through them all, as case-insensitive matching lets
# "K" (Kelvin) stand for "k".)
_FIXED_STARTS = frozenset({"twe", "eer", "ver", "kst", "iss", "'s-", "nr.", "aan", "den", "de ", "voo"})


def is_fixed_line(text: str) -> bool:
    """Letterhead, addressee, date line, running footer or signature: never body text.

    >>> [is_fixed_line(t) for t in ("Vergaderjaar 2024–2025", "ISSN 0921 - 7371", "Den Haag, 22 november 2024",
    ...  "De Minister van Buitenlandse Zaken,", "De Minister van Buitenlandse Zaken, W.B. Hoekstra",
    ...  "Voorgesteld 6 juli 2021")]
    [True, True, True, True, True, True]
    >>> is_fixed_line("De Minister van Buitenlandse Zaken nam deel aan deze vergadering.")
    False
    """
    text = text.strip()
    head = text[:3]
    if head.isascii() and not head[:1].isdigit() and head.lower() not in _FIXED_STARTS:
        return False
    return bool(
        _FIXED_LINES.fullmatch(text)
        or LETTER_DATE.match(text)
        or SIGNATURE.fullmatch(text)
        or RUNNING_FOOTER.fullmatch(text)
    )


def signature_awaits_name(fixed_line: str) -> bool:
    """True for a signature line without the name ("De Minister van …,"): it comes next."""
    return fixed_line.rstrip().endswith(",")
