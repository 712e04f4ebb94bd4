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

from monitor.documents.normalise import AROUND_WORDS

# a figure like 3,5 or 45.000 is one word: changing it must not look like two unrelated edits
_WORD = re.compile(r"\d+(?:[.,]\d+)*|\w+", re.UNICODE)


def word_list(key: str) -> list[str]:
    """The words of ``key``, in order: what ``_WORD.findall(key)`` gives, faster.

    >>> word_list("de navo-top (in 2025) kost 3,5%.")
    ['de', 'navo', 'top', 'in', '2025', 'kost', '3,5']
    """
    out: list[str] = []
    # no word spans whitespace, and most chunks are one plain word once the punctuation
    # around it is off: only the rest needs the regex
    for chunk in key.split():
        core = chunk.strip(AROUND_WORDS)
        if core.isalpha() or core.isdecimal():
            out.append(core)
        elif core:
            out += _WORD.findall(core)
    return out


# Dutch function words: every section is full of them, so left in they make any two bodies of
# a letter look about a third alike and swamp the few words that say what a session is about.
FUNCTION_WORDS = frozenset("""
    aan al als bij dan dat de deze den der des die dit door een en er geen haar had heeft hebben het hen
    hier hij hun ik in is kan kunnen maar met moet moeten na naar niet nog of om omdat onder ook op over
    per te ten ter tot tussen u uit uw van via voor waar waarbij waarin was wat we wel werd werden wie
    wij wordt worden ze zich zij zijn zo zou zouden zal zullen
""".split())


def content_words(key: str) -> Counter[str]:
    """How often each word of ``key`` that is not a function word occurs.

    >>> sorted(content_words("het kabinet steunt de inzet van het kabinet").items())
    [('inzet', 1), ('kabinet', 2), ('steunt', 1)]
    """
    return Counter(w for w in word_list(key) if w not in FUNCTION_WORDS)


def words(key: str) -> frozenset[str]:
    return frozenset(word_list(key))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def tfidf_cosines(old: Sequence[Counter[str]], new: Sequence[Counter[str]]) -> list[list[float]]:
    """Cosine similarity of every old body with every new body, words weighted by rarity.

    Rarity (inverse document frequency) is counted over the bodies of both versions, so
    words many sections use (``navo``, ``bondgenoten``) count less than the ones that set a
    session apart. The bodies come from ``content_words``: with the function words in, two
    unrelated sessions would score as high as a rewritten one.
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
