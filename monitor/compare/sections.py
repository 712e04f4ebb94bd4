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
from monitor.compare.sentences import longest_common_run
from monitor.compare.similarity import (
    EXACT_UP_TO, content_words, jaccard, jaccard_candidates, tfidf_cosines, words,
)
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


def _kept_as_they_were(
    old: Sequence[Section], new: Sequence[Section], old_keys: list[str | None], new_keys: list[str | None]
) -> dict[int, int]:
    """Sections of a long text that the new version left as they were (heading and sentences), paired
    in order. A text that repeats a section hundreds of times would otherwise weigh every copy
    against every other."""
    def fingerprint(section: Section, key: str | None) -> str:
        return "\n".join([key or "", *(s.key for p in section.paragraphs for s in p.sentences)])

    same = longest_common_run([fingerprint(s, k) for s, k in zip(old, old_keys)],
                              [fingerprint(s, k) for s, k in zip(new, new_keys)])
    return dict(same)


_NEARBY = 5  # sections either side of the same relative place


def _nearby(old_count: int, new_count: int) -> set[tuple[int, int]]:
    """Pairs (old, new) of sections at most ``_NEARBY`` apart from the same relative place."""
    scale = (new_count - 1) / max(old_count - 1, 1)
    return {(i, j) for i in range(old_count)
            for j in range(max(0, round(i * scale) - _NEARBY), min(new_count, round(i * scale) + _NEARBY + 1))}


def align_sections(old: Sequence[Section], new: Sequence[Section]) -> SectionAlignment:
    old_keys = [heading_key(s) for s in old]
    new_keys = [heading_key(s) for s in new]
    counted: dict[str, Counter[str]] = {}
    long_text = len(old) + len(new) > EXACT_UP_TO
    # in a long text, where some words are in every section, the sections at about the same
    # place are weighed whatever words they share
    nearby = _nearby(len(old), len(new)) if long_text else set()
    bodies = tfidf_cosines(_body_words(old, counted), _body_words(new, counted), BODY_MATCH, also=nearby)
    old_words = [None if k is None else words(k) for k in old_keys]
    new_words = [None if k is None else words(k) for k in new_keys]
    # only pairs that can pass one of the two bars are weighed, so a long letter is not squared
    kept = _kept_as_they_were(old, new, old_keys, new_keys) if long_text else {}
    candidates = nearby | set(bodies) | jaccard_candidates(
        {i: w for i, w in enumerate(old_words) if w is not None},
        {j: w for j, w in enumerate(new_words) if w is not None}, HEADING_MATCH)
    untitled_new = [j for j, w in enumerate(new_words) if w is None]
    candidates.update((i, j) for i, w in enumerate(old_words) if w is None for j in untitled_new)
    weights: dict[tuple[int, int], float] = {}
    kept_new = set(kept.values())
    for i, j in sorted(candidates):
        if i in kept or j in kept_new:
            continue
        head = _heading_similarity(old_words[i], new_words[j])
        body = bodies.get((i, j), 0.0)
        if head >= HEADING_MATCH or body >= BODY_MATCH:
            weights[(i, j)] = head + body + 1.0 - TIEBREAK * place_distance(i, len(old), j, len(new))
    pairs = dict(best_pairs(weights)) | kept
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
