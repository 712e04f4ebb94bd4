"""The real KOOP captures (tests/fixtures/koop/captured): parsed, read and served as they are."""

import datetime as dt
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.documents import load_document
from monitor.source.sru import parse_response

CAPTURED = Path(__file__).parent / "fixtures" / "koop" / "captured"
MOTIE = CAPTURED / "kst-32545-143"
FORMATS = ("xml", "html", "pdf")
MOTIE_SENTENCES = [
    "De Kamer,",
    "gehoord de beraadslaging,",
    "constaterende dat diverse financiële instellingen klanten laten betalen voor hun spaargeld en in sommige "
    "gevallen ook afscheid nemen van spaarders;",
    "constaterende dat veel financiële instellingen een negatieve spaarrente hanteren vanaf € 100.000;",
    "overwegende dat voorkomen dient te worden dat de grens van negatieve spaarrente de kleine spaarder nog "
    "verder gaat raken;",
    "verzoekt de regering, om een grensspaarsaldo te definiëren waaronder een negatieve spaarrente onwenselijk "
    "is en met de banken in gesprek te gaan om afspraken te maken over het borgen van deze ondergrens;",
    "verzoekt de regering tevens, om, indien de Minister constateert dat banken niet bereid zijn zich te "
    "beperken tot dit grenssaldo, een wetsvoorstel voor te bereiden met een verbod op negatieve spaarrente "
    "vanaf de geformuleerde spaarsaldogrens,",
    "en gaat over tot de orde van de dag.",
    "Inge van Dijk",
    "Grinwis",
]


# --- one real Kamerstuk in three formats ------------------------------------------------------


@pytest.fixture(scope="module")
def motie():
    return {fmt: load_document(MOTIE / f"kst-32545-143.{fmt}") for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_of_the_real_motie_reads_to_its_clauses_one_sentence_each(motie, fmt):
    assert [s.text for s in motie[fmt].sentences] == MOTIE_SENTENCES


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_of_the_real_motie_has_its_identity_title_and_date(motie, fmt):
    doc = motie[fmt]
    assert (doc.identifier, doc.dossier, doc.number) == ("kst-32545-143", "32545", "143")
    assert [s.heading for s in doc.sections] == ["MOTIE VAN DE LEDEN INGE VAN DIJK EN GRINWIS"]
    assert doc.date == dt.date(2021, 7, 6)  # "Voorgesteld 6 juli 2021": a date line, not a sentence


@pytest.mark.parametrize(("old", "new"), list(itertools.permutations(FORMATS, 2)))
def test_diff_between_any_two_formats_of_the_real_motie_reports_no_change(old, new):
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "diff", "--format", "json",
         str(MOTIE / f"kst-32545-143.{old}"), str(MOTIE / f"kst-32545-143.{new}")],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert '"changes": []' in done.stdout
    assert '"unchanged": 10' in done.stdout
    # bs4 would warn about the XHTML page's XML declaration, pypdf ask for fontTools: neither reaches the user
    assert done.stderr == ""
