"""Figures in any sentence: each Dutch way of writing them, normalised to one value."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.positions import quantities_of
from monitor.positions.folding import fold


def figures(text: str) -> list[tuple]:
    return [(q.kind, q.value, q.upper, q.unit, q.bound, q.text) for q in quantities_of(text)]


@pytest.mark.parametrize(("text", "expected"), [
    # percentages
    ("om minimaal 2% van het bbp aan defensie te besteden",
     [("percent", 2.0, None, "%", "min", "minimaal 2%")]),
    ("3,5% voor defensie-uitgaven en 1,5% voor bredere investeringen",
     [("percent", 3.5, None, "%", "", "3,5%"), ("percent", 1.5, None, "%", "", "1,5%")]),
    ("een stijging van 0,2 procentpunt", [("percent", 0.2, None, "procentpunt", "", "0,2 procentpunt")]),
    ("tussen 2 à 3 procent", [("percent", 2.0, 3.0, "%", "", "2 à 3 procent")]),
    ("tussen 2 en 3 procent van het bbp", [("percent", 2.0, 3.0, "%", "", "2 en 3 procent")]),
    ("maximaal twintig procent", [("percent", 20.0, None, "%", "max", "maximaal twintig procent")]),
    # money
    ("geraamd op EUR 5 miljoen", [("money", 5_000_000.0, None, "EUR", "", "EUR 5 miljoen")]),
    ("€ 1,2 miljard aan steun", [("money", 1_200_000_000.0, None, "EUR", "", "€ 1,2 miljard")]),
    ("ruim €250.000 extra", [("money", 250_000.0, None, "EUR", "min", "ruim €250.000")]),
    ("een bijdrage van 5 mln. euro", [("money", 5_000_000.0, None, "EUR", "", "5 mln. euro")]),
    ("USD 50 miljard", [("money", 50_000_000_000.0, None, "USD", "", "USD 50 miljard")]),
    ("Nederland trekt een miljard euro uit", [("money", 1e9, None, "EUR", "", "een miljard euro")]),
    # counts with units
    ("circa 45.000 Oekraïense militairen", [("count", 45_000.0, None, "militairen", "", "circa 45.000")]),
    ("vier à vijf rotaties", [("count", 4.0, 5.0, "rotaties", "", "vier à vijf")]),
    ("vier a vijf rotaties", [("count", 4.0, 5.0, "rotaties", "", "vier a vijf")]),
    ("elk circa negentig militairen", [("count", 90.0, None, "militairen", "", "circa negentig")]),
    ("naast de 32 NAVO-bondgenoten", [("count", 32.0, None, "bondgenoten", "", "32")]),
    ("naast de eenendertig NAVO-bondgenoten", [("count", 31.0, None, "bondgenoten", "", "eenendertig")]),
    ("de tweeëndertig lidstaten", [("count", 32.0, None, "bondgenoten", "", "tweeëndertig")]),
    ("meer dan duizend dagen", [("count", 1000.0, None, "dagen", "min", "meer dan duizend")]),
    ("drie werksessies", [("count", 3.0, None, "sessies", "", "drie")]),
    ("tweehonderdvijftig F-16's", [("count", 250.0, None, "vliegtuigen", "", "tweehonderdvijftig")]),
    ("twaalfhonderd militairen", [("count", 1200.0, None, "militairen", "", "twaalfhonderd")]),
    # "en" between two counts joins two figures, not a range
    ("45.000 en 20.000 militairen", [("count", 45_000.0, None, "", "", "45.000"),
                                     ("count", 20_000.0, None, "militairen", "", "20.000")]),
    # a Kamerstuk cited the official way is a reference, not a figure
    ("zie Kamerstuk 28 676, nr. 474", []),
    ("Kamerstuk 21 501-20, nr. 2047", []),
    ("1,2 miljoen vluchtelingen", [("count", 1_200_000.0, None, "vluchtelingen", "", "1,2 miljoen")]),
    ("één brigade", [("count", 1.0, None, "brigade", "", "één")]),
    # years and deadlines
    ("in 2025", [("year", 2025.0, None, "", "", "2025")]),
    ("5% van het bbp in 2035", [("percent", 5.0, None, "%", "", "5%"), ("year", 2035.0, None, "", "", "2035")]),
    ("vóór 2030", [("year", 2030.0, None, "", "max", "vóór 2030")]),
    ("uiterlijk 2030", [("year", 2030.0, None, "", "max", "uiterlijk 2030")]),
    ("sinds 2022", [("year", 2022.0, None, "", "min", "sinds 2022")]),
    ("vergaderjaar 2024-2025", [("year", 2024.0, 2025.0, "", "", "2024-2025")]),
    ("circa 2000 militairen", [("count", 2000.0, None, "militairen", "", "circa 2000")]),
    # dates (value YYYYMMDD; 0 for what the letter leaves out)
    ("Den Haag, 22 november 2024", [("date", 20241122.0, None, "", "", "22 november 2024")]),
    ("op 3 en 4 december 2024", [("date", 20241203.0, 20241204.0, "", "", "3 en 4 december 2024")]),
    ("van 9 tot 11 juli 2024", [("date", 20240709.0, 20240711.0, "", "", "9 tot 11 juli 2024")]),
    ("op 28–29 november 2023", [("date", 20231128.0, 20231129.0, "", "", "28–29 november 2023")]),
    ("op 3 en 4 december aanstaande", [("date", 1203.0, 1204.0, "", "", "3 en 4 december")]),
    ("de top van juli 2024", [("date", 20240700.0, None, "", "", "juli 2024")]),
])
def test_each_format(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    "Het is één van de prioriteiten.",          # "één van": a word, not a figure
    "Nederland levert een bijdrage.",            # the article "een"
    "geen steun",
    "VNVR-resolutie 2735",                      # references are not figures
    "resoluties 1701 en 1559 van de VN-Veiligheidsraad",
    "de eerste F-35's",
    "steun aan Oekraïne1)",                       # a footnote mark
    "de 29e november",                          # an ordinal
    "nr. 474",
])
def test_what_is_not_a_figure(text):
    assert [q for q in quantities_of(text) if q.kind != "date"] == []


def test_one_figure_in_two_spellings_has_one_value():
    assert quantities_of("circa 45.000 militairen")[0].value == quantities_of("ca. 45.000 militairen")[0].value
    assert quantities_of("negentig militairen")[0].value == quantities_of("90 militairen")[0].value


def test_figures_in_reading_order():
    text = ("Het doel is om in 2025 circa 20.000 Oekraiense militairen te trainen voor "
            "EUR 5 miljoen en 2% van het bbp.")
    assert [q.kind for q in quantities_of(text)] == ["year", "count", "money", "percent"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_quotes_the_text(text):
    found = quantities_of(text)
    assert found == quantities_of(text)
    assert all(q.text in unicodedata.normalize("NFC", text) for q in found)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_folding_keeps_every_offset(text):
    assert len(fold(text)) == len(text)
