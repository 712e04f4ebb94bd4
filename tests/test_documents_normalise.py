"""Normalisation: what a reader shows (normalise_text) and what matching compares (match_key)."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.documents.normalise import HyphenEvidence, match_key, normalise_text, repair_ocr


@pytest.mark.parametrize(
    ("wrapped", "expected"),
    [
        ("waar het bondge-\nnootschap voor staat", "waar het bondgenootschap voor staat"),
        ("meer verantwoorde-\nlijkheid te nemen", "meer verantwoordelijkheid te nemen"),
        ("nadruk op veiligheidsuit-\ndagingen zoals", "nadruk op veiligheidsuitdagingen zoals"),
        ("Russische oorlogs-\neconomie", "Russische oorlogseconomie"),
        ("in strijd met het VN-\nHandvest.", "in strijd met het VN-Handvest."),
        ("met Noord-\nKorea, Iran", "met Noord-Korea, Iran"),
        ("naast de 32 NAVO-\nbondgenoten, ook", "naast de 32 NAVO-bondgenoten, ook"),
        ("in het Midden-\nOosten.", "in het Midden-Oosten."),
        ("vergaderjaar 2024-\n2025", "vergaderjaar 2024-2025"),
        ("eigen defensie-\nen industriële capaciteiten", "eigen defensie- en industriële capaciteiten"),
        ("trainings-\nof opleidingsprogramma", "trainings- of opleidingsprogramma"),
        ("hogere defensie-\nuitgaven", "hogere defensie-uitgaven"),  # e|u would read as "eu"
        ("het F-\n35-programma", "het F-35-programma"),
    ],
)
def test_line_wrap_hyphenation_is_undone_but_real_hyphens_stay(wrapped, expected):
    assert normalise_text(wrapped) == expected


@pytest.mark.parametrize(
    "text",
    ["VN-Handvest", "Noord-Korea", "defensie-uitgaven", "eigen defensie- en industriële capaciteiten",
     "staakt-het-vuren", "politiek-militair bondgenootschap"],
)
def test_hyphens_within_a_line_are_never_touched(text):
    assert normalise_text(text) == text


def test_a_wrapped_compound_keeps_its_hyphen_when_the_letter_writes_it_so_elsewhere():
    text = "door de secretaris-generaal aangesteld; de secretaris-\ngeneraal Rutte"
    assert normalise_text(text) == "door de secretaris-generaal aangesteld; de secretaris-generaal Rutte"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tweede Kamer, vergaderjaar 2024—2025, 28 676, nr. 474 4", ""),
        (
            "de effectiviteit van de\n\nTweede Kamer, vergaderjaar 2024—2025, 28 676, nr. 474 4\n\n\n\n"
            "Oekraiense strijdkrachten.",
            "de effectiviteit van de Oekraiense strijdkrachten.",
        ),
        (
            "Tevens zal deze FMM Tweede Kamer, vergaderjaar 2023–2024, 28 676, nr. 446 2 vooruitblikken.",
            "Tevens zal deze FMM vooruitblikken.",
        ),
        ("Eerste Kamer, vergaderjaar 2024-2025, 36 045, nr. 12 3 Slot.", "Slot."),
    ],
)
def test_running_page_footers_vanish_wherever_they_appear(text, expected):
    assert normalise_text(text) == expected


def test_mentions_of_the_chamber_in_the_text_stay():
    text = "De Tweede Kamer, vergaderjaar na vergaderjaar, blijft geïnformeerd."
    assert normalise_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vergaderjaar 2024—2025", "vergaderjaar 2024–2025"),
        ("van 28 - 29 november", "van 28–29 november"),
        ("capaciteiten — waaronder door middel van sanctieomzeiling — het", "capaciteiten – waaronder door middel van sanctieomzeiling – het"),
        ("capaciteiten - waaronder", "capaciteiten – waaronder"),
        ("„sterk” en ‘zwak’ en “fors”", "\"sterk\" en 'zwak' en \"fors\""),
        ("F-35’s", "F-35's"),
        ("  veel\t\tlucht\u00a0en\n\nregels  ", "veel lucht en regels"),
        ("Oekrai\u0308ne", "Oekraïne"),  # decomposed input comes out composed (NFC)
        ("co\u00adördinatie", "coördinatie"),  # a soft hyphen is no text
        ("de \ufb01nanciële steun", "de financiële steun"),  # PDF ligature
    ],
)
def test_dashes_quotes_whitespace_and_unicode_forms_are_unified(text, expected):
    assert normalise_text(text) == expected


def test_display_keeps_accents_and_capitals_as_written():
    assert normalise_text("Oekraïne, Jordanië en Israël") == "Oekraïne, Jordanië en Israël"
    assert unicodedata.is_normalized("NFC", normalise_text("Oekrai\u0308ne"))


@pytest.mark.parametrize(
    ("ocr", "clean"),
    [("Oekraine", "Oekraïne"), ("Jordanié", "Jordanië"), ("Israél", "Israël"), ("industriéle", "industriële"),
     ("continuiteit", "continuïteit"), ("vier a vijf", "vier à vijf"), ("OEKRAINE", "Oekraïne"),
     ("andere ( regionale ) organisaties , zoals", "andere (regionale) organisaties, zoals"),
     ("2024-2025", "2024–2025"), ("„sterk”", '"sterk"')],
)
def test_match_keys_fold_ocr_accents_case_and_punctuation_spacing(ocr, clean):
    assert match_key(ocr) == match_key(clean)


@pytest.mark.parametrize(("a", "b"), [("Oekraïne", "Rusland"), ("2%", "3,5%"), ("wel", "niet")])
def test_match_keys_still_tell_different_words_apart(a, b):
    assert match_key(a) != match_key(b)


def test_ocr_misreadings_of_roman_numerals_and_m_are_repaired():
    assert repair_ocr("Koning Abdullah Il van Jordanié") == "Koning Abdullah II van Jordanié"
    assert repair_ocr("Foreign Ministers Meeting (FIVIM)") == "Foreign Ministers Meeting (FMM)"
    assert repair_ocr("Il Sole 24 Ore") == "Il Sole 24 Ore"  # no capitalised name before it


_FRAGMENTS = st.sampled_from(
    ["bondge-", "nootschap", "NAVO-", "bondgenoten", "Noord-", "Korea", "defensie-", "en", "of", "uitgaven",
     "Oekraïne", "Oekrai\u0308ne", "—", "–", "-", " - ", "2024", "2025", "„", "”", "’", "\u00ad", "\u00a0", "\n",
     "\n\n", " ", ".", ",", "Tweede Kamer, vergaderjaar 2024—2025, 28 676, nr. 474 4", "ﬁ", "(", ")", "...", "3,5%"]
)
_TEXTS = st.one_of(
    st.lists(_FRAGMENTS | st.text(alphabet="abcëïé -\nXY0.", max_size=6), max_size=40).map("".join),
    st.text(max_size=80),
)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_match_key_is_stable_and_blind_to_unicode_composition(text):
    once = normalise_text(text)
    assert match_key(match_key(once)) == match_key(once)
    assert match_key(unicodedata.normalize("NFD", once)) == match_key(once)


def test_hyphen_evidence_answers_alike_before_and_after_it_collects_all_words():
    # a long text asks more than _LOOKUPS_BEFORE_INDEX questions; the answers must not change then
    text = " ".join(f"(woord{k}-deel{k}), Verbond{k}skader." for k in range(400)) + " secretaris-generaal"
    questions = [w for k in range(400) for w in (f"woord{k}-deel{k}", f"verbond{k}skader", f"woord{k}deel{k}",
                                                  f"verbond{k}", f"deel{k}")] + ["secretaris-generaal", "generaal"]
    long_lived = HyphenEvidence(text)
    for word in questions:
        fresh = HyphenEvidence(text)  # never asked enough to collect the words
        assert (long_lived.joined(word), long_lived.hyphenated(word)) == (fresh.joined(word), fresh.hyphenated(word))
