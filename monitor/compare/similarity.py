"""How alike two sentences or two sections are, on their matching keys (never display text).

Keys are already case- and accent-folded (``Sentence.key``, ``match_key``), so reflow,
hyphenation and OCR accents cannot make two renderings of the same words look different.

>>> sorted(words("de 3,5% norm van de navo"))
['3,5', 'de', 'navo', 'norm', 'van']
>>> jaccard(words("nederland steunt dit"), words("nederland steunt dit niet"))
0.75
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

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


# Up to this many items (sentences or sections of both versions together; a letter of the
# dossier has a few hundred) the candidate filters below are exact. Above it, in a text of
# thousands of pages, a pair must share one of the few rarest words of each side, and a word
# that many items share links none: the cost then grows with the length, not its square.
EXACT_UP_TO = 2000
# Up to this many pairs of bodies (about 25 a side; a letter of the dossier has a dozen sections
# at most) trying them all costs less than ordering every body's words to filter them
ALL_PAIRS_UP_TO = 625
_SIGNATURE_WORDS = 8
_SHARED_BY_AT_MOST = 100


def linked_pairs(old: Mapping[int, list[str]], new: Mapping[int, list[str]]) -> set[tuple[int, int]]:
    """Pairs (old, new) whose word lists (each rarest first, in one order) have a word in common."""
    exact = len(old) + len(new) <= EXACT_UP_TO
    cut = None if exact else _SIGNATURE_WORDS
    index: dict[str, list[int]] = {}
    for j, ws in new.items():
        for w in ws[:cut]:
            index.setdefault(w, []).append(j)
    if not exact:
        index = {w: js for w, js in index.items() if len(js) <= _SHARED_BY_AT_MOST}
    return {(i, j) for i, ws in old.items() for w in ws[:cut] for j in index.get(w, ())}


def jaccard_candidates(
    old: Mapping[int, frozenset[str]], new: Mapping[int, frozenset[str]], at_least: float
) -> set[tuple[int, int]]:
    """The pairs (old key, new key) whose sets may have a ``jaccard`` of ``at_least`` or more.

    Not all pairs are tried (prefix filtering): with the words of every set ordered rarest
    first, two sets that share that share of their words share one among the first
    ``n - ceil(at_least * n) + 1`` of each, and rare words pair few sets. Exact up to
    ``EXACT_UP_TO`` sets.

    >>> sorted(jaccard_candidates({0: words("nederland steunt dit"), 1: words("rusland")},
    ...                           {5: words("nederland steunt dit niet"), 6: frozenset()}, 0.5))
    [(0, 5)]
    """
    frequency: Counter[str] = Counter()
    for sets in (old, new):
        for ws in sets.values():
            frequency.update(ws)

    def prefix(ws: frozenset[str]) -> list[str]:
        # the margin keeps float error (0.6 * 5 > 3) from shortening the prefix
        size = len(ws) - math.ceil(at_least * len(ws) - 1e-9) + 1
        return sorted(ws, key=lambda w: (frequency[w], w))[:size]

    found = linked_pairs({i: prefix(ws) for i, ws in old.items()}, {j: prefix(ws) for j, ws in new.items()})
    # two empty sets are alike (jaccard 1.0) without a word to share
    empty_new = [j for j, ws in new.items() if not ws]
    found.update((i, j) for i, ws in old.items() if not ws for j in empty_new)
    return found


def tfidf_cosines(
    old: Sequence[Counter[str]], new: Sequence[Counter[str]], at_least: float, *, also: Iterable[tuple[int, int]] = ()
) -> dict[tuple[int, int], float]:
    """Cosine similarity, words weighted by rarity, of each pair (old body, new body) that
    reaches ``at_least`` (> 0); pairs below it are left out.

    Rarity (inverse document frequency) is counted over the bodies of both versions, so
    words many sections use (``navo``, ``bondgenoten``) count less than the ones that set a
    session apart. The bodies come from ``content_words``: with the function words in, two
    unrelated sessions would score as high as a rewritten one.

    Not every pair is tried (prefix filtering, as in ``jaccard_candidates``): a body's words
    are taken rarest first until the rest of its vector is too short to reach ``at_least`` on
    its own; a pair that does reach it shares one of those words. Exact up to ``EXACT_UP_TO`` bodies.
    The pairs ``also`` are weighed whatever words they share. Up to ``ALL_PAIRS_UP_TO`` pairs,
    all are weighed: the same result, sooner.
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
    vectors: dict[int, tuple[dict[str, float], float, float]] = {}
    dots: dict[tuple[int, int], float] = {}
    for body in bodies:
        if id(body) not in vectors:
            vec = {w: c * idf[w] for w, c in body.items()}
            square = sum([x * x for x in vec.values()])
            dots[id(vec), id(vec)] = square  # the dot product below, with itself, to the bit
            vectors[id(body)] = vec, math.sqrt(square), square
    old_v = [vectors[id(b)] for b in old]
    new_v = [vectors[id(b)] for b in new]
    out: dict[tuple[int, int], float] = {}
    tried: Iterable[tuple[int, int]]
    if len(old) * len(new) <= ALL_PAIRS_UP_TO:
        tried = itertools.product(range(len(old)), range(len(new)))
    else:
        prefix = {k: _cosine_prefix(vec, square, df, at_least) for k, (vec, norm, square) in vectors.items() if norm}
        linked = linked_pairs({i: prefix[id(b)] for i, b in enumerate(old) if id(b) in prefix},
                              {j: prefix[id(b)] for j, b in enumerate(new) if id(b) in prefix})
        tried = sorted(linked.union(also))
    for i, j in tried:
        (a, na, _), (b, nb, _) = old_v[i], new_v[j]
        if not na or not nb:
            continue
        small, large = (a, b) if len(a) < len(b) else (b, a)
        dot = dots.get((id(small), id(large)))
        if dot is None:
            # words missing from the larger body add +0.0, which leaves a sum of positive terms as it is
            dot = dots[id(small), id(large)] = sum([x * large[w] for w, x in small.items() if w in large])
        cosine = dot / (na * nb)
        if cosine >= at_least:
            out[i, j] = cosine
    return out


def _cosine_prefix(vec: dict[str, float], square: float, df: Counter[str], at_least: float) -> list[str]:
    """The rarest words of ``vec`` up to where the rest, as a share of its length, falls below ``at_least``.

    The cosine of two vectors is at most their cosine on these words plus that share, so a
    pair that reaches ``at_least`` has one of these words in common.
    """
    ordered = sorted(vec, key=lambda w: (df[w], w))
    rest = square
    limit = (at_least * (1 - 1e-9)) ** 2 * square  # the margin is for float error, on the safe side
    for k, w in enumerate(ordered):
        if rest < limit:
            return ordered[:k]
        rest -= vec[w] * vec[w]
    return ordered
