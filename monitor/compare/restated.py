"""Which position of the old agenda the new one restates in other words.

Successive agendas are different letters: a position comes back with other verbs
(*benadrukken* → *onderstrepen*), in the passive, with its clauses turned round, split in
two or merged with its neighbour. Shared *words* then find few pairs; what stays is what
the position is *about*. So each sentence is reduced to a profile:

- its **object**: the Dutch stems (Snowball) of its content words, without the words of
  the act (the lexicon's stance cues: *steunt*, *onderstrepen*, *van belang*, *voorstander*),
  so that the verb a writer picks does not count;
- its **topics** and **figures**, which count as words of the object;
- its **act**: the stance the position takes, compared on its own.

Words are weighted by rarity over both letters (*Nederland*, *NAVO* count little), and a
word meets its other forms (``monitor.compare.related``: the parts of a compound, a longer
form, *Rusland* / *Russisch*, *VNVR* / *VN-Veiligheidsraad*, two percentages). Two profiles
score their weighted cosine, plus a little for the same act. Old and new sentences left over
by the word passes are then paired by an optimal assignment over these scores, when at least
one of the two states a position: two positions first, as a position is most often restated as
one, and the context that named its examples shares more names; a pair across sections needs a higher score than a pair
inside a matched section, unless one of the two sessions is new or gone and pairs already
lead between them (a new session that took over an old one's positions). What is still left
of the text around the positions pairs after them, on a higher score still; then two
leftover positions that stand between the same neighbours pair on a low score, and two that
share a topic and are each other's best candidate in counterpart sessions on a lower one (a
position turned round and stripped of the names around it).

Last, leftover neighbours of a paired sentence join the pair when together they say more of
what the partner says than the one alone, or continue it in a few words of its own (a sentence
split in two or three, two or three merged).

>>> stems_of("nederland benadrukt het belang van de morele steun aan oekraine")
('nederland', 'morel', 'steun', 'oekrain')
>>> stems_of("het kabinet onderstreept het belang van moreel steunen van oekraine")
('kabinet', 'morel', 'oekrain')
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from monitor.compare.assignment import TIEBREAK, best_pairs, place_distance
from monitor.compare.related import related_terms, word_families
from monitor.compare.sentences import Placed
from monitor.compare.similarity import FUNCTION_WORDS, linked_pairs, word_list
from monitor.documents import match_key
from monitor.model import Position
from monitor.positions import figures, topics_of
from monitor.positions.lexicon import cues

# Calibrated on the labelled successive agendas (tests/fixtures/successive, bench/pairing_eval.py).
WITHIN_MATCH = 0.35  # score for a pair inside sections matched to each other
CROSS_MATCH = 0.45  # a position that moved to another session needs more in common
CONTEXT_MATCH = 0.5  # two sentences that state no position, anywhere in the letters
SAME_ACT = 0.08  # added when both take the same stance: an act kept is evidence, not proof
PART_GAIN = 0.08  # how much more of the partner a neighbour must cover to be part of the pair
CONTEXT_PART_GAIN = 0.15  # a neighbour that states no position must add more
PART_SHARE = 0.2  # and how much of its own content it must share with the partner
PART_REACH = 4  # how many sentences away a position can be that was merged with its neighbour
SIBLING_SHARE = 0.5  # a short neighbour joins when this much of what it says is the partner's
FRONT_SIBLING_SHARE = 0.75  # context before a position joins only when nearly all it says is the partner's
MAX_PARTS = 3  # sentences on one side of a link: a position split in three, or three merged
CONTEXT_SHARE = 0.35  # of a sentence of context paired with a position, the weight it shares with it
GAP_MATCH = 0.2
MUTUAL_MATCH = 0.3  # two leftovers between the same pairs of neighbours: their places vouch for the rest


class Link(NamedTuple):
    """Old sentences (indices) that became new sentences: one to one, or one to up to three."""

    old: tuple[int, ...]
    new: tuple[int, ...]


@cache
def _stemmer() -> Callable[[list[str]], list[str]]:
    # imported here: only a comparison needs it, and commands that do not compare start faster.
    # The classic Snowball Dutch (Porter's): the newer "dutch" of Snowball 3 keeps "politieke"
    # apart from "politiek" and "nederlandse" from "nederland".
    import Stemmer

    return Stemmer.Stemmer("dutch_porter").stemWords


# Dutch doubles a vowel in a closed syllable only (moreel, morele): one spelling for both
_DOUBLE_VOWEL = re.compile(r"([aeou])\1")


@cache
def _act_words() -> frozenset[str]:
    """Every word of a stance cue of the lexicon: how a position is taken, not what about.

    Nouns that a cue names as its object ("volgt … voorstel", "deelt … ambitie") stay words
    of the object, and so do the actors a cue names ("in de ogen van Nederland"): who speaks
    counts as it does everywhere else.
    """
    lex = cues()

    def words_of(patterns: Sequence[str]) -> set[str]:
        return {alt.strip("*") for p in patterns for token in p.split() for alt in token.split("|")}

    found = words_of([*lex.stance.patterns, *lex.impersonal.patterns, *lex.intensifiers.patterns])
    return frozenset(found - _CUE_OBJECTS - words_of(lex.actors.patterns))


_CUE_OBJECTS = frozenset("""
    voorstel advies aanbeveling aanbevelingen analyse opvatting mening ambitie ambities weg optie
    oplossing steun waardering vertrouwen teleurstelling randvoorwaarde
""".split())


@lru_cache(maxsize=8192)
def stems_of(key: str) -> tuple[str, ...]:
    """The stems of the content words of a matching key that are not words of the act.

    Remembered by key: successive versions of a letter repeat most of their sentences.
    """
    act = _act_words()
    kept = [w for w in word_list(key) if w not in act and w not in FUNCTION_WORDS]
    return tuple(dict.fromkeys(map(_single_vowels, _stemmer()(kept))))


@lru_cache(maxsize=65536)
def _single_vowels(stem: str) -> str:
    # remembered: a letter repeats its words, and a regex per word was a fifth of a long diff
    return _DOUBLE_VOWEL.sub(r"\1", stem)


@dataclass(frozen=True)
class Profile:
    terms: frozenset[str]  # stems, "#topic" and "=figure" terms
    act: str | None  # the stance, or None when the sentence takes none


def profile(key: str, text: str, position: Position | None) -> Profile:
    """What a sentence is about. The figures of a position count by value ("circa 45.000" is
    "45.000"); in any other sentence a number counts as the word it is."""
    terms = set(stems_of(key))
    terms.update(f"#{t}" for t in (position.topics if position else topics_of(text)))
    if position is not None:
        terms.update(f"={kind}:{value:g}" for kind, value, *_ in figures(position.quantities))
    return Profile(frozenset(terms), position.stance if position else None)


@cache
def _families() -> tuple[frozenset[str], ...]:
    stemmed = (frozenset(s for member in family for s in stems_of(match_key(member))) for family in word_families())
    return tuple(f for f in stemmed if len(f) > 1)


class _Scorer:
    """Rarity-weighted cosine of profiles, in which a term also meets its related forms.

    Rarity is counted over every sentence of both letters; a sentence that is not compared
    (it came back word for word) counts with its stems only, so that its topics and figures
    need not be worked out. Related forms (``monitor.compare.related``) are looked for among
    the compared sentences only.
    """

    def __init__(self, profiles: Sequence[Profile], others: Sequence[tuple[str, ...]]) -> None:
        df: dict[str, int] = {}
        for terms in [*(p.terms for p in profiles), *others]:
            for t in terms:
                df[t] = df.get(t, 0) + 1
        n = len(profiles) + len(others)
        self.weight = {t: (math.log((n + 1) / (c + 1)) + 1.0) ** 2 for t, c in df.items()}
        self.related = related_terms({t for p in profiles for t in p.terms}, _families())
        self._norms: dict[frozenset[str], float] = {}  # every profile meets every other: once each
        self._reach: dict[frozenset[str], frozenset[str]] = {}

    def norm(self, terms: frozenset[str]) -> float:
        norm = self._norms.get(terms)
        if norm is None:
            norm = self._norms[terms] = math.sqrt(sum([self.weight[t] for t in terms]))
        return norm

    def reach(self, terms: frozenset[str]) -> frozenset[str]:
        """``terms`` and every form related to one of them."""
        out = self._reach.get(terms)
        if out is None:
            out = self._reach[terms] = terms.union(*(self.related.get(t, ()) for t in terms))
        return out

    def cosine(self, a: frozenset[str], b: frozenset[str]) -> float:
        """Of each side, the weight the other says too, as itself or a related form: the
        plain cosine when no form is related."""
        if not a or not b:
            return 0.0
        a_said = a & self.reach(b)
        if not a_said:
            return 0.0
        b_said = b & self.reach(a)
        return math.sqrt(sum([self.weight[t] for t in a_said]) * sum([self.weight[t] for t in b_said])) / (
            self.norm(a) * self.norm(b))

    def share(self, part: frozenset[str], whole: frozenset[str]) -> float:
        """How much of ``part``'s weight ``whole`` also says."""
        total = sum(self.weight[t] for t in part)
        return sum(self.weight[t] for t in part & self.reach(whole)) / total if total else 0.0

    def score(self, a: Profile, b: Profile) -> float:
        return self.cosine(a.terms, b.terms) + (SAME_ACT if a.act is not None and a.act == b.act else 0.0)


def restated_links(
    old: Sequence[Placed],
    new: Sequence[Placed],
    pairs: Sequence[tuple[int, int]],
    section_pairs: Mapping[int, int],
    position_of: Callable[[str], Position | None],
) -> list[Link]:
    """``pairs`` (found on shared words) with the restated positions added, and parts joined."""
    old_left = set(range(len(old))) - {i for i, _ in pairs}
    new_left = set(range(len(new))) - {j for _, j in pairs}
    if not old_left and not new_left:  # every sentence has its pair: nothing to restate or join
        return [Link((i, ), (j, )) for i, j in pairs]
    # profiles for what may be paired or joined: what is left, and the pairs that changed
    edited = [(i, j) for i, j in pairs if old[i].sentence.key != new[j].sentence.key]
    old_profiled = old_left | {i for i, _ in edited}
    new_profiled = new_left | {j for _, j in edited}

    def profiled(p: Placed) -> Profile:
        return profile(p.sentence.key, p.sentence.text, position_of(p.sentence.text))

    old_p = {i: profiled(old[i]) for i in sorted(old_profiled)}
    new_p = {j: profiled(new[j]) for j in sorted(new_profiled)}
    others = [stems_of(old[i].sentence.key) for i in range(len(old)) if i not in old_profiled]
    others += [stems_of(new[j].sentence.key) for j in range(len(new)) if j not in new_profiled]
    scorer = _Scorer([*old_p.values(), *new_p.values()], others)
    is_position_old = {i: old_p[i].act is not None for i in old_left}
    is_position_new = {j: new_p[j].act is not None for j in new_left}

    matched = set(section_pairs.items())
    scores: dict[tuple[int, int], float] = {}  # a leftover meets the same candidates in several passes

    def score(i: int, j: int) -> float:
        if (i, j) not in scores:
            scores[i, j] = scorer.score(old_p[i], new_p[j])
        return scores[i, j]

    def rarest_first(terms: frozenset[str]) -> list[str]:
        return sorted(terms, key=lambda t: (-scorer.weight.get(t, 0.0), t))

    old_terms = {i: rarest_first(old_p[i].terms) for i in old_left}
    new_reach = {j: rarest_first(scorer.reach(new_p[j].terms)) for j in new_left}

    def sharing(olds: Iterable[int], news: Iterable[int]) -> set[tuple[int, int]]:
        """The pairs of which the old sentence says a term of the new one or a related form:
        the only ones that can score more than SAME_ACT."""
        return linked_pairs({i: old_terms[i] for i in olds}, {j: new_reach[j] for j in news})

    def restates(i: int, j: int) -> bool:
        """Whether the one of a position and a sentence of context that states none says mostly
        the position's subject: context that reports something else about it ("the ceasefire
        holds" after "calls for a ceasefire") is written instead of the position, not for it."""
        context, position = (old_p[i], new_p[j]) if old_p[i].act is None else (new_p[j], old_p[i])
        return scorer.share(context.terms, position.terms) >= CONTEXT_SHARE

    def assign(positions: int, within_match: float, cross_match: float) -> list[tuple[int, int]]:
        """Pairs of leftovers of which ``positions`` (0, 1 or 2) state a position."""
        weights: dict[tuple[int, int], float] = {}
        # every bar is above SAME_ACT, so a pair must say a term of the other, as itself or a
        # related form: only those pairs are scored, and a long text is not squared
        for i, j in sharing(old_left, new_left):
            if is_position_old[i] + is_position_new[j] != positions:
                continue
            within = (old[i].section, new[j].section) in matched
            score_ij = score(i, j)
            if positions == 1 and not restates(i, j):
                continue
            if score_ij >= (within_match if within else cross_match):
                weights[(i, j)] = score_ij - TIEBREAK * place_distance(i, len(old), j, len(new))
        found = best_pairs(weights)
        old_left.difference_update(i for i, _ in found)
        new_left.difference_update(j for _, j in found)
        return found

    # positions first; then the text around them, which must have more in common to pair
    found = assign(2, WITHIN_MATCH, CROSS_MATCH)
    found += assign(1, WITHIN_MATCH, CROSS_MATCH)
    # A new session takes over positions of old ones, a removed one's positions went somewhere:
    # where pairs already lead from such a session, the two are counterparts as well
    matched |= _counterparts([*pairs, *found], old, new, section_pairs)
    found += assign(2, WITHIN_MATCH, CROSS_MATCH)
    found += assign(1, WITHIN_MATCH, CROSS_MATCH)
    found += assign(0, CONTEXT_MATCH, CONTEXT_MATCH)
    found += _gap_pairs([*pairs, *found], old, new, old_left, new_left, matched, is_position_old, is_position_new,
                        score)
    found += _mutual_pairs(old, new, old_left, new_left, matched, old_p, new_p, score, sharing)
    return _with_parts(sorted([*pairs, *found]), old, new, old_p, new_p, scorer)


def _gap_pairs(
    pairs: Sequence[tuple[int, int]],
    old: Sequence[Placed],
    new: Sequence[Placed],
    old_left: set[int],
    new_left: set[int],
    matched: set[tuple[int, int]],
    is_position_old: Mapping[int, bool],
    is_position_new: Mapping[int, bool],
    score: Callable[[int, int], float],
) -> list[tuple[int, int]]:
    """Leftovers that stand where each other's neighbours went: an old and a new position whose
    next sentences are a pair and whose previous ones are a pair too or not paired at all need
    only ``GAP_MATCH`` in common. (A pair before them alone does not vouch: the sentence after
    a pair is as likely the second half it was split into. Context in a position's place is as
    likely written instead of a dropped one.)

    Found one after another: a pair filled in is the neighbour the next gap needs.
    """
    new_of = dict(pairs)
    old_of = {j: i for i, j in pairs}
    found: list[tuple[int, int]] = []

    def neighbours(i: int, j: int, step: int) -> str:
        """"pair" when the sentences ``step`` away are paired to each other, "open" when neither
        is paired (or lies past the end of its section), "apart" otherwise."""
        a, b = i + step, j + step
        a_in = 0 <= a < len(old) and old[a].section == old[i].section
        b_in = 0 <= b < len(new) and new[b].section == new[j].section
        if a_in and b_in and new_of.get(a) == b:
            return "pair"
        a_free = not a_in or a not in new_of
        b_free = not b_in or b not in old_of
        return "open" if a_free and b_free else "apart"

    while True:
        weights: dict[tuple[int, int], float] = {}
        for i in old_left:
            # the next sentences must be a pair: that names the one new sentence for this gap
            after = new_of.get(i + 1)
            j = after - 1 if after is not None else -1
            if j not in new_left:
                continue
            if not (is_position_old[i] and is_position_new[j]) or (old[i].section, new[j].section) not in matched:
                continue
            if neighbours(i, j, 1) == "pair" and neighbours(i, j, -1) != "apart":
                sc = score(i, j)
                if sc >= GAP_MATCH:
                    weights[(i, j)] = sc
        if not weights:
            return found
        i, j = max(weights, key=weights.__getitem__)  # one at a time: it changes its neighbours' gaps
        found.append((i, j))
        new_of[i], old_of[j] = j, i
        old_left.discard(i)
        new_left.discard(j)


def _mutual_pairs(
    old: Sequence[Placed],
    new: Sequence[Placed],
    old_left: set[int],
    new_left: set[int],
    matched: set[tuple[int, int]],
    old_p: Mapping[int, Profile],
    new_p: Mapping[int, Profile],
    score: Callable[[int, int], float],
    sharing: Callable[[Iterable[int], Iterable[int]], set[tuple[int, int]]],
) -> list[tuple[int, int]]:
    """Two leftover positions on a shared topic that are each other's best candidate, on
    ``MUTUAL_MATCH``: a position turned round ("groot voorstander van" → "staat open voor") and
    stripped of the names around it keeps its subject but little else, wherever it was moved to."""
    def topics(p: Profile) -> frozenset[str]:
        return frozenset(t for t in p.terms if t.startswith("#"))

    olds = [i for i in old_left if old_p[i].act is not None]
    news = [j for j in new_left if new_p[j].act is not None]
    # a pair that shares no term scores SAME_ACT at most, below MUTUAL_MATCH: the best candidate
    # that can pair is among those that share one (taken in the same order, ties alike)
    linked = sorted(sharing(olds, news))
    place_new = {j: k for k, j in enumerate(news)}
    place_old = {i: k for k, i in enumerate(olds)}
    news_of: dict[int, list[int]] = {}
    olds_of: dict[int, list[int]] = {}
    for i, j in linked:
        news_of.setdefault(i, []).append(j)
        olds_of.setdefault(j, []).append(i)
    best_new = {i: max(sorted(js, key=place_new.__getitem__), key=lambda j: score(i, j))
                for i, js in news_of.items()}
    best_old = {j: max(sorted(is_, key=place_old.__getitem__), key=lambda i: score(i, j))
                for j, is_ in olds_of.items()}
    found = [(i, j) for i, j in best_new.items() if best_old[j] == i and score(i, j) >= MUTUAL_MATCH
             and (old[i].section, new[j].section) in matched and topics(old_p[i]) & topics(new_p[j])]
    old_left.difference_update(i for i, _ in found)
    new_left.difference_update(j for _, j in found)
    return found


def _counterparts(
    pairs: Sequence[tuple[int, int]], old: Sequence[Placed], new: Sequence[Placed], section_pairs: Mapping[int, int]
) -> set[tuple[int, int]]:
    """(old, new) sections that pairs link where one of the two has no counterpart of its own."""
    added = {p.section for p in new} - set(section_pairs.values())
    return {(old[i].section, new[j].section) for i, j in pairs
            if old[i].section not in section_pairs or new[j].section in added}


def _with_parts(
    pairs: list[tuple[int, int]],
    old: Sequence[Placed],
    new: Sequence[Placed],
    old_p: Mapping[int, Profile],
    new_p: Mapping[int, Profile],
    scorer: _Scorer,
) -> list[Link]:
    """Each pair as a link, with unpaired neighbours joined where they are the other parts:
    up to ``MAX_PARTS`` sentences on one side (one position split in three, three merged)."""
    old_taken = {i for i, _ in pairs}
    new_taken = {j for _, j in pairs}
    links: list[Link] = []
    for i, j in pairs:
        if old[i].sentence.key == new[j].sentence.key:
            links.append(Link((i, ), (j, )))
            continue
        new_group = _parts(j, new, new_taken, new_p, old_p[i].terms, scorer)
        old_group = (j, ) if len(new_group) > 1 else _parts(i, old, old_taken, old_p, new_p[j].terms, scorer)
        if len(new_group) > 1:
            new_taken.update(new_group)
            links.append(Link((i, ), new_group))
        else:
            old_taken.update(old_group)
            links.append(Link(old_group, (j, )))
    return links


def _parts(
    at: int,
    side: Sequence[Placed],
    taken: set[int],
    profiles: Mapping[int, Profile],
    partner: frozenset[str],
    scorer: _Scorer,
) -> tuple[int, ...]:
    """``side[at]`` with the free neighbours that, joined to it one after another, complete
    ``partner``: each says more of what ``partner`` says, and mostly things it says.

    A candidate is the next sentence before or after the group, or a position up to
    ``PART_REACH`` sentences away: a writer who merges two positions drops the sentences of
    context between them. A position is preferred to a sentence of context; context must add
    more (``CONTEXT_PART_GAIN``), and a distant position must bring at least two of
    ``partner``'s terms that the group lacks, as one shared word is often chance. A short
    sibling right next to the group ("De huidige doelen zijn een minimum.") adds little of a
    long partner, but when most of what it says is said by the partner or by the group it
    stands next to (``SIBLING_SHARE``: "… om die band te verankeren" after "… band blijft
    onmisbaar") and it adds anything of the partner, it continues the same subject: a
    position on either side, context only after the group (context before a position
    introduces it).
    """
    group = [at]
    own = profiles[at].terms
    while len(group) < MAX_PARTS:
        covered = scorer.share(partner, own)
        lacking = partner - scorer.reach(own)
        first, last = min(group), max(group)
        best: tuple[bool, bool, float, int] | None = None
        for k in range(first - PART_REACH, last + PART_REACH + 1):
            if first <= k <= last or not 0 <= k < len(side) or k in taken or side[k].section != side[at].section:
                continue
            is_position = profiles[k].act is not None
            terms = profiles[k].terms
            next_to = k in (first - 1, last + 1)
            if not next_to and (not is_position or len(lacking & scorer.reach(terms)) < 2):
                continue
            gain = scorer.share(partner, own | terms) - covered
            said = scorer.share(terms, partner)
            joins = gain >= (PART_GAIN if is_position else CONTEXT_PART_GAIN) and said >= PART_SHARE
            # context that continues a position follows it; a position may come first
            own_said = scorer.share(terms, partner | own)
            sibling = (next_to and gain > 0 and own_said >= SIBLING_SHARE
                       and (is_position or k == last + 1 or own_said >= FRONT_SIBLING_SHARE))
            if not (joins or sibling):
                continue
            if best is None or (joins, is_position, gain) > best[:3]:
                best = (joins, is_position, gain, k)
        if best is None:
            break
        group.append(best[3])
        own = own | profiles[best[3]].terms
    return tuple(sorted(group))
