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
_WEEKDAY = r"(?:(?:maan|dins|woens|donder|vrij|zater|zon)dag\s+)?"

LETTER_DATE = re.compile(rf"^(?:Den Haag|'s-Gravenhage),?\s+(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\.?$", re.IGNORECASE)

# "3 en 4 december 2024", "28–29 november 2023", "zaterdag 14 en zondag 15 mei 2022",
# "9 tot 11 juli 2024"; the year may be missing in a heading ("28–29 november").
_DAYS = re.compile(
    rf"\b{_WEEKDAY}(\d{{1,2}})(?:\s*(en|-|–|tot en met|t/m|tot)\s*{_WEEKDAY}(\d{{1,2}}))?\s+({_MONTH})\b(?:\s+(\d{{4}}))?",
    re.IGNORECASE,
)


def letter_date(line: str) -> dt.date | None:
    """The date of a "Den Haag, 22 november 2024" line.

    >>> letter_date("Den Haag, 22 november 2024")
    datetime.date(2024, 11, 22)
    >>> letter_date("De Haag is mooi") is None
    True
    """
    m = LETTER_DATE.match(line.strip())
    return _date(m.group(3), m.group(2), m.group(1)) if m else None


def meeting_days(text: str, *, year: int | None = None) -> tuple[dt.date, ...]:
    """The days of the first date or date range in ``text``; ``year`` when the text omits it.

    >>> meeting_days("Foreign Ministers Meeting (FMM) 3 en 4 december 2024")
    (datetime.date(2024, 12, 3), datetime.date(2024, 12, 4))
    >>> meeting_days("NAVO Foreign Ministers Meeting 28–29 november", year=2023)
    (datetime.date(2023, 11, 28), datetime.date(2023, 11, 29))
    >>> meeting_days("op zaterdag 14 en zondag 15 mei 2022")
    (datetime.date(2022, 5, 14), datetime.date(2022, 5, 15))
    >>> meeting_days("geen datum")
    ()
    """
    for m in _DAYS.finditer(text):
        first, link, last, month, stated_year = m.groups()
        if stated_year is None and year is None:
            continue
        chosen_year = stated_year or str(year)
        start = _date(chosen_year, month, first)
        if start is None:
            continue
        if last is None:
            return (start,)
        end = _date(chosen_year, month, last)
        if end is None or end < start:
            return (start,)
        if link.lower() == "en":
            return (start, end)
        return tuple(start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    return ()


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), MONTHS[month.lower()], int(day))
    except ValueError:
        return None
