"""compare_positions: which aspects of a position changed between two versions of a sentence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.positions import analyse, compare_positions

BASE = "Nederland steunt het voorstel om in 2025 circa 20.000 militairen te trainen."


def kinds(old: str, new: str) -> tuple[str, ...]:
    return compare_positions(analyse(old), analyse(new))


@pytest.mark.parametrize(("new", "expected"), [
    # stance
    ("Nederland steunt het voorstel niet om in 2025 circa 20.000 militairen te trainen.", ("stance",)),
    ("Nederland zal zich niet verzetten tegen het voorstel om in 2025 circa 20.000 militairen te "
     "trainen.", ("stance",)),
    # strength
    ("Nederland is groot voorstander van het voorstel om in 2025 circa 20.000 militairen te "
     "trainen.", ("strength",)),
    ("Nederland kan het voorstel steunen om in 2025 circa 20.000 militairen te trainen.", ("strength",)),
    # quantity
    ("Nederland steunt het voorstel om in 2026 circa 20.000 militairen te trainen.", ("quantity",)),
    ("Nederland steunt het voorstel om in 2025 circa 25.000 militairen te trainen.", ("quantity",)),
    ("Nederland steunt het voorstel om in 2025 minimaal 20.000 militairen te trainen.", ("quantity",)),
    # hedge
    ("Nederland steunt in beginsel het voorstel om in 2025 circa 20.000 militairen te trainen.", ("hedge",)),
    # condition
    ("Nederland steunt het voorstel om in 2025 circa 20.000 militairen te trainen, mits de kosten "
     "gedeeld worden.", ("condition",)),
    # commitment
    ("Nederland zal het voorstel blijven steunen om in 2025 circa 20.000 militairen te trainen.",
     ("commitment",)),
    # wording only: nothing for positions to report
    ("Nederland steunt daarom het voorstel om in 2025 ca. 20.000 militairen te trainen.", ()),
    ("NEDERLAND STEUNT HET VOORSTEL OM IN 2025 CIRCA 20.000 MILITAIREN TE TRAINEN.", ()),
])
def test_each_kind_of_change(new, expected):
    assert kinds(BASE, new) == expected


def test_several_kinds_in_a_fixed_order():
    new = "Nederland steunt in beginsel het voorstel om in 2030 circa 20.000 militairen te trainen, mits het kan."
    assert kinds(BASE, new) == ("quantity", "hedge", "condition")


def test_strength_is_only_compared_within_one_stance():
    # support 2 -> oppose 3 is a stance change; "stronger" means nothing across stances
    assert kinds(BASE, "Nederland veroordeelt met klem het voorstel om in 2025 circa 20.000 "
                       "militairen te trainen.") == ("stance",)


def test_becoming_or_ceasing_to_be_a_position_is_a_stance_change():
    not_a_position = "Bondgenoten spreken over het voorstel om in 2025 circa 20.000 militairen te trainen."
    assert kinds(not_a_position, BASE) == ("stance",)
    assert kinds(BASE, not_a_position) == ("stance",)
    assert compare_positions(None, None) == ()


def test_the_474_interflex_figures():
    old = ("De Nederlandse bijdrage wordt in 2025 voortgezet met vier a vijf rotaties van elk circa "
           "negentig militairen van de Koninklijke Landmacht.")
    new = ("De Nederlandse bijdrage wordt in 2025 voortgezet met vijf à zes rotaties van elk circa "
           "negentig militairen van de Koninklijke Landmacht.")
    assert kinds(old, new) == ("quantity",)
    assert kinds(old, new.replace("vijf à zes", "vier à vijf")) == ()


_SENTENCES = st.sampled_from([
    BASE,
    "Nederland zal zich niet verzetten tegen de verlenging.",
    "Het is cruciaal dat alle bondgenoten minimaal 2% van het bbp besteden.",
    "Nederland steunt in beginsel het voorstel, mits de kosten gedeeld worden.",
    "Nederland zal Oekraïne voor zolang als nodig blijven steunen.",
    "Bondgenoten spreken over de Zuidflank.",
])


@settings(max_examples=100, deadline=None)
@given(_SENTENCES, _SENTENCES)
def test_symmetric_and_empty_on_itself(a, b):
    pa, pb = analyse(a), analyse(b)
    assert compare_positions(pa, pa) == ()
    assert compare_positions(pa, pb) == compare_positions(pb, pa)
