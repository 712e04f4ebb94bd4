"""Which sentence of the old version became which sentence of the new one.

Three passes, each optimal over what the previous passes left:
1. identical keys: first the longest common run of keys inside each pair of matched
   sections (what stayed in order), then an assignment of the remaining identical keys
   anywhere (an unchanged sentence is found wherever it went: a move);
2. similar sentences inside sections that were matched to each other;
3. similar sentences across sections (a sentence moved *and* edited).
Similarity is the share of common words of the keys; below the threshold two
sentences are unrelated, so the old one is removed and the new one added rather
than one "changed" into the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from monitor.compare.assignment import TIEBREAK, best_pairs, place_distance
from monitor.compare.order import kept_in_order
from monitor.compare.similarity import jaccard, jaccard_candidates, words
from monitor.model import Sentence

SAME_SECTION_MATCH = 0.5  # "Nederland steunt dit" / "Nederland steunt dat" (2 of 4 words) still pairs
CROSS_SECTION_MATCH = 0.6  # a pair that also changed place needs more in common
# Copies of one sentence left over on both sides are weighed pair by pair up to this many pairs
# (a letter repeats a sentence a few times at most), and paired in order beyond it.
_COPIES_WEIGHED = 400


class Placed(NamedTuple):  # (a tuple: a letter has hundreds, made anew for every comparison)
    """A sentence with the index of its section and its place in the whole document."""

    sentence: Sentence
    section: int
    index: int


def placed(sections_sentences: Sequence[Sequence[Sentence]]) -> list[Placed]:
    out: list[Placed] = []
    for s_index, sentences in enumerate(sections_sentences):
        for sentence in sentences:
            out.append(Placed(sentence, s_index, len(out)))
    return out


def longest_common_run(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of ``a`` and ``b``.

    Every (i, j) with ``a[i] == b[j]`` is listed by i, and within one i by falling j; a
    longest run of rising j in that list takes at most one j per i and is a longest common
    subsequence (Hunt and Szymanski). It costs about the number of equal pairs, which for
    sentences, most of them said once, is about the length: a letter of thousands of
    sentences under one heading is no square table.

    >>> longest_common_run(["s", "t", "s", "b"], ["t", "s", "b", "s"])
    [(1, 0), (2, 1), (3, 2)]
    """
    # A common start is taken whole whatever follows (in an edit of a long letter, most
    # sections are their common start).
    same = 0
    while same < len(a) and same < len(b) and a[same] == b[same]:
        same += 1
    at: dict[str, list[int]] = defaultdict(list)
    for j in range(same, len(b)):
        at[b[j]].append(j)
    equal = [(i, j) for i in range(same, len(a)) for j in reversed(at.get(a[i], ()))]
    kept = kept_in_order([j for _, j in equal])
    return [(k, k) for k in range(same)] + [equal[k] for k in sorted(kept)]


def align_sentences(
    old: Sequence[Placed], new: Sequence[Placed], section_pairs: Mapping[int, int]
) -> list[tuple[int, int]]:
    """Pairs of indices (into ``old``, ``new``) of sentences that are one and the same."""

    def tiebreak(i: int, j: int) -> float:
        return TIEBREAK * place_distance(i, len(old), j, len(new))

    def same_section(i: int, j: int) -> bool:
        return section_pairs.get(old[i].section) == new[j].section

    # 1a. what stayed in order: a repeated sentence pairs with the copy that keeps the order,
    # so the fewest sentences count as moved, whichever version is called old
    in_section_old: dict[int, list[int]] = defaultdict(list)
    in_section_new: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(old):
        in_section_old[p.section].append(i)
    for j, p in enumerate(new):
        in_section_new[p.section].append(j)
    pairs: list[tuple[int, int]] = []
    for so, sn in section_pairs.items():
        olds, news = in_section_old[so], in_section_new[sn]
        common = longest_common_run([old[i].sentence.key for i in olds], [new[j].sentence.key for j in news])
        pairs += [(olds[x], news[y]) for x, y in common]
    old_left = set(range(len(old))) - {i for i, _ in pairs}
    new_left = set(range(len(new))) - {j for _, j in pairs}

    # 1b. identical sentences elsewhere; among repeats prefer the matching section, then the nearest
    by_key: dict[str, list[int]] = defaultdict(list)
    for j in sorted(new_left):
        by_key[new[j].sentence.key].append(j)
    old_by_key: dict[str, list[int]] = defaultdict(list)
    for i in sorted(old_left):
        old_by_key[old[i].sentence.key].append(i)
    exact: dict[tuple[int, int], float] = {}
    moved: list[tuple[int, int]] = []
    for key, olds in old_by_key.items():
        news = by_key.get(key, [])
        if len(olds) * len(news) > _COPIES_WEIGHED:
            moved += zip(olds, news)  # a text that repeats itself: its copies pair in order
            continue
        for i in olds:
            for j in news:
                exact[(i, j)] = (2.0 if same_section(i, j) else 1.0) - tiebreak(i, j)
    moved += best_pairs(exact)
    pairs += moved
    old_left.difference_update(i for i, _ in moved)
    new_left.difference_update(j for _, j in moved)
    old_words = {i: words(old[i].sentence.key) for i in old_left}
    new_words = {j: words(new[j].sentence.key) for j in new_left}

    def similar(within: bool, threshold: float) -> list[tuple[int, int]]:
        weights: dict[tuple[int, int], float] = {}
        if within:  # section by section: each a letter's worth of sentences, whatever the text's length
            candidates: set[tuple[int, int]] = set()
            for so, sn in section_pairs.items():
                olds = {i: old_words[i] for i in in_section_old[so] if i in old_left}
                news = {j: new_words[j] for j in in_section_new[sn] if j in new_left}
                if olds and news:  # (most sections of an edit have nothing left on either side)
                    candidates |= jaccard_candidates(olds, news, threshold)
        else:
            candidates = jaccard_candidates({i: old_words[i] for i in old_left}, {j: new_words[j] for j in new_left},
                                            threshold)
        for i, j in sorted(candidates):
            sim = jaccard(old_words[i], new_words[j])
            if sim >= threshold:
                weights[(i, j)] = sim - tiebreak(i, j)
        found = best_pairs(weights)
        old_left.difference_update(i for i, _ in found)
        new_left.difference_update(j for _, j in found)
        return found

    # 2. and 3.
    pairs += similar(True, SAME_SECTION_MATCH)
    pairs += similar(False, CROSS_SECTION_MATCH)
    return sorted(pairs)
