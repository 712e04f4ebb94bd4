"""The poll cycle and the backfill against the KOOP-shaped peer, a real SQLite store and real files."""

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select

from monitor import pipeline
from monitor.config import Config, DaemonConfig, MailConfig, SiteConfig, StorageConfig
from monitor.source import SourceClient
from monitor.store import Store, outbox
from monitor.store.schema import alerts, events, versions
from tests.peer import agenda_474, synthesise
from tests.peer.fixtures import peer_source_config
from tests.test_e2e_daemon import next_agenda_xml

TODAY = dt.date.today()


@pytest.fixture
def config(tmp_path, peer, database_url) -> Config:
    return Config(source=peer_source_config(peer),
                  storage=StorageConfig(data_dir=str(tmp_path / "data"), database_url=database_url),
                  base_dir=tmp_path)


@pytest.fixture
def store(config):
    with Store.open(config) as s:
        yield s


@pytest.fixture
def client(config):
    with SourceClient(config.source) as c:
        yield c


def recent(count: int, first_number: int = 1):
    """``count`` publications whose last ones appeared today: inside every poll's window."""
    return synthesise(count, first_number=first_number, start=TODAY - dt.timedelta(days=((count - 1) // 2) * 9))


def version_rows(store: Store) -> list[tuple[str, int]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(versions.c.identifier, versions.c.version))]


def event_rows(store: Store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(events.c.kind, events.c.key).order_by(events.c.id))]


def subscribe(store: Store, email="analist@example.org", **filters) -> None:
    with store.transaction() as conn:
        outbox.save_subscriber(conn, email, **filters)


def alert_rows(store: Store) -> list[tuple[str, str]]:
    """(event key, status) of every alert."""
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(events.c.key, alerts.c.status).join(events, alerts.c.event_id == events.c.id).order_by(alerts.c.id))]


def watermark(store: Store, dossier="28676"):
    return store.get_state(None, f"watermark:{dossier}")


# --- backfill ------------------------------------------------------------------------------------


def test_a_backfill_of_120_publications_over_several_pages_stores_each_once_then_a_poll_asks_once(
        peer, store, client, config):
    peer.add(recent(120))
    result = pipeline.backfill(store, client, config)
    assert result.ok and result.seen == 120 and result.stored == 120
    assert peer.count("/sru") == 3  # 50 per page
    rows = version_rows(store)
    assert len(rows) == 120 and len(set(rows)) == 120 and {v for _, v in rows} == {1}
    assert watermark(store)["date"] == TODAY.isoformat()

    peer.reset_counts()
    again = pipeline.poll(store, client, config)
    assert again.ok and again.stored == 0 and again.seen > 0  # the overlap window re-reads the newest
    assert peer.count() == peer.count("/sru") == 1
    assert len(version_rows(store)) == 120


def test_a_backfill_reports_progress_per_publication(peer, store, client, config):
    peer.add(synthesise(7))
    seen = []
    pipeline.backfill(store, client, config, progress=lambda dossier, done, total: seen.append((dossier, done, total)))
    assert seen == [("28676", n, 7) for n in range(1, 8)]


def test_a_second_backfill_fetches_no_document_again(peer, store, client, config):
    peer.add(synthesise(30))
    pipeline.backfill(store, client, config)
    peer.reset_counts()
    again = pipeline.backfill(store, client, config)
    assert again.ok and again.stored == 0 and again.known == 30
    assert peer.count() == peer.count("/sru") == 1


def test_a_backfill_since_a_date_takes_only_what_appeared_from_then_on(peer, store, client, config):
    docs = synthesise(20)
    peer.add(docs)
    since = docs[10].available
    result = pipeline.backfill(store, client, config, since=since)
    assert result.stored == sum(1 for d in docs if d.available >= since) < 20


def test_a_backfill_records_events_but_queues_no_alerts(peer, store, client, config):
    subscribe(store)
    peer.add(recent(6))
    result = pipeline.backfill(store, client, config)
    assert result.alerts == 0 and alert_rows(store) == []
    assert [kind for kind, _ in event_rows(store)] == ["new-letter"] * 6


def test_a_backfill_with_alert_queues_and_sends_them(peer, store, client, config):
    subscribe(store)
    peer.add(recent(3))
    result = pipeline.backfill(store, client, config, alert=True)
    assert result.alerts == 3
    assert [status for _, status in alert_rows(store)] == ["sent"] * 3
    assert len(list(config.outbox_dir.glob("*.eml"))) == 3


# --- polls ---------------------------------------------------------------------------------------


def test_the_first_poll_records_the_history_quietly_and_sets_the_watermark(peer, store, client, config):
    peer.add(recent(10))
    result = pipeline.poll(store, client, config)
    assert result.ok and result.stored == 10 and result.alerts == 0
    assert watermark(store)["date"] == TODAY.isoformat()
    assert store.last_polls(1)[0].ok and store.last_polls(1)[0].stored == 10


def test_the_first_letter_of_a_dossier_that_was_empty_is_news(peer, store, client, config):
    subscribe(store)
    assert pipeline.poll(store, client, config).ok
    doc = peer.publish(title="Brief regering", available=TODAY)
    assert pipeline.poll(store, client, config).alerts == 1
    assert alert_rows(store) == [(f"new:{doc.identifier}@1", "sent")]


def test_a_new_letter_is_picked_up_by_the_next_poll_and_mailed(peer, store, client, config):
    subscribe(store)
    peer.add(recent(10))
    pipeline.poll(store, client, config)
    assert alert_rows(store) == []  # the history is not news
    doc = peer.publish(title="Reactie op verzoek commissie over de NAVO-top", available=TODAY)
    result = pipeline.poll(store, client, config)
    assert result.ok and result.stored == 1 and result.alerts == 1
    assert ("new-letter", f"new:{doc.identifier}@1") in event_rows(store)
    assert store.get_publication(doc.identifier).latest_version == 1
    assert alert_rows(store) == [(f"new:{doc.identifier}@1", "sent")]
    (eml,) = config.outbox_dir.glob("*.eml")
    assert doc.identifier in eml.read_text(encoding="utf-8")


def test_a_new_fmm_agenda_is_compared_with_the_previous_one(peer, store, client, config):
    subscribe(store)
    peer.add([agenda_474()])
    pipeline.poll(store, client, config)
    peer.publish("kst-28676-490", title="Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 april 2025",
                 date=TODAY - dt.timedelta(days=1), available=TODAY, xml=next_agenda_xml())
    result = pipeline.poll(store, client, config)
    assert result.ok and result.stored == 1
    assert store.get_publication("kst-28676-490").previous_in_series == "kst-28676-474"
    with store.engine.connect() as conn:
        comparison = outbox.get_event(conn, conn.execute(
            select(events.c.id).where(events.c.kind == "comparison")).scalar_one())
    assert comparison.key == "compare:kst-28676-474@1..kst-28676-490@1"
    assert comparison.summary["positions"] == {"changed": 1, "restated": 0, "added": 1, "removed": 1, "moved": 0}
    assert comparison.summary["counts"]["added"] >= 1 and comparison.summary["counts"]["removed"] >= 1
    assert comparison.severity >= 2 and comparison.topics
    # the comparison mail replaces the plain "new letter" mail for the same subscriber
    assert sorted(alert_rows(store)) == [("compare:kst-28676-474@1..kst-28676-490@1", "sent"),
                                         ("new:kst-28676-490@1", "cancelled")]


def test_a_correction_becomes_version_2_and_version_1_stays_intact(peer, store, client, config):
    peer.add(recent(4))
    pipeline.poll(store, client, config)
    identifier = "kst-28676-4"
    _, first = store.read_version(identifier)
    corrected = peer.correct(identifier)
    result = pipeline.poll(store, client, config)
    assert result.ok and result.stored == 1
    assert store.read_version(identifier, 1)[1] == first
    assert store.read_version(identifier, 2)[1] == corrected.files["xml"] != first
    assert ("correction", f"correction:{identifier}@2") in event_rows(store)
    # the metadata did not change (the server said 304): version 2 keeps it all the same
    metadata = store.read_version(identifier, 1, manifestation="metadata")[1]
    assert store.read_version(identifier, 2, manifestation="metadata")[1] == metadata


def test_a_new_stamp_on_unchanged_files_is_remembered_so_the_next_poll_asks_nothing(peer, store, client, config):
    peer.add(recent(4))
    pipeline.poll(store, client, config)
    identifier = "kst-28676-4"
    peer.correct(identifier, xml=peer.doc(identifier).files["xml"])  # re-stamped, same bytes: 304s
    peer.reset_counts()
    assert pipeline.poll(store, client, config).stored == 0
    assert peer.count(identifier) >= 1  # asked once, conditionally
    peer.reset_counts()
    assert pipeline.poll(store, client, config).stored == 0
    assert peer.count(identifier) == 0  # the stamp is known now


def test_a_correction_of_a_letter_older_than_the_overlap_window_is_caught_by_the_daily_full_scan(
        peer, store, client, config):
    peer.add(recent(20))  # the oldest appeared 81 days ago, far outside the 14-day overlap
    pipeline.poll(store, client, config)
    peer.correct("kst-28676-1")

    assert pipeline.poll(store, client, config).stored == 0  # a windowed search cannot see it
    with store.transaction() as conn:  # a day later the full scan is due
        store.set_state(conn, "fullscan:28676", (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=25)).isoformat())
    result = pipeline.poll(store, client, config)

    assert result.ok and result.stored == 1 and result.seen == 20
    assert ("correction", "correction:kst-28676-1@2") in event_rows(store)
    assert pipeline.poll(store, client, config).seen < 20  # and the next poll is windowed again


def test_500s_and_429s_are_retried_and_the_poll_succeeds(peer, store, client, config):
    peer.add(recent(3))
    pipeline.poll(store, client, config)
    doc = peer.publish(title="Brief regering", available=TODAY)
    peer.fail_next(2, 500, path="/sru")
    peer.fail_next(1, 429, path=doc.identifier, retry_after=0)
    result = pipeline.poll(store, client, config)
    assert result.ok and result.stored == 1
    assert peer.count("/sru") >= 3


def test_a_timeout_fails_the_poll_keeps_the_watermark_and_the_next_poll_catches_up(
        peer, tmp_path, caplog):
    config = Config(source=peer_source_config(peer, timeout_seconds=0.3, max_retries=1),
                    storage=StorageConfig(data_dir=str(tmp_path / "data")), base_dir=tmp_path)
    old_day = TODAY - dt.timedelta(days=30)
    peer.add(synthesise(4, start=old_day))
    with Store.open(config) as store, SourceClient(config.source) as client:
        pipeline.poll(store, client, config)
        before = watermark(store)
        late = peer.publish(title="Brief regering", available=TODAY)
        peer.delay_next(2, seconds=1.0, path=late.identifier)
        with caplog.at_level(logging.ERROR, logger="monitor.pipeline"):
            failed = pipeline.poll(store, client, config)
        assert not failed.ok and failed.stored == 0
        assert watermark(store) == before
        assert store.last_polls(1)[0].ok is False and late.identifier in store.last_polls(1)[0].error
        assert any("watermark unchanged" in r.getMessage() for r in caplog.records)

        caught_up = pipeline.poll(store, client, config)
        assert caught_up.ok and caught_up.stored == 1
        assert watermark(store)["date"] == TODAY.isoformat()


@pytest.mark.parametrize("spoil", [
    lambda peer, i: peer.corrupt(i, "malformed"),
    lambda peer, i: peer.corrupt(i, "truncated"),
    lambda peer, i: peer.corrupt(i, "xxe"),
    lambda peer, i: peer.corrupt(i, "error-page"),
    lambda peer, i: peer.huge(i, size=50 * 1024 * 1024),
    lambda peer, i: peer.huge(i, size=50 * 1024 * 1024, declare_length=False),
    lambda peer, i: peer.foreign_host(i),
], ids=["malformed", "truncated", "xxe", "soft-404", "50MB", "50MB-undeclared", "foreign-host"])
def test_a_bad_record_is_refused_with_a_log_line_and_the_rest_of_the_cycle_goes_on(
        peer, store, client, config, spoil, caplog):
    peer.add(recent(2))
    pipeline.poll(store, client, config)
    bad = peer.publish(title="Brief regering", available=TODAY)
    spoil(peer, bad.identifier)
    good = peer.publish(title="Brief regering", available=TODAY)
    with caplog.at_level(logging.WARNING):
        result = pipeline.poll(store, client, config)
    assert result.ok and result.refused == [bad.identifier] and result.stored == 1
    assert store.get_publication(bad.identifier) is None
    assert store.get_publication(good.identifier).latest_version == 1
    assert any(bad.identifier in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)


def test_a_refused_record_is_tried_again_while_it_is_inside_the_overlap_window(peer, store, client, config):
    peer.add(recent(2))
    pipeline.poll(store, client, config)
    bad = peer.publish(title="Brief regering", available=TODAY)
    peer.corrupt(bad.identifier, "malformed")
    assert pipeline.poll(store, client, config).refused == [bad.identifier]
    peer.correct(bad.identifier, xml=peer.doc("kst-28676-2").files["xml"].replace(b"28676-2", b"28676-3"))
    assert pipeline.poll(store, client, config).stored == 1


def test_an_interrupted_poll_leaves_the_watermark_and_the_next_poll_finishes(peer, store, client, config):
    peer.add(recent(2))
    pipeline.poll(store, client, config)
    before = watermark(store)
    for _ in range(3):
        peer.publish(title="Brief regering", available=TODAY)
    stopped = pipeline.poll(store, client, config, stop=lambda: len(version_rows(store)) > 2)
    assert not stopped.ok and stopped.error == "interrupted" and stopped.stored == 1
    assert watermark(store) == before
    assert pipeline.poll(store, client, config).stored == 2


def test_ctrl_c_during_a_poll_is_logged_as_a_failed_poll_not_a_success(peer, store, client, config):
    peer.add(recent(2))

    def ctrl_c() -> bool:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pipeline.poll(store, client, config, stop=ctrl_c)
    (last,) = store.last_polls(1)
    assert (last.ok, last.error) == (False, "interrupted") and last.finished_at is not None


def test_the_poll_log_counts_what_each_cycle_saw_and_stored(peer, store, client, config):
    peer.add(recent(4))
    pipeline.poll(store, client, config)
    peer.publish(title="Brief regering", available=TODAY)
    pipeline.poll(store, client, config)
    latest, first = store.last_polls(2)
    assert (first.ok, first.stored) == (True, 4)
    assert (latest.ok, latest.stored) == (True, 1) and latest.seen >= 1
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(versions)).scalar() == 5


def test_the_operator_hears_once_after_repeated_failures_and_once_on_recovery(peer, tmp_path):
    config = Config(source=peer_source_config(peer, max_retries=0),
                    storage=StorageConfig(data_dir=str(tmp_path / "data")),
                    mail=MailConfig(operator_email="beheer@example.org"),
                    daemon=DaemonConfig(failure_threshold=2), base_dir=tmp_path)
    peer.add(recent(2))
    with Store.open(config) as store, SourceClient(config.source) as client:
        pipeline.poll(store, client, config)
        peer.fail_next(4, 503, path="/sru")
        for _ in range(4):
            assert not pipeline.poll(store, client, config).ok
        notices = [key for kind, key in event_rows(store) if kind == "operator"]
        assert len(notices) == 1 and notices[0].startswith("operator:failing:")
        assert pipeline.poll(store, client, config).ok
        assert pipeline.poll(store, client, config).ok
        notices = [key for kind, key in event_rows(store) if kind == "operator"]
        assert len(notices) == 2 and notices[1].startswith("operator:recovered:")
        mails = sorted(config.outbox_dir.glob("*.eml"))
        assert len(mails) == 2 and all("beheer@example.org" in m.read_text(encoding="utf-8") for m in mails)


def test_the_site_is_rebuilt_after_a_poll_that_stored_something(peer, tmp_path):
    config = Config(source=peer_source_config(peer), storage=StorageConfig(data_dir=str(tmp_path / "data")),
                    site=SiteConfig(path="site"), base_dir=tmp_path)
    peer.add(recent(3))
    with Store.open(config) as store, SourceClient(config.source) as client:
        assert pipeline.poll(store, client, config).site_built
        assert (tmp_path / "site" / "index.html").is_file() and (tmp_path / "site" / "feed.atom").is_file()
        assert not pipeline.poll(store, client, config).site_built  # nothing new: the site stands
        peer.publish(title="Brief regering", available=TODAY)
        assert pipeline.poll(store, client, config).site_built
