"""Series classification on the real letters of dossier 28676, and meeting dates."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.errors import ConfigError
from monitor.model import Publication
from monitor.documents.dates import MONTHS, meeting_dates
from monitor.series import classify, load_rules

MONTH_NAMES = list(MONTHS)

D = dt.date


def letter(title: str, *, identifier="kst-28676-1", dossiers=("28676",), document_type="Brief",
           date=D(2024, 11, 22)) -> Publication:
    return Publication(identifier, dossiers[0], identifier.rsplit("-", 1)[-1], title, document_type, date, date,
                       None, dossiers=dossiers)


# A title that says nothing, so the opening of the letter has to decide.
NEUTRAL = "Brief van de Minister van Buitenlandse Zaken"


@pytest.mark.parametrize("fixture, series, dates", [
    ("kst-28676-474.ocr.txt", "fmm-agenda", [D(2024, 12, 3), D(2024, 12, 4)]),
    ("kst-28676-446.txt", "fmm-agenda", [D(2023, 11, 28), D(2023, 11, 29)]),
    ("kst-28676-448.txt", "fmm-verslag", [D(2023, 11, 28), D(2023, 11, 29)]),
    # the informal meeting in Berlin: "verslag … van de informele NAVO ministeriële bijeenkomst"
    ("kst-28676-406.txt", "fmm-verslag", [D(2022, 5, 14), D(2022, 5, 15)]),
    ("2024D50160.txt", "fmm-verslag", [D(2024, 12, 3), D(2024, 12, 4)]),
    # a letter on the Defence Investment Pledge ahead of the summit: no meeting is agenda'd or reported
    ("kst-28676-519.txt", "other", []),
    # the report of a Defence Ministers Meeting: no series of its own (see monitor/data/series.toml)
    ("kst-28676-554.txt", "other", []),
])
def test_real_letters_are_classified_by_their_opening(fixtures, fixture, series, dates):
    text = (fixtures / "corpus" / fixture).read_text(encoding="utf-8")
    dossiers = ("28676", "21501-28", "36045") if "554" in fixture else ("28676",)
    info = classify(letter(NEUTRAL, dossiers=dossiers), text)
    assert (info.series, list(info.meeting_dates)) == (series, dates), info.reason


@pytest.mark.parametrize("title, series, first_day", [
    ("Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024", "fmm-agenda", D(2024, 12, 3)),
    ("geannoteerde agenda voor de informele NAVO-bijeenkomst van Ministers van Buitenlandse Zaken 14–15 mei 2025",
     "fmm-agenda", D(2025, 5, 14)),
    ("Geannoteerde agenda NAVO Foreign Ministers Meeting 28–29 november 2023", "fmm-agenda", D(2023, 11, 28)),
    ("Verslag NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024", "fmm-verslag", D(2024, 12, 3)),
    ("Verslag van de informele NAVO ministeriële bijeenkomst van 14 en 15 mei 2022", "fmm-verslag", D(2022, 5, 14)),
    ("Verslag NAVO ministeriële bijeenkomst van Buitenlandse Zaken 3-4 april 2024", "fmm-verslag", D(2024, 4, 3)),
    ("Geannoteerde agenda NAVO Defensie Ministeriële bijeenkomst 13 en 14 februari 2025", "dmm-agenda",
     D(2025, 2, 13)),
    ("Geannoteerde agenda bijeenkomst NAVO-ministers van Defensie 5 juni 2025", "dmm-agenda", D(2025, 6, 5)),
    ("Verslag NAVO-top Washington 9-11 juli 2024", "summit", D(2024, 7, 9)),
    ("Voortgang NAVO-top Den Haag 24-25 juni 2025", "summit", D(2025, 6, 24)),
    ("Kabinetsreactie op het AIV-advies over Rusland", "other", None),
])
def test_titles(title, series, first_day):
    info = classify(letter(title), None)
    assert (info.series, info.meeting_date) == (series, first_day), info.reason


@pytest.mark.parametrize("title, document_type", [
    ("Verslag van een schriftelijk overleg over de geannoteerde agenda NAVO Foreign Ministers Meeting 3-4 april 2024",
     "Brief"),
    ("Motie van het lid X over de geannoteerde agenda NAVO Foreign Ministers Meeting", "Brief"),
    ("Geannoteerde agenda NAVO Foreign Ministers Meeting 3-4 april 2024", "Motie"),
    ("Lijst van vragen over de geannoteerde agenda NAVO Foreign Ministers Meeting", "Brief"),
])
def test_parliamentary_documents_about_an_agenda_are_not_the_agenda(title, document_type):
    assert classify(letter(title, document_type=document_type), None).series == "other"


def test_a_passing_mention_later_in_the_letter_does_not_beat_the_covering_sentence(fixtures):
    # 474 also says "Deze geannoteerde agenda wordt tevens benut om uw Kamer, mede namens de Minister van
    # Defensie, te informeren" — which reads like a DMM agenda on its own
    text = (fixtures / "corpus" / "kst-28676-474.ocr.txt").read_text(encoding="utf-8")
    assert classify(letter(NEUTRAL), text).series == "fmm-agenda"
    assert "Minister van Defensie" in text


def test_title_without_dates_takes_them_from_the_covering_letter(fixtures):
    text = (fixtures / "corpus" / "kst-28676-446.txt").read_text(encoding="utf-8")
    info = classify(letter("Geannoteerde agenda NAVO Foreign Ministers Meeting", date=D(2023, 11, 20)), text)
    assert (info.series, info.meeting_date) == ("fmm-agenda", D(2023, 11, 28))


def test_a_matching_title_in_another_dossier_stays_other_and_is_logged(caplog):
    title = "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024"
    with caplog.at_level(logging.WARNING, logger="monitor.series"):
        info = classify(letter(title, identifier="kst-21501-02-3000", dossiers=("21501-02",)), None)
    assert info.series == "other" and "not configured" in info.reason
    assert "kst-21501-02-3000 looks like fmm-agenda" in caplog.text and "21501-02" in caplog.text


def test_a_stuk_in_several_dossiers_matches_when_one_is_configured():
    title = "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024"
    assert classify(letter(title, dossiers=("36045", "28676")), None).series == "fmm-agenda"


def test_rules_can_come_from_another_file(tmp_path):
    path = tmp_path / "series.toml"
    path.write_text('[[series]]\nname = "eu-council"\ndossiers = ["21501-02"]\n'
                    "title = ['geannoteerde agenda (formele )?raad buitenlandse zaken']\n", encoding="utf-8")
    rules = load_rules(path)
    pub = letter("Geannoteerde agenda Raad Buitenlandse Zaken van 16 december 2024", dossiers=("21501-02",))
    info = classify(pub, None, rules)
    assert (info.series, info.meeting_date) == ("eu-council", D(2024, 12, 16))
    assert rules.names == ("eu-council", "other")


def test_a_bad_pattern_in_the_rules_is_a_config_error(tmp_path):
    path = tmp_path / "series.toml"
    path.write_text("[[series]]\nname = \"x\"\ntitle = ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad pattern in x.title"):
        load_rules(path)


def test_the_packaged_rules_name_the_contract_series():
    assert load_rules().names == ("fmm-agenda", "fmm-verslag", "dmm-agenda", "summit", "other")


@pytest.mark.parametrize("text, expected", [
    ("3 en 4 december 2024", [D(2024, 12, 3), D(2024, 12, 4)]),
    ("28–29 november 2023", [D(2023, 11, 28), D(2023, 11, 29)]),
    ("14 en 15 mei 2022", [D(2022, 5, 14), D(2022, 5, 15)]),
    ("24-25 juni 2025", [D(2025, 6, 24), D(2025, 6, 25)]),
    ("op 15 oktober 2025", [D(2025, 10, 15)]),
    ("31 november 2024", []),
])
def test_meeting_dates(text, expected):
    assert list(meeting_dates(text)) == expected


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)), st.integers(0, 3))
def test_a_written_range_comes_back_as_its_days(first, extra):
    last = first + dt.timedelta(days=extra)
    month = MONTH_NAMES[last.month - 1]
    if extra == 0:
        text = f"{first.day} {month} {last.year}"
    elif first.month == last.month:
        text = f"{first.day}–{last.day} {month} {last.year}"
    else:
        text = f"{first.day} {MONTH_NAMES[first.month - 1]} en {last.day} {month} {last.year}"
    days = meeting_dates(text)
    assert days == tuple(first + dt.timedelta(days=i) for i in range(extra + 1))
