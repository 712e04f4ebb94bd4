"""The real KOOP captures (tests/fixtures/koop/captured): parsed, read and served as they are."""

import datetime as dt
import itertools
import re
import subprocess
import sys

import pytest

from monitor.documents import load_document
from monitor.source.sru import parse_response
from tests.peer.corpus import FIXTURE_FILES

CAPTURED = FIXTURE_FILES["captured"]
MOTIE = FIXTURE_FILES["kst-32545-143"]
# every letter folder (<id>/<id>.xml, .html, .pdf), KOOP's and any `doctor --live --save` added
LETTERS = sorted(p for p in CAPTURED.rglob("kst-*") if p.is_dir())
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


@pytest.mark.parametrize("folder", LETTERS, ids=lambda p: p.name)
def test_every_captured_letter_reads_to_the_same_sentences_in_each_of_its_formats(folder):
    docs = {p.suffix: load_document(p) for p in sorted(folder.glob(f"{folder.name}.*"))}
    assert {".xml", ".html"} <= set(docs)
    keys = {suffix: [s.key for s in doc.sentences] for suffix, doc in docs.items()}
    assert all(k == keys[".xml"] for k in keys.values()), {s: len(k) for s, k in keys.items()}


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


# --- the real SRU responses ---------------------------------------------------------------------

RESPONSES = sorted(str(p.relative_to(CAPTURED)) for p in CAPTURED.rglob("sru-*.xml"))
SIGNAL_NAMES = {"gzd:timestamp", "dcterms:modified", "dcterms:hasVersion", "cd:datumTijdstipWijzigingExpression",
                "cd:datumTijdstipWijzigingWork", "expression"}


def records_of(name: str):
    data = (CAPTURED / name).read_bytes()
    return parse_response(data), data.count(b"<sru:record>")


@pytest.mark.parametrize("name", RESPONSES)
def test_every_record_of_a_real_response_is_parsed_with_the_fields_we_use(name):
    page, records = records_of(name)
    assert len(page.publications) == len(page.keys) == records
    for pub in page.publications:
        assert pub.identifier and pub.title and pub.available and pub.date, pub.identifier
        assert pub.modified == pub.signals["gzd:timestamp"]
        assert set(pub.signals) == SIGNAL_NAMES and pub.signals["expression"].isdigit()
        # (KOOP edited its integration test's values: URLs on __MOCK_SERVICE__, 144 pointing at 143)
        assert re.search(r"zoek\.officielebekendmakingen\.nl/[a-z]+-[\w-]+\.html$", pub.preferred_url)
        assert {"metadata", "pdf"} <= set(pub.urls)
        if pub.identifier.startswith("kst-"):  # what the monitor fetches: every Kamerstuk has them all
            assert {"xml", "html", "metadata", "pdf"} <= set(pub.urls)
            assert pub.dossier and pub.dossiers == (pub.dossier,) and pub.number and pub.document_type


def test_the_real_page_announces_its_next_position_and_a_total_beyond_it():
    page, _ = records_of("sru-response-plooi-10-records.xml")
    assert (page.total, page.next_position) == (76, 11)
    letter = next(p for p in page.publications if p.identifier == "kst-22112-3185")
    assert (letter.dossier, letter.number, letter.document_type) == ("22112", "3185", "Brief")
    assert letter.title == "Fiche: Herziening Richtlijn hernieuwbare energie"
    assert letter.urls["xml"] == ("https://repository.overheid.nl/frbr/officielepublicaties/kst/22112/"
                                  "kst-22112-3185/1/xml/kst-22112-3185.xml")


def test_the_peer_serves_records_with_every_field_and_signal_a_real_record_has(peer):
    from monitor.source.sru import parse_response as parse
    from tests.peer import make_doc
    from tests.peer.sru import response_xml

    real, _ = records_of("sru-record-kst-35842-4.xml")
    [ours] = parse(response_xml([make_doc("kst-28676-5", "Brief regering")], 1, 1, peer.url)).publications
    [theirs] = real.publications
    assert set(ours.urls) == set(theirs.urls) - {"odt"}  # no .odt: the monitor never reads it
    assert set(ours.signals) == set(theirs.signals)
    assert [f for f in vars(ours) if getattr(ours, f) in (None, "", (), {})] == \
        [f for f in vars(theirs) if getattr(theirs, f) in (None, "", (), {})]


def test_the_peer_serves_the_captured_motie_byte_for_byte_and_a_poll_stores_it(peer, tmp_path):
    from monitor import pipeline
    from monitor.config import Config, StorageConfig
    from monitor.source import SourceClient
    from monitor.store import Store
    from tests.peer.corpus import captured_motie
    from tests.peer.fixtures import peer_source_config

    motie = captured_motie()
    peer.add([motie])
    config = Config(source=peer_source_config(peer, dossiers=["32545"]),
                    storage=StorageConfig(data_dir=str(tmp_path / "data")), base_dir=tmp_path)
    with Store.open(config) as store, SourceClient(config.source) as client:
        result = pipeline.poll(store, client, config, alert=False)
        assert result.ok and result.stored == 1 and not result.refused
        snapshot, data = store.read_version("kst-32545-143")
    assert (snapshot.manifestation, data) == ("xml", (MOTIE / "kst-32545-143.xml").read_bytes())
