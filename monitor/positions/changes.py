"""Which aspects of a position differ between two versions of a sentence.

>>> from monitor.model import Position
>>> old = Position("nederland", "support", 2, hedges=("in beginsel",))
>>> compare_positions(old, Position("nederland", "support", 3))
('strength', 'hedge')
>>> compare_positions(old, Position("nederland", "oppose", 2, hedges=("in beginsel",)))
('stance',)
>>> compare_positions(None, old)
('stance',)

A move along the diplomatic register is a stance change, with its direction:

>>> welcomes = Position("nederland", "support", 2, steps=("welcome",))
>>> notes = Position("nederland", "neutral", 2, steps=("note",))
>>> compare_positions(welcomes, notes), direction(welcomes, notes), direction(notes, welcomes)
(('stance',), 'weaker', 'stronger')
"""

from __future__ import annotations

from collections import Counter

from monitor.model import Direction, Position, Quantity
from monitor.positions.folding import fold
from monitor.positions.lexicon import cues

KINDS = ("stance", "strength", "quantity", "hedge", "condition", "commitment")


def compare_positions(old: Position | None, new: Position | None) -> tuple[str, ...]:
    """The kinds among stance|strength|quantity|hedge|condition|commitment that differ.

    A sentence that becomes, or stops being, a position changed its ``stance`` (nothing else is
    reported then: there is no old or new position to compare figures with). ``strength`` is
    only compared within one stance, since it measures how strongly *that* stance is held.
    Figures compare as a multiset of (kind, value, range end, unit, bound), so a reworded
    "circa 45.000" is the same figure; hedges, conditions and commitments as sets.

    The stance changed when the position's own stance or register step changed, or when one
    of the other stances the speaker takes in the sentence was replaced by another ("… en
    verwelkomt het streven" becoming "… en neemt kennis van het streven"); a stance only added
    alongside, or dropped, is not a turn of the position.
    """
    if old is None or new is None:
        return () if old is new else ("stance",)
    gone, came = _moved_steps(old, new)
    turned = old.stance != new.stance or _steps(old)[0] != _steps(new)[0] or bool(gone and came)
    differs = {
        "stance": turned,
        "strength": not turned and old.strength != new.strength,
        "quantity": figures(old.quantities) != figures(new.quantities),
        "hedge": set(old.hedges) != set(new.hedges),
        "condition": _folded(old.conditions) != _folded(new.conditions),
        "commitment": set(old.commitments) != set(new.commitments),
    }
    return tuple(kind for kind in KINDS if differs[kind])


def direction(old: Position | None, new: Position | None) -> Direction | None:
    """``"stronger"`` when the stances that changed moved up the register (towards welcoming) on
    average, ``"weaker"`` when they moved down (towards rejecting), else ``None``."""
    if old is None or new is None:
        return None
    gone, came = _moved_steps(old, new)
    if not gone or not came:
        return None
    rank = {step: k for k, step in enumerate(cues().register)}  # 0: the most support
    before = sum(rank[s] * n for s, n in gone.items()) / gone.total()
    after = sum(rank[s] * n for s, n in came.items()) / came.total()
    if after == before:
        return None
    return "stronger" if after < before else "weaker"


def _steps(position: Position) -> tuple[str, ...]:
    # a Position made by hand may leave its steps out: its stance's own step stands in
    return position.steps or (cues().default_step[position.stance],)


def _moved_steps(old: Position, new: Position) -> tuple[Counter[str], Counter[str]]:
    """The register steps only the old position takes, and those only the new one takes."""
    before, after = Counter(_steps(old)), Counter(_steps(new))
    return before - after, after - before


def figures(quantities: tuple[Quantity, ...]) -> Counter[tuple[str, float, float | None, str, str]]:
    """The figures by value, not spelling: "ca. 45.000" and "circa 45.000" are the same figure."""
    return Counter((q.kind, q.value, q.upper, q.unit, q.bound) for q in quantities)


def _folded(clauses: tuple[str, ...]) -> set[str]:
    return {" ".join(fold(c).split()) for c in clauses}
