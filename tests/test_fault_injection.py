"""Nothing lost, nothing twice: the real daemon under a minute of faults and SIGKILLs.

``dossier-monitor run`` runs as a process against the test publisher and an SMTP server on
loopback. At random moments drawn from a fixed seed, letters are published; the publisher
answers 500 or 429, answers too slowly, or sends garbage; the SMTP server answers 421 or 451,
takes a message's data and drops the connection without answering, or is down for a while;
and the daemon is killed with SIGKILL and started again, some of the time at the worst moment:
while the server has taken a message and withholds its answer. Then the faults stop, the
daemon catches up, and the SMTP server is asked what it accepted.

Every subscriber must have every expected mail (counted by ``Message-ID``) exactly once. The
one duplicate that cannot be avoided is a mail the server accepted just before the process
died, before it could record that: a duplicate counts as that only when a kill lies between
its two arrivals; any other is a failure. The figures are printed; ``FAULT_SEED=<n>`` replays
a run (the schedule, not the exact interleaving with the process's own timing).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from monitor.alerts.compose import alert_message_id
from tests import process_config
from tests.peer.server import Peer
from tests.process_config import PEER_SOURCE, QUICK_DAEMON, loopback_mail
from tests.peer.corpus import make_doc
from tests.smtp_peer import SmtpPeer

pytestmark = pytest.mark.timeout(170)

SEED = int(os.environ.get("FAULT_SEED", "28676"))
CHAOS_SECONDS = float(os.environ.get("FAULT_SECONDS", "45"))
SETTLE_SECONDS = 45
# an IDN domain, and a non-ASCII local part that only travels because the server offers SMTPUTF8
SUBSCRIBERS = ["analist@example.org", "joerg@bücher.example", "jörg@bücher.example"]
OPERATOR = "beheer@example.org"
ROOT = Path(__file__).resolve().parents[1]


def write_config(tmp_path: Path, peer: Peer, smtp: SmtpPeer) -> Path:
    return process_config.write_config(
        tmp_path / "monitor.toml", source={"sru_url": peer.sru_url, **PEER_SOURCE, "timeout_seconds": 1},
        storage={"data_dir": "data"},
        mail=loopback_mail(smtp.port, operator_email=OPERATOR, timeout_seconds=2, max_attempts=1000,
                           retry_seconds=[1], outage_retry_seconds=[0, 1]),
        daemon={**QUICK_DAEMON, "failure_threshold": 3})


class Daemon:
    """``dossier-monitor run`` as a process; its log goes to one file across restarts."""

    def __init__(self, config: Path, log: Path):
        self.config, self.log = config, log
        self.process: subprocess.Popen | None = None
        self.kills: list[float] = []

    def start(self) -> None:
        with open(self.log, "a", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "monitor", "--config", str(self.config), "--log-format", "json", "run"],
                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=log)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.kills.append(time.monotonic())
        self.process.wait(timeout=10)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=15)


def query(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as conn:
        return conn.execute(sql).fetchall()


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (FAULT_SEED={SEED})")


class Chaos:
    """The faults, drawn from one seeded random generator."""

    def __init__(self, rng: random.Random, peer: Peer, smtp: SmtpPeer):
        self.rng, self.peer, self.smtp = rng, peer, smtp
        self.published: list[str] = []
        self.faults: Counter = Counter()
        self.smtp_back_at: float | None = None

    def publish(self) -> None:
        number = 500 + len(self.published)
        identifier = f"kst-28676-{number}"
        self.peer.add([make_doc(identifier, f"Reactie op verzoek commissie over de inzet nummer {number}",
                                available=dt.date.today())])
        self.published.append(identifier)

    def step(self) -> None:
        if self.smtp_back_at is not None and time.monotonic() >= self.smtp_back_at:
            self.smtp.start()
            self.smtp_back_at = None
        what = self.rng.choices(
            ["publish", "http-500", "http-429", "http-slow", "http-garbage",
             "smtp-421", "smtp-451", "smtp-drop", "smtp-down"],
            weights=[4, 1, 1, 1, 1, 1, 1, 1, 1])[0]
        if what == "publish":
            self.publish()
            return
        self.faults[what] += 1
        if what == "http-500":
            self.peer.fail_next(times=self.rng.randint(1, 3), status=500)
        elif what == "http-429":
            self.peer.fail_next(times=1, status=429, retry_after=1)
        elif what == "http-slow":
            self.peer.delay_next(times=1, seconds=2.5)
        elif what == "http-garbage":
            self.peer.garbage_next(times=1, path="/sru")
        elif what == "smtp-421":
            self.smtp.fail_next("421 4.3.2 service shutting down")
        elif what == "smtp-451":
            self.smtp.fail_next("451 4.3.0 temporary trouble, try later", times=self.rng.randint(1, 2))
        elif what == "smtp-drop":
            self.smtp.drop_next()
        elif self.smtp_back_at is None:  # smtp-down
            self.smtp.stop()
            self.smtp_back_at = time.monotonic() + self.rng.uniform(1, 4)

    def calm(self) -> None:
        if self.smtp_back_at is not None:
            self.smtp.start()
            self.smtp_back_at = None
        with self.peer.lock:
            self.peer.state.faults.clear()
        self.smtp.failures.clear()
        self.smtp.drops.clear()


def test_nothing_lost_nothing_twice_under_faults_and_sigkill(tmp_path, capsys):
    rng = random.Random(SEED)
    peer = Peer([make_doc("kst-28676-474", "Geannoteerde agenda NAVO-ministers", available=dt.date.today())]).start()
    smtp = SmtpPeer(smtputf8=True).start()
    config = write_config(tmp_path, peer, smtp)
    database = tmp_path / "data" / "monitor.sqlite"
    for address in SUBSCRIBERS:
        added = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "subscribers", "add",
                                address], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert added.returncode == 0, added.stderr
    daemon = Daemon(config, tmp_path / "daemon.log")
    chaos = Chaos(rng, peer, smtp)
    started = time.monotonic()
    try:
        daemon.start()
        # the first poll records the history without alerts: the letters to count come after it
        wait_for(lambda: query(database, "SELECT value FROM state WHERE key = 'watermark:28676'"), 60,
                 "the first poll")

        end = time.monotonic() + CHAOS_SECONDS
        window_kills = 0  # SIGKILLs while the server held a message it had taken
        next_kill = time.monotonic() + rng.uniform(2, 6)
        while time.monotonic() < end:
            time.sleep(rng.uniform(0.2, 1.0))
            chaos.step()
            if time.monotonic() >= next_kill:
                if rng.random() < 0.4:
                    # into the window: the server takes the next message and withholds its answer
                    smtp.holding.clear()
                    smtp.hold_after = len(smtp.received)
                    chaos.publish()  # so that there is mail on its way
                    window_kills += smtp.holding.wait(4)
                daemon.kill()
                smtp.hold_after = None
                time.sleep(rng.uniform(0, 0.5))
                daemon.start()
                next_kill = time.monotonic() + rng.uniform(2, 6)
        chaos.publish()  # one more after the storm, so the last word is a letter, not a fault
        chaos.calm()

        def caught_up() -> bool:
            stored = {r[0] for r in query(database, "SELECT identifier FROM versions")}
            waiting = query(database, "SELECT count(*) FROM alerts WHERE status = 'pending'")[0][0]
            return set(chaos.published) <= stored and waiting == 0
        wait_for(caught_up, SETTLE_SECONDS, "every letter stored and every alert sent")
        time.sleep(2)  # a last poll and delivery tick: whatever they add is counted too
        wait_for(caught_up, SETTLE_SECONDS, "the last alerts sent")
        assert daemon.stop() == 0
    finally:
        if daemon.process and daemon.process.poll() is None:
            daemon.process.kill()
        smtp.stop()
        peer.stop()

    # --- what the database says ----------------------------------------------------------------
    rows = query(database, "SELECT a.status, a.message_id, e.kind, e.key FROM alerts a "
                           "JOIN events e ON e.id = a.event_id")
    assert query(database, "PRAGMA integrity_check") == [("ok",)]
    assert Counter(r[0] for r in rows) == Counter(sent=len(rows)), "nothing pending, failed or cancelled"
    expected = {alert_message_id(f"new:{identifier}@1", address)
                for identifier in chaos.published for address in SUBSCRIBERS}
    assert {r[1] for r in rows if r[2] == "new-letter"} == expected, "one alert per letter per subscriber"
    recorded = {r[1] for r in rows}

    # --- what the SMTP server accepted ---------------------------------------------------------
    accepted: dict[str, list[float]] = {}
    for received in smtp.received:
        accepted.setdefault(received.message["Message-ID"], []).append(received.at)
    assert set(accepted) == recorded, "every mail arrived, and no mail that was not queued"
    duplicates = {mid: times for mid, times in accepted.items() if len(times) > 1}
    in_the_window, unexplained = [], []
    for mid, times in duplicates.items():
        for first, again in zip(times, times[1:]):
            if any(first <= kill <= again for kill in daemon.kills):
                in_the_window.append(mid)
            else:
                unexplained.append(mid)
    log = (tmp_path / "daemon.log").read_text(encoding="utf-8")

    figures = (f"fault injection (FAULT_SEED={SEED}, {time.monotonic() - started:.0f} s): "
               f"{len(chaos.published)} letters published, {len(expected)} subscriber mails expected, "
               f"{len(recorded) - len(expected)} operator notices; {len(set(accepted) & expected)} expected mails "
               f"delivered, {len(smtp.received)} messages accepted, {len(in_the_window)} duplicates in the "
               f"accepted-then-killed window, {len(unexplained)} other duplicates, "
               f"{len(smtp.dropped)} dropped after DATA and sent again; {len(daemon.kills)} SIGKILLs "
               f"({window_kills} while the server held a message it had taken); "
               f"faults: {dict(sorted(chaos.faults.items()))}")
    with capsys.disabled():
        print("\n" + figures)
    assert not unexplained, f"sent twice without a crash in between: {unexplained} ({figures})"
    assert "Traceback" not in log, "the daemon logs one line per failure, never a traceback"
    assert len(daemon.kills) >= 5 and len(chaos.published) >= 5, figures
