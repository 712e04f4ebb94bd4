"""The calendar of successive agendas: which differences move by nature from one agenda to the next."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.positions import quantities_of
from monitor.positions.calendar import calendar_only, figures_may_move


@pytest.mark.parametrize(("old", "new"), [
    # the meeting's dates and place
    ("De NAVO Foreign Ministers Meeting (FMM) vindt op 3 en 4 december aanstaande plaats in Brussel.",
     "De NAVO Foreign Ministers Meeting (FMM) vindt op 3 en 4 april aanstaande plaats in Den Haag."),
    ("Hierbij bied ik u de geannoteerde agenda aan voor de bijeenkomst op 3 en 4 december 2024.",
     "Hierbij bied ik u de geannoteerde agenda aan voor de bijeenkomst op 1 april 2025."),
    ("De bijeenkomst biedt kans om terug te blikken op de NAVO-top in Washington D.C. van 9 tot 11 juli 2024.",
     "De bijeenkomst biedt kans om terug te blikken op de NAVO-top in Den Haag van 24 tot 25 juni 2025."),
    # the meeting named relative to the letter
    ("Tevens zal deze FMM vooruitblikken op de NAVO-top.", "Tevens zal de komende FMM vooruitblikken op de NAVO-top."),
    ("Tijdens de NAVO-top in Washington afgelopen zomer hebben bondgenoten een actieplan aangenomen.",
     "Tijdens de NAVO-top in Den Haag afgelopen zomer hebben bondgenoten een actieplan aangenomen."),
    # running counts
    ("De oorlog in Oekraine duurt inmiddels al meer dan duizend dagen.", "De oorlog in Oekraïne duurt inmiddels al drie jaar."),
    ("De missie loopt al twee jaar.", "De missie loopt al drie jaar."),
    # dates inside a position are calendar too
    ("Nederland zal op de NAVO-top van 24 en 25 juni 2025 pleiten voor meer steun.",
     "Nederland zal op de NAVO-top van 7 en 8 juli 2026 pleiten voor meer steun."),
])
def test_what_moves_with_the_calendar(old, new):
    assert calendar_only(old, new, keep_years=True) and calendar_only(new, old, keep_years=True)


@pytest.mark.parametrize(("old", "new"), [
    # real figures keep their grade
    ("Alle bondgenoten besteden minimaal 2% van het bbp aan defensie.",
     "Alle bondgenoten besteden minimaal 3,5% van het bbp aan defensie."),
    ("Tot nu toe zijn circa 45.000 Oekraïense militairen getraind.",
     "Tot nu toe zijn circa 50.000 Oekraïense militairen getraind."),
    # a date that moved beside a figure or a word that changed
    ("De FMM vindt op 3 december plaats; de kosten zijn EUR 5 miljoen.",
     "De FMM vindt op 3 april plaats; de kosten zijn EUR 7 miljoen."),
    ("De FMM vindt op 3 december plaats in Brussel.", "De FMM vindt op 3 april plaats in Brussel, zonder Rusland."),
    # a length of time that is no running count
    ("De missie wordt verlengd voor een periode van zes maanden.",
     "De missie wordt verlengd voor een periode van twaalf maanden."),
    # the words around a date are not calendar
    ("Deze FMM staat in het teken van Oekraïne.", "Deze FMM staat in het teken van de Zuidflank."),
])
def test_what_does_not(old, new):
    assert not calendar_only(old, new, keep_years=True)


def test_a_year_moves_with_the_calendar_outside_a_position():
    assert calendar_only("Het doel is om in 2025 circa 20.000 militairen te trainen.",
                         "Het doel is om in 2026 circa 20.000 militairen te trainen.")


def test_a_year_in_a_position_is_when_something_is_done():
    old, new = "De Nederlandse bijdrage wordt in 2025 voortgezet.", "De Nederlandse bijdrage wordt in 2026 voortgezet."
    assert calendar_only(old, new) and not calendar_only(old, new, keep_years=True)
    assert figures_may_move(quantities_of(old), quantities_of(new))
    assert not figures_may_move(quantities_of(old), quantities_of(new), keep_years=True)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdez 0123,.-%éï")), max_size=60),
       st.text(alphabet=st.sampled_from(list("abcdez 0123,.-%éï")), max_size=60))
def test_symmetric_and_true_on_itself(a, b):
    assert calendar_only(a, a)
    assert calendar_only(a, b) == calendar_only(b, a)
