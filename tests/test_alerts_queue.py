"""Queuing alerts in the caller's transaction: per-subscriber filters, idempotence, no empty alerts.

Runs against a real SQLite file through the store's own schema.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.alerts import queue_alerts, queue_operator_event
from monitor.alerts.compose import alert_message_id
from monitor.config import Config, MailConfig, StorageConfig
from monitor.store import PollRecord, Store, outbox

T0 = dt.datetime(2024, 11, 22, 9, 0, tzinfo=dt.UTC)
COUNTS = {"added": 2, "removed": 1, "changed": 4, "moved": 0, "unchanged": 40}


@pytest.fixture
def store(tmp_path, database_url):
    with Store.open(Config(storage=StorageConfig(data_dir=str(tmp_path / "data"), database_url=database_url))) as s:
        yield s


def subscribe(conn, email, **filters):
    return outbox.save_subscriber(conn, email, **filters)[0]


def comparison_event(conn, *, key="compare:kst-28676-466@1..kst-28676-474@1", severity=3,
                     topics=("oekraine", "defensie-uitgaven"), counts=COUNTS, series="fmm-agenda", dossier="28676"):
    return outbox.add_event(conn, key=key, kind="comparison", dossier=dossier, identifier="kst-28676-474",
                            version=1, old_identifier="kst-28676-466", old_version=1, series=series,
                            severity=severity, topics=list(topics),
                            summary={"title": "NAVO; Geannoteerde agenda", "counts": counts,
                                     "positions": {"changed": 4, "added": 2, "removed": 1, "moved": 0}})


def letter_event(conn, *, key="new:kst-28676-474@1", series="fmm-agenda", dossier="28676", identifier="kst-28676-474"):
    return outbox.add_event(conn, key=key, kind="new-letter", dossier=dossier, identifier=identifier, version=1,
                            series=series, severity=0, topics=[], summary={"title": "NAVO; Geannoteerde agenda"})


def recipients(conn, event_id):
    return sorted(a.subscriber for a in outbox.list_alerts(conn) if a.event_key == outbox.get_event(conn, event_id).key)


def test_topic_filter_includes_overlap_and_excludes_the_rest(store):
    with store.transaction() as conn:
        subscribe(conn, "oekraine@example.org", topics=["oekraine"])  # accents, case and dashes aside
        subscribe(conn, "eu@example.org", topics=["EU-NAVO"])
        subscribe(conn, "china@example.org", topics=["China"])
        subscribe(conn, "alles@example.org")
        event = comparison_event(conn, topics=("Oekraïne", "EU–NAVO"))
        queue_alerts(conn, event)
        assert recipients(conn, event) == ["alles@example.org", "eu@example.org", "oekraine@example.org"]


def test_severity_filter_includes_at_and_above_and_excludes_below(store):
    with store.transaction() as conn:
        subscribe(conn, "twee@example.org", min_severity=2)
        subscribe(conn, "drie@example.org", min_severity=3)
        mild = comparison_event(conn, key="compare:mild", severity=2)
        queue_alerts(conn, mild)
        assert recipients(conn, mild) == ["twee@example.org"]
        strong = comparison_event(conn, key="compare:strong", severity=3)
        queue_alerts(conn, strong)
        assert recipients(conn, strong) == ["drie@example.org", "twee@example.org"]


def test_series_and_dossier_filters(store):
    with store.transaction() as conn:
        subscribe(conn, "agenda@example.org", series="fmm-agenda")
        subscribe(conn, "verslag@example.org", series="fmm-verslag")
        subscribe(conn, "ander-dossier@example.org", dossier="21501-28")
        subscribe(conn, "navo@example.org", dossier="28676")
        event = letter_event(conn)
        queue_alerts(conn, event)
        assert recipients(conn, event) == ["agenda@example.org", "navo@example.org"]


def test_a_new_letter_counts_as_severity_zero_without_topics(store):
    with store.transaction() as conn:
        subscribe(conn, "alles@example.org")
        subscribe(conn, "ernstig@example.org", min_severity=1)
        subscribe(conn, "onderwerp@example.org", topics=["oekraine"])
        event = letter_event(conn)
        queue_alerts(conn, event)
        assert recipients(conn, event) == ["alles@example.org"]


def test_queuing_twice_inserts_nothing_the_second_time(store):
    with store.transaction() as conn:
        subscribe(conn, "a@example.org")
        subscribe(conn, "b@example.org")
        event = comparison_event(conn)
        first = queue_alerts(conn, event, now=T0)
        again = queue_alerts(conn, event, now=T0)
        assert len(first) == 2 and again == []
        # the pipeline's re-run: the event key exists, so no event and no alerts
        assert comparison_event(conn) is None
        assert len(outbox.list_alerts(conn)) == 2


def test_a_comparison_without_changes_never_creates_an_alert(store):
    with store.transaction() as conn:
        subscribe(conn, "a@example.org")
        empty = comparison_event(conn, counts={"added": 0, "removed": 0, "changed": 0, "moved": 0, "unchanged": 40})
        assert queue_alerts(conn, empty) == []
        unreadable = outbox.add_event(conn, key="correction:kst-28676-474@2", kind="correction", dossier="28676",
                                      identifier="kst-28676-474", version=2, old_identifier="kst-28676-474",
                                      old_version=1, series="fmm-agenda", severity=0, topics=[],
                                      summary={"title": "NAVO; Geannoteerde agenda"})
        assert queue_alerts(conn, unreadable) == []
        assert outbox.list_alerts(conn) == []


def test_the_comparison_replaces_the_new_letter_alert_of_the_same_agenda(store):
    with store.transaction() as conn:
        subscribe(conn, "alles@example.org")
        subscribe(conn, "oekraine@example.org", topics=["oekraine"])
        subscribe(conn, "energie@example.org", topics=["energie"], min_severity=0)
        subscribe(conn, "nieuw@example.org", min_severity=0, series="fmm-agenda")
        letter = letter_event(conn)
        queue_alerts(conn, letter)
        queue_alerts(conn, comparison_event(conn))
        by_status = {(a.subscriber, a.kind): a.status for a in outbox.list_alerts(conn)}
    assert by_status == {
        ("alles@example.org", "new-letter"): "cancelled",
        ("alles@example.org", "comparison"): "pending",
        ("nieuw@example.org", "new-letter"): "cancelled",
        ("nieuw@example.org", "comparison"): "pending",
        ("oekraine@example.org", "comparison"): "pending",
    }


def test_alerts_commit_or_roll_back_with_the_callers_transaction(store):
    with store.transaction() as conn:
        subscribe(conn, "a@example.org")
    with pytest.raises(RuntimeError), store.transaction() as conn:
        queue_alerts(conn, letter_event(conn))
        raise RuntimeError("the snapshot could not be stored")
    with store.transaction() as conn:
        assert outbox.list_alerts(conn) == []
        assert queue_alerts(conn, letter_event(conn)) != []


def test_message_id_is_a_function_of_event_and_address(store):
    with store.transaction() as conn:
        subscribe(conn, "a@example.org")
        queue_alerts(conn, letter_event(conn))
        (alert,) = outbox.list_alerts(conn)
    assert alert.message_id == alert_message_id("new:kst-28676-474@1", "a@example.org")
    assert alert.message_id == alert_message_id("new:kst-28676-474@1", "A@example.org")
    assert alert.message_id != alert_message_id("new:kst-28676-474@2", "a@example.org")
    assert alert.message_id != alert_message_id("new:kst-28676-474@1", "b@example.org")
    assert alert.message_id.startswith("<alert-") and alert.message_id.endswith("@dossier-monitor>")


def test_removed_subscriber_gets_no_new_alerts_and_pending_ones_are_cancelled(store):
    with store.transaction() as conn:
        subscribe(conn, "a@example.org")
        queue_alerts(conn, letter_event(conn))
        assert outbox.remove_subscriber(conn, "a@example.org") == 1
        queue_alerts(conn, letter_event(conn, key="new:kst-28676-475@1", identifier="kst-28676-475"))
        (alert,) = outbox.list_alerts(conn)
        assert (alert.status, alert.error) == ("cancelled", "unsubscribed")


def test_operator_notice_goes_to_the_operator_only(store, tmp_path):
    config = Config(storage=StorageConfig(data_dir=str(tmp_path / "data")),
                    mail=MailConfig(operator_email="beheer@example.org"))
    polls = [PollRecord(3, T0, T0, False, 0, 0, "timeout"), PollRecord(2, T0, T0, False, 0, 0, "503")]
    with store.transaction() as conn:
        subscribe(conn, "a@example.org")
        event = queue_operator_event(conn, config, kind="source-failure", polls=polls)
        assert queue_operator_event(conn, config, kind="source-failure", polls=polls) is None
        assert queue_alerts(conn, event) == []
        (alert,) = outbox.list_alerts(conn)
        assert (alert.subscriber, alert.kind) == ("beheer@example.org", "operator")
        # the operator's address is not a subscription
        assert [s.email for s in outbox.list_subscribers(conn)] == ["a@example.org"]


SEVERITY = st.integers(0, 3)
# each topic with the spellings people and the pipeline use for it: one topic, however it is written
SPELLINGS = {"Oekraïne": ["Oekraïne", "oekraine", "OEKRAINE"], "EU–NAVO": ["EU–NAVO", "eu-navo", "EU-NAVO"],
             "defensie-uitgaven": ["defensie-uitgaven", "Defensie-uitgaven"], "China": ["China", "china"]}
TOPICS = st.lists(st.sampled_from(sorted(SPELLINGS)), max_size=3, unique=True)


def spelled(topics: list[str]) -> st.SearchStrategy[list[str]]:
    return st.tuples(*(st.sampled_from(SPELLINGS[t]) for t in topics)).map(list)


@settings(max_examples=60, deadline=None)
@given(min_severity=SEVERITY, wanted=TOPICS, severity=SEVERITY, touched=TOPICS, data=st.data())
def test_filters_let_through_exactly_what_they_promise(tmp_path_factory, min_severity, wanted, severity, touched,
                                                       data):
    folder = tmp_path_factory.mktemp("data")
    with Store.open(Config(storage=StorageConfig(data_dir=str(folder)))) as store, store.transaction() as conn:
        subscribe(conn, "s@example.org", topics=data.draw(spelled(wanted)), min_severity=min_severity)
        created = queue_alerts(conn, comparison_event(conn, severity=severity, topics=data.draw(spelled(touched))))
    promised = severity >= min_severity and (not wanted or bool(set(wanted) & set(touched)))
    assert bool(created) == promised
