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


def word_list(key: str) -> list[str]:
    return _WORD.findall(key)


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
    idf = {w: math.log((n + 1) / (c + 1)) + 1.0 for w, c in df.items()}

    def vector(body: Counter[str]) -> tuple[dict[str, float], float]:
        vec = {w: c * idf[w] for w, c in body.items()}
        return vec, math.sqrt(sum(x * x for x in vec.values()))

    old_v = [vector(b) for b in old]
    new_v = [vector(b) for b in new]
    out = []
    for a, na in old_v:
        row = []
        for b, nb in new_v:
            if not na or not nb:
                row.append(0.0)
                continue
            small, large = (a, b) if len(a) < len(b) else (b, a)
            dot = sum(x * large.get(w, 0.0) for w, x in small.items())
            row.append(dot / (na * nb))
        out.append(row)
    return out
