"""Dutch dates as letters write them: the letter's date line and the meeting's days."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, name in enumerate(
        "januari februari maart april mei juni juli augustus september oktober november december".split(), 1
    )
}
_MONTH = "|".join(MONTHS)
WEEKDAY = r"(?:(?:maan|dins|woens|donder|vrij|zater|zon)dag\s+)?"  # optional, with its space

# "Den Haag, 22 november 2024" under a letter; "Voorgesteld 6 juli 2021" under a motie's title
LETTER_DATE = re.compile(
    rf"^(?:(?:Den Haag|'s-Gravenhage),?|Voorgesteld)\s+(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\.?$", re.IGNORECASE
)

def letter_date(line: str) -> dt.date | None:
    """The date of a "Den Haag, 22 november 2024" line.

    >>> letter_date("Den Haag, 22 november 2024"), letter_date("Voorgesteld 6 juli 2021")
    (datetime.date(2024, 11, 22), datetime.date(2021, 7, 6))
    >>> letter_date("De Haag is mooi") is None
    True
    """
    m = LETTER_DATE.match(line.strip())
    return _date(m.group(3), m.group(2), m.group(1)) if m else None


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), MONTHS[month.lower()], int(day))
    except ValueError:
        return None


_JOIN = r"\s*(?:-|–|—|/|\ben\b|\btot en met\b|\bt/m\b|\btot\b)\s*"
_DATES = re.compile(
    rf"\b{WEEKDAY}(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{_MONTH}))?"
    rf"(?:{_JOIN}{WEEKDAY}(?P<d2>\d{{1,2}}))?\s+(?P<m2>{_MONTH})\b(?:\s+(?P<y>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
MAX_MEETING_DAYS = 7


def meeting_dates(text: str, reference: dt.date | None = None) -> tuple[dt.date, ...]:
    """The days of the first meeting named in ``text``, a range expanded day by day.

    A date without a year takes the year that puts it closest to ``reference`` (the letter's
    date): an agenda of 20 December for a meeting "op 14 januari" means next year, a report
    of January about "3 en 4 december" the year before.

    >>> [d.isoformat() for d in meeting_dates("FMM 28–29 november 2023")]
    ['2023-11-28', '2023-11-29']
    >>> [d.isoformat() for d in meeting_dates("op zaterdag 14 en zondag 15 mei 2022")]
    ['2022-05-14', '2022-05-15']
    >>> [d.isoformat() for d in meeting_dates("van 9 tot 11 juli 2024")]
    ['2024-07-09', '2024-07-10', '2024-07-11']
    >>> [d.isoformat() for d in meeting_dates("op 30 november en 1 december 2021")]
    ['2021-11-30', '2021-12-01']
    >>> [d.isoformat() for d in meeting_dates("op 3 en 4 december aanstaande", dt.date(2024, 11, 22))]
    ['2024-12-03', '2024-12-04']
    >>> [d.isoformat() for d in meeting_dates("op 14 januari", dt.date(2024, 12, 20))]
    ['2025-01-14']
    >>> meeting_dates("geen datum"), meeting_dates("naar 0 december", dt.date(2024, 1, 31))
    ((), ())
    """
    m = _DATES.search(text)
    if not m:
        return ()
    month2 = MONTHS[m["m2"].lower()]
    month1 = MONTHS[m["m1"].lower()] if m["m1"] else month2
    last_day = int(m["d2"] or m["d1"])
    if not 1 <= last_day <= 31:  # "00 december" in an OCR'd line: no date at all
        return ()
    if m["y"]:
        year2 = int(m["y"])
    elif reference is not None:
        year2 = min((reference.year - 1, reference.year, reference.year + 1),
                    key=lambda y: abs((_safe_date(y, month2, last_day) - reference).days))
    else:
        return ()
    year1 = year2 - 1 if month1 > month2 else year2
    try:
        last = dt.date(year2, month2, last_day)
        first = dt.date(year1, month1, int(m["d1"]))
    except ValueError:  # "31 november": not a date, not a meeting
        return ()
    span = (last - first).days
    if span < 0 or span >= MAX_MEETING_DAYS:
        return (first,) if span < 0 else (first, last)
    return tuple(first + dt.timedelta(days=i) for i in range(span + 1))


def _safe_date(year: int, month: int, day: int) -> dt.date:
    # only for picking a year: 29 februari or 31 november must not end the search
    return dt.date(year, month, min(day, 28))
