"""Which sentences state the Dutch government's position, and what they say.

The table holds real sentences of the NATO annotated agendas (kst-28676-474, OCR'd, so
"Oekraine" and "Jordanié"; kst-28676-446; kst-28676-519) and one report (kst-28676-448),
labelled by hand: who speaks, which stance, how strongly. ``None``: no Dutch position.
"""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.positions import analyse

# (sentence, expected (actor, stance, strength) or None)
LABELLED: list[tuple[str, tuple[str, str, int] | None]] = [
    # kst-28676-474 (annotated agenda FMM 3-4 december 2024)
    ("Hierbij bied ik u de geannoteerde agenda aan voor de NAVO bijeenkomst van Ministers van "
     "Buitenlandse Zaken op 3 en 4 december 2024.", None),
    ("De FMM zal daarom wederom grotendeels in het teken staan van de aanhoudende Russische "
     "agressie, de noodzaak om Oekraine te blijven steunen en de gevolgen van de oorlog voor de "
     "Euro-Atlantische veiligheid.", None),
    ("In de NATO-Ukraine Council (NUC) spreken bondgenoten samen met de Oekraiense Minister van "
     "Buitenlandse Zaken Andrii Sybiha en de beoogd Hoge Vertegenwoordiger voor buitenlandse zaken "
     "en veiligheidsbeleid van de EU (EU HV) Kaja Kallas over de ontwikkelingen in Oekraine.", None),
    ("Tijdens deze werksessie spreken de 32 NAVO-ministers van Buitenlandse Zaken over de "
     "voornaamste strategische uitdagingen waar het bondgenootschap voor staat.", None),
    ("De Russische agressie vormt de meest acute en directe dreiging voor de NAVO.", None),
    ("Het aankomend jaar zullen de bondgenoten hun strategic approach ten opzichte van Rusland "
     "tegen het licht houden, zoals afgesproken tijdens de NAVO-top in Washington.", None),
    ("Rusland zet zich actief in om Euro-Atlantische veiligheid te ondermijnen, en zet vrede en "
     "stabiliteit ernstig onder druk door de agressie in Oekraine.", None),
    ("Het kabinet heeft ernstige zorgen over de Russische oorlogseconomie, het herstelvermogen van "
     "Russische militaire capaciteiten – waaronder door middel van sanctieomzeiling – het "
     "provoceren en testen van NAVO-bondgenoten via hybride aanvallen, schending van het "
     "NAVO-luchtruim en de grootschalige inzet van Noord-Koreaanse troepen.",
     ("kabinet", "oppose", 3)),
    ("Nederland zal tijdens deze sessie daarom wederom benadrukken dat Rusland de belangrijkste "
     "dreiging blijft voor de NAVO-bondgenoten en verwelkomt het streven samen tot een passende "
     "strategic approach te komen om de Russische dreiging af te schrikken, te beperken en te "
     "bestrijden.", ("nederland", "emphasis", 2)),
    ("Tevens worden er op korte termijn nieuwe hybride maatregelen onderhandeld en steunt Nederland "
     "het voorstel van de secretaris generaal van de NAVO om in 2025 de NAVO-hybride strategie te "
     "herzien.", ("nederland", "support", 2)),
    ("Het kabinet vindt het van belang dat deze aanpak ook ingaat op de faciliterende rol die derde "
     "landen innemen ten opzichte van de Russische agressie tegen Oekraine.",
     ("kabinet", "emphasis", 2)),
    ("De escalatie past in een zorgelijk patroon van landen die de Russische agressie in "
     "toenemende mate steunen, met implicaties voor Oekraine en bredere Europese veiligheid.", None),
    ("Nederland zal tijdens deze werksessie daarom onderstrepen dat het faciliteren van Russische "
     "agressie door derde landen consequenties moet hebben.", ("nederland", "emphasis", 2)),
    ("Een sterke trans-Atlantische relatie is een randvoorwaarde om deze strategische uitdagingen "
     "het hoofd te bieden en Nederland zal in deze sessie het belang benadrukken van het verder "
     "bestendigen daarvan.", ("nederland", "emphasis", 2)),
    ("Het is in dit kader van belang dat alle bondgenoten blijven investeren in hun eigen defensie- "
     "en industriéle capaciteiten.", ("impersonal", "emphasis", 2)),
    ("Tegen deze achtergrond is het cruciaal dat alle bondgenoten voldoen aan de Defense Investment "
     "Pledge om minimaal 2% van het bbp aan defensie besteden, en ook dat zij hun individuele "
     "capaciteitendoelstellingen naleven.", ("impersonal", "emphasis", 3)),
    ("Daarbij geldt, gezien het huidige dreigingslandschap, dat deze huidige doelstellingen een "
     "absolute ondergrens vormen en dat op termijn de NAVO mogelijk meer zal vragen om te kunnen "
     "blijven voorzien in een effectieve bondgenootschappelijke afschrikking en verdediging.",
     ("impersonal", "emphasis", 3)),
    ("Nederland is groot voorstander van het intensiveren van de samenwerking tussen de EU en NAVO "
     "en verwelkomt de ambities die de secretaris-generaal van de NAVO Rutte en "
     "Commissievoorzitter Von der Leyen hier recentelijk over hebben uitgesproken.",
     ("nederland", "support", 3)),
    ("Inspanningen om Oekraine onverminderd politiek, militair, financieel en moreel actief te "
     "steunen, blijven van essentieel belang voor de bondgenootschappelijke, Europese en de "
     "Nederlandse veiligheid.", ("impersonal", "emphasis", 3)),
    ("Nederland zal Oekraine daarom voor zolang als nodig blijven steunen en zal bondgenoten "
     "aansporen tot verdere intensivering van internationale steun.", ("nederland", "support", 2)),
    ("Nederland steunt een actiegerichte aanpak met nadruk op veiligheidsuitdagingen zoals "
     "contraterrorisme, grensbewaking, irreguliere migratie, en maritieme veiligheid en zal deze "
     "sessie gebruiken om op te roepen structureler met zowel de huidige partners, alsook nieuwe "
     "gesprekspartners (landen en regionale organisaties) in gesprek te gaan.",
     ("nederland", "support", 2)),
    ("Het is van belang outreach te blijven doen naar een breed aantal belanghebbenden.",
     ("impersonal", "emphasis", 2)),
    ("Nederland zal benadrukken dat de NAVO als politiek-militair bondgenootschap baat heeft bij "
     "onderhoud en groei van de partnerschappen.", ("nederland", "emphasis", 2)),
    ("Bondgenoten zullen deze sessie mogelijk ook willen benutten om met Jordanié van gedachten te "
     "wisselen inzake de situatie in het Midden-Oosten.", None),
    ("Nederland waardeert de constructieve rol die Jordanié in de regio speelt, onder meer ten "
     "aanzien van het leveren van humanitaire hulp aan Gaza.", ("nederland", "support", 2)),
    ("De situatie in Gaza blijft erbarmelijk en het kabinet blijft oproepen tot de implementatie "
     "van VNVR-resolutie 2735, die moet leiden tot een onmiddellijk staakt-het-vuren, het vrijlaten "
     "van de Israélische gegijzelden, toename van humanitaire hulp en een duurzaam bestand in Gaza.",
     ("kabinet", "support", 2)),
    ("Het kabinet roept eveneens op tot een onmiddellijk staakt-het-vuren tussen Israél en "
     "Hezbollah.", ("kabinet", "support", 2)),
    ("Een duurzame diplomatieke oplossing tussen Israél en Hezbollah blijft voor het kabinet de "
     "beste weg naar stabiliteit in de regio en veiligheid voor Israél, Libanon en andere landen "
     "in het Midden-Oosten.", ("kabinet", "support", 2)),
    ("Nederland steunt daarom de initiatieven voor een diplomatieke oplossing tussen Israél en "
     "Hezbollah langs de lijnen van resoluties 1701 en 1559 van de VN-Veiligheidsraad.",
     ("nederland", "support", 2)),
    ("Mede namens de Minister van Defensie, informeer ik uw Kamer over de aanhoudende steun van "
     "Nederland aan trainingen van Oekraiense militairen.", None),
    ("Sinds 2022 levert Nederland een bijdrage aan operatie Interflex, een trainings- en "
     "opleidingsprogramma in het Verenigd Koninkrijk gericht op het snel en grootschalig trainen "
     "van Oekraiense militairen.", ("nederland", "support", 2)),
    ("Tot nu toe zijn via operatie Interflex circa 45.000 Oekraiense militairen getraind.", None),
    ("De Nederlandse bijdrage wordt in 2025 voortgezet met vier a vijf rotaties van elk circa "
     "negentig militairen van de Koninklijke Landmacht.", ("nederland", "support", 2)),
    ("De kosten van de bijdrage aan deze training worden geraamd op EUR 5 miljoen voor 2025 en "
     "worden gefinancierd uit het Budget Internationale Veiligheid.", None),
    # kst-28676-446 (annotated agenda FMM 28-29 november 2023)
    ("Het kabinet acht het van belang om op deze onderwerpen voortgang te boeken en dat te doen "
     "met behoud van bondgenootschappelijke eenheid.", ("kabinet", "emphasis", 2)),
    ("De Ministers zullen spreken over de voortzetting van de NAVO-steun aan Oekraïne en de "
     "Oekraïense NAVO-lidmaatschapsaspiraties.", None),
    # kst-28676-519 (letter on the Defence Investment Pledge, June 2025)
    ("Het demissionaire kabinet volgt daarom het voorstel van Secretaris-Generaal van de NAVO om "
     "stapsgewijs tot een nieuwe Defence Investment Pledge van 5% van het bbp te komen.",
     ("kabinet", "support", 2)),
    ("Voor de ontwerpbegroting 2026 is reeds een stap gezet en geeft het kabinet 2,2% bbp uit aan "
     "Defensie in 2026 (volgens de Nederlandse definitie, inclusief militaire steun aan "
     "Oekraïne1).", ("kabinet", "support", 2)),
    ("Bondgenoten zullen de komende tijd in gesprek blijven over de definitie en invulling van de "
     "bredere uitgaven aan verdediging en weerbaarheid.", None),
    # kst-28676-448 (report of the FMM of November 2023)
    ("Betreffende bondgenoten, en ook Nederland, benadrukten het belang van snelle toetreding voor "
     "de veiligheid en stabiliteit van het bondgenootschap.", ("nederland", "emphasis", 2)),
    ("De Minister van Buitenlandse Zaken nam deel aan het volledige programma.", None),
]


@pytest.mark.parametrize(("sentence", "expected"), LABELLED, ids=[s[:40] for s, _ in LABELLED])
def test_real_sentences_are_labelled_as_an_analyst_would(sentence, expected):
    position = analyse(sentence)
    got = None if position is None else (position.actor, position.stance, position.strength)
    assert got == expected


def test_the_table_covers_positions_and_non_positions():
    kinds = {None if e is None else e[1] for _, e in LABELLED}
    assert {None, "support", "oppose", "emphasis"} <= kinds
    assert len(LABELLED) >= 30


def test_a_position_carries_its_figures_topics_commitments_and_cues():
    p = analyse("De Nederlandse bijdrage wordt in 2025 voortgezet met vier a vijf rotaties van elk "
                "circa negentig militairen van de Koninklijke Landmacht.")
    assert p is not None
    assert p.commitments == ("wordt … voortgezet",)
    assert [(q.kind, q.value, q.upper, q.unit) for q in p.quantities] == [
        ("year", 2025.0, None, ""), ("count", 4.0, 5.0, "rotaties"), ("count", 90.0, None, "militairen"),
    ]
    assert p.cues[0] == "De Nederlandse bijdrage"

    q = analyse("Daarbij geldt, gezien het huidige dreigingslandschap, dat deze huidige doelstellingen "
                "een absolute ondergrens vormen en dat op termijn de NAVO mogelijk meer zal vragen.")
    assert q is not None and q.hedges == ("op termijn", "mogelijk")

    r = analyse("Nederland zal Oekraine daarom voor zolang als nodig blijven steunen.")
    assert r is not None and r.topics == ("Oekraïne",)
    assert r.commitments == ("voor zolang als nodig", "blijven … steunen")


# --- the actor, also after the verb ----------------------------------------------------------


@pytest.mark.parametrize(("sentence", "actor"), [
    ("Daarom zal het kabinet de oproep van de secretaris-generaal steunen.", "kabinet"),
    ("Daarom steunt Nederland het voorstel.", "nederland"),
    ("De regering verwelkomt het akkoord.", "regering"),
    ("De Minister-President benadrukt het belang van eenheid.", "minister"),
    ("Ik steun dit niet, maar ik zal benadrukken dat eenheid telt.", "minister"),
    ("Wij steunen dit initiatief.", "kabinet"),
    ("Het is cruciaal dat alle bondgenoten voldoen aan de afspraken.", "impersonal"),
])
def test_the_speaker_is_found_in_any_word_order(sentence, actor):
    position = analyse(sentence)
    assert position is not None and position.actor == actor


def test_the_cue_in_the_speakers_own_clause_decides():
    position = analyse("Bondgenoten steunen dit, en ook Nederland benadrukt het belang van eenheid.")
    assert position is not None and position.stance == "emphasis"


@pytest.mark.parametrize("sentence", [
    "De steun van Nederland aan Oekraïne is aanzienlijk.",
    "Bondgenoten steunen het voorstel.",
    "Bondgenoten zullen het belang van eenheid benadrukken.",
    "Mede namens de Minister van Defensie informeer ik uw Kamer.",
    "",
    "   ",
])
def test_others_speaking_is_no_dutch_position(sentence):
    assert analyse(sentence) is None


# --- negation and its idioms ------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "stance", "negated"), [
    ("Nederland zal zich niet verzetten tegen de verlenging van de missie.", "acquiesce", True),
    ("Nederland verzet zich niet tegen het voorstel.", "acquiesce", True),
    ("Ik heb geen bezwaar tegen dit voorstel.", "acquiesce", True),
    ("Nederland verzet zich tegen het voorstel.", "oppose", False),
    ("Nederland steunt het voorstel niet.", "oppose", True),
    ("Nederland steunt niet het voorstel.", "oppose", True),
    ("Nederland zal het voorstel niet steunen.", "oppose", True),
    ("Het kabinet is geen voorstander van een nieuwe missie.", "oppose", True),
    ("Nederland is niet langer voorstander van deze aanpak.", "oppose", True),
    ("Nederland wijst het voorstel niet af.", "acquiesce", True),
    ("Het kabinet heeft ernstige zorgen over de Russische oorlogseconomie.", "oppose", False),
    ("Nederland steunt niet alleen Oekraïne maar ook Moldavië.", "support", False),
    ("Nederland benadrukt dat dit niet acceptabel is.", "emphasis", False),
    ("Nederland zal het belang benadrukken van eenheid.", "emphasis", False),
    ("Nederland onderstreept dat Rusland de grootste dreiging is.", "emphasis", False),
    ("Nederland roept op tot een staakt-het-vuren.", "support", False),
    ("Nederland zal Oekraïne blijven steunen.", "support", False),
    ("Het kabinet deelt de zorgen van de Kamer.", "oppose", False),
    ("Nederland zal deze boodschap uitdragen.", "emphasis", False),
    ("Nederland is van mening dat de NAVO eensgezind moet blijven.", "emphasis", False),
    ("Het kabinet is ervan overtuigd dat afschrikking werkt.", "emphasis", False),
    ("Volgens Nederland is dit onaanvaardbaar.", "oppose", False),
    ("Het kabinet acht het niet opportuun om nu een besluit te nemen.", "oppose", True),
])
def test_negation_idioms(sentence, stance, negated):
    position = analyse(sentence)
    assert position is not None
    assert (position.stance, position.negated) == (stance, negated)


# --- strength -------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "strength"), [
    ("Nederland kan het voorstel steunen.", 1),
    ("Nederland staat open voor een dialoog.", 1),
    ("Nederland steunt het voorstel.", 2),
    ("Nederland is groot voorstander van samenwerking.", 3),
    ("Nederland roept met klem op tot een staakt-het-vuren.", 3),
    ("Nederland zal Oekraïne onverminderd blijven steunen.", 3),
    ("Het is cruciaal dat bondgenoten investeren.", 3),
    ("Deze doelstellingen vormen een absolute ondergrens, zo benadrukt het kabinet.", 3),
    ("Het kabinet heeft ernstige zorgen over de oorlogseconomie.", 3),
    ("Het kabinet heeft zorgen over de oorlogseconomie.", 2),
])
def test_strength(sentence, strength):
    position = analyse(sentence)
    assert position is not None and position.strength == strength


@pytest.mark.parametrize("sentence", [
    "Het kabinet is terughoudend ten aanzien van een permanente aanwezigheid.",
    "Nederland heeft bedenkingen bij het voorstel.",
    "Nederland plaatst kanttekeningen bij de haalbaarheid van het plan.",
    "Het kabinet acht het niet opportuun om nu een besluit te nemen.",
])
def test_reservations_are_a_weak_opposition(sentence):
    """Not going along, without an outright no: a subscriber sees the stance turn, and how far."""
    position = analyse(sentence)
    assert position is not None and (position.stance, position.strength) == ("oppose", 1)


# --- hedges, conditions, commitments ---------------------------------------------------------


@pytest.mark.parametrize(("sentence", "hedges"), [
    ("Nederland steunt in beginsel het voorstel.", ("in beginsel",)),
    ("Nederland steunt waar mogelijk de missie.", ("waar mogelijk",)),
    ("Nederland steunt het voorstel, dat naar verwachting in principe volstaat.",
     ("naar verwachting", "in principe")),
    ("Nederland zal zo nodig aanvullende steun overwegen, en steunt het plan.", ("zo nodig",)),
    ("Nederland zal, indien opportuun, het voorstel steunen.", ("indien opportuun",)),
    ("Nederland steunt het voorstel, dat op termijn mogelijk meer vraagt.", ("op termijn", "mogelijk")),
    ("Nederland roept op zo snel mogelijk en op korte termijn te handelen.", ()),
    ("Nederland steunt het plan dat dit mogelijk maakt.", ()),
])
def test_hedges(sentence, hedges):
    position = analyse(sentence)
    assert position is not None and position.hedges == hedges


@pytest.mark.parametrize(("sentence", "conditions"), [
    ("Nederland steunt het voorstel, mits de kosten binnen het budget blijven.",
     ("mits de kosten binnen het budget blijven",)),
    # the comma of a decimal and the dot of a thousand do not end the clause
    ("Nederland steunt dit, mits de uitgaven minimaal 3,5% van het bbp bedragen.",
     ("mits de uitgaven minimaal 3,5% van het bbp bedragen",)),
    ("Nederland steunt de missie indien de veiligheidssituatie dit toelaat.",
     ("indien de veiligheidssituatie dit toelaat.",)),
    ("Nederland steunt het plan op voorwaarde dat alle bondgenoten bijdragen.",
     ("op voorwaarde dat alle bondgenoten bijdragen.",)),
    ("Nederland steunt de missie zolang de VN daarom vraagt, tenzij de situatie verslechtert.",
     ("zolang de VN daarom vraagt", "tenzij de situatie verslechtert.")),
    ("Nederland zal, indien opportuun, het voorstel steunen.", ()),
    ("Nederland zal Oekraïne voor zolang als nodig blijven steunen.", ()),
])
def test_conditions_are_recorded_as_their_clause(sentence, conditions):
    position = analyse(sentence)
    assert position is not None
    assert tuple(c.rstrip(".") for c in position.conditions) == tuple(c.rstrip(".") for c in conditions)


@pytest.mark.parametrize(("sentence", "commitments"), [
    ("Nederland zal Oekraïne blijven steunen.", ("blijven … steunen",)),
    ("Sinds 2022 levert Nederland een bijdrage aan operatie Interflex.", ("levert … bijdrage",)),
    ("De Nederlandse bijdrage wordt in 2025 voortgezet.", ("wordt … voortgezet",)),
    ("Nederland stelt EUR 10 miljoen beschikbaar voor het fonds.", ("stelt … beschikbaar",)),
    ("Het kabinet zegt steun toe aan de missie.", ("zegt … toe",)),
    ("Nederland zal Oekraïne voor zolang als nodig steunen.", ("voor zolang als nodig",)),
    ("Nederland steunt het voorstel.", ()),
])
def test_commitments(sentence, commitments):
    position = analyse(sentence)
    assert position is not None and position.commitments == commitments


def test_a_commitment_without_a_stance_word_is_support():
    position = analyse("Nederland stelt EUR 10 miljoen beschikbaar voor het fonds.")
    assert position is not None and (position.stance, position.strength) == ("support", 2)
    assert position.quantities[0].value == 10_000_000


def test_accents_and_case_do_not_matter():
    ocr = analyse("NEDERLAND STEUNT DE STEUN AAN OEKRAINE EN JORDANIé.")
    typeset = analyse("Nederland steunt de steun aan Oekraïne en Jordanië.")
    assert ocr is not None and typeset is not None
    assert (ocr.actor, ocr.stance, ocr.topics) == (typeset.actor, typeset.stance, typeset.topics)


# --- pure and fast --------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_analyse_never_raises_and_is_deterministic(text):
    assert analyse(text) == analyse(text)


_DUTCH = st.sampled_from([
    "Nederland", "het", "kabinet", "steunt", "niet", "geen", "voorstander", "zal", "zich", "verzetten",
    "tegen", "mits", "indien", "in", "beginsel", "2%", "3,5", "EUR", "5", "miljoen", "€", "45.000",
    "vier", "à", "vijf", "rotaties", "2025", "vóór", ",", ".", "…", "Oekraïne", "is", "cruciaal",
    "dat", "blijven", "benadrukken", "zolang", "als", "nodig", "één", "van", "de", "3", "en", "4",
    "december", "resolutie", "1701", "–", "-", "(", ")", "eenendertig", "tot",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_DUTCH, max_size=30).map(" ".join))
def test_analyse_never_raises_on_dutch_word_salad(text):
    position = analyse(text)
    assert position == analyse(text)
    if position is not None:
        assert 1 <= position.strength <= 3
        assert all(q.text and q.text in text for q in position.quantities)
