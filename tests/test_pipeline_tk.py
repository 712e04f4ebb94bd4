"""Early warning end to end: the Tweede Kamer peer publishes first, the KOOP peer later, mail in the outbox.

Each test runs real poll cycles (``pipeline.poll``) against both local peers, a real SQLite store
and the .eml outbox, and counts what every subscriber received by Message-ID.
"""

from __future__ import annotations

import datetime as dt
import email
import logging
from email import policy
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from monitor import pipeline
from monitor.config import Config, StorageConfig, TkConfig
from monitor.store import Store, outbox
from monitor.store.schema import events
from tests.peer import agenda_474
from tests.peer.corpus import NEXT_AGENDA_NEW, NEXT_AGENDA_TITLE, next_agenda_xml
from tests.peer.fixtures import peer_source_config, peer_tk_config
from tests.peer.tk import TkPeer, word_letter
from tests.test_pipeline import client, store  # noqa: F401  (pytest fixtures, on this module's config)

TODAY = dt.date.today()
LETTER_DAY = TODAY - dt.timedelta(days=2)  # the letter is sent; the Kamerstuk follows "two days later"
EARLY, PLAIN = "vroeg@example.org", "gewoon@example.org"


@pytest.fixture
def config(tmp_path, peer, tk, database_url) -> Config:
    return Config(source=peer_source_config(peer), tk=peer_tk_config(tk),
                  storage=StorageConfig(data_dir=str(tmp_path / "data"), database_url=database_url),
                  base_dir=tmp_path)


@pytest.fixture
def watching(peer, store, client, config):
    """Two subscribers (one with early alerts), the previous agenda known, both sources polled once."""
    with store.transaction() as conn:
        outbox.save_subscriber(conn, EARLY, early=True)
        outbox.save_subscriber(conn, PLAIN)
    peer.add([agenda_474()])
    assert pipeline.poll(store, client, config).ok  # the first poll of each source: history, no mail
    assert mails(config) == []


def poll(store, client, config) -> pipeline.PollResult:
    result = pipeline.poll(store, client, config)
    assert result.ok
    return result


def mails(config: Config, to: str | None = None) -> list[EmailMessage]:
    found = [email.message_from_bytes(p.read_bytes(), policy=policy.default)
             for p in sorted(config.outbox_dir.glob("*.eml"))]
    return [m for m in found if to is None or m["To"] == to]


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def event_keys(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(events.c.key).order_by(events.c.id)).scalars())


def publish_early(tk: TkPeer, xml: bytes | None = None, **fields):
    """The next agenda as the ministry's Word file (made from ``xml``, unless ``data`` is given)."""
    fields.setdefault("data", word_letter(xml or next_agenda_xml()))
    return tk.publish(NEXT_AGENDA_TITLE, date=LETTER_DAY, **fields)


def publish_official(peer, xml: bytes | None = None, title: str = NEXT_AGENDA_TITLE):
    return peer.publish("kst-28676-490", title=title, date=LETTER_DAY, available=TODAY, xml=xml or next_agenda_xml())


# --- the early alert ---------------------------------------------------------------------------


def test_an_agenda_at_the_tweede_kamer_is_an_early_alert_within_one_poll(peer, tk, store, client, config, watching):
    early = publish_early(tk)
    result = poll(store, client, config)
    assert result.stored == 1 and result.alerts == 1
    [message] = mails(config)
    assert message["To"] == EARLY
    assert message["Subject"].startswith("[NAVO 28676] Vroeg, nog niet officieel: Geannoteerde agenda FMM 3-4 apr 2025")
    body = text_of(message)
    assert "nog niet officieel gepubliceerd op officielebekendmakingen.nl" in body
    # an agenda comes compared with the previous official one
    assert "Vergeleken met: Geannoteerde agenda FMM 3-4 dec 2024" in body and NEXT_AGENDA_NEW[:40] in body
    assert f"{tk.odata_url}/Document({early.id})/resource" in body
    stored = store.get_publication(f"tk-{early.number}")
    assert (stored.source, stored.series, stored.latest_version) == ("tk", "fmm-agenda", 1)
    assert store.read_version(stored.identifier)[0].manifestation == "docx"


def test_an_early_alert_is_in_english_for_an_english_subscriber(peer, tk, store, client, config, watching):
    with store.transaction() as conn:
        outbox.save_subscriber(conn, EARLY, early=True, language="en")
    publish_early(tk)
    poll(store, client, config)
    [message] = mails(config)
    assert "Early, not yet official" in message["Subject"]
    assert "not yet officially published on officielebekendmakingen.nl" in text_of(message)


def test_an_early_subscriber_with_filters_gets_the_early_alert_only_when_they_match(
        peer, tk, store, client, config, watching):
    with store.transaction() as conn:
        outbox.save_subscriber(conn, EARLY, early=True, series="fmm-verslag")
    publish_early(tk)
    poll(store, client, config)
    assert mails(config) == []


# --- the official publication ------------------------------------------------------------------


def test_the_kamerstuk_is_linked_and_nobody_gets_a_second_identical_alert(peer, tk, store, client, config, watching):
    early = publish_early(tk)
    poll(store, client, config)
    publish_official(peer)
    poll(store, client, config)
    assert store.get_publication(f"tk-{early.number}").kamerstuk == "kst-28676-490"  # linked by title and date
    early_mails, plain_mails = mails(config, EARLY), mails(config, PLAIN)
    assert len({m["Message-ID"] for m in mails(config)}) == len(mails(config)) == 3
    # the early subscriber: the early alert, then one note that the official text is out (it is the same)
    assert [m["Subject"].split(":")[0] for m in early_mails] == ["[NAVO 28676] Vroeg, nog niet officieel",
                                                                 "[NAVO 28676] Officieel gepubliceerd"]
    assert "De tekst is gelijk aan de vroege versie." in text_of(early_mails[1])
    assert "https://zoek.officielebekendmakingen.nl/kst-28676-490.html" in text_of(early_mails[1])
    # everyone else: the comparison with the previous agenda, as always
    [plain] = plain_mails
    assert "Geannoteerde agenda FMM 3-4 apr 2025: 1 standpunt gewijzigd" in plain["Subject"]
    poll(store, client, config)
    assert len(mails(config)) == 3


def test_when_the_official_text_differs_the_early_subscriber_gets_exactly_one_comparison(
        peer, tk, store, client, config, watching):
    publish_early(tk)
    poll(store, client, config)
    changed = next_agenda_xml().replace(b"minimaal 3,5% van het bbp", b"minimaal 5% van het bbp")
    assert changed != next_agenda_xml()
    publish_official(peer, changed)
    poll(store, client, config)
    [_, official] = mails(config, EARLY)
    assert "Officieel gepubliceerd" in official["Subject"] and "1 standpunt gewijzigd" in official["Subject"]
    body = text_of(official)
    assert "De officiële tekst wijkt af van de vroege versie" in body
    assert "minimaal [-3,5-]{+5+}% van het bbp" in " ".join(body.split())
    assert "Vergeleken met: de vroege versie van de Tweede Kamer" in body
    assert len(mails(config, PLAIN)) == 1
    assert event_keys(store)[-3:] == ["official:kst-28676-490@1", "new:kst-28676-490@1",
                                      "compare:kst-28676-474@1..kst-28676-490@1"]


def test_the_kamerstuk_number_links_when_the_titles_differ(peer, tk, store, client, config, watching):
    early = publish_early(tk, volgnummer=490)
    poll(store, client, config)
    publish_official(peer, title="Geannoteerde agenda voor de NAVO-ministers van Buitenlandse Zaken")
    poll(store, client, config)
    assert [m["Subject"].split(":")[0] for m in mails(config, EARLY)][-1] == "[NAVO 28676] Officieel gepubliceerd"
    assert store.get_publication(f"tk-{early.number}").kamerstuk == "kst-28676-490"


def test_a_kamerstuk_number_the_tweede_kamer_adds_later_is_remembered(peer, tk, store, client, config, watching):
    early = publish_early(tk)
    poll(store, client, config)
    assert store.get_publication(f"tk-{early.number}").kamerstuk is None
    tk.update(early.id, external_id="kst-28676-490")
    result = poll(store, client, config)
    assert result.stored == 0 and len(mails(config)) == 1  # the same file: no version, no mail
    assert store.get_publication(f"tk-{early.number}").kamerstuk == "kst-28676-490"


def test_when_the_publisher_is_first_the_tweede_kamer_copy_brings_no_alert(peer, tk, store, client, config, watching):
    publish_official(peer)
    poll(store, client, config)
    assert len(mails(config, EARLY)) == len(mails(config, PLAIN)) == 1  # the normal alert, for both
    early = publish_early(tk)
    poll(store, client, config)
    assert len(mails(config)) == 2
    stored = store.get_publication(f"tk-{early.number}")
    assert stored.latest_version == 1 and stored.kamerstuk == "kst-28676-490"


def test_the_next_agenda_is_compared_with_the_official_text_not_the_early_one(
        peer, tk, store, client, config, watching):
    publish_early(tk)
    poll(store, client, config)
    publish_official(peer)
    poll(store, client, config)
    assert [p.identifier for p in store.agendas()] == ["kst-28676-474", "kst-28676-490"]
    later = next_agenda_xml().replace(b"3 en 4 april", b"1 en 2 juli").replace(b">490<", b">495<")
    tk.publish("Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 1 en 2 juli 2025",
               data=word_letter(later), date=TODAY)
    poll(store, client, config)
    with store.engine.connect() as conn:
        [early_event] = [outbox.get_event(conn, i) for i in conn.execute(
            select(events.c.id).where(events.c.kind == "early")).scalars()][1:]
    assert early_event.old_identifier == "kst-28676-490"


def test_snapshot_listings_and_the_series_hold_official_publications_only(peer, tk, store, client, config, watching):
    early = publish_early(tk)
    poll(store, client, config)
    assert [e["id"] for e in store.list_snapshots()] == ["kst-28676-474"]
    assert store.previous_in_series(f"tk-{early.number}") is None


# --- polling the Tweede Kamer ------------------------------------------------------------------


def test_the_first_poll_of_the_tweede_kamer_records_recent_documents_quietly(peer, tk, store, client, config):
    with store.transaction() as conn:
        outbox.save_subscriber(conn, EARLY, early=True)
    recent = publish_early(tk)
    tk.publish("Oud", modified=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), date=dt.date(2020, 1, 1))
    result = poll(store, client, config)
    assert result.alerts == 0 and mails(config) == []
    assert store.get_publication(f"tk-{recent.number}") is not None
    assert store.get_state(None, "tk-watermark:28676") is not None
    since = tk.queries[0]["$filter"][0].rsplit("ge ", 1)[1]
    assert since.startswith((dt.datetime.now(dt.UTC) - dt.timedelta(days=14)).date().isoformat())


def test_a_poll_asks_again_from_the_newest_change_seen_less_the_overlap(peer, tk, store, client, config, watching):
    doc = publish_early(tk)
    poll(store, client, config)
    poll(store, client, config)
    since = dt.datetime.fromisoformat(tk.queries[-1]["$filter"][0].rsplit("ge ", 1)[1].replace("Z", "+00:00"))
    assert since == doc.modified.astimezone(dt.UTC) - dt.timedelta(hours=config.tk.overlap_hours)
    assert tk.count("/resource") == 1  # known as it is: not fetched again


def test_without_tk_enabled_the_tweede_kamer_is_never_asked(peer, tk, store, client, config):
    publish_early(tk)
    quiet = Config(source=config.source, tk=TkConfig(odata_url=tk.odata_url), storage=config.storage,
                   base_dir=config.base_dir)
    assert pipeline.poll(store, client, quiet).ok
    assert tk.count() == 0


def test_a_tweede_kamer_outage_is_one_log_line_and_the_publisher_is_polled_as_always(
        peer, tk, store, client, config, watching, caplog):
    mark = store.get_state(None, "tk-watermark:28676")
    doc = publish_early(tk)
    tk.fail_next(times=4, status=503)  # every attempt of one poll
    publish_official(peer)
    with caplog.at_level(logging.ERROR, logger="monitor.pipeline"):
        result = poll(store, client, config)
    assert result.early_error and "503" in result.early_error and result.stored == 1
    [line] = [r.getMessage() for r in caplog.records]
    assert line.startswith("Tweede Kamer: dossier 28676 not polled, its watermark unchanged: HTTP 503")
    assert store.get_state(None, "tk-watermark:28676") == mark
    poll(store, client, config)
    assert store.get_publication(f"tk-{doc.number}") is not None  # caught up next time


@pytest.mark.parametrize("spoil, reason", [
    (dict(expand_dossiers=False), "not linked to dossier 28676"),
    (dict(error_page=True), "not a Word file (an HTML page?)"),
    (dict(data=b"PK\x03\x04 damaged"), "damaged Word file"),
    (dict(data=word_letter(next_agenda_xml()).replace(b"word/document.xml", b"word/documint.xml")),
     "without word/document.xml"),
])
def test_a_document_we_cannot_use_is_one_log_line_and_the_cycle_goes_on(
        peer, tk, store, client, config, watching, caplog, spoil, reason):
    bad = publish_early(tk, **spoil)
    good = tk.publish("Reactie op verzoek commissie over de NAVO-top", date=LETTER_DAY)
    publish_official(peer)
    with caplog.at_level(logging.WARNING):
        result = poll(store, client, config)
    assert [r.getMessage() for r in caplog.records if reason in r.getMessage()] != []
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
    assert store.get_publication(f"tk-{bad.number}") is None  # nothing stored, not even half
    assert store.get_publication(f"tk-{good.number}") is not None
    assert store.get_publication("kst-28676-490") is not None and result.ok


def test_an_unreadable_word_text_is_one_log_line_and_nothing_is_stored(peer, tk, store, client, config, watching,
                                                                         caplog):
    from tests.test_documents_docx import word

    bad = tk.publish("Brief", data=word("</w:p>"), date=LETTER_DAY)
    with caplog.at_level(logging.WARNING):
        result = poll(store, client, config)
    [line] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.startswith(f"tk-{bad.number} not stored: no readable text") and "not well-formed XML" in line
    assert result.refused == [f"tk-{bad.number}"] and store.get_publication(f"tk-{bad.number}") is None


def test_an_odata_error_body_is_one_log_line_and_the_publisher_is_polled_as_always(
        peer, tk, store, client, config, watching, caplog):
    tk.odata_error_next()
    publish_official(peer)
    with caplog.at_level(logging.WARNING):
        result = poll(store, client, config)
    [line] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.startswith("Tweede Kamer: dossier 28676 not polled, its watermark unchanged: HTTP 400 for ")
    assert line.endswith("OData error: An error has occurred.")
    assert result.stored == 1


def test_status_says_how_far_the_tweede_kamer_was_read_and_counts_its_copies_apart(
        peer, tk, store, client, config, watching):
    from monitor.status import read_status, status_json, status_text

    doc = publish_early(tk)
    poll(store, client, config)
    status = read_status(store, config)
    report = status_json(status)
    assert dt.datetime.fromisoformat(report["early_watermarks"]["28676"]) == doc.modified
    assert (report["counts"]["publications"], report["counts"]["early_copies"]) == (1, 1)
    assert "Tweede Kamer, dossier 28676: bijgewerkt tot " in status_text(status)
    quiet = Config(source=config.source, storage=config.storage, base_dir=config.base_dir)
    assert status_json(read_status(store, quiet))["early_watermarks"] == {}


def test_snapshots_show_tells_an_early_copy_and_reads_its_word_text(peer, tk, store, client, config, watching,
                                                                      capsys):
    from monitor.cli import main

    doc = publish_early(tk, volgnummer=490)
    poll(store, client, config)
    config_file = config.base_dir / "monitor.toml"
    config_file.write_text(f'[storage]\ndata_dir = "{config.data_dir}"\n'
                           f'database_url = "{config.storage.database_url}"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["--config", str(config_file), "snapshots", "show", f"tk-{doc.number}"])
    out = capsys.readouterr().out
    assert done.value.code in (0, None)
    assert "vroege kopie uit de open data van de Tweede Kamer; Kamerstuk kst-28676-490" in out
    assert "--- tekst van versie 1 (docx) ---" in out and NEXT_AGENDA_NEW in " ".join(out.split())


def test_a_digest_subscriber_reads_the_early_alert_and_the_official_note_in_one_digest(
        peer, tk, store, client, config, watching):
    from monitor.alerts.delivery import send_digests

    with store.transaction() as conn:
        outbox.save_subscriber(conn, EARLY, early=True, digest="daily")
    publish_early(tk)
    poll(store, client, config)
    publish_official(peer)
    poll(store, client, config)
    assert mails(config, EARLY) == []
    assert send_digests(store, config).sent == 1
    [digest] = mails(config, EARLY)
    body = text_of(digest)
    assert "2 meldingen" in digest["Subject"]
    assert "== Vroeg, nog niet officieel: Geannoteerde agenda FMM 3-4 apr 2025 ==" in body
    assert "== Officieel gepubliceerd: Geannoteerde agenda FMM 3-4 apr 2025 ==" in body
