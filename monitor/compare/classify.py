"""What kind of change one aligned sentence pair is, and how much it matters.

Severity scale (``Change.severity``), highest first:

- **3** the stance changed (support ↔ oppose, acquiescence, emphasis);
- **2** a figure changed (percentage, amount, troop number, year) or a commitment;
  a *position* sentence was added or removed;
- **1** strength, a hedge ("in beginsel") or a condition ("mits …") changed;
  an ordinary sentence was added or removed;
- **0** wording only, a position restated (the same stance, figures, hedges, conditions and
  commitments in other words), a sentence that moved without changing, or a **calendar**
  change: only what moves by nature from one agenda to the next (the meeting's dates and
  place, the letter's date, "de komende FMM", running counts) differs. Calendar changes are
  shown apart, below every other change.

>>> severity("changed", ("hedge", "quantity"), position=True)
2
>>> severity("added", (), position=False)
1
"""

from __future__ import annotations

from monitor.model import ChangeKind, ChangeStatus, Position
from monitor.positions import compare_positions, figures, quantities_of
from monitor.positions.calendar import calendar_only, figures_may_move

KIND_ORDER: tuple[ChangeKind, ...] = (
    "stance", "quantity", "commitment", "strength", "hedge", "condition", "wording", "restated",
    "calendar",
)
KIND_SEVERITY: dict[str, int] = {
    "stance": 3,
    "quantity": 2,
    "commitment": 2,
    "strength": 1,
    "hedge": 1,
    "condition": 1,
    "wording": 0,
    "restated": 0,
    "calendar": 0,
}


def change_kinds(
    old_text: str, new_text: str, old_position: Position | None, new_position: Position | None
) -> tuple[ChangeKind, ...]:
    """Kinds of a pair whose keys differ, most severe first; ``calendar`` alone when only dates,
    places and running counts moved; when nothing else, ``restated`` for a position said in
    other words (the same stance, figures, hedges, conditions and commitments) and ``wording``
    for any other sentence."""
    kinds = set(compare_positions(old_position, new_position))
    old_figures = old_position.quantities if old_position else quantities_of(old_text)
    new_figures = new_position.quantities if new_position else quantities_of(new_text)
    # compare_positions already weighs the figures of two positions; other sentences' figures count too
    if (old_position is None or new_position is None) and figures(old_figures) != figures(new_figures):
        kinds.add("quantity")
    kinds.discard("wording")
    position = old_position is not None or new_position is not None
    if kinds <= {"quantity"} and figures_may_move(old_figures, new_figures, keep_years=position) \
            and calendar_only(old_text, new_text, keep_years=position):
        return ("calendar",)
    if not kinds:
        return ("restated",) if old_position is not None and new_position is not None else ("wording",)
    return tuple(k for k in KIND_ORDER if k in kinds)


def severity(status: ChangeStatus, kinds: tuple[str, ...], *, position: bool) -> int:
    if status == "changed":
        return max(KIND_SEVERITY[k] for k in kinds)
    if status == "moved":
        return 0
    return 2 if position else 1
