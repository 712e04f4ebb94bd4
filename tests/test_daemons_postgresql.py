"""Two daemons on one PostgreSQL database: one polls, both deliver, and when the poller is
killed (-9) the other takes over; no publication is stored twice, no alert is sent twice
(counted at the SMTP server by Message-ID) and none is lost."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor.config import Config
from monitor.store import Store, outbox
from monitor.store.schema import alerts, polls, publications, versions
from tests import process_config
from tests.peer import synthesise
from tests.process_config import PEER_SOURCE, QUICK_DAEMON, loopback_mail
from tests.test_e2e_daemon import ROOT, Daemon, wait_for

pytestmark = pytest.mark.timeout(180)

SUBSCRIBERS = [f"lezer{n:02d}@example.org" for n in range(30)]


def write_config(tmp_path: Path, sru_url: str, smtp_port: int, database_url: str) -> Path:
    return process_config.write_config(
        tmp_path / "monitor.toml", source={"sru_url": sru_url, **PEER_SOURCE, "timeout_seconds": 5},
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


def polls_of(daemon: Daemon) -> int:
    return len(daemon.messages("poll"))


def test_one_daemon_polls_both_deliver_and_the_other_takes_over_after_kill_9(
        tmp_path, peer, smtp_peer, postgresql_database):
    config = write_config(tmp_path, peer.sru_url, smtp_peer.port, postgresql_database)
    with Store.open(Config.load(config)) as store, store.transaction() as conn:
        for address in SUBSCRIBERS:
            outbox.save_subscriber(conn, address)
    peer.add(synthesise(3, first_number=500, start=dt.date(2024, 1, 8)))

    first = Daemon(config)
    second = None
    try:
        wait_for(lambda: polls_of(first), 30, "the first daemon's first poll (the history: no alerts)")
        second = Daemon(config)
        wait_for(lambda: second.messages("started"), 30, "the second daemon to start")
        assert second.messages("started")[0].get("standby") is True

        # five new letters: their alerts (one per subscriber and letter or comparison) are
        # delivered by both daemons at once
        peer.add(synthesise(5, first_number=510, start=dt.date(2024, 3, 4)))
        wait_for(lambda: settled(config, 3 + 5), 60, "the five new letters stored and their alerts delivered")
        before = counts(config)["alerts"]
        assert polls_of(first) >= 2 and polls_of(second) == 0

        first.process.kill()  # -9: no shutdown, the advisory lock goes with its connection
        first.process.wait(timeout=10)
        wait_for(lambda: second.messages("poller"), 30, "the second daemon to take over polling")
        peer.add(synthesise(2, first_number=520, start=dt.date(2024, 5, 6)))
        wait_for(lambda: settled(config, 3 + 5 + 2), 60, "two more letters stored and their alerts delivered")
        assert counts(config)["alerts"] > before
        assert polls_of(second) >= 1
    finally:
        for daemon in (first, second):
            if daemon is not None and daemon.process.poll() is None:
                daemon.stop()

    final = counts(config)
    assert final["publications"] == 3 + 5 + 2
    assert final["versions"] == final["distinct versions"] == 10
    received = Counter(message["Message-ID"] for message in smtp_peer.messages)
    assert [mid for mid, n in received.items() if n > 1] == []  # none twice
    assert set(received) == alert_message_ids(config)  # none lost
    assert len(received) >= 7 * len(SUBSCRIBERS)  # at least one mail per subscriber and letter
    assert first.messages("alert-sent") and second.messages("alert-sent"), "both daemons delivered"


def test_a_poll_while_a_daemon_polls_the_same_postgresql_database_exits_3_naming_it(
        tmp_path, peer, smtp_peer, postgresql_database):
    config = write_config(tmp_path, peer.sru_url, smtp_peer.port, postgresql_database)
    daemon = Daemon(config)
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
