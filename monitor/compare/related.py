"""Which stems of two letters are forms of one word.

A writer who restates a position splits or joins Dutch compounds (*oorlogseconomie* /
*een op oorlog ingerichte economie*, *luchtruimschendingen* / *schendingen van het
luchtruim*), derives (*provoceren* / *provocaties*, *Israël* / *Israëlisch*) or abbreviates
(*VNVR* / *VN-Veiligheidsraad*); the stemmer keeps all of these apart. Two stems are
related when

- one starts the other and is at least ``MIN_PART`` letters long (the start of a compound,
  or a longer form of the word): *oorlog* / *oorlogseconomie*;
- they share a start of at least ``MIN_COMMON`` letters that leaves at most ``MAX_REST`` of
  the shorter one: *provoc-eer* / *provoc-aties*;
- the end of one (after a start of at least ``MIN_HEAD`` letters) is the other, or a form of
  it a few letters longer or shorter: the head of a compound, *luchtruim-schend* / *schending*;
- they are members of one family of ``monitor/data/word_families.toml`` (*Rusland* /
  *Russisch*, *VNVR* / *VN-Veiligheidsraad*);
- one is a past participle of the other: without its *ge-* (at the start, or after a separable
  particle) it is the other or starts it, *voort-ge-zet* / *voortzetting*, *uit-ge-werkt* /
  *uitwerken*, *ge-traind* / *trainen* (the stemmer already gives an *-ing* noun its verb's stem);
- they are two percentages: a share of the budget raised from 2% to 3,5% is the same subject.

>>> related = related_terms(["orlog", "orlogseconomie", "economie", "luchtruimschend", "schending", "navo"])
>>> sorted(related["orlogseconomie"]), sorted(related["schending"]), related["navo"]
(['economie', 'orlog'], ['luchtruimschend'], frozenset())
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from monitor import DATA

MIN_PART = 5  # "regio" starts "regionale"; shorter starts ("over", "mid") are as often chance
MIN_COMMON = 6
MAX_REST = 2  # letters of the shorter stem after a shared start: "provoc-er"/"provoc-aties", not
# the siblings "veiligheids-rad"/"veiligheids-samenwerk"
MAX_FORM = 3  # letters a form of a compound's head adds: "schend"/"schending"
MIN_HEAD = 4  # the first part of a compound whose head is looked up
# Separable particles before the "ge" of a participle, as stems spell them (the double vowel folded:
# "voort" is "vort", "aan" is "an", "door" is "dor")
PARTICLES = ("vort", "uit", "af", "an", "op", "in", "dor", "me", "na", "toe", "over", "bij", "vast", "weg", "terug",
             "samen", "tegen")


def _without_ge(stem: str) -> str | None:
    """The stem of a past participle without its *ge-*, or ``None`` when it has none (or too
    little is left to be a verb of its own: *gebied*, *geweld*).

    >>> _without_ge("vortgezet"), _without_ge("getraind"), _without_ge("geweld")
    ('vortzet', 'traind', None)
    """
    for particle in ("", *PARTICLES):
        if stem.startswith(particle + "ge") and len(stem) - 2 >= MIN_PART:
            return particle + stem[len(particle) + 2:]
    return None


def _start_related(a: str, b: str) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= MIN_PART and long.startswith(short):
        return True
    common = 0
    for x, y in zip(short, long):
        if x != y:
            break
        common += 1
    return common >= MIN_COMMON and len(short) - common <= MAX_REST


def _head_related(tail: str, other: str) -> bool:
    """Whether ``other`` is the head ``tail`` of a compound, or a form of it: a few letters
    more or less, not a further compound (*capaciteit* does not head *capaciteitendoel*)."""
    if tail == other:
        return True
    short, long = (tail, other) if len(tail) <= len(other) else (other, tail)
    return len(short) >= MIN_COMMON and long.startswith(short) and len(long) - len(short) <= MAX_FORM


@cache
def word_families() -> tuple[tuple[str, ...], ...]:
    """The families of ``monitor/data/word_families.toml``, each a tuple of its members."""
    with (DATA / "word_families.toml").open("rb") as f:
        return tuple(tuple(members) for members in tomllib.load(f)["families"])


def related_terms(
    vocabulary: Iterable[str], families: Iterable[frozenset[str]] = ()
) -> dict[str, frozenset[str]]:
    """For each term of ``vocabulary``, the other terms of it that are a form of the same word;
    ``families`` are sets of stems that are related whatever their spelling.

    Terms are stems, ``#topic`` and ``=kind:value`` figures; only stems of letters and
    percentages are related. Stems are bucketed by their first ``MIN_PART`` letters, so only
    stems that could share a start are compared.
    """
    vocab = sorted(set(vocabulary))
    related: dict[str, set[str]] = {t: set() for t in vocab}
    words = [t for t in vocab if t.isalpha()]
    by_start: dict[str, list[str]] = defaultdict(list)
    for w in words:
        by_start[w[:MIN_PART]].append(w)

    def link(a: str, b: str) -> None:
        if a != b:
            related[a].add(b)
            related[b].add(a)

    for bucket in by_start.values():
        for k, a in enumerate(bucket):
            for b in bucket[k + 1:]:
                if _start_related(a, b):
                    link(a, b)
    for w in words:  # the head of a compound: its end is another stem, or a form of it
        for cut in range(MIN_HEAD, len(w) - MIN_PART + 1):
            tail = w[cut:]
            for other in by_start.get(tail[:MIN_PART], ()):
                if other != w and _head_related(tail, other):
                    link(w, other)
    for w in words:  # a past participle and the other forms of its verb
        base = _without_ge(w)
        if base is not None:
            for other in by_start.get(base[:MIN_PART], ()):
                if other != w and _start_related(base, other):
                    link(w, other)
    present = set(vocab)
    for family in families:
        members = sorted(family & present)
        for k, a in enumerate(members):
            for b in members[k + 1:]:
                link(a, b)
    percentages = [t for t in vocab if t.startswith("=percent:")]
    for k, a in enumerate(percentages):
        for b in percentages[k + 1:]:
            link(a, b)
    return {t: frozenset(r) for t, r in related.items()}
