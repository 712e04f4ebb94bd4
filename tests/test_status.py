"""``status``: what the poll log and the store say, for people and for health checks."""

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import update

from monitor.config import Config, SourceConfig, StorageConfig
from monitor.model import Fetched, Publication
from monitor.status import NEXT_POLL_KEY, gone_after, read_status, status_json, status_text
from monitor.store import Store, heartbeats
from monitor.store.heartbeats import POLLER, STANDBY, Heartbeat
from monitor.store.schema import daemons, polls
from tests.database import on_database

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def config(tmp_path) -> Config:
    return Config(source=SourceConfig(interval_seconds=600), storage=StorageConfig(data_dir=str(tmp_path / "data")),
                  base_dir=tmp_path)


@pytest.fixture
def store(config):
    with Store.open(config) as s:
        yield s


@pytest.fixture
def shared_store(config, database_url):
    """The store of daemons that may run on several machines: SQLite, and PostgreSQL."""
    with Store.open(on_database(config, database_url)) as s:
        yield s


def logged_poll(store: Store, ago: dt.timedelta, ok: bool, seen=3, stored=1, error=None) -> int:
    poll_id = store.start_poll()
    store.finish_poll(poll_id, ok, seen, stored, error)
    with store.transaction() as conn:  # back-date it: the poll log is the clock status reads
        conn.execute(update(polls).where(polls.c.id == poll_id).values(started_at=NOW - ago, finished_at=NOW - ago))
    return poll_id


def test_a_fresh_installation_is_stale_and_says_it_never_polled(store, config):
    status = read_status(store, config, NOW)
    assert status.stale and status.last_poll is None and status.last_success is None
    assert status_json(status)["counts"]["publications"] == 0
    assert "nog nooit" in status_text(status)


def test_a_recent_successful_poll_is_healthy(store, config):
    logged_poll(store, dt.timedelta(minutes=5), ok=True, seen=7, stored=2)
    doc = status_json(read_status(store, config, NOW))
    assert doc["healthy"] and not doc["stale"]
    assert doc["last_poll"]["ok"] is True and doc["last_poll"]["seen"] == 7 and doc["last_poll"]["stored"] == 2
    assert doc["last_error"] is None


def test_stale_after_three_intervals_without_success_even_while_polls_keep_failing(store, config):
    logged_poll(store, dt.timedelta(minutes=31), ok=True)  # 3 intervals of 10 minutes ago, and a bit
    logged_poll(store, dt.timedelta(minutes=20), ok=False, error="cannot fetch http://peer/sru: timeout")
    logged_poll(store, dt.timedelta(minutes=10), ok=False, error="HTTP 503 for http://peer/sru")
    status = read_status(store, config, NOW)
    assert status.stale
    doc = status_json(status)
    assert doc["last_poll"]["ok"] is False
    assert doc["last_error"]["message"] == "HTTP 503 for http://peer/sru"
    assert "HTTP 503" in status_text(status, "en") and "STALE" in status_text(status, "en")


def test_the_last_error_stays_visible_after_recovery_but_the_state_is_healthy(store, config):
    logged_poll(store, dt.timedelta(minutes=20), ok=False, error="HTTP 500 for http://peer/sru")
    logged_poll(store, dt.timedelta(minutes=1), ok=True)
    doc = status_json(read_status(store, config, NOW))
    assert doc["healthy"] and doc["last_error"]["message"].startswith("HTTP 500")


def test_counts_snapshots_versions_and_alerts(store, config):
    pub = Publication("kst-28676-474", "28676", "474", "Geannoteerde agenda", "Brief", None, None, None)
    for body in (b"<officiele-publicatie>1</officiele-publicatie>", b"<officiele-publicatie>2</officiele-publicatie>"):
        with store.transaction() as conn:
            store.record_publication(conn, pub, [Fetched("xml", "https://x.example/a.xml", body, NOW)],
                                     series="other", meeting_date=None)
    counts = status_json(read_status(store, config, NOW))["counts"]
    assert counts == {"publications": 1, "early_copies": 0, "versions": 2, "snapshots": 2, "subscribers": 0,
                           "alerts_pending": 0, "alerts_failed": 0, "alerts_stuck": 0}


def heartbeat_of(store: Store, config: Config, role: str, *, host: str | None = None, pid: int | None = None,
                 beat_ago: dt.timedelta = dt.timedelta(0)) -> Heartbeat:
    """A daemon's row as it writes it, then as if on ``host`` with ``pid``, its last beat ``beat_ago``."""
    with store.transaction() as conn:
        mine = heartbeats.beat(conn, None, role, gone_after(config))
        conn.execute(update(daemons).where(daemons.c.id == mine.id).values(
            host=host or mine.host, pid=pid or mine.pid, beat_at=mine.beat_at - beat_ago))
    return mine


def test_the_next_poll_is_only_reported_while_the_daemon_that_planned_it_beats(store, config):
    when = (NOW + dt.timedelta(minutes=7)).isoformat()
    with store.transaction() as conn:
        store.set_state(conn, NEXT_POLL_KEY, when)
    poller = heartbeat_of(store, config, POLLER)
    doc = status_json(read_status(store, config, NOW))
    assert doc["next_poll"] == when[:19] + "+00:00"
    assert doc["daemon"] == {"running": True, "pid": os.getpid()}
    with store.transaction() as conn:  # no beat for three ticks (and a second): killed
        conn.execute(update(daemons).where(daemons.c.id == poller.id).values(
            beat_at=poller.beat_at - gone_after(config) - dt.timedelta(seconds=1)))
    doc = status_json(read_status(store, config, NOW))
    assert doc["next_poll"] is None and doc["daemon"] == {"running": False, "pid": None} and doc["daemons"] == []
    assert "daemon: draait niet" in status_text(read_status(store, config, NOW))


def test_every_live_daemon_is_listed_with_its_host_pid_role_and_beat_age_wherever_it_runs(shared_store, config):
    heartbeat_of(shared_store, config, STANDBY, host="reserve.example.org", pid=31, beat_ago=dt.timedelta(seconds=20))
    heartbeat_of(shared_store, config, POLLER, host="elders.example.org", pid=4242, beat_ago=dt.timedelta(seconds=5))
    heartbeat_of(shared_store, config, POLLER, host="dood.example.org", pid=7,  # killed: gone
                 beat_ago=gone_after(config) + dt.timedelta(seconds=2))
    status = read_status(shared_store, config, NOW)
    doc = status_json(status)
    assert [(d["host"], d["pid"], d["role"]) for d in doc["daemons"]] == [
        ("elders.example.org", 4242, "poller"), ("reserve.example.org", 31, "standby")]
    assert [d["beat_age_seconds"] for d in doc["daemons"]] == [pytest.approx(5, abs=2), pytest.approx(20, abs=2)]
    # the pid of a daemon on another machine, which no local check could have found
    assert doc["daemon"] == {"running": True, "pid": 4242}
    text = status_text(status, "en").splitlines()
    assert [line.split(" · ")[0] for line in text if line.startswith("daemon ")] == [
        "daemon elders.example.org (pid 4242): polls", "daemon reserve.example.org (pid 31): standby (delivers, "
        "takes over polling)"]


def test_a_daemon_writes_its_row_again_when_it_was_removed_as_gone_while_it_stalled(shared_store, config):
    later = dataclasses.replace(config, daemon=dataclasses.replace(config.daemon, delivery_interval_seconds=1))
    stalled = heartbeat_of(shared_store, later, STANDBY, beat_ago=dt.timedelta(seconds=10))
    newcomer = heartbeat_of(shared_store, later, STANDBY, host="nieuw.example.org")  # its first beat clears gone rows
    assert [d.host for d in live(shared_store, later)] == ["nieuw.example.org"]
    with shared_store.transaction() as conn:
        back = heartbeats.beat(conn, stalled, POLLER, gone_after(later))
    assert back.id != stalled.id and back.started_at == stalled.started_at
    assert {(d.id, d.role) for d in live(shared_store, later)} == {(back.id, POLLER), (newcomer.id, STANDBY)}
    with shared_store.transaction() as conn:
        heartbeats.forget(conn, back)  # a clean stop
    assert [d.id for d in live(shared_store, later)] == [newcomer.id]


def live(store: Store, config: Config) -> list[Heartbeat]:
    with store.engine.connect() as conn:
        return heartbeats.live(conn, gone_after(config))


def run_cli(config_path, *args):
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(config_path), "status", *args],
                          capture_output=True, text=True, timeout=60)


def test_the_command_exits_1_when_stale_and_0_when_healthy(tmp_path, config, store):
    cfg = tmp_path / "monitor.toml"
    cfg.write_text('[source]\ninterval_seconds = 600\n[storage]\ndata_dir = "data"\n', encoding="utf-8")
    stale = run_cli(cfg, "--json")
    assert stale.returncode == 1, stale.stderr
    assert json.loads(stale.stdout)["stale"] is True
    assert stale.stderr.strip() == "dossier-monitor: stale: no successful poll yet"
    logged_poll(store, dt.timedelta(minutes=2), ok=True)
    healthy = run_cli(cfg)
    assert healthy.returncode == 0, healthy.stderr
    assert "in orde" in healthy.stdout


def test_a_poll_under_way_does_not_hide_the_result_of_the_last_finished_one(store, config):
    logged_poll(store, dt.timedelta(minutes=2), ok=False, error="HTTP 503 for http://peer/sru")
    store.start_poll()  # the next cycle has begun and not finished
    status = read_status(store, config, NOW)
    doc = status_json(status)
    assert doc["last_poll"]["ok"] is False and doc["last_poll"]["error"] == "HTTP 503 for http://peer/sru"
    assert doc["current_poll"] is not None and doc["current_poll"]["finished_at"] is None
    assert "poll bezig sinds" in status_text(status)


def test_a_poll_left_open_by_a_killed_process_is_closed_as_abandoned_by_the_next(store, config):
    logged_poll(store, dt.timedelta(minutes=30), ok=True)
    store.start_poll()  # never finished: the process was killed
    current = store.start_poll()
    status = read_status(store, config, NOW)
    assert status.current_poll is not None and status.current_poll.id == current
    assert status.last_poll is not None and (status.last_poll.ok, status.last_poll.error) == \
        (False, "abandoned: the process ended before the poll did")


def test_alerts_waiting_longer_than_an_hour_are_stuck_and_unhealthy_a_digests_day_excepted(store, config):
    from monitor.alerts import queue_alerts
    from monitor.store import outbox

    logged_poll(store, dt.timedelta(minutes=5), ok=True)
    with store.transaction() as conn:
        outbox.save_subscriber(conn, "direct@example.org")
        outbox.save_subscriber(conn, "dag@example.org", digest="daily")
        event = outbox.add_event(conn, key="new:kst-28676-474@1", kind="new-letter", dossier="28676",
                                 identifier="kst-28676-474", version=1, series="other", severity=0, topics=[],
                                 summary={"title": "Brief"})
        queue_alerts(conn, event, now=NOW - dt.timedelta(minutes=50))
    assert read_status(store, config, NOW).healthy

    later = NOW + dt.timedelta(minutes=20)  # the direct subscriber's alert has waited 70 minutes
    status = read_status(store, config, later)
    assert status.counts["alerts_stuck"] == 1 and not status.healthy and not status.stale
    assert status.mail_trouble == "1 alerts waiting longer than they should"
    assert status_json(status)["mail"]["trouble"] == status.mail_trouble
    assert read_status(store, config, NOW + dt.timedelta(hours=26)).counts["alerts_stuck"] == 2
