"""Named before/after pairs made by editing the real 474 agenda in one known way each.

Every pair's ``expected.json`` lists the changes the edit must produce as
(status, kinds, snippet, and for a stance that moved along the register its direction) and
the sections that are not "same"; the comparison must report exactly those, and nothing else.
"""

from __future__ import annotations

import json

import pytest

from monitor.compare import compare
from monitor.documents import load_document
from monitor.model import Change
from tests.conftest import FIXTURES

PAIRS = FIXTURES / "pairs"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in PAIRS.glob("*.expected.json"))


def _text(change: Change) -> str:
    return " ".join(ref.text for ref in (change.old, change.new) if ref is not None)


def test_the_named_edits_are_all_there():
    for name in ("figure-percent", "figure-troops", "stance-flipped", "hedge-added", "condition-added",
                 "sentence-dropped", "sentence-added", "paragraph-moved", "heading-renamed", "rewrapped",
                 "ocr-accents-fixed", "heading-wrapped", "heading-wrapped-at-block-end", "agenda-2025",
                 "register-weaker", "register-stronger", "negation-added", "negation-undone", "negation-double",
                 "hedge-clauses", "condition-clauses", "calendar-moved"):
        assert name in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_pair_reports_exactly_its_known_edits(name):
    expected = json.loads((PAIRS / f"{name}.expected.json").read_text(encoding="utf-8"))
    cmp = compare(load_document(PAIRS / f"{name}.old.txt"), load_document(PAIRS / f"{name}.new.txt"))

    unexplained = list(cmp.changes)
    for want in expected["changes"]:
        hits = [c for c in unexplained
                if c.status == want["status"] and list(c.kinds) == want["kinds"] and want["snippet"] in _text(c)
                and c.direction == want.get("direction")]
        assert hits, (f"{name}: expected {want} among "
                      f"{[(c.status, c.kinds, c.direction, _text(c)[:80]) for c in unexplained]}")
        unexplained.remove(hits[0])
    assert not unexplained, f"{name}: unexpected {[(c.status, c.kinds, c.direction, _text(c)) for c in unexplained]}"

    calendar = [c.is_calendar for c in cmp.changes]
    assert calendar == sorted(calendar), f"{name}: the dates that moved come after every real change"
    assert all(c.severity == 0 for c in cmp.changes if c.is_calendar)

    changed_sections = [{"status": m.status, "old": m.old, "new": m.new} for m in cmp.sections if m.status != "same"]
    assert changed_sections == expected["sections"]
