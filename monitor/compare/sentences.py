"""Which sentence of the old version became which sentence of the new one.

Three passes, each an optimal assignment over what the previous passes left:
1. identical keys anywhere (an unchanged sentence is found wherever it went);
2. similar sentences inside sections that were matched to each other;
3. similar sentences across sections (a sentence moved *and* edited).
Similarity is the share of common words of the keys; below the threshold two
sentences are unrelated, so the old one is removed and the new one added rather
than one "changed" into the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from monitor.compare.assignment import best_pairs
from monitor.compare.similarity import jaccard, words
from monitor.model import Sentence

SAME_SECTION_MATCH = 0.5  # "Nederland steunt dit" / "Nederland steunt dat" (2 of 4 words) still pairs
CROSS_SECTION_MATCH = 0.6  # a pair that also changed place needs more in common
_TIEBREAK = 1e-3


@dataclass(frozen=True)
class Placed:
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


def align_sentences(
    old: Sequence[Placed], new: Sequence[Placed], section_pairs: Mapping[int, int]
) -> list[tuple[int, int]]:
    """Pairs of indices (into ``old``, ``new``) of sentences that are one and the same."""

    def distance(i: int, j: int) -> float:
        return abs(i / max(len(old) - 1, 1) - j / max(len(new) - 1, 1))

    def same_section(i: int, j: int) -> bool:
        return section_pairs.get(old[i].section) == new[j].section

    # 1. identical keys; among repeats prefer the copy in the matching section, then the nearest
    by_key: dict[str, list[int]] = defaultdict(list)
    for j, p in enumerate(new):
        by_key[p.sentence.key].append(j)
    exact: dict[tuple[int, int], float] = {}
    for i, p in enumerate(old):
        for j in by_key.get(p.sentence.key, ()):
            exact[(i, j)] = (2.0 if same_section(i, j) else 1.0) - _TIEBREAK * distance(i, j)
    pairs = best_pairs(exact)

    old_left = set(range(len(old))) - {i for i, _ in pairs}
    new_left = set(range(len(new))) - {j for _, j in pairs}
    old_words = {i: words(old[i].sentence.key) for i in old_left}
    new_words = {j: words(new[j].sentence.key) for j in new_left}

    def similar(within: bool, threshold: float) -> list[tuple[int, int]]:
        weights: dict[tuple[int, int], float] = {}
        for i in sorted(old_left):
            for j in sorted(new_left):
                if within and not same_section(i, j):
                    continue
                sim = jaccard(old_words[i], new_words[j])
                if sim >= threshold:
                    weights[(i, j)] = sim - _TIEBREAK * distance(i, j)
        found = best_pairs(weights)
        old_left.difference_update(i for i, _ in found)
        new_left.difference_update(j for _, j in found)
        return found

    # 2. and 3.
    pairs += similar(True, SAME_SECTION_MATCH)
    pairs += similar(False, CROSS_SECTION_MATCH)
    return sorted(pairs)
