"""Which section of the old version became which section of the new one.

A section is recognised by its heading *and* its body, so a renamed heading over the
same text, a reordered working session, or a session whose heading survived while its
text was rewritten are all found. Sections are matched one to one (optimal assignment);
when two sessions merge, the better match keeps the pair and the other is reported as
removed, its sentences then surface as moved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from monitor.compare.assignment import TIEBREAK, best_pairs, place_distance
from monitor.compare.order import kept_in_order
from monitor.compare.similarity import content_words, jaccard, jaccard_candidates, tfidf_cosines, words
from monitor.documents.normalise import match_key
from monitor.model import Section, SectionMatch

HEADING_MATCH = 0.5  # share of heading words: "Werksessie Zuidflank" vs "Werksessie Rusland" is 1/3
# rarity-weighted cosine of the bodies' content words: in the test letters, unrelated sessions (of one
# letter or of two) score about 0.3 at most, a session kept under a new heading, edited, 0.75 or more
BODY_MATCH = 0.3


@dataclass(frozen=True)
class SectionAlignment:
    pairs: dict[int, int]  # old section index -> new section index
    matches: tuple[SectionMatch, ...]  # the section map, in new order, removed ones after their old neighbour


def heading_key(section: Section) -> str | None:
    return match_key(section.heading) if section.heading is not None else None


def _heading_similarity(a: frozenset[str] | None, b: frozenset[str] | None) -> float:
    if a is None or b is None:
        return 1.0 if a == b else 0.0
    return jaccard(a, b)


def _body_words(sections: Sequence[Section], counted: dict[str, Counter[str]]) -> list[Counter[str]]:
    """The word counts of each body; ``counted`` holds those already made, by body text, so a
    section that the new version left alone is counted once (the same object for both)."""
    out = []
    for section in sections:
        # one pass over all keys: a space never joins two words, so the words are the same
        body = " ".join(s.key for p in section.paragraphs for s in p.sentences)
        if body not in counted:
            counted[body] = content_words(body)
        out.append(counted[body])
    return out


def align_sections(old: Sequence[Section], new: Sequence[Section]) -> SectionAlignment:
    old_keys = [heading_key(s) for s in old]
    new_keys = [heading_key(s) for s in new]
    counted: dict[str, Counter[str]] = {}
    bodies = tfidf_cosines(_body_words(old, counted), _body_words(new, counted), BODY_MATCH)
    old_words = [None if k is None else words(k) for k in old_keys]
    new_words = [None if k is None else words(k) for k in new_keys]
    # only pairs that can pass one of the two bars are weighed, so a long letter is not squared
    candidates = set(bodies) | jaccard_candidates(
        {i: w for i, w in enumerate(old_words) if w is not None},
        {j: w for j, w in enumerate(new_words) if w is not None}, HEADING_MATCH)
    untitled_new = [j for j, w in enumerate(new_words) if w is None]
    candidates.update((i, j) for i, w in enumerate(old_words) if w is None for j in untitled_new)
    weights: dict[tuple[int, int], float] = {}
    for i, j in sorted(candidates):
        head = _heading_similarity(old_words[i], new_words[j])
        body = bodies.get((i, j), 0.0)
        if head >= HEADING_MATCH or body >= BODY_MATCH:
            weights[(i, j)] = head + body + 1.0 - TIEBREAK * place_distance(i, len(old), j, len(new))
    pairs = dict(best_pairs(weights))
    old_of_new = {j: i for i, j in pairs.items()}
    by_new = sorted(pairs.items(), key=lambda p: p[1])
    stayed = {by_new[k][0] for k in kept_in_order([i for i, _ in by_new])}

    def match_for_new(j: int) -> SectionMatch:
        i = old_of_new.get(j)
        if i is None:
            return SectionMatch("added", None, new[j].heading)
        if old_keys[i] != new_keys[j]:
            return SectionMatch("renamed", old[i].heading, new[j].heading)
        return SectionMatch("same" if i in stayed else "moved", old[i].heading, new[j].heading)

    # removed sections are listed right after the new section their old predecessor became
    removed_after: dict[int, list[int]] = {}
    anchor = -1
    for i in range(len(old)):
        if i in pairs:
            anchor = pairs[i]
        else:
            removed_after.setdefault(anchor, []).append(i)
    matches = [SectionMatch("removed", old[i].heading, None) for i in removed_after.get(-1, [])]
    for j in range(len(new)):
        matches.append(match_for_new(j))
        matches.extend(SectionMatch("removed", old[i].heading, None) for i in removed_after.get(j, []))
    return SectionAlignment(pairs, tuple(matches))
