"""compare_positions: which aspects of a position changed between two versions of a sentence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.positions import analyse, compare_positions, direction
from monitor.positions.lexicon import cues

BASE = "Nederland steunt het voorstel om in 2025 circa 20.000 militairen te trainen."


def kinds(old: str, new: str) -> tuple[str, ...]:
    return compare_positions(analyse(old), analyse(new))


@pytest.mark.parametrize(("new", "expected"), [
    # stance
    ("Nederland steunt het voorstel niet om in 2025 circa 20.000 militairen te trainen.", ("stance",)),
    ("Nederland zal zich niet verzetten tegen het voorstel om in 2025 circa 20.000 militairen te "
     "trainen.", ("stance",)),
    # strength, within one step of the register
    ("Nederland steunt met klem het voorstel om in 2025 circa 20.000 militairen te trainen.", ("strength",)),
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


# --- the diplomatic register -----------------------------------------------------------------
# Before/after examples of moves along verwelkomt > steunt > staat open voor > zal zich niet
# verzetten > neemt kennis van > heeft bedenkingen bij > wijst af: each is a stance change, with
# the direction it took, and the same move read backwards goes the other way.

REGISTER_MOVES = [
    # (old, new, direction)
    ("Nederland verwelkomt het streven naar een passende strategic approach.",
     "Nederland neemt kennis van het streven naar een passende strategic approach.", "weaker"),
    ("Nederland is groot voorstander van nauwere samenwerking tussen de EU en de NAVO.",
     "Nederland is voorstander van nauwere samenwerking tussen de EU en de NAVO.", "weaker"),
    ("Nederland steunt het voorstel van de secretaris-generaal.",
     "Nederland staat open voor het voorstel van de secretaris-generaal.", "weaker"),
    ("Nederland zet zich in voor een snelle uitvoering van het actieplan.",
     "Nederland kan instemmen met een snelle uitvoering van het actieplan.", "weaker"),
    ("Nederland kan instemmen met het voorstel.",
     "Nederland zal zich niet verzetten tegen het voorstel.", "weaker"),
    ("Nederland neemt kennis van het voorstel.", "Nederland heeft bedenkingen bij het voorstel.", "weaker"),
    ("Het kabinet staat kritisch tegenover het voorstel.", "Het kabinet wijst het voorstel af.", "weaker"),
    ("Nederland heeft bedenkingen bij het voorstel.", "Nederland verzet zich tegen het voorstel.", "weaker"),
    ("Nederland steunt het voorstel.", "Nederland verwelkomt het voorstel.", "stronger"),
    # a move of the second stance of the sentence, after a subordinate clause
    ("Nederland zal benadrukken dat Rusland de belangrijkste dreiging blijft en verwelkomt het "
     "streven samen tot een passende strategic approach te komen.",
     "Nederland zal benadrukken dat Rusland de belangrijkste dreiging blijft en neemt kennis van het "
     "streven samen tot een passende strategic approach te komen.", "weaker"),
]


@pytest.mark.parametrize(("old", "new", "way"), REGISTER_MOVES)
def test_a_move_along_the_register_is_a_stance_change_with_its_direction(old, new, way):
    back = {"weaker": "stronger", "stronger": "weaker"}[way]
    assert kinds(old, new) == ("stance",)
    assert direction(analyse(old), analyse(new)) == way
    assert kinds(new, old) == ("stance",)
    assert direction(analyse(new), analyse(old)) == back


def test_the_register_runs_from_welcoming_to_rejecting():
    assert cues().register == ("welcome", "support", "open", "acquiesce", "note", "reserve", "reject")


@pytest.mark.parametrize(("sentence", "step"), [
    ("Nederland verwelkomt het besluit.", "welcome"),
    ("Nederland is groot voorstander van het besluit.", "welcome"),
    ("Nederland steunt het besluit.", "support"),
    ("Nederland zet zich in voor het besluit.", "support"),
    ("Nederland zal benadrukken dat eenheid telt.", "support"),
    ("Nederland staat open voor het besluit.", "open"),
    ("Nederland kan instemmen met het besluit.", "open"),
    ("Nederland zal zich niet verzetten tegen het besluit.", "acquiesce"),
    ("Nederland neemt kennis van het besluit.", "note"),
    ("Nederland heeft bedenkingen bij het besluit.", "reserve"),
    ("Nederland staat kritisch tegenover het besluit.", "reserve"),
    ("Nederland wijst het besluit af.", "reject"),
    ("Nederland verzet zich tegen het besluit.", "reject"),
])
def test_each_cue_has_its_step(sentence, step):
    position = analyse(sentence)
    assert position is not None and position.steps[0] == step


def test_a_stance_only_added_alongside_is_no_turn():
    old = "Nederland steunt het voorstel."
    assert kinds(old, "Nederland steunt het voorstel en verwelkomt de ambities van de secretaris-generaal.") == ()


def test_others_stances_in_a_subordinate_clause_are_not_the_speakers():
    old = "Nederland veroordeelt het gedrag van landen die de Russische agressie steunen."
    new = "Nederland veroordeelt het gedrag van landen die de Russische agressie niet langer steunen."
    assert analyse(old).steps == analyse(new).steps == ("reject",)


# --- negation and its undoing -------------------------------------------------------------------

NEGATIONS = [
    # (old, new, direction): each negation form, and where it stands
    ("Nederland steunt het voorstel.", "Nederland steunt het voorstel niet.", "weaker"),
    ("Nederland steunt het voorstel.", "Nederland steunt geen enkel voorstel.", "weaker"),
    ("Nederland steunt de missie.", "Nederland steunt de missie niet langer.", "weaker"),
    ("Nederland steunt de missie.", "Nederland steunt de missie niet meer.", "weaker"),
    ("Nederland kan instemmen met het voorstel.", "Nederland kan nog niet instemmen met het voorstel.", "weaker"),
    ("Nederland verzet zich tegen het voorstel.", "Nederland verzet zich niet tegen het voorstel.", "stronger"),
    ("Nederland zal zich verzetten tegen het voorstel.", "Nederland zal zich niet verzetten tegen het voorstel.",
     "stronger"),
    # inside a zal/blijft clause, and words away from the verb
    ("Nederland zal tijdens deze sessie daarom wederom benadrukken dat Rusland de belangrijkste dreiging blijft.",
     "Nederland zal tijdens deze sessie daarom niet langer benadrukken dat Rusland de belangrijkste dreiging blijft.",
     "weaker"),
    ("Nederland zal in deze sessie het belang van het verder bestendigen daarvan benadrukken.",
     "Nederland zal niet langer in deze sessie het belang van het verder bestendigen daarvan benadrukken.",
     "weaker"),
    ("Nederland zal Oekraïne voor zolang als nodig blijven steunen.",
     "Nederland zal Oekraïne niet voor zolang als nodig blijven steunen.", "weaker"),
    ("Nederland blijft de missie steunen.", "Nederland blijft de missie van de Verenigde Naties niet steunen.",
     "weaker"),
    ("Nederland steunt het voorstel van de secretaris-generaal van de NAVO om de strategie te herzien.",
     "Nederland steunt het voorstel van de secretaris-generaal van de NAVO niet om de strategie te herzien.",
     "weaker"),
    # a commitment alone, refused
    ("Nederland zal de bijdrage verlengen.", "Nederland zal de bijdrage niet verlengen.", "weaker"),
    # double negation undoes itself
    ("Het kabinet acht het onwenselijk dat de missie wordt verlengd.",
     "Het kabinet acht het niet onwenselijk dat de missie wordt verlengd.", "stronger"),
    ("Nederland sluit een verlenging uit.", "Nederland sluit een verlenging niet uit.", "stronger"),
]


@pytest.mark.parametrize(("old", "new", "way"), NEGATIONS)
def test_negation_and_its_undoing_turn_the_stance(old, new, way):
    assert kinds(old, new)[0] == "stance"
    assert direction(analyse(old), analyse(new)) == way
    assert direction(analyse(new), analyse(old)) == {"weaker": "stronger", "stronger": "weaker"}[way]


@pytest.mark.parametrize("sentence", [
    "Nederland verwelkomt het niet-bindende akkoord.",
    "Nederland steunt niet alleen Oekraïne maar ook Moldavië.",
    "Nederland steunt het voorstel om geen nieuwe sancties in te stellen.",
    "Nederland steunt de landen die niet langer willen wachten.",
    "Nederland zal het voorstel niet niet steunen.",
])
def test_what_negates_nothing(sentence):
    position = analyse(sentence)
    assert position is not None and not position.negated and position.stance == "support"


# --- hedges and conditions, in any clause ------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "kind"), [
    ("Nederland steunt de missie.", "Waar mogelijk steunt Nederland de missie.", "hedge"),
    ("Nederland zal de missie steunen.", "Nederland zal, waar mogelijk, de missie steunen.", "hedge"),
    ("Nederland zet de missie voort.", "Nederland zet de missie in beginsel voort.", "hedge"),
    ("Nederland levert een bijdrage aan de missie.", "Nederland levert mogelijk een bijdrage aan de missie.",
     "hedge"),
    ("Nederland steunt het voorstel en zal bondgenoten aansporen tot steun.",
     "Nederland steunt het voorstel en zal bondgenoten in beginsel aansporen tot steun.", "hedge"),
    ("Nederland steunt het voorstel.", "Mits de kosten gedeeld worden, steunt Nederland het voorstel.", "condition"),
    ("Nederland zal de missie steunen.",
     "Nederland zal, onder voorwaarde dat alle bondgenoten bijdragen, de missie steunen.", "condition"),
    ("Nederland draagt bij aan de missie.", "Nederland draagt mits de Kamer instemt bij aan de missie.",
     "condition"),
    ("Nederland steunt de missie en zal bondgenoten aansporen tot steun.",
     "Nederland steunt de missie en zal bondgenoten, mits de Kamer instemt, aansporen tot steun.", "condition"),
])
def test_hedges_and_conditions_count_in_any_clause(old, new, kind):
    assert kinds(old, new) == (kind,)


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
    "Nederland verwelkomt het voorstel om in 2025 circa 20.000 militairen te trainen.",
    "Nederland kan nog niet instemmen met het voorstel.",
    "Nederland zal benadrukken dat eenheid telt en neemt kennis van het besluit.",
    "Nederland heeft bedenkingen bij het voorstel en wijst de verlenging af.",
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
    # read backwards, a move along the register goes the other way
    assert {direction(pa, pb), direction(pb, pa)} in ({None}, {"weaker", "stronger"})
