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
3. **Negation** of a plain cue (up to five words around it, within the clause) turns support
   into opposition, opposition into acquiescence and emphasis into neutral; the stance then
   has strength 2. Idioms that carry their own negation ("is geen voorstander", "zal zich
   niet verzetten tegen") are read as a whole.
4. **Strength** is the cue's (1 "kan steunen", 2 "steunt"), or 3 with an intensifier anywhere
   in the sentence ("groot voorstander", "cruciaal", "onverminderd", "met klem").
5. Hedges, conditions, commitments, figures and topics are recorded as found.

>>> p = analyse("Nederland is groot voorstander van het intensiveren van de samenwerking tussen de EU en NAVO.")
>>> (p.actor, p.stance, p.strength, p.topics)
('nederland', 'support', 3, ('EU–NAVO',))
>>> analyse("Nederland zal zich niet verzetten tegen dit voorstel.").stance
'acquiesce'
>>> analyse("Bondgenoten zullen deze sessie mogelijk ook willen benutten om met Jordanië te spreken.") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from monitor.model import Position, Stance
from monitor.positions.folding import fold
from monitor.positions.lexicon import Cue, Cues, cues
from monitor.positions.patterns import Words, label
from monitor.positions.quantities import quantities_in_folded
from monitor.positions.topics import topics_in

_TOKEN = re.compile(r"[\w']+|[,;:()]")
_CLAUSE_END = re.compile(r"[;:()]|[,.](?!\d)")  # not the comma of "3,5%" nor the dot of "1.200"
_CONDITION_WORDS = 12
_NEGATED: dict[Stance, Stance] = {
    "support": "oppose", "oppose": "acquiesce", "emphasis": "neutral",
    "acquiesce": "acquiesce", "neutral": "neutral",
}


def analyse(text: str) -> Position | None:
    """The position ``text`` states, or ``None`` when it states none. Pure; never raises."""
    text = unicodedata.normalize("NFC", text)
    words = Words(fold(text))
    lex = cues()

    actor = _actor(words, lex)
    cue: Cue | None = None
    cue_match: re.Match[str] | None = None
    hit = _stance_of(actor[1], words, lex) if actor is not None else None
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

    stance: Stance = cue.stance if cue else "support"
    strength = cue.strength if cue else 2
    negated = cue.negated if cue else False
    if cue is not None and cue_match is not None and not cue.negated and _is_negated(words, cue_match, lex):
        stance, strength, negated = _NEGATED[cue.stance], 2, True
    if lex.intensifiers.search(words):
        strength = 3

    hedges, rest = _hedges(_masked(words, [m.span() for m in commitment_matches]), lex)
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
        quantities=quantities_in_folded(text, words.text),
        topics=topics_in(words),
        cues=tuple(text[m.start():m.end()] for m in spoken),
    )


def _actor(words: Words, lex: Cues) -> tuple[str, re.Match[str]] | None:
    for index, m in lex.actors.finditer(words):
        if _word_before(words.text, m.start()) not in lex.actor_not_after:
            return lex.actor_names[index], m
    return None


def _stance_of(actor: re.Match[str], words: Words, lex: Cues) -> tuple[int, re.Match[str]] | None:
    """The first stance cue in the actor's own clause, else the first of the sentence.

    "Bondgenoten steunen dit, en ook Nederland benadrukt …": Nederland emphasises.
    """
    hits = list(lex.stance.finditer(words))
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


def _is_negated(words: Words, cue: re.Match[str], lex: Cues) -> bool:
    masked = _masked(words, [m.span() for _, m in lex.negation_exceptions.finditer(words)]).text
    if any(token in lex.negators for token in _TOKEN.findall(masked, cue.start(), cue.end())):
        return True
    before = _TOKEN.findall(masked, 0, cue.start())[::-1]
    after = _TOKEN.findall(masked, cue.end())
    return _negator_in_clause(before, lex) or _negator_in_clause(after, lex)


def _negator_in_clause(tokens: list[str], lex: Cues) -> bool:
    for token in tokens[:5]:
        if token in ",;:()" or token in lex.clause_breaks:
            return False
        if token in lex.negators:
            return True
    return False


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
