"""Two daemons on one PostgreSQL database: one polls, both deliver, and when the poller is
killed (-9) the other takes over within about one tick (not one poll interval); no publication
is stored twice, no alert is sent twice (counted at the SMTP server by Message-ID) and none is
lost; ``status`` shows each live daemon from its heartbeat."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from monitor.config import Config, StorageConfig
from monitor.daemon import STARTUP_DELAY_SECONDS, Daemon
from monitor.store import Store, outbox
from monitor.store.lock import DatabaseLock
from monitor.store.schema import alerts, polls, publications, versions
from tests import process_config
from tests.peer import synthesise
from tests.peer.fixtures import peer_source_config
from tests.process_config import PEER_SOURCE, QUICK_DAEMON, loopback_mail
from tests.test_e2e_daemon import ROOT, wait_for
from tests.test_e2e_daemon import Daemon as DaemonProcess

pytestmark = pytest.mark.timeout(180)

SUBSCRIBERS = [f"lezer{n:02d}@example.org" for n in range(30)]


TICK = QUICK_DAEMON["delivery_interval_seconds"]
INTERVAL = 600  # no poll comes round by its interval during a test: a poll soon after a kill is a takeover
TAKEOVER_BOUND = 10 * TICK + STARTUP_DELAY_SECONDS  # about one tick, with room for a busy machine
HELD = 60  # a search the publisher holds this long: the poller is killed while it waits


def write_config(tmp_path: Path, sru_url: str, smtp_port: int, database_url: str) -> Path:
    return process_config.write_config(
        tmp_path / "monitor.toml",
        source={"sru_url": sru_url, **PEER_SOURCE, "interval_seconds": INTERVAL, "timeout_seconds": 30},
        storage={"data_dir": "shared", "database_url": database_url}, mail=loopback_mail(smtp_port),
        daemon=QUICK_DAEMON)


def counts(config: Path) -> dict[str, int]:
    with Store.open(Config.load(config)) as store, store.engine.connect() as conn:
        return {
            "publications": conn.execute(select(func.count()).select_from(publications)).scalar(),
            "versions": conn.execute(select(func.count()).select_from(versions)).scalar(),
            "distinct versions": conn.execute(select(func.count()).select_from(
                select(versions.c.identifier, versions.c.version).distinct().subquery())).scalar(),
            "polls": conn.execute(select(func.count()).select_from(polls)).scalar(),
            "alerts": conn.execute(select(func.count()).select_from(alerts)).scalar(),
            "unsent": conn.execute(select(func.count()).select_from(alerts)
                                   .where(alerts.c.status.in_(["pending", "failed"]))).scalar(),
        }


def settled(config: Path, stored: int) -> bool:
    now = counts(config)
    return now["publications"] == stored and now["alerts"] > 0 and now["unsent"] == 0


def alert_message_ids(config: Path) -> set[str]:
    with Store.open(Config.load(config)) as store, store.engine.connect() as conn:
        return set(conn.execute(select(alerts.c.message_id).where(alerts.c.status == "sent")).scalars())


def polls_of(daemon: DaemonProcess) -> int:
    return len(daemon.messages("poll"))


def searches(peer) -> list[float]:
    """When each search request reached the publisher (time.monotonic())."""
    return [r.at for r in peer.requests if r.path == "/sru"]


def cli(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def live_daemons(config: Path) -> dict[int, str]:
    """pid -> role of every daemon ``status --json`` counts as running."""
    return {d["pid"]: d["role"] for d in json.loads(cli(config, "status", "--json").stdout)["daemons"]}


def test_one_daemon_polls_both_deliver_and_the_other_takes_over_within_a_tick_after_kill_9(
        tmp_path, peer, smtp_peer, postgresql_database):
    config = write_config(tmp_path, peer.sru_url, smtp_peer.port, postgresql_database)
    with Store.open(Config.load(config)) as store, store.transaction() as conn:
        for address in SUBSCRIBERS:
            outbox.save_subscriber(conn, address)
    peer.add(synthesise(3, first_number=500, start=dt.date(2024, 1, 8)))
    assert cli(config, "backfill").returncode == 0  # the history: no alerts
    peer.add(synthesise(5, first_number=510, start=dt.date(2024, 3, 4)))
    peer.reset_counts()  # from here on, every search is a daemon's

    peer.delay_next(1, seconds=HELD, path="/sru")
    first = DaemonProcess(config)
    second = again = None
    try:
        wait_for(lambda: searches(peer), 30, "the first daemon's poll to ask the publisher")
        second = DaemonProcess(config)
        wait_for(lambda: second.messages("started"), 30, "the second daemon to start")
        assert second.messages("started")[0].get("standby") is True
        wait_for(lambda: live_daemons(config) == {first.process.pid: "poller", second.process.pid: "standby"},
                 30, "status to show the poller and the standby")
        assert len(searches(peer)) == 1  # the standby leaves the publisher alone while the poller lives

        # -9 while the poller waits for the publisher: no shutdown, the advisory lock goes with
        # its connection, and the poll is left unfinished
        peer.delay_next(1, seconds=8, path="/sru")  # time for the restarted first daemon to join
        first.process.kill()
        killed = time.monotonic()
        first.process.wait(timeout=10)
        wait_for(lambda: second.messages("poller"), 30, "the second daemon to take over polling")
        took = wait_for(lambda: len(searches(peer)) > 1 and searches(peer)[1] - killed, 30,
                        "the second daemon's poll to ask the publisher")
        assert took < TAKEOVER_BOUND < INTERVAL / 20, f"the standby polled {took:.1f} s after the kill"

        again = DaemonProcess(config)  # restarted, as systemd would: a standby now, it delivers
        wait_for(lambda: again.messages("started"), 30, "the restarted daemon to start")
        assert again.messages("started")[0].get("standby") is True
        wait_for(lambda: settled(config, 3 + 5), 60, "the five new letters stored and their alerts delivered")
        # the killed daemon's row counts as gone after three ticks without a beat
        wait_for(lambda: live_daemons(config) == {second.process.pid: "poller", again.process.pid: "standby"},
                 30, "status to show the new poller and the restarted standby")
        assert polls_of(second) == 1 and polls_of(again) == 0
    finally:
        for daemon in (first, second, again):
            if daemon is not None and daemon.process.poll() is None:
                daemon.stop()
    assert live_daemons(config) == {}  # a clean stop removes the row at once

    final = counts(config)
    assert final["publications"] == 3 + 5
    assert final["versions"] == final["distinct versions"] == 8
    received = Counter(message["Message-ID"] for message in smtp_peer.messages)
    assert [mid for mid, n in received.items() if n > 1] == []  # none twice
    assert set(received) == alert_message_ids(config)  # none lost
    assert len(received) >= 5 * len(SUBSCRIBERS)  # at least one mail per subscriber and letter
    assert second.messages("alert-sent") and again.messages("alert-sent"), "both daemons delivered"


def test_a_poll_while_a_daemon_polls_the_same_postgresql_database_exits_3_naming_it(
        tmp_path, peer, smtp_peer, postgresql_database):
    config = write_config(tmp_path, peer.sru_url, smtp_peer.port, postgresql_database)
    daemon = DaemonProcess(config)
    try:
        wait_for(lambda: polls_of(daemon), 30, "the daemon's first poll")
        done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "poll"],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    finally:
        daemon.stop()
    assert done.returncode == 3
    shown = postgresql_database.replace(":monitor@", ":***@")
    assert done.stderr.startswith(f"dossier-monitor: the database {shown} is in use by another "
                                  f"dossier-monitor (pid {daemon.process.pid} on ")
    assert len(done.stderr.splitlines()) == 1


def cut_the_poller_lock_connection(url: str) -> int:
    """What a server restart or a dropped network path does to the poller's lock: its session ends."""
    engine = create_engine(url)
    with engine.begin() as conn:
        cut = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE application_name LIKE 'dossier-monitor pid %'")).scalar()
    engine.dispose()
    return cut


def test_a_poller_whose_lock_connection_breaks_stops_within_one_publication_and_polls_no_more(
        tmp_path, peer, postgresql_database):
    config = Config(source=peer_source_config(peer, timeout_seconds=10),
                    storage=StorageConfig(data_dir=str(tmp_path / "data"), database_url=postgresql_database))
    peer.add(synthesise(4, first_number=500, start=dt.date(2024, 1, 8)))
    peer.delay_next(1, seconds=3, path="/frbr/")  # the first publication's first file

    def cut_while_the_first_publication_is_fetched() -> None:
        wait_for(lambda: any(r.path.startswith("/frbr/") for r in peer.requests), 30, "the first fetch")
        assert cut_the_poller_lock_connection(postgresql_database) == 1

    lock, other = DatabaseLock(postgresql_database), DatabaseLock(postgresql_database)
    try:
        with Store.open(config, upgrade=True) as store:
            daemon = Daemon(config, store, lock)
            assert daemon.schedule() is not None  # it took the poller lock
            cutter = threading.Thread(target=cut_while_the_first_publication_is_fetched)
            cutter.start()
            daemon.poll_job()
            cutter.join()
            # from here on another daemon may hold the lock and poll
            assert other.try_acquire()
            daemon.poll_job()
            stored = store.list_snapshots()
            last = store.last_polls(2)
    finally:
        lock.release()
        other.release()
    assert len(stored) == 1  # the publication under way when the lock went; none after it
    assert [(p.ok, p.error) for p in last] == [(False, "interrupted")]  # and no second poll
    assert len(searches(peer)) == 1
