"""The calendar of successive agendas: what changes by nature from one agenda to the next.

The meeting's dates and place, the letter's own date, "deze FMM" becoming "de komende FMM",
and running counts ("inmiddels al meer dan duizend dagen" becoming "drie jaar") move with
every agenda. Two versions of a sentence that differ only there are a calendar change; the
words are in ``monitor/data/calendar.toml``.

>>> calendar_only("De FMM vindt op 3 en 4 december aanstaande plaats in Brussel.",
...               "De FMM vindt op 3 en 4 april aanstaande plaats in Den Haag.")
True
>>> calendar_only("De oorlog in Oekraine duurt inmiddels al meer dan duizend dagen.",
...               "De oorlog in Oekraïne duurt inmiddels al drie jaar.")
True
>>> calendar_only("om minimaal 2% van het bbp", "om minimaal 3,5% van het bbp")
False

A bare year moves with the calendar in a plain sentence, but in a position it is when the
government does something ("wordt in 2026 voortgezet"), so there it stays a figure:

>>> old, new = "De bijdrage wordt in 2025 voortgezet.", "De bijdrage wordt in 2026 voortgezet."
>>> calendar_only(old, new), calendar_only(old, new, keep_years=True)
(True, False)
"""

from __future__ import annotations

import re
import unicodedata

from monitor.positions.folding import fold
from monitor.positions.lexicon import calendar, cues
from monitor.positions.patterns import Words
from monitor.positions.quantities import quantities_in_folded

_MARK = "\x00"
# dates and places next to each other ("3 en 4 december aanstaande", "Den Haag, 22 november")
# are one stretch of calendar, however many pieces they were found in
_RUN = re.compile(r"\x00(?:\s*(?:,|-|en|tot|van|op|t/m|tot en met)?\s*\x00)+")
_SPACE = re.compile(r"\s+")
_NEXT_WORD = re.compile(r"\s+([\w'-]+)")
_WORD_BEFORE = re.compile(r"([\w'-]+)\s*$")


def calendar_only(old: str, new: str, *, keep_years: bool = False) -> bool:
    """Whether ``old`` and ``new`` say the same once their calendar is set aside.

    ``keep_years``: a bare year counts as a figure, not as calendar (for positions).
    """
    return _without_calendar(old, keep_years) == _without_calendar(new, keep_years)


def _without_calendar(text: str, keep_years: bool) -> str:
    text = unicodedata.normalize("NFC", text)
    folded = fold(text)
    spans = [m.span() for _, m in calendar().words.finditer(Words(folded))]
    cursor = 0
    for q in quantities_in_folded(text, folded):
        start = text.find(q.text, cursor)
        if start < 0:
            continue
        end = cursor = start + len(q.text)
        if q.kind == "date" or (q.kind == "year" and not keep_years):
            spans.append((start, end))
        elif q.kind == "count" and q.unit in calendar().running_units and _running(folded, start):
            spans.append((start, _unit_end(folded, end)))
    chars = list(folded)
    for start, end in spans:
        chars[start:end] = _MARK * (end - start)
    masked = re.sub(r"\x00+", _MARK, "".join(chars))
    return _SPACE.sub(" ", _RUN.sub(_MARK, masked)).strip()


def _running(folded: str, start: int) -> bool:
    """Whether the count at ``start`` is a running one: "(inmiddels) al …", "ruim …"."""
    before = _WORD_BEFORE.search(folded, 0, start)
    return before is not None and before.group(1) in calendar().running


def _unit_end(folded: str, end: int) -> int:
    """The end of the time unit within three words after a count ("duizend dagen")."""
    units = cues().units
    pos = end
    for _ in range(3):
        m = _NEXT_WORD.match(folded, pos)
        if m is None:
            break
        if units.get(m.group(1), m.group(1)) in calendar().running_units:
            return m.end()
        pos = m.end()
    return end
