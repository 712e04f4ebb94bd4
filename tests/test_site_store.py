"""The test snapshot store the site is built from, and checks that it says what the site tests assume.

Four successive FMM agendas, made by editing the whole (reconstructed) agenda
kst-28676-474 in known ways, recorded through the Store API like the pipeline does,
plus four other letters of the dossier (openings of real letters), one with two versions.
The agenda identifiers other than 474 and every edit are SYNTHETIC: the timeline they
form (defence spending 2% → 2% as an absolute floor → 3,5% → 5%; the Ukraine wording;
a China position added; a Gaza position dropped) is the fixture's story, not the record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor.config import Config, StorageConfig
from monitor.documents import read_document
from monitor.model import Fetched, Publication
from monitor.positions import analyse
from monitor.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
BASE_AGENDA = FIXTURES / "letters" / "kst-28676-474.xml"

DEFENCE = ("Tegen deze achtergrond is het cruciaal dat alle bondgenoten voldoen aan de Defense Investment Pledge "
           "om minimaal 2% van het bbp aan defensie besteden, en ook dat zij hun individuele "
           "capaciteitendoelstellingen naleven.")
UKRAINE = ("Nederland zal Oekraïne daarom voor zolang als nodig blijven steunen en zal bondgenoten aansporen tot "
           "verdere intensivering van internationale steun.")
GAZA = "Het kabinet roept eveneens op tot een onmiddellijk staakt-het-vuren tussen Israël en Hezbollah."
CHINA = ("Nederland zal benadrukken dat China een beslissende facilitator is van de Russische oorlog tegen "
         "Oekraïne.")
THIRD_PARTIES = ("Nederland zal tijdens deze werksessie daarom onderstrepen dat het faciliteren van Russische "
                 "agressie door derde landen consequenties moet hebben.")

# the defence-spending sentence of each agenda, in meeting order
DEFENCE_STEPS = (
    DEFENCE,
    DEFENCE.replace("om minimaal 2% van het bbp aan defensie besteden",
                    "om 2% van het bbp als absolute ondergrens aan defensie te besteden"),
    DEFENCE.replace("om minimaal 2% van het bbp aan defensie besteden",
                    "om minimaal 3,5% van het bbp aan defensie te besteden"),
    DEFENCE.replace("om minimaal 2% van het bbp aan defensie besteden",
                    "om minimaal 5% van het bbp aan defensie en defensiegerelateerde uitgaven te besteden"),
)
UKRAINE_STEPS = (
    UKRAINE,
    UKRAINE,
    UKRAINE.replace("voor zolang als nodig", "onverminderd"),
    UKRAINE.replace("voor zolang als nodig", "onverminderd en ook financieel"),
)


@dataclass(frozen=True)
class AgendaSpec:
    number: str
    letter_date: dt.date
    meeting: tuple[dt.date, ...]
    meeting_words: str  # "3 en 4 december 2024"
    aanstaande: str  # "3 en 4 december"
    defence: str
    ukraine: str
    china: bool  # the added China position
    gaza: bool  # the Gaza position, dropped in the last agenda

    @property
    def identifier(self) -> str:
        return f"kst-28676-{self.number}"


AGENDAS = (
    AgendaSpec("462", dt.date(2024, 3, 22), (dt.date(2024, 4, 3), dt.date(2024, 4, 4)), "3 en 4 april 2024",
               "3 en 4 april", DEFENCE_STEPS[0], UKRAINE_STEPS[0], china=False, gaza=True),
    AgendaSpec("474", dt.date(2024, 11, 22), (dt.date(2024, 12, 3), dt.date(2024, 12, 4)), "3 en 4 december 2024",
               "3 en 4 december", DEFENCE_STEPS[1], UKRAINE_STEPS[1], china=False, gaza=True),
    AgendaSpec("489", dt.date(2025, 5, 5), (dt.date(2025, 5, 14), dt.date(2025, 5, 15)), "14 en 15 mei 2025",
               "14 en 15 mei", DEFENCE_STEPS[2], UKRAINE_STEPS[2], china=True, gaza=True),
    AgendaSpec("505", dt.date(2025, 11, 24), (dt.date(2025, 12, 3),), "3 december 2025",
               "3 december", DEFENCE_STEPS[3], UKRAINE_STEPS[3], china=True, gaza=False),
)

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"fixture edit must hit exactly once: {old[:60]!r}"
    return text.replace(old, new)


def agenda_xml(spec: AgendaSpec) -> bytes:
    """The base agenda rewritten for ``spec``: identity, dates, and the edited positions."""
    text = BASE_AGENDA.read_bytes().decode("utf-8-sig")
    letter_day = f"{spec.letter_date.day} {_MONTHS[spec.letter_date.month - 1]} {spec.letter_date.year}"
    edits = [
        ("kst-28676-474/metadata.xml", f"{spec.identifier}/metadata.xml"),
        ('<ondernummer kamer="2">474</ondernummer>', f'<ondernummer kamer="2">{spec.number}</ondernummer>'),
        ("Den Haag, 22 november 2024", f"Den Haag, {letter_day}"),
        ("Buitenlandse Zaken op 3 en 4 december 2024.", f"Buitenlandse Zaken op {spec.meeting_words}."),
        ("Meeting (FMM) 3 en 4 december 2024</titel>", f"Meeting (FMM) {spec.meeting_words}</titel>"),
        ("vindt op 3 en 4 december aanstaande", f"vindt op {spec.aanstaande} aanstaande"),
        (DEFENCE, spec.defence),
        (UKRAINE, spec.ukraine),
        (GAZA + " ", GAZA + " " if spec.gaza else ""),
        (THIRD_PARTIES, THIRD_PARTIES + (" " + CHINA if spec.china else "")),
    ]
    for old, new in edits:
        text = _replace_once(text, old, new)
    return text.encode("utf-8")


@dataclass(frozen=True)
class OtherLetter:
    identifier: str
    series: str
    title: str
    date: dt.date
    corpus_file: str
    dossiers: tuple[str, ...] = ("28676",)


OTHERS = (
    OtherLetter("kst-28676-406", "fmm-verslag", "NAVO; Verslag informele NAVO ministeriële bijeenkomst 14 en 15 mei 2022",
                dt.date(2022, 5, 23), "kst-28676-406.txt"),
    OtherLetter("kst-28676-448", "fmm-verslag", "NAVO; Verslag NAVO Foreign Ministers Meeting 28-29 november 2023",
                dt.date(2023, 12, 18), "kst-28676-448.txt"),
    OtherLetter("kst-28676-519", "summit", "NAVO; Kabinetsappreciatie NAVO-top Den Haag",
                dt.date(2025, 6, 13), "kst-28676-519.txt"),
    OtherLetter("kst-28676-554", "other", "NAVO; Verslag NAVO Defensie Ministeriële bijeenkomst 15 oktober 2025",
                dt.date(2025, 11, 12), "kst-28676-554.txt", ("28676", "21501-28", "36045")),
)
CORRECTED = "kst-28676-519"  # gets a second version
CORRECTION = ("ons schild voor collectieve veiligheid", "ons schild voor collectieve veiligheid en vrijheid")


def fetched_at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 30, tzinfo=dt.UTC)


def store_config(tmp_path: Path) -> Config:
    return Config(storage=StorageConfig(data_dir=str(tmp_path / "data")))


def record(store: Store, pub: Publication, data: bytes, *, series: str, media_type: str,
           when: dt.datetime, meeting_date: dt.date | None = None) -> None:
    kind = "xml" if media_type == "application/xml" else "html"
    fetched = Fetched(kind, f"https://repository.overheid.nl/frbr/officielepublicaties/kst/28676/{pub.identifier}",
                      data, when, media_type=media_type)
    with store.transaction() as conn:
        store.record_publication(conn, pub, [fetched], series=series, meeting_date=meeting_date)


def record_agenda(store: Store, spec: AgendaSpec, data: bytes | None = None, *, when: dt.datetime | None = None) -> None:
    pub = Publication(spec.identifier, "28676", spec.number,
                      f"NAVO; Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) {spec.meeting_words}",
                      "Brief", spec.letter_date, spec.letter_date, None, dossiers=("28676",))
    record(store, pub, data if data is not None else agenda_xml(spec), series="fmm-agenda",
           media_type="application/xml", when=when or fetched_at(spec.letter_date), meeting_date=spec.meeting[0])


def other_text(letter: OtherLetter, version: int = 1) -> bytes:
    text = (FIXTURES / "corpus" / letter.corpus_file).read_text(encoding="utf-8")
    if version == 2:
        text = _replace_once(text, *CORRECTION)
    return text.encode("utf-8")


def record_other(store: Store, letter: OtherLetter, version: int = 1) -> None:
    pub = Publication(letter.identifier, letter.dossiers[0], letter.identifier.rsplit("-", 1)[1], letter.title,
                      "Brief", letter.date, letter.date, f"v{version}", dossiers=letter.dossiers)
    record(store, pub, other_text(letter, version), series=letter.series, media_type="text/plain",
           when=fetched_at(letter.date, 9 + version))


def fill_store(store: Store, agendas: tuple[AgendaSpec, ...] = AGENDAS) -> None:
    """The test store: the agendas and the other letters, the 519 letter in two versions."""
    for spec in agendas:
        record_agenda(store, spec)
    for letter in OTHERS:
        record_other(store, letter)
    record_other(store, next(o for o in OTHERS if o.identifier == CORRECTED), version=2)


# --- the fixture says what the site tests assume ------------------------------------------------


@pytest.mark.parametrize("spec", AGENDAS, ids=lambda s: s.identifier)
def test_each_agenda_reads_with_its_own_identity_and_meeting(spec: AgendaSpec) -> None:
    doc = read_document(agenda_xml(spec), source=spec.identifier)
    assert (doc.identifier, doc.date, doc.meeting_dates) == (spec.identifier, spec.letter_date, spec.meeting)


def test_the_defence_spending_position_climbs_from_2_to_5_percent() -> None:
    figures = []
    for spec in AGENDAS:
        doc = read_document(agenda_xml(spec), source=spec.identifier)
        (sentence,) = [s.text for s in doc.sentences if s.text.startswith("Tegen deze achtergrond")]
        position = analyse(sentence)
        assert position is not None and "defensie-uitgaven" in position.topics
        figures.append([q.text for q in position.quantities if q.kind == "percent"])
    assert [f[0] for f in figures] == ["minimaal 2%", "2%", "minimaal 3,5%", "minimaal 5%"]


def test_the_china_position_is_added_and_the_gaza_position_dropped() -> None:
    texts = [[s.text for s in read_document(agenda_xml(a), source=a.identifier).sentences] for a in AGENDAS]
    assert [CHINA in t for t in texts] == [False, False, True, True]
    assert [GAZA in t for t in texts] == [True, True, True, False]
    assert analyse(CHINA) is not None and "China" in analyse(CHINA).topics


def test_the_store_lists_the_agendas_in_meeting_order_and_the_correction_as_version_2(tmp_path: Path) -> None:
    with Store.open(store_config(tmp_path)) as store:
        fill_store(store)
        assert [a.identifier for a in store.agendas()] == [a.identifier for a in AGENDAS]
        assert [v.version for v in store.versions_of(CORRECTED)] == [1, 2]
        assert len(store.list_snapshots()) == len(AGENDAS) + len(OTHERS) + 1
