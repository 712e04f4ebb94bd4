"""How alike two sentences or two sections are, on their matching keys (never display text).

Keys are already case- and accent-folded (``Sentence.key``, ``match_key``), so reflow,
hyphenation and OCR accents cannot make two renderings of the same words look different.

>>> sorted(words("de 3,5% norm van de navo"))
['3,5', 'de', 'navo', 'norm', 'van']
>>> jaccard(words("nederland steunt dit"), words("nederland steunt dit niet"))
0.75
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

# a figure like 3,5 or 45.000 is one word: changing it must not look like two unrelated edits
_WORD = re.compile(r"\d+(?:[.,]\d+)*|\w+", re.UNICODE)


# what may stand around a plain word without being part of it
_AROUND_WORDS = "()[].,;:!?\"'"


def word_list(key: str) -> list[str]:
    """The words of ``key``, in order: what ``_WORD.findall(key)`` gives, faster.

    >>> word_list("de navo-top (in 2025) kost 3,5%.")
    ['de', 'navo', 'top', 'in', '2025', 'kost', '3,5']
    """
    out: list[str] = []
    # no word spans whitespace, and most chunks are one plain word once the punctuation
    # around it is off: only the rest needs the regex
    for chunk in key.split():
        core = chunk.strip(_AROUND_WORDS)
        if core.isalpha() or core.isdecimal():
            out.append(core)
        elif core:
            out += _WORD.findall(core)
    return out


def words(key: str) -> frozenset[str]:
    return frozenset(word_list(key))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def tfidf_cosines(old: Sequence[Counter[str]], new: Sequence[Counter[str]]) -> list[list[float]]:
    """Cosine similarity of every old body with every new body, words weighted by rarity.

    Rarity (inverse document frequency) is counted over the bodies of both versions, so
    words every section uses (``de``, ``navo``, ``bondgenoten``) hardly count and two
    unrelated sections of one letter score low.
    """
    bodies = [*old, *new]
    df: Counter[str] = Counter()
    for body in bodies:
        df.update(body.keys())
    n = len(bodies)
    # a word's rarity depends only on how many bodies use it: one logarithm per count
    by_count = {c: math.log((n + 1) / (c + 1)) + 1.0 for c in set(df.values())}
    idf = {w: by_count[c] for w, c in df.items()}

    # A body that the new version left alone is often the same object on both sides: its
    # vector is made once, and a dot product that was worked out already is not redone.
    vectors: dict[int, tuple[dict[str, float], float]] = {}
    dots: dict[tuple[int, int], float] = {}
    for body in bodies:
        if id(body) not in vectors:
            vec = {w: c * idf[w] for w, c in body.items()}
            square = sum([x * x for x in vec.values()])
            dots[id(vec), id(vec)] = square  # the dot product below, with itself, to the bit
            vectors[id(body)] = vec, math.sqrt(square)
    old_v = [vectors[id(b)] for b in old]
    new_v = [vectors[id(b)] for b in new]
    out = []
    for a, na in old_v:
        row = []
        for b, nb in new_v:
            if not na or not nb:
                row.append(0.0)
                continue
            small, large = (a, b) if len(a) < len(b) else (b, a)
            dot = dots.get((id(small), id(large)))
            if dot is None:
                # words missing from the larger body add +0.0, which leaves a sum of positive terms as it is
                dot = dots[id(small), id(large)] = sum([x * large[w] for w, x in small.items() if w in large])
            row.append(dot / (na * nb))
        out.append(row)
    return out
