"""Does a sentence state the Dutch government's position, and which?

The rules, in order:

1. **Actor.** Nederland, het kabinet, de regering, de minister (the letter's "ik"), also after
   the verb ("steunt Nederland", "Daarom zal het kabinet") and "voor het kabinet". An actor
   right after a preposition is not the speaker ("de steun van Nederland").
2. **Stance.** With an actor, the first stance cue of the actor's clause (else of the
   sentence) decides ("steunt", "benadrukken", "heeft ernstige zorgen over", "zal zich niet
   verzetten tegen"); without one, or without an actor, the letter's impersonal voice ("Het
   is cruciaal dat …"). A sentence with an actor and only a commitment ("levert een
   bijdrage") is support. No cue: no position. Concern ("heeft ernstige zorgen over") counts
   as opposition: the government objects to what worries it.
3. **Negation** anywhere in the cue's own clause ("niet", "geen", "niet langer", "niet
   meer", also words away from the verb: "zal dit voorstel niet langer steunen") turns
   support into opposition, opposition into acquiescence, acquiescence into opposition and
   emphasis into neutral; the stance then has strength 2. "Nog niet" is a reservation
   (opposition of strength 1). Two negators cancel out ("acht het niet onwenselijk" is one
   negated cue, "niet … niet" none). Idioms that carry their own negation ("is geen
   voorstander", "zal zich niet verzetten tegen", "sluit niet uit") are read as a whole. A
   sentence whose only cue is a commitment ("zal de bijdrage niet verlengen") is negated the
   same way.
4. **Strength** is the cue's (1 "kan steunen", 2 "steunt"), or 3 with an intensifier anywhere
   in the sentence ("groot voorstander", "cruciaal", "onverminderd", "met klem").
5. **Register.** Every cue sits on a step of the diplomatic register (``[register]`` in
   ``cues.toml``: verwelkomt > steunt > staat open voor > zal zich niet verzetten > neemt
   kennis van > heeft bedenkingen bij > wijst af); a negated cue at its new stance's step.
   ``steps`` holds the step of the position and of every other stance the speaker takes
   after it ("… benadrukken dat …, en verwelkomt het streven"), so a move of any of them is
   seen; clauses with a subject of their own ("landen die Rusland steunen") are left out.
6. Hedges, conditions, commitments, figures and topics are recorded as found, in any clause.

>>> p = analyse("Nederland is groot voorstander van het intensiveren van de samenwerking tussen de EU en NAVO.")
>>> (p.actor, p.stance, p.strength, p.topics)
('nederland', 'support', 3, ('EU–NAVO',))
>>> analyse("Nederland zal zich niet verzetten tegen dit voorstel.").stance
'acquiesce'
>>> analyse("Nederland zal de bijdrage niet langer benadrukken, en verwelkomt het streven.").steps
('note', 'welcome')
>>> analyse("Bondgenoten zullen deze sessie mogelijk ook willen benutten om met Jordanië te spreken.") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from monitor.model import Position, Stance
from monitor.positions.folding import fold
from monitor.positions.lexicon import Cue, Cues, cues
from monitor.positions.patterns import Words, label, named_words
from monitor.positions.quantities import quantities_in_folded
from monitor.positions.topics import topics_in

# what ends a clause besides its words: not the comma of "3,5"
_CLAUSE_MARK = re.compile(r"[;:()]|(?<!\d),|,(?!\d)")
_PUNCTUATION = frozenset(",;:()")
_LAST_WORD = re.compile(r"([\w']+)\s+$")
_CLAUSE_END = re.compile(r"[;:()]|[,.](?!\d)")  # not the comma of "3,5%" nor the dot of "1.200"
_CONDITION_WORDS = 12
_NEGATED: dict[Stance, Stance] = {
    "support": "oppose", "oppose": "acquiesce", "emphasis": "neutral",
    "acquiesce": "oppose", "neutral": "neutral",
}


def analyse(text: str) -> Position | None:
    """The position ``text`` states, or ``None`` when it states none. Pure; never raises."""
    text = unicodedata.normalize("NFC", text)
    words = Words(fold(text))
    lex = cues()

    actor = _actor(words, lex)
    cue: Cue | None = None
    cue_match: re.Match[str] | None = None
    hits = list(lex.stance.finditer(words)) if actor is not None else []
    hit = _stance_of(actor[1], hits, words) if actor is not None else None
    if hit:
        cue, cue_match = lex.stance_cues[hit[0]], hit[1]
    else:
        hit = lex.impersonal.search(words)
        if hit:
            cue, cue_match = lex.impersonal_cues[hit[0]], hit[1]
    if cue is None and actor is None:
        return None
    commitment_hits = list(lex.commitments.finditer(words))
    if cue is None and not commitment_hits:
        return None
    commitment_matches = [m for _, m in commitment_hits]

    # the words a commitment names, not those its gaps took in ("zet de missie in beginsel voort")
    commitment_words = [span for m in commitment_matches for span in named_words(m)]
    clauses = _Clauses(words, lex, commitment_words)
    if cue is not None and cue_match is not None:
        stance, strength, negated, step = clauses.read(cue, cue_match)
    else:  # a commitment alone is support, or its refusal when negated
        stance, strength, negated, step = clauses.read(
            Cue("", "support", 2, False, lex.default_step["support"]), commitment_matches[0])
    steps = [step]
    if actor is not None:
        steps += [clauses.read(lex.stance_cues[i], m)[3] for i, m in hits
                  if m is not cue_match and m.start() > actor[1].start() and clauses.speaks(m)]
    if lex.intensifiers.search(words):
        strength = 3

    hedges, rest = _hedges(_masked(words, commitment_words), lex)
    spoken = [actor[1]] if actor else []
    if cue_match is not None:
        spoken.append(cue_match)
    spoken += commitment_matches
    return Position(
        actor=actor[0] if actor else "impersonal",
        stance=stance,
        strength=strength,
        hedges=hedges,
        conditions=_conditions(text, rest, lex),
        commitments=_unique(label(lex.commitments.patterns[i]) for i, _ in commitment_hits),
        negated=negated,
        steps=tuple(steps),
        quantities=quantities_in_folded(text, words.text),
        topics=topics_in(words),
        cues=tuple(text[m.start():m.end()] for m in spoken),
    )


def _actor(words: Words, lex: Cues) -> tuple[str, re.Match[str]] | None:
    for index, m in lex.actors.finditer(words):
        if _word_before(words.text, m.start()) not in lex.actor_not_after:
            return lex.actor_names[index], m
    return None


def _stance_of(
    actor: re.Match[str], hits: list[tuple[int, re.Match[str]]], words: Words
) -> tuple[int, re.Match[str]] | None:
    """The first stance cue in the actor's own clause, else the first of the sentence.

    "Bondgenoten steunen dit, en ook Nederland benadrukt …": Nederland emphasises.
    """
    text = words.text
    begin = max(text.rfind(p, 0, actor.start()) for p in ",;:()") + 1
    ends = [i for i in (text.find(p, actor.end()) for p in ",;:()") if i != -1]
    end = min(ends, default=len(text))
    own = [h for h in hits if begin <= h[1].start() and h[1].end() <= end]
    return (own or hits or [None])[0]


def _word_before(folded: str, start: int) -> str:
    end = start
    while end > 0 and not (folded[end - 1].isalnum() or folded[end - 1] in "'-"):
        if folded[end - 1] in ",;:.()":
            return ""  # a clause boundary: nothing governs the actor
        end -= 1
    begin = end
    while begin > 0 and (folded[begin - 1].isalnum() or folded[begin - 1] in "'-"):
        begin -= 1
    return folded[begin:end]


class _Clauses:
    """The clauses of one sentence: where each begins and ends, what opens it, its negators.

    Read off the words' index (``Words.starts``), so a sentence is not split into tokens again.
    """

    def __init__(self, words: Words, lex: Cues, phrases: list[tuple[int, int]]) -> None:
        """``phrases``: spans of words that belong together whatever they hold ("voor zolang als
        nodig" is one commitment, its "als" opens no clause)."""
        self.lex = lex
        self.text = text = words.text
        exceptions = [m.span() for _, m in lex.negation_exceptions.finditer(words)]
        breaks = [(m.start(), m.group()) for m in _CLAUSE_MARK.finditer(text)]
        breaks += [(at, w) for w in lex.clause_breaks & words.starts.keys() for at in words.starts[w]
                   if _alone(text, at, w) and not _inside(at, phrases)]
        breaks.sort()
        self.break_at = [at for at, _ in breaks]
        self.opener = [w for _, w in breaks]
        self.negators = sorted(at for w in lex.negators & words.starts.keys() for at in words.starts[w]
                               if _alone(text, at, w) and not _inside(at, exceptions))

    def _span(self, cue: re.Match[str]) -> tuple[int, int, str | None]:
        """The clause holding the cue: where it begins and ends, and the word or mark opening it."""
        before = bisect_left(self.break_at, cue.start()) - 1
        after = bisect_left(self.break_at, cue.end())
        begin, opener = (self.break_at[before], self.opener[before]) if before >= 0 else (-1, None)
        return begin, self.break_at[after] if after < len(self.break_at) else len(self.text), opener

    def speaks(self, cue: re.Match[str]) -> bool:
        """Whether the cue's clause is the speaker's: not one opened by "die", "dat", "om" …"""
        opener = self._span(cue)[2]
        return opener is None or opener in _PUNCTUATION or opener in self.lex.coordinators

    def read(self, cue: Cue, m: re.Match[str]) -> tuple[Stance, int, bool, str]:
        """Stance, strength, whether negated and register step of ``cue`` matched as ``m``."""
        begin, end, _ = self._span(m)
        own = named_words(m)
        negators = [at for at in self.negators[bisect_right(self.negators, begin):bisect_left(self.negators, end)]
                    if not _inside(at, own)]
        if len(negators) % 2 == 0:  # none, or a double negation that undoes itself
            return cue.stance, cue.strength, cue.negated, cue.step
        stance = _NEGATED[cue.stance]
        before = _LAST_WORD.search(self.text, max(0, negators[0] - 24), negators[0])
        if stance == "oppose" and cue.stance == "support" and before and before.group(1) in self.lex.not_yet:
            return "oppose", 1, True, self.lex.not_yet_step
        return stance, 2, not cue.negated, self.lex.default_step[stance]


def _alone(text: str, at: int, word: str) -> bool:
    """Not part of a word joined by a hyphen: "niet-bindend" negates nothing."""
    after = at + len(word)
    return (at == 0 or text[at - 1] != "-") and (after == len(text) or text[after] != "-")


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= at < b for a, b in spans)


def _hedges(words: Words, lex: Cues) -> tuple[tuple[str, ...], Words]:
    """The hedges, and the words with them blanked out (for the conditions: "indien opportuun")."""
    words = _masked(words, [m.span() for _, m in lex.hedge_exceptions.finditer(words)])
    found = list(lex.hedges.finditer(words))
    names = _unique(label(lex.hedges.patterns[i]) for i, _ in found)
    return names, _masked(words, [m.span() for _, m in found])


def _conditions(text: str, words: Words, lex: Cues) -> tuple[str, ...]:
    clauses = []
    for _, m in lex.conditions.finditer(words):
        end = _CLAUSE_END.search(text, m.end())
        clause = text[m.start():end.start() if end else len(text)].split()
        clauses.append(" ".join(clause[:_CONDITION_WORDS]))
    return _unique(clauses)


def _masked(words: Words, spans: list[tuple[int, int]]) -> Words:
    """The words with spans blanked out (same length), so later rules do not read them again."""
    if not spans:
        return words
    chars = list(words.text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return Words("".join(chars))


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
