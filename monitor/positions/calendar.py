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
from collections import Counter
from collections.abc import Sequence
from functools import cache

from monitor.model import Quantity
from monitor.positions.changes import figures
from monitor.positions.folding import fold
from monitor.positions.lexicon import calendar, cues
from monitor.positions.patterns import Words
from monitor.positions.quantities import number_word, quantities_in_folded

_MARK = "\x00"
# dates and places next to each other ("3 en 4 december aanstaande", "Den Haag, 22 november")
# are one stretch of calendar, however many pieces they were found in
_RUN = re.compile(r"\x00(?:\s*(?:,|-|en|tot|van|op|t/m|tot en met)?\s*\x00)+")
_SPACE = re.compile(r"\s+")
_NEXT_WORD = re.compile(r"\s+([\w'-]+)")
_WORD_BEFORE = re.compile(r"([\w'-]+)\s*$")
_PLAIN_WORD = re.compile(r"\w+")
_CONTEXT = 60  # characters: more than a figure's bound and a count's unit take


def calendar_only(old: str, new: str, *, keep_years: bool = False) -> bool:
    """Whether ``old`` and ``new`` say the same once their calendar is set aside.

    ``keep_years``: a bare year counts as a figure, not as calendar (for positions).
    """
    old, new = unicodedata.normalize("NFC", old), unicodedata.normalize("NFC", new)
    folded_old, folded_new = fold(old), fold(new)
    # most edits change a word no date, place or count is made of: that is quick to see
    before, after = Counter(_PLAIN_WORD.findall(folded_old)), Counter(_PLAIN_WORD.findall(folded_new))
    if not all(_may_be_calendar(word) for word in (before - after) + (after - before)):
        return False
    # only the stretch that differs, with the words around it that a date or a count needs
    # ("3 en 4 december", "inmiddels al …"), is read: the rest is the same on both sides
    start, old_end, new_end = _differing(folded_old, folded_new)
    return _without_calendar(old[start:old_end], folded_old[start:old_end], keep_years) == \
        _without_calendar(new[start:new_end], folded_new[start:new_end], keep_years)


def _differing(a: str, b: str) -> tuple[int, int, int]:
    """Where ``a`` and ``b`` start to differ and where each stops, widened by _CONTEXT
    characters of their common text on either side and cut at a space."""
    size = min(len(a), len(b))
    head = 0
    while head < size and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < size - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    start = a.rfind(" ", 0, max(head - _CONTEXT, 0)) + 1
    keep = min(tail, _CONTEXT)
    cut = a.find(" ", len(a) - tail + keep)  # the common tail is the same text on both sides
    extra = tail - (cut - (len(a) - tail)) if cut != -1 else 0
    return start, len(a) - extra, len(b) - extra


def figures_may_move(old: Sequence[Quantity], new: Sequence[Quantity], *, keep_years: bool = False) -> bool:
    """Whether every figure that differs is one the calendar moves: a date, a year (unless
    ``keep_years``), a count of days, months or years. Quick: ``calendar_only`` need not read
    a sentence whose percentage or troop number changed.

    >>> from monitor.positions import quantities_of
    >>> figures_may_move(quantities_of("op 3 december"), quantities_of("op 4 april"))
    True
    >>> figures_may_move(quantities_of("minimaal 2%"), quantities_of("minimaal 3,5%"))
    False
    """
    before, after = figures(tuple(old)), figures(tuple(new))
    return all(kind == "date" or (kind == "year" and not keep_years)
               or (kind == "count" and unit in calendar().running_units)
               for kind, _, _, unit, _ in (before - after) + (after - before))


def _may_be_calendar(word: str) -> bool:
    return word in _vocabulary() or not word.isalpha() or number_word(word) is not None


@cache
def _vocabulary() -> frozenset[str]:
    """Every word a calendar pattern, a figure's bound or a count's unit is made of."""
    lex, cal = cues(), calendar()
    phrases = [*cal.words.patterns, *cal.running, *lex.units, *lex.units.values()]
    return lex.bound_words | {w for phrase in phrases for w in _PLAIN_WORD.findall(phrase.replace("|", " "))}


def _without_calendar(text: str, folded: str, keep_years: bool) -> str:
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
