"""Dutch sentence splitting as official letters need it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.documents.sentences import split_sentences


@pytest.mark.parametrize(
    "sentence",
    [
        "Bondgenoten, o.a. Duitsland en Frankrijk, steunen het voorstel.",
        "Het kabinet steunt o.a. Oekraïne en Moldavië.",
        "Nederland steunt bijv. Oekraïne met munitie.",
        "Dat betekent d.w.z. Nederland gaat voorop.",
        "Zie Kamerstuk 28 676, nr. 474 voor de agenda.",
        "Zie nr. 474 en nrs. 446 en 448.",
        "Er zijn ca. 45.000 militairen getraind.",
        "Sancties, exportcontroles e.d. worden besproken.",
        "De afspraken m.b.t. de Zuidflank blijven staan.",
        "De inzet t.a.v. Rusland verandert niet.",
        "Er komt i.p.v. NAVO-steun een EU-missie.",
        "De kosten worden geraamd op EUR 5 miljoen voor 2025.",
        "Dit percentage is onderverdeeld naar 3,5% voor defensie-uitgaven en 1,5% voor bredere uitgaven.",
        "Tot nu toe zijn circa 45.000 Oekraïense militairen getraind.",
        "De NAVO-top in Washington D.C. van 9 tot 11 juli 2024 was een succes.",
        "Tijdens de NAVO-top in Washington D.C. afgelopen zomer hebben bondgenoten een actieplan aangenomen.",
        "De Minister van Buitenlandse Zaken, C.C.J. Veldkamp, ondertekent.",
        "Namens het kabinet sprak W.B. Hoekstra met zijn collega's.",
        "Minister H.G.J. Bruins Slot nam deel aan het volledige programma.",
        "En dan... het einde van de sessie.",
        "Art. 5 van het Verdrag van Washington geldt onverkort.",
    ],
)
def test_abbreviations_initials_and_figures_do_not_end_a_sentence(sentence):
    assert split_sentences(sentence) == [sentence]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nederland steunt dit. Het kabinet ook.", ["Nederland steunt dit.", "Het kabinet ook."]),
        ("Klaar? Ja! Nee.", ["Klaar?", "Ja!", "Nee."]),
        ("Sancties, exportcontroles e.d. Daarna volgt China.", ["Sancties, exportcontroles e.d.", "Daarna volgt China."]),
        ("Wacht... Nu verder.", ["Wacht...", "Nu verder."]),
        ('Hij zei: "Wij steunen Oekraïne." Daarna volgde de stemming.',
         ['Hij zei: "Wij steunen Oekraïne."', "Daarna volgde de stemming."]),
        ("Dit is zo (zie bijlage.) Dan de rest.", ["Dit is zo (zie bijlage.)", "Dan de rest."]),
        ("Het doel is 3,5%. Het kabinet volgt dit.", ["Het doel is 3,5%.", "Het kabinet volgt dit."]),
        ("Het gaat om 2025. 45.000 militairen zijn getraind.", ["Het gaat om 2025.", "45.000 militairen zijn getraind."]),
        ("Het gebeurt in de NAVO. De EU volgt.", ["Het gebeurt in de NAVO.", "De EU volgt."]),
        ("Geen punt aan het eind", ["Geen punt aan het eind"]),
        ("", []),
        ("   ", []),
    ],
)
def test_sentence_ends(text, expected):
    assert split_sentences(text) == expected


def test_a_real_paragraph_of_the_474_agenda_splits_into_its_seven_sentences():
    paragraph = (
        "Mede namens de Minister van Defensie, informeer ik uw Kamer over de aanhoudende steun van Nederland aan "
        "trainingen van Oekraïense militairen. Sinds 2022 levert Nederland een bijdrage aan operatie Interflex, een "
        "trainings- en opleidingsprogramma in het Verenigd Koninkrijk gericht op het snel en grootschalig trainen van "
        "Oekraïense militairen. Tot nu toe zijn via operatie Interflex circa 45.000 Oekraïense militairen getraind. "
        "Het doel is om in 2025 circa 20.000 Oekraïense militairen te trainen. De Nederlandse bijdrage wordt in 2025 "
        "voortgezet met vier à vijf rotaties van elk circa negentig militairen van de Koninklijke Landmacht. Met deze "
        "voortzetting levert Nederland een belangrijke bijdrage aan de continuïteit van trainingen van Oekraïense "
        "militairen en de effectiviteit van de Oekraïense strijdkrachten. De kosten van de bijdrage aan deze training "
        "worden geraamd op EUR 5 miljoen voor 2025 en worden gefinancierd uit het Budget Internationale Veiligheid."
    )
    sentences = split_sentences(paragraph)
    assert len(sentences) == 7
    assert sentences[2] == "Tot nu toe zijn via operatie Interflex circa 45.000 Oekraïense militairen getraind."
    assert sentences[-1].startswith("De kosten van de bijdrage") and sentences[-1].endswith("Veiligheid.")


_WORDS = st.sampled_from(
    ["Nederland", "steunt", "o.a.", "Oekraïne", "nr.", "474", "C.C.J.", "Veldkamp", "D.C.", "van", "3,5%",
     "45.000", "EUR", "e.d.", "dit.", "Dat?", "Ja!", "...", "\"Zeker.\"", "(zie", "bijlage.)", "het", "kabinet.", "a."]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS | st.text(min_size=1, max_size=8), max_size=40), st.sampled_from([" ", "  ", "\n", " \t"]))
def test_splitting_then_joining_keeps_every_word(words, separator):
    text = separator.join(words)
    sentences = split_sentences(text)
    assert " ".join(sentences).split() == text.split()
    assert all(s and s == s.strip() for s in sentences)
