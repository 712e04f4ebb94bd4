"""Text normalisation: one display form (``normalise_text``) and one matching form (``match_key``).

Display keeps what the author wrote (accents, capitals, real hyphens) and only undoes what
typesetting and extraction added: line wraps, wrap hyphenation, running page footers, exotic
spaces, dash and quote variants. Matching folds further, so that ``Oekraine`` (OCR) and
``Oekraïne`` (XML) are the same words.
"""

from __future__ import annotations

import re
import unicodedata

# Typographic variants that carry no meaning of their own in a letter.
_CHAR_MAP = str.maketrans(
    {
        "\u00ad": None,  # soft hyphen: a hyphenation *opportunity*, never text
        "\u200b": None,
        "\ufeff": None,
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "\u2013",
        "\u2014": "\u2013",
        "\u2015": "\u2013",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2026": "...",
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
    }
)
# a soft hyphen where a line was wrapped: the two parts are one word (PDF text layers do this)
_SOFT_WRAP = re.compile(r"\u00ad[ \t]*\r?\n\s*")
# Most paragraphs hold none or few of those characters: replacing just those is much cheaper
# than a translate over non-ASCII text, which looks up every character in the table.
_MAPPED_CHAR = re.compile("[" + "".join(chr(c) for c in _CHAR_MAP) + "]")


def _mapped(m: re.Match[str]) -> str:
    return _CHAR_MAP[ord(m.group())] or ""

# "Tweede Kamer, vergaderjaar 2024–2025, 28 676, nr. 474 4": the running footer of every
# Kamerstuk page, optionally followed by the page number. PDF extraction drops it anywhere,
# also in the middle of a sentence that runs over the page break.
RUNNING_FOOTER = re.compile(
    r"(?:Tweede|Eerste) Kamer, vergaderjaar \d{4}\s*[-\u2010-\u2015]\s*\d{4},"
    r"\s*\d{2}\s?\d{3}(?:[-,]\s?[A-Z0-9]{1,3})?,\s*nr\.\s*\d+(?:\s+\d{1,3}(?!\d|[.,]\d))?",
    re.IGNORECASE,
)

_LETTER = "a-zà-öø-ÿ"
_UPPER = "A-ZÀ-ÖØ-Þ"
# A hyphen at the end of a line, the word it cuts and what follows on the next line.
# The match starts at the last letter run before the hyphen, so whatever precedes it in the
# token ("NAVO-" in "NAVO-bondge-\nnootschap") is left in place untouched.
_WRAP_HYPHEN = re.compile(rf"(?<![{_LETTER}{_UPPER}0-9])([{_LETTER}{_UPPER}0-9]+)-[ \t]*\n\s*(\S+)")
_HAS_WRAP = re.compile(r"-[ \t]*\n")
# the characters of _WRAP_HYPHEN's first group, to find where the word cut by a wrap starts
_WRAP_WORD_CHARS = frozenset(
    chr(c) for lo, hi in ("az", "àö", "øÿ", "AZ", "ÀÖ", "ØÞ", "09") for c in range(ord(lo), ord(hi) + 1)
)
# Hyphen + space + a conjunction is an elision ("defensie- en industriële"), not a wrap.
_ELISION_WORDS = frozenset({"en", "of", "tot", "noch"})
# Vowel pairs that Dutch spelling separates with a hyphen in compounds (defensie-uitgaven,
# auto-ongeluk, zee-egel) because joined they would read as one sound. "ie" and "ui" are left
# out: hyphenation programs break inside words there (materi-eel) far more often.
_VOWEL_CLASH = frozenset({"aa", "ee", "oo", "uu", "ii", "ai", "au", "ei", "eu", "oe", "oi", "ou"})
_WORD = re.compile(rf"\b[{_LETTER}{_UPPER}]+-?[{_LETTER}]+\b")
_LEADING_WORD = re.compile(rf"[{_LETTER}]+")
AROUND_WORDS = "()[].,;:!?\"'"  # what may stand around a word without being part of it
_CHUNK_REST = re.compile(r"\S*")
_SPACED_DASH = re.compile(r"(?<=\S) [-\u2013] (?=\S)")
_NUMBER_RANGE = re.compile(r"(?<=\d) ?\u2013 ?(?=\d)")
_PUNCT_SPACE = re.compile(r"\s+(?=[,.;:!?)\]])|(?<=[(\[])\s+")
# on text whose whitespace is already single spaces: is there any for _PUNCT_SPACE to remove?
_PUNCT_SPACE_CUE = re.compile(r"(?: [,.;:!?)\]]|\( |\[ )")
_DASHES = str.maketrans({"\u2013": "-", "\u2212": "-"})


class _KeyFolding(dict[int, str | None]):
    """One ``str.translate`` table for a decomposed character: combining marks dropped, then
    ``_CHAR_MAP`` and ``_DASHES``; filled in per character the first time it is met, because
    the combining marks cannot be listed cheaply up front."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        folded = None if unicodedata.combining(char) else char.translate(_CHAR_MAP).translate(_DASHES)
        self[code] = folded
        return folded


_KEY_FOLDING = _KeyFolding()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _key_folded(m: re.Match[str]) -> str:
    return _KEY_FOLDING[ord(m.group())] or ""


def normalise_text(text: str) -> str:
    """The display form of a piece of letter text: one line, NFC, extraction artefacts undone.

    >>> normalise_text("het bondge-\\nnootschap en de NAVO-\\nbondgenoten in Noord-\\nKorea")
    'het bondgenootschap en de NAVO-bondgenoten in Noord-Korea'
    >>> normalise_text("het bondge\\u00ad\\nnootschap")
    'het bondgenootschap'
    >>> normalise_text("eigen defensie- en industriële capaciteiten")
    'eigen defensie- en industriële capaciteiten'
    >>> normalise_text("de effectiviteit van de\\n\\nTweede Kamer, vergaderjaar 2024—2025, 28 676, nr. 474 4\\n\\nOekraïense strijdkrachten.")
    'de effectiviteit van de Oekraïense strijdkrachten.'
    >>> normalise_text("vergaderjaar 2024—2025: „sterk” — of niet")
    'vergaderjaar 2024–2025: "sterk" – of niet'
    """
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():  # (every mapped character is non-ASCII)
        text = _MAPPED_CHAR.sub(_mapped, _SOFT_WRAP.sub("", text))
    if _HAS_WRAP.search(text):
        text = unwrap_hyphens(text)
    if "amer, vergaderjaar" in text:
        text = RUNNING_FOOTER.sub(" ", text)
    text = " ".join(text.split())  # str.split and regex \s agree on what whitespace is
    if "\u2013" in text or " - " in text:
        text = _NUMBER_RANGE.sub("\u2013", _SPACED_DASH.sub(" \u2013 ", text))
    return text


_LOOKUPS_BEFORE_INDEX = 200


class HyphenEvidence:
    """How a text (the whole letter, for the wraps of any paragraph) writes words: joined
    ("bondgenootschap") or hyphenated ("secretaris-generaal"), as words of ``_WORD``, case folded.

    A letter has a few dozen wrapped hyphens and thousands of words, so a spelling is looked
    up where it occurs rather than every word of the letter collected first; past
    ``_LOOKUPS_BEFORE_INDEX`` look-ups (a long text, with wraps throughout) the words are
    collected once after all, as a look-up that scans the text would make its cost the square
    of its length.

    >>> evidence = HyphenEvidence("De secretaris-generaal en het Bondgenootschap (NAVO).")
    >>> evidence.joined("bondgenootschap"), evidence.hyphenated("secretaris-generaal")
    (True, True)
    >>> evidence.joined("generaal"), evidence.joined("navo-"), evidence.hyphenated("bondgenoot-schap")
    (False, False, False)
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._folded: str | None = None
        self._chunk_words: dict[str, frozenset[str]] = {}
        self._lookups = 0
        self._all_words: frozenset[str] | None = None

    def joined(self, word: str) -> bool:
        return "-" not in word and self._writes(word)

    def hyphenated(self, word: str) -> bool:
        return "-" in word and self._writes(word)

    def _writes(self, word: str) -> bool:
        """Whether ``word`` is one of the text's words (a match of ``_WORD``)."""
        if not _WORD.fullmatch(word):  # every such word is one (so it holds no whitespace)
            return False
        if self._folded is None:
            self._folded = self._text.casefold()
        text = self._folded
        self._lookups += 1
        if self._lookups > _LOOKUPS_BEFORE_INDEX:
            if self._all_words is None:
                self._all_words = frozenset().union(*map(self._words_of, set(text.split())))
            return word in self._all_words
        # No word spans whitespace, so the text's words are those of its whitespace-separated
        # chunks, and only a chunk that contains ``word`` can yield it.
        at = text.find(word)
        while at != -1:
            start = at
            while start and not text[start - 1].isspace():
                start -= 1
            end = _CHUNK_REST.match(text, at).end()  # type: ignore[union-attr]  # \S* always matches
            if word in self._words_of(text[start:end]):
                return True
            at = text.find(word, end)
        return False

    def _words_of(self, chunk: str) -> frozenset[str]:
        words = self._chunk_words.get(chunk)
        if words is None:
            # most chunks are one plain ASCII word between punctuation marks, which is all
            # that _WORD would find in them (a word of two letters or more)
            core = chunk.strip(AROUND_WORDS)
            if len(core) > 1 and core.isascii() and core.isalpha():
                words = frozenset((core,))
            else:
                words = frozenset(_WORD.findall(chunk))
            self._chunk_words[chunk] = words
        return words


def unwrap_hyphens(text: str, evidence: HyphenEvidence | None = None) -> str:
    """Undo line-wrap hyphenation; keep real hyphens (compounds, acronyms, elisions).

    >>> unwrap_hyphens("veiligheidsuit-\\ndagingen, verantwoorde-\\nlijkheid, VN-\\nHandvest, defensie-\\nen")
    'veiligheidsuitdagingen, verantwoordelijkheid, VN-Handvest, defensie- en'
    >>> unwrap_hyphens("de secretaris-\\ngeneraal", HyphenEvidence("de secretaris-generaal"))
    'de secretaris-generaal'
    """
    wraps = [m.start() for m in _HAS_WRAP.finditer(text)]
    if not wraps:
        return text
    if evidence is None:
        evidence = HyphenEvidence(text)

    def repair(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if right.casefold() in _ELISION_WORDS:
            return f"{left}- {right}"
        first = right[0]
        if not (first.islower() and left[-1].islower()):
            return f"{left}-{right}"  # Noord-Korea, NAVO-bondgenoten, F-35
        word = _LEADING_WORD.match(right)
        tail = word.group(0) if word else right
        if evidence.joined(f"{left}{tail}".casefold()):
            return left + right
        if evidence.hyphenated(f"{left}-{tail}".casefold()):
            return f"{left}-{right}"
        if (left[-1] + first).casefold() in _VOWEL_CLASH:
            return f"{left}-{right}"
        return left + right

    # What _WRAP_HYPHEN.sub(repair, text) does, without trying the pattern at every letter of
    # the paragraph: a match can only start where the word before a wrap starts.
    out: list[str] = []
    done = 0  # text[:done] is decided
    for hyphen in wraps:
        start = hyphen
        while start and text[start - 1] in _WRAP_WORD_CHARS:
            start -= 1
        if start == hyphen or start < done:  # no word before it, or the last match took it
            continue
        if m := _WRAP_HYPHEN.match(text, start):
            out += (text[done:start], repair(m))
            done = m.end()
    out.append(text[done:])
    return "".join(out)


def match_key(text: str) -> str:
    """What matching compares: case, accents, dash variants and punctuation spacing folded.

    >>> match_key("Oekraine") == match_key("Oekraïne")
    True
    >>> match_key("Jordanié") == match_key("Jordanië") == "jordanie"
    True
    >>> match_key("andere ( regionale ) organisaties , zoals")
    'andere (regionale) organisaties, zoals'
    """
    if text.isascii():  # most sentences: nothing to decompose or map, and casefold is lower
        bare = text.lower()
    else:
        # every ASCII character folds to itself: only the others are looked up
        bare = _NON_ASCII.sub(_key_folded, unicodedata.normalize("NFKD", text)).casefold()
    bare = " ".join(bare.split())
    return _PUNCT_SPACE.sub("", bare) if _PUNCT_SPACE_CUE.search(bare) else bare


# OCR confusions seen in scanned Kamerstukken: the roman numeral II read as "Il", and M read
# as "IVI" inside capitals (FMM -> FIVIM). Neither "Il" nor "IVI" occurs in Dutch text.
_OCR_ROMAN_II = re.compile(r"\b([A-Z][a-z]+) Il\b")
_OCR_M = re.compile(r"\b([A-Z]*)IVI([A-Z]*)\b")


def repair_ocr(text: str) -> str:
    """Undo OCR misreadings that accent folding cannot absorb.

    >>> repair_ocr("Koning Abdullah Il van Jordanië, Meeting (FIVIM)")
    'Koning Abdullah II van Jordanië, Meeting (FMM)'
    """
    if "Il" in text:
        text = _OCR_ROMAN_II.sub(r"\1 II", text)
    if "IVI" in text:
        text = _OCR_M.sub(r"\1M\2", text)
    return text
