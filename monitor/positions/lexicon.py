"""The cue, topic and calendar lexicons (package data in ``monitor/data/``), read and compiled once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from monitor import DATA
from monitor.model import Stance
from monitor.positions.patterns import CueSet

_STANCES = ("support", "oppose", "emphasis", "acquiesce", "neutral")


@dataclass(frozen=True)
class Cue:
    """One pattern of a stance table, with what a match of it means."""

    pattern: str
    stance: Stance
    strength: int
    negated: bool  # the idiom carries its own negation
    step: str  # its step on the diplomatic register


@dataclass(frozen=True)
class Cues:
    actors: CueSet
    actor_names: tuple[str, ...]  # per actor pattern: "nederland", "kabinet", ...
    actor_not_after: frozenset[str]
    stance: CueSet
    stance_cues: tuple[Cue, ...]
    impersonal: CueSet
    impersonal_cues: tuple[Cue, ...]
    intensifiers: CueSet
    hedges: CueSet
    hedge_exceptions: CueSet
    conditions: CueSet
    commitments: CueSet
    negators: frozenset[str]
    negation_exceptions: CueSet
    not_yet: frozenset[str]  # a negator right after one of these is "not yet"
    clause_breaks: frozenset[str]
    coordinators: frozenset[str]  # the clause breaks that keep the subject
    register: tuple[str, ...]  # the register's steps, most support first
    default_step: dict[str, str]  # stance -> the step of a cue without its own, or negated
    not_yet_step: str  # the step of support negated as "not yet"
    at_least: re.Pattern[str]  # bounds, anchored at the end of the text before a figure
    at_most: re.Pattern[str]
    about: re.Pattern[str]
    bound_words: frozenset[str]  # every word of the three lists above
    references: re.Pattern[str]  # a reference word and the numbers it refers to
    units: dict[str, str]  # folded word -> canonical count unit


@dataclass(frozen=True)
class Topics:
    terms: CueSet
    topic_of_term: tuple[int, ...]  # per term: index into names
    names: tuple[str, ...]


@dataclass(frozen=True)
class Calendar:
    words: CueSet  # dates, meetings and places, in that order of priority
    running: frozenset[str]
    running_units: frozenset[str]


def _read(name: str) -> dict[str, Any]:
    with (DATA / name).open("rb") as f:
        return tomllib.load(f)


def _register(data: dict[str, Any]) -> tuple[tuple[str, ...], dict[str, str]]:
    steps = tuple(data["steps"])
    default = dict(data["default"])
    if set(default) != set(_STANCES) or not {*default.values(), data["not_yet"]} <= set(steps):
        raise ValueError("cues.toml [register]: default and not_yet must name steps of `steps`")
    return steps, default


def _stance_tables(
    tables: list[dict[str, Any]], where: str, steps: tuple[str, ...], default: dict[str, str]
) -> tuple[Cue, ...]:
    cues: list[Cue] = []
    for table in tables:
        stance = table["stance"]
        if stance not in _STANCES:
            raise ValueError(f"cues.toml [[{where}]]: unknown stance {stance!r}")
        strength = int(table["strength"])
        if not 1 <= strength <= 3:
            raise ValueError(f"cues.toml [[{where}]]: strength {strength} not in 1..3")
        negated = bool(table.get("negated", False))
        step = table.get("step", default[stance])
        if step not in steps:
            raise ValueError(f"cues.toml [[{where}]]: unknown step {step!r}")
        cues += [Cue(p, cast(Stance, stance), strength, negated, step) for p in table["cues"]]
    return tuple(cues)


def _phrases(words: list[str], tail: str) -> re.Pattern[str]:
    # longest first, so "tot en met" wins over "tot"
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ordered) + r")" + tail)


_REF = r"(?:\d{2} \d{3}|\d[\d.]*)(?:-[0-9a-z]+)?"

@cache
def cues() -> Cues:
    """The compiled cue lexicon (``monitor/data/cues.toml``)."""
    data = _read("cues.toml")
    actor_patterns: list[str] = []
    actor_names: list[str] = []
    for name, patterns in data["actors"].items():
        actor_patterns += patterns
        actor_names += [name] * len(patterns)
    steps, default_step = _register(data["register"])
    stance_cues = _stance_tables(data["stance"], "stance", steps, default_step)
    impersonal_cues = _stance_tables(data["impersonal"], "impersonal", steps, default_step)
    negation = data["negation"]
    q = data["quantities"]
    return Cues(
        actors=CueSet(actor_patterns),
        actor_names=tuple(actor_names),
        actor_not_after=frozenset(data["actor_not_after"]),
        stance=CueSet([c.pattern for c in stance_cues]),
        stance_cues=stance_cues,
        impersonal=CueSet([c.pattern for c in impersonal_cues]),
        impersonal_cues=impersonal_cues,
        intensifiers=CueSet(data["strength"]["intensifiers"]),
        hedges=CueSet(data["hedges"]["cues"]),
        hedge_exceptions=CueSet(data["hedges"]["exceptions"]),
        conditions=CueSet(data["conditions"]["cues"]),
        commitments=CueSet(data["commitments"]["cues"]),
        negators=frozenset(negation["negators"]),
        negation_exceptions=CueSet(negation["exceptions"]),
        not_yet=frozenset(negation["not_yet"]),
        clause_breaks=frozenset(negation["clause_breaks"]),
        coordinators=frozenset(negation["coordinators"]),
        register=steps,
        default_step=default_step,
        not_yet_step=data["register"]["not_yet"],
        at_least=_phrases(q["at_least"], r"\s*$"),
        at_most=_phrases(q["at_most"], r"\s*$"),
        about=_phrases(q["about"], r"\s*$"),
        bound_words=frozenset(re.findall(r"\w+", " ".join(q["at_least"] + q["at_most"] + q["about"]))),
        # a Kamerstuk is cited "28 676" or "21 501-20": the dossier number with its space and suffix
        references=_phrases(q["references"], rf"\s*{_REF}(?:\s*(?:,|en|/)\s*{_REF})*"),
        units={word: unit for unit, words in q["units"].items() for word in words},
    )


@cache
def topics() -> Topics:
    """The compiled topic lexicon (``monitor/data/topics.toml``)."""
    data: dict[str, list[str]] = _read("topics.toml")["topics"]
    terms = [term for group in data.values() for term in group]
    owner = [i for i, group in enumerate(data.values()) for _ in group]
    return Topics(CueSet(terms, hyphen_is_space=True), tuple(owner), tuple(data))


@cache
def calendar() -> Calendar:
    """The compiled calendar lexicon (``monitor/data/calendar.toml``)."""
    data = _read("calendar.toml")
    return Calendar(
        words=CueSet([*data["meetings"], *data["dates"], *data["places"]]),
        running=frozenset(data["running"]),
        running_units=frozenset(data["running_units"]),
    )
