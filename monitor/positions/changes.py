"""Which aspects of a position differ between two versions of a sentence.

>>> from monitor.model import Position
>>> old = Position("nederland", "support", 2, hedges=("in beginsel",))
>>> compare_positions(old, Position("nederland", "support", 3))
('strength', 'hedge')
>>> compare_positions(old, Position("nederland", "oppose", 2, hedges=("in beginsel",)))
('stance',)
>>> compare_positions(None, old)
('stance',)
"""

from __future__ import annotations

from collections import Counter

from monitor.model import Position, Quantity
from monitor.positions.folding import fold

KINDS = ("stance", "strength", "quantity", "hedge", "condition", "commitment")


def compare_positions(old: Position | None, new: Position | None) -> tuple[str, ...]:
    """The kinds among stance|strength|quantity|hedge|condition|commitment that differ.

    A sentence that becomes, or stops being, a position changed its ``stance`` (nothing else is
    reported then: there is no old or new position to compare figures with). ``strength`` is
    only compared within one stance, since it measures how strongly *that* stance is held.
    Figures compare as a multiset of (kind, value, range end, unit, bound), so a reworded
    "circa 45.000" is the same figure; hedges, conditions and commitments as sets.
    """
    if old is None or new is None:
        return () if old is new else ("stance",)
    differs = {
        "stance": old.stance != new.stance,
        "strength": old.stance == new.stance and old.strength != new.strength,
        "quantity": figures(old.quantities) != figures(new.quantities),
        "hedge": set(old.hedges) != set(new.hedges),
        "condition": _folded(old.conditions) != _folded(new.conditions),
        "commitment": set(old.commitments) != set(new.commitments),
    }
    return tuple(kind for kind in KINDS if differs[kind])


def figures(quantities: tuple[Quantity, ...]) -> Counter[tuple[str, float, float | None, str, str]]:
    """The figures by value, not spelling: "ca. 45.000" and "circa 45.000" are the same figure."""
    return Counter((q.kind, q.value, q.upper, q.unit, q.bound) for q in quantities)


def _folded(clauses: tuple[str, ...]) -> set[str]:
    return {" ".join(fold(c).split()) for c in clauses}
