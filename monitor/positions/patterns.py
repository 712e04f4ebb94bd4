"""The small pattern language of the lexicons (see ``monitor/data/cues.toml``), compiled to regex.

Patterns match whole words of *folded* text (``monitor.positions.folding.fold``):

>>> import re
>>> re.search(cue_regex("zal … blijven steunen"), "nederland zal oekraine blijven steunen").group()
'zal oekraine blijven steunen'
>>> re.search(cue_regex("steunt|steunen"), "ondersteunt") is None
True
>>> re.search(cue_regex("russisch*"), "de russische agressie").group()
'russische'
>>> re.search(cue_regex("navo top", hyphen_is_space=True), "de navo-top in den haag").group()
'navo-top'
"""

from __future__ import annotations

import re
from collections.abc import Iterator

GAP_WORDS = 6
# Up to GAP_WORDS words of the same clause: a gap never crosses , ; : or brackets (a comma
# inside a figure, "2,2%", is no clause break).
_GAP = r"(?:\s+[^\s;:()]*[^\s,;:()]){0,%d}?\s+" % GAP_WORDS
_ELLIPSIS = ("…", "...")


def _word(alternative: str) -> str:
    body = re.escape(alternative.strip("*")).replace(r"\ ", " ")
    head = r"\w*" if alternative.startswith("*") and len(alternative) > 1 else ""
    tail = r"[\w']*" if alternative.endswith("*") else ""
    return head + body + tail


def cue_regex(pattern: str, *, hyphen_is_space: bool = False) -> str:
    """The regex source for one lexicon pattern (no flags needed: the text is folded)."""
    sep = r"[\s-]+" if hyphen_is_space else r"\s+"
    out: list[str] = []
    gap_pending = False
    for token in pattern.split():
        if token in _ELLIPSIS:
            gap_pending = True
            continue
        if out:
            out.append(_GAP if gap_pending else sep)
        gap_pending = False
        alternatives = token.split("|")
        # a group per word, so that the words a pattern names can be told from a gap's
        out.append("(" + "|".join(_word(a) for a in alternatives) + ")")
    if not out:
        raise ValueError(f"empty lexicon pattern: {pattern!r}")
    return r"(?<!\w)" + "".join(out) + r"(?!\w)"


class Words:
    """The words of one folded sentence, indexed once for every ``CueSet`` that reads it."""

    def __init__(self, folded: str) -> None:
        self.text = folded
        self.starts: dict[str, list[int]] = {}
        for m in _WORD.finditer(folded):
            self.starts.setdefault(m.group(), []).append(m.start())
        self.by_prefix: dict[str, list[str]] = {}
        for word in self.starts:
            self.by_prefix.setdefault(word[:3], []).append(word)


class CueSet:
    """A list of patterns, searched together; at one start the earliest pattern wins.

    One big regex alternation is slow in Python (every branch is tried at every character), so
    each pattern is filed under its first word (or the stem of it) and only the patterns filed
    under a word of the sentence are tried, at that word.

    >>> cs = CueSet(["geen voorstander", "voorstander", "roept … op"])
    >>> words = Words("nederland is geen voorstander en roept bondgenoten op")
    >>> [(i, m.group()) for i, m in cs.finditer(words)]
    [(0, 'geen voorstander'), (2, 'roept bondgenoten op')]
    """

    def __init__(self, patterns: list[str], *, hyphen_is_space: bool = False) -> None:
        self.patterns = tuple(patterns)
        self._sources = tuple(cue_regex(p, hyphen_is_space=hyphen_is_space) for p in patterns)
        # compiled on first use: a letter's words call on a small part of the lexicon, and
        # compiling all of it would be most of a short `diff` process's time
        self._regexes: list[re.Pattern[str] | None] = [None] * len(patterns)
        self._by_word: dict[str, list[int]] = {}
        self._by_stem: dict[str, list[tuple[str, int]]] = {}  # first 3 letters -> (stem, index)
        self._inside: list[tuple[str, int]] = []  # "*infix*" and short stems: (needle, index)
        for index, pattern in enumerate(patterns):
            for alternative in pattern.split()[0].split("|"):
                key = _WORD.match(alternative.lstrip("*"))
                if key is None:
                    raise ValueError(f"lexicon pattern must start with a word: {pattern!r}")
                if alternative.startswith("*") or (alternative.endswith("*") and len(key.group()) < 3):
                    self._inside.append((key.group(), index))
                elif alternative.endswith("*") and key.end() == len(alternative) - 1:
                    self._by_stem.setdefault(key.group()[:3], []).append((key.group(), index))
                else:
                    self._by_word.setdefault(key.group(), []).append(index)

    def _candidates(self, words: Words) -> list[tuple[int, int]]:
        """(start, pattern index) pairs worth trying, in the order to try them."""
        found: list[tuple[int, int]] = []
        for word in self._by_word.keys() & words.starts.keys():
            found += [(start, i) for start in words.starts[word] for i in self._by_word[word]]
        for prefix in self._by_stem.keys() & words.by_prefix.keys():
            for stem, i in self._by_stem[prefix]:
                for word in words.by_prefix[prefix]:
                    if word.startswith(stem):
                        found += [(start, i) for start in words.starts[word]]
        for needle, i in self._inside:
            if needle in words.text:
                found += [(start, i) for w, starts in words.starts.items() if needle in w for start in starts]
        found.sort()
        return found

    def finditer(self, words: Words) -> Iterator[tuple[int, re.Match[str]]]:
        """Non-overlapping matches in ``words.text``, left to right, as (index, match)."""
        resume = 0
        for at, index in self._candidates(words):
            if at < resume:
                continue
            regex = self._regexes[index]
            if regex is None:
                regex = self._regexes[index] = re.compile(self._sources[index])
            m = regex.match(words.text, at)
            if m:
                yield index, m
                resume = max(m.end(), at + 1)

    def search(self, words: Words) -> tuple[int, re.Match[str]] | None:
        """The first match, or ``None``."""
        return next(self.finditer(words), None)


_WORD = re.compile(r"\w[\w']*")


def named_words(m: re.Match[str]) -> list[tuple[int, int]]:
    """The spans of the words a pattern names, without the words its gaps (``…``) took in.

    >>> m = re.search(cue_regex("zet … voort"), "nederland zet de missie in beginsel voort")
    >>> [m.string[a:b] for a, b in named_words(m)]
    ['zet', 'voort']
    """
    return [m.span(g) for g in range(1, (m.re.groups or 0) + 1) if m.start(g) != -1]


def label(pattern: str) -> str:
    """How a matched pattern is reported: the first spelling of each word.

    >>> label("zal|zullen … blijven steunen|ondersteunen")
    'zal … blijven steunen'
    """
    return " ".join(token.split("|")[0] for token in pattern.split())
