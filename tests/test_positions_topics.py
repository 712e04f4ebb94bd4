"""Topics of a sentence, from the lexicon in monitor/data/topics.toml."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.positions import topics_of


@pytest.mark.parametrize(("text", "topic"), [
    ("de aanhoudende Russische agressie", "Rusland"),
    ("De oorlog in Oekraine duurt inmiddels al meer dan duizend dagen.", "Oekraïne"),
    ("de Oekraïense NAVO-lidmaatschapsaspiraties", "Oekraïne"),
    ("het strategisch partnerschap tussen Rusland en China", "China"),
    ("militaire samenwerking met Noord-Korea, Iran en Belarus", "derde landen"),
    ("de faciliterende rol die derde landen innemen", "derde landen"),
    ("minimaal 2% van het bbp aan defensie", "defensie-uitgaven"),
    ("de Defense Investment Pledge", "defensie-uitgaven"),
    ("een evenredige trans-Atlantische lastenverdeling", "defensie-uitgaven"),
    ("de defensieuitgaven (burden sharing)", "defensie-uitgaven"),
    ("sabotage, geweld, grensprovocaties, cyberactiviteiten en desinformatie", "hybride dreigingen"),
    ("de NAVO-hybride strategie", "hybride dreigingen"),
    ("Koning Abdullah II van Jordanié", "Zuidflank en Midden-Oosten"),
    ("een staakt-het-vuren tussen Israél en Hezbollah", "Zuidflank en Midden-Oosten"),
    ("de relatie met Zuidelijke buurlanden en de Sahel", "Zuidflank en Midden-Oosten"),
    ("humanitaire hulp aan Gaza en Libanon", "Zuidflank en Midden-Oosten"),
    ("de samenwerking tussen de EU en NAVO", "EU–NAVO"),
    ("een sterke trans-Atlantische relatie", "trans-Atlantische relatie"),
    ("de NAVO-top in Den Haag", "NAVO-top"),
    ("de defensie-industrie in Oekraine opschalen", "defensie-industrie"),
    ("hun eigen defensie- en industriéle capaciteiten", "defensie-industrie"),
    ("de spanningen op de Westelijke Balkan", "Westelijke Balkan"),
    ("China en de Indo-Pacific", "Indo-Pacific"),
    ("het toekomstige NAVO-lidmaatschap van Oekraine", "uitbreiding en lidmaatschap"),
    ("de toetredingsaanvragen van Finland en Zweden", "uitbreiding en lidmaatschap"),
    ("onderhoud en groei van de partnerschappen", "partnerschappen"),
    ("als belangrijke NAVO-partner in het Midden-Oosten", "partnerschappen"),
    ("contraterrorisme en grensbewaking", "terrorisme"),
])
def test_topic_found(text, topic):
    assert topic in topics_of(text)


@pytest.mark.parametrize("text", [
    "Het weer was goed.",
    "een rustige vergadering",        # not "Rus…"
    "een inspirerende toespraak",     # not "Iran"
])
def test_no_topic_by_accident(text):
    found = topics_of(text)
    assert "Rusland" not in found and "derde landen" not in found


def test_topics_come_in_lexicon_order_once_each():
    text = "Oekraïne, Rusland, Oekraïne en Rusland"
    assert topics_of(text) == ("Rusland", "Oekraïne")


def test_ocr_and_typeset_spellings_give_the_same_topics():
    assert topics_of("OEKRAINE en JORDANIé") == topics_of("Oekraïne en Jordanië") == (
        "Oekraïne", "Zuidflank en Midden-Oosten")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises(text):
    assert topics_of(text) == topics_of(text)
