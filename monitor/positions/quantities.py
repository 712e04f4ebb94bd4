"""Figures in a Dutch sentence: percentages, euro amounts, counts, years and dates.

Dutch number formats: ``45.000`` is forty-five thousand, ``3,5`` is three and a half, and
numbers may be written as words (``negentig``, ``eenendertig``). Values are normalised so
that two spellings of one figure compare equal; ``text`` keeps the spelling of the letter.
Dates are encoded as the number ``YYYYMMDD`` (``YYYY`` 0 when the letter leaves out the year,
``DD`` 0 for a whole month), so they sort and compare like the other figures.

>>> [(q.kind, q.value, q.unit) for q in quantities_of("minimaal 2% van het bbp in 2035")]
[('percent', 2.0, '%'), ('year', 2035.0, '')]
>>> quantities_of("De kosten worden geraamd op EUR 5 miljoen.")[0].value
5000000.0
>>> q = quantities_of("circa 45.000 Oekraïense militairen")[0]
>>> (q.kind, q.value, q.unit, q.text)
('count', 45000.0, 'militairen', 'circa 45.000')
>>> q = quantities_of("vier à vijf rotaties van elk circa negentig militairen")
>>> [(x.value, x.upper, x.unit) for x in q]
[(4.0, 5.0, 'rotaties'), (90.0, None, 'militairen')]
>>> quantities_of("op 3 en 4 december 2024")[0].value
20241203.0
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from monitor.documents.dates import MONTHS, WEEKDAY
from monitor.model import Quantity
from monitor.positions.folding import fold
from monitor.positions.lexicon import Cues, cues

_SMALL = {
    w: i
    for i, w in enumerate(
        "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien"
        " zestien zeventien achttien negentien".split()
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate("twintig dertig veertig vijftig zestig zeventig tachtig negentig".split(), start=2)
}
_UNIT_AND_TENS = re.compile(
    r"(een|twee|drie|vier|vijf|zes|zeven|acht|negen)en(" + "|".join(_TENS) + ")"
)
_MULTIPLIERS = {
    "duizend": 10**3, "miljoen": 10**6, "mln": 10**6, "miljard": 10**9, "mld": 10**9,
    "biljoen": 10**12,
}
# Words after a number word that show it is not a count of something ("één van de …").
_FUNCTION_WORDS = frozenset(
    "de het een en van in op voor met aan te tot of die dat is zijn om bij door naar als ook nog"
    " al er uit over dan maar na per".split()
)

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_NUM_WORD_ENDINGS = "een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|tig|honderd|duizend"
_NUM_WORD = rf"[a-z]*(?:{_NUM_WORD_ENDINGS})"
# Every figure pattern below needs a digit, or a number word that ends in one of these: most
# sentences have no digit, many no such word, and that is cheap to find out (see _Scan).
_DIGIT = re.compile(r"\d")
_NUM_ENDING = re.compile(_NUM_WORD_ENDINGS)
_ANY_NUM = rf"(?:{_NUM}|{_NUM_WORD})"
_START = r"(?<![\w.,-])"
_END = r"(?![\w]|[.,]\d)"
_RANGE = r"\s*(?:-|a|tot en met|t/m|tot)\s*"
# "tussen 2 en 3 procent" is one range; for counts "en" joins two figures ("45.000 en 20.000")
_PERCENT_RANGE = r"\s*(?:-|a|en|tot en met|t/m|tot)\s*"
_MULT = r"(?:\s+(duizend|miljoen|mln\.?|miljard|mld\.?|biljoen))?"
_MONTH = "|".join(MONTHS)

_DATE = re.compile(
    rf"{_START}(\d{{1,2}})(?:\s*(?:-|en|tot en met|t/m|tot)\s*{WEEKDAY}(\d{{1,2}}))?"
    rf"\s+({_MONTH})(?:\s+(\d{{4}}))?(?![\w])"
)
_MONTH_YEAR = re.compile(rf"(?<!\w)({_MONTH})\s+(\d{{4}})(?!\w)")
_MONEY_BEFORE = re.compile(rf"(?<!\w)(eur|euro|€|usd|\$)\s*({_NUM}){_MULT}{_END}")
_MONEY_AFTER = re.compile(rf"{_START}({_ANY_NUM}){_MULT}\s*(euro|eur|dollar|dollars|usd)(?!\w)")
_PERCENT = re.compile(
    rf"{_START}({_ANY_NUM})(?:{_PERCENT_RANGE}({_ANY_NUM}))?\s*(%|procentpunten|procentpunt|procent)(?![\w])"
)
_YEAR = re.compile(rf"{_START}(1[89]\d\d|20\d\d)(?:\s*[-/]\s*(\d{{4}}|\d{{2}}))?{_END}")
_COUNT = re.compile(rf"{_START}({_ANY_NUM})(?:{_RANGE}({_ANY_NUM}))?{_MULT}{_END}")
_WORDS_AFTER = re.compile(r"\s*([\w'-]+)")


def quantities_of(text: str) -> tuple[Quantity, ...]:
    """Every figure in ``text``, in reading order. Pure; never raises on any string."""
    text = unicodedata.normalize("NFC", text)
    return quantities_in_folded(text, fold(text))


def quantities_in_folded(text: str, folded: str) -> tuple[Quantity, ...]:
    """``quantities_of`` for a caller that already folded ``text`` (``folded == fold(text)``)."""
    digits = _DIGIT.search(folded) is not None
    if not digits and not _NUM_ENDING.search(folded):
        return ()
    lex = cues()
    scan = _Scan(text, folded, lex)
    if digits:  # (references, dates and years are all digits)
        scan.mask_references()
        scan.dates()
    scan.money(digits)
    scan.percentages()
    if digits:
        scan.years()
    scan.counts()
    return tuple(q for _, q in sorted(scan.found, key=lambda item: item[0]))


class _Scan:
    """One pass over a sentence; later kinds skip what earlier kinds already claimed."""

    def __init__(self, text: str, folded: str, lex: Cues) -> None:
        self.text = text
        self.folded = folded
        self.lex = lex
        self.taken = bytearray(len(text))
        self.found: list[tuple[int, Quantity]] = []
        self._number_starts: list[int] | None = None

    def numbers(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """What ``pattern.finditer(self.folded)`` gives for a pattern that starts with
        ``_START`` and ``_ANY_NUM``, trying it only where such a number can begin: trying
        ``_NUM_WORD`` at every word of a long sentence is most of the work otherwise."""
        if self._number_starts is None:
            self._number_starts = _number_starts(self.folded)
        end = 0
        for start in self._number_starts:
            if start >= end and (m := pattern.match(self.folded, start)):
                yield m
                end = m.end()

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def claim(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def add(self, m: re.Match[str], kind: str, value: float, unit: str, *,
            upper: float | None = None, year_deadline: bool = False) -> None:
        start, end = m.start(), m.end()
        self.claim(start, end)
        bound, start = self._bound(start, year_deadline)
        self.found.append(
            (start, Quantity(kind, value, unit, self.text[start:end].strip(), upper, bound))
        )

    def _bound(self, start: int, year_deadline: bool) -> tuple[str, int]:
        before = self.folded[max(0, start - 24):start]
        offset = start - len(before)
        for bound, pattern in (("min", self.lex.at_least), ("max", self.lex.at_most),
                               ("", self.lex.about)):
            m = pattern.search(before)
            if m:
                return bound, offset + m.start()
        # "vóór 2030" is a deadline; "voor 2025" (without accent) usually means "for 2025"
        if year_deadline:
            m = _DEADLINE.search(self.text, max(0, start - 8), start)
            if m:
                return "max", m.start()
        return "", start

    def mask_references(self) -> None:
        for m in self.lex.references.finditer(self.folded):
            self.claim(m.start(), m.end())

    def dates(self) -> None:
        for m in _DATE.finditer(self.folded):
            day, day2, month, year = m.groups()
            base = int(year or 0) * 10000 + MONTHS[month] * 100
            if not 1 <= int(day) <= 31 or (day2 and not 1 <= int(day2) <= 31):
                continue
            if not self.free(m.start(), m.end()):
                continue
            self.add(m, "date", float(base + int(day)), "",
                     upper=float(base + int(day2)) if day2 else None)
        for m in _MONTH_YEAR.finditer(self.folded):
            if self.free(m.start(), m.end()):
                self.add(m, "date", float(int(m.group(2)) * 10000 + MONTHS[m.group(1)] * 100), "")

    def money(self, digits: bool) -> None:
        for m in _MONEY_BEFORE.finditer(self.folded) if digits else ():
            currency, number, mult = m.groups()
            self._money(m, number, mult, currency)
        for m in self.numbers(_MONEY_AFTER):
            number, mult, currency = m.groups()
            self._money(m, number, mult, currency)

    def _money(self, m: re.Match[str], number: str, mult: str | None, currency: str) -> None:
        value = self._value(number, m.start(1), counted=bool(mult))
        if value is None or not self.free(m.start(), m.end()):
            return
        unit = "USD" if currency in ("usd", "$", "dollar", "dollars") else "EUR"
        self.add(m, "money", float(value * _multiplier(mult)), unit)

    def percentages(self) -> None:
        for m in self.numbers(_PERCENT):
            low = self._value(m.group(1), m.start(1))
            high = self._value(m.group(2), m.start(2)) if m.group(2) else None
            if low is None or not self.free(m.start(), m.end()):
                continue
            unit = "%" if m.group(3) in ("%", "procent") else "procentpunt"
            self.add(m, "percent", float(low), unit, upper=float(high) if high is not None else None)

    def years(self) -> None:
        for m in _YEAR.finditer(self.folded):
            if not self.free(m.start(), m.end()) or self._unit_after(m.end()) in self.lex.units.values():
                continue
            upper = None
            if m.group(2):
                tail = m.group(2)
                upper = float(int(tail) if len(tail) == 4 else int(m.group(1)[:2] + tail))
            self.add(m, "year", float(int(m.group(1))), "", upper=upper, year_deadline=True)

    def counts(self) -> None:
        for m in self.numbers(_COUNT):
            if not self.free(m.start(), m.end()):
                continue
            low = self._value(m.group(1), m.start(1), counted=bool(m.group(3)))
            high = self._value(m.group(2), m.start(2)) if m.group(2) else None
            if low is None or (m.group(2) and high is None):
                continue
            unit = self._unit_after(m.end())
            if not unit and not m.group(1)[0].isdigit():
                continue  # "één van de prioriteiten": a word, not a figure
            factor = _multiplier(m.group(3))
            self.add(m, "count", float(low * factor), unit,
                     upper=float(high * factor) if high is not None else None)

    def _unit_after(self, end: int) -> str:
        words: list[str] = []
        pos = end
        for _ in range(3):
            w = _WORDS_AFTER.match(self.folded, pos)
            if not w:
                break
            words.append(w.group(1))
            pos = w.end()
        for word in words:
            for part in (word, word.rsplit("-", 1)[-1]):
                if part in self.lex.units:
                    return self.lex.units[part]
        if words and words[0].isalpha() and len(words[0]) > 2 and words[0] not in _FUNCTION_WORDS \
                and words[0] not in MONTHS:
            return words[0]
        return ""

    def _value(self, token: str, start: int, *, counted: bool = False) -> Decimal | None:
        """``counted``: a multiplier follows, so "een miljard" is one milliard, not an article."""
        if token[0].isdigit():
            return _digits(token)
        if token == "een" and not counted and self.text[start:start + 3].lower() == "een":
            return None  # the article; only "één" is the number one
        number = _word_number(token)
        return None if number is None else Decimal(number)


def _number_starts(folded: str) -> list[int]:
    """Every place where ``_ANY_NUM`` can match after ``_START``, in order (and some more): a
    digit, or the start of a run of ``[a-z]`` that holds a number word's ending (the run's
    start, since ``_START`` refuses a letter before it)."""
    starts = {m.start() for m in _DIGIT.finditer(folded)}
    for m in _NUM_ENDING.finditer(folded):
        at = m.start()
        while at and "a" <= folded[at - 1] <= "z":
            at -= 1
        starts.add(at)
    return sorted(starts)


_DEADLINE = re.compile(r"(?<!\w)(?:vóór|tegen)\s+$", re.IGNORECASE)


def _digits(token: str) -> Decimal:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", token):
        return Decimal(token.replace(".", "").replace(",", "."))
    return Decimal(token.replace(",", "."))


def _multiplier(word: str | None) -> int:
    return _MULTIPLIERS[word.rstrip(".")] if word else 1


def number_word(word: str) -> int | None:
    """The number a Dutch number word names: ``eenendertig`` -> 31; else ``None``."""
    return _word_number(word)


@lru_cache(maxsize=1024)
def _word_number(word: str) -> int | None:
    """``negentig`` -> 90, ``eenendertig`` -> 31, ``tweehonderd`` -> 200; else ``None``."""
    # "twaalfhonderd" is how Dutch writes 1200: up to 99 hundreds
    for big, size, limit in (("duizend", 1000, 1000), ("honderd", 100, 100)):
        if big in word:
            left, _, right = word.partition(big)
            factor = _word_number(left) if left else 1
            rest = _word_number(right) if right else 0
            if factor is None or rest is None or not 0 < factor < limit or rest >= size:
                return None
            return factor * size + rest
    if word in _SMALL:
        return _SMALL[word]
    if word in _TENS:
        return _TENS[word]
    m = _UNIT_AND_TENS.fullmatch(word)
    if m:
        return _SMALL[m.group(1)] + _TENS[m.group(2)]
    return None
