"""End to end: ``dossier-monitor run`` as a process, the KOOP-shaped peer as a process, a real SMTP server (aiosmtpd).

From "a new annotated agenda appears on the publication site" to "the subscriber has the email",
through restarts and a publisher that fails for a while.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor.config import Config
from monitor.store import Store
from monitor.store.schema import versions
from tests.peer.corpus import NEXT_AGENDA_DROPPED as DROPPED
from tests.peer.corpus import NEXT_AGENDA_NEW as NEW
from tests.peer.corpus import NEXT_AGENDA_TITLE, next_agenda_xml, write_directory
from tests.peer import agenda_474

pytestmark = pytest.mark.timeout(120)

INTERVAL = 1  # seconds between polls
SUBSCRIBER = "analist@example.org"
OPERATOR = "beheer@example.org"
ROOT = Path(__file__).resolve().parents[1]


# --- the peers -----------------------------------------------------------------------------------


class PeerProcess:
    """``python -m tests.peer`` in its own process, steered over its control API."""

    def __init__(self, publications: Path):
        self.process = subprocess.Popen([sys.executable, "-m", "tests.peer", "--port", "0",
                                         "--publications", str(publications)],
                                        cwd=ROOT, stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), self.url

    def counts(self) -> dict[str, int]:
        with urllib.request.urlopen(f"{self.url}/_control/counts", timeout=10) as response:
            return json.loads(response.read())

    def control(self, action: str, **args) -> object:
        request = urllib.request.Request(f"{self.url}/_control/{action}", data=json.dumps(args).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def peer_process(tmp_path):
    folder = tmp_path / "publications"
    write_directory(folder, [agenda_474()])
    peer = PeerProcess(folder)
    yield peer
    peer.stop()


def write_config(tmp_path: Path, peer_url: str, smtp_port: int, timeout: float = 1) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(f"""
[source]
sru_url = "{peer_url}/sru"
allowed_hosts = ["127.0.0.1"]
interval_seconds = {INTERVAL}
min_request_interval_seconds = 0
timeout_seconds = {timeout}
max_retries = 0
[storage]
data_dir = "data"
[mail]
smtp_host = "127.0.0.1"
smtp_port = {smtp_port}
security = "none"
from = "dossier-monitor <alerts@example.org>"
operator_email = "{OPERATOR}"
[daemon]
jitter_seconds = 0
delivery_interval_seconds = 1
failure_threshold = 2
stop_grace_seconds = 2
""", encoding="utf-8")
    return path


class Daemon:
    """``dossier-monitor run`` as a process, its log lines (JSON) collected as they come."""

    def __init__(self, config: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config), "--log-format", "json", "run"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[dict] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            try:
                self.lines.append(json.loads(line))
            except ValueError:
                self.lines.append({"message": line.rstrip(), "level": "raw"})

    def stop(self) -> tuple[int, float]:
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=15)
        self._reader.join(timeout=5)
        return code, time.monotonic() - started

    def messages(self, event: str | None = None) -> list[dict]:
        return [line for line in list(self.lines) if event is None or line.get("event") == event]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def stored_versions(config: Path) -> int:
    with Store.open(Config.load(config)) as store, store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(versions)).scalar()


def status(config: Path) -> tuple[int, dict]:
    done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "status", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=30)
    return done.returncode, json.loads(done.stdout)


# --- the tests -----------------------------------------------------------------------------------


def test_a_new_agenda_reaches_the_subscriber_once_across_a_restart(tmp_path, peer_process, smtp_peer):
    config = write_config(tmp_path, peer_process.url, smtp_peer.port)
    added = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "subscribers", "add", SUBSCRIBER],
                           cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert added.returncode == 0, added.stderr

    daemon = Daemon(config)
    try:
        # the first poll records the earlier agenda (history: no alert)
        wait_for(lambda: daemon.messages("poll"), 30, "the first poll")
        assert stored_versions(config) == 1

        peer_process.control("publish", identifier="kst-28676-490",
                             title=NEXT_AGENDA_TITLE,
                             date=(dt.date.today() - dt.timedelta(days=1)).isoformat(),
                             available=dt.date.today().isoformat(),
                             xml_base64=base64.b64encode(next_agenda_xml()).decode())
        published = time.monotonic()
        mails = wait_for(lambda: smtp_peer.to(SUBSCRIBER), 2 * INTERVAL + 8, "the subscriber's email")
        arrived = time.monotonic() - published
    finally:
        code, took = daemon.stop()
    assert code == 0 and took < 10
    assert any(line.get("event") == "stopped" for line in daemon.lines)

    assert len(mails) == 1, [m["Subject"] for m in mails]
    mail = mails[0]
    subject = mail["Subject"]
    assert subject.startswith("[NAVO 28676]")
    assert subject.endswith("1 standpunt gewijzigd, 1 nieuw, 1 vervallen"), subject
    text = " ".join(mail.get_body(("plain",)).get_content().split())  # undo the line wrapping
    assert "{+" + NEW + "+}" in text
    assert "[-" + DROPPED + "-]" in text
    assert "minimaal [-2-]{+3,5+}% van het bbp" in text
    assert mail.get_body(("html",)) is not None and mail["Message-ID"] and mail["List-Unsubscribe"]
    assert arrived < 2 * INTERVAL + 8  # two intervals, plus the process's own start-up and delivery tick
    assert stored_versions(config) == 2

    # a restart: the next polls see nothing new; nobody gets the mail again
    again = Daemon(config)
    try:
        wait_for(lambda: len(again.messages("poll")) >= 2, 30, "two polls after the restart")
        time.sleep(1.5)  # a delivery tick
    finally:
        code, _ = again.stop()
    assert code == 0
    assert len(smtp_peer.to(SUBSCRIBER)) == 1
    assert stored_versions(config) == 2


def test_a_failing_publisher_is_survived_reported_and_recovered_from(tmp_path, peer_process, smtp_peer):
    config = write_config(tmp_path, peer_process.url, smtp_peer.port)
    daemon = Daemon(config)
    try:
        wait_for(lambda: any(p.get("ok") for p in daemon.messages("poll")), 30, "a first good poll")
        # 5xx, then timeouts, then a response cut short: each poll makes one request and fails
        peer_process.control("fail_next", times=3, status=503, path="/sru")
        peer_process.control("delay_next", times=2, seconds=2.5, path="/sru")
        peer_process.control("cut_next", times=2, path="/sru")
        wait_for(lambda: not daemon.messages("poll")[-1].get("ok"), 15, "a failed poll")
        _, doc = status(config)  # (its exit code: stale after 3 one-second intervals, see test_status)
        assert doc["last_poll"]["ok"] is False and doc["last_error"]["message"]
        assert doc["daemon"]["running"] is True and doc["next_poll"]

        wait_for(lambda: len(smtp_peer.to(OPERATOR)) >= 1, 20, "the operator's failure notice")
        wait_for(lambda: daemon.messages("poll")[-1].get("ok"), 30, "a good poll again")
        wait_for(lambda: len(smtp_peer.to(OPERATOR)) >= 2, 10, "the operator's recovery notice")
        code, doc = status(config)
        assert code == 0 and doc["last_poll"]["ok"] is True and doc["healthy"]
        assert daemon.process.poll() is None  # it never stopped
    finally:
        code, took = daemon.stop()
    assert code == 0 and took < 10
    failed = [p for p in daemon.messages("poll") if not p.get("ok")]
    assert len(failed) == 7
    assert len(smtp_peer.to(OPERATOR)) == 2  # once on failure, once on recovery: no storm
    assert not any(line.get("level") == "raw" and "Traceback" in line["message"] for line in daemon.lines)


def test_sigterm_during_a_hanging_request_still_exits_0_within_10_seconds(tmp_path, peer_process, smtp_peer):
    config = write_config(tmp_path, peer_process.url, smtp_peer.port, timeout=30)
    peer_process.control("delay_next", times=1, seconds=60, path="/sru")
    daemon = Daemon(config)
    wait_for(lambda: peer_process.counts().get("/sru"), 30, "the first search request")
    time.sleep(0.5)
    code, took = daemon.stop()
    assert code == 0 and took < 10
    assert any(line.get("abandoned") for line in daemon.lines)

    # nothing was left half-done: the next start polls normally
    again = Daemon(config)
    try:
        wait_for(lambda: any(p.get("ok") for p in again.messages("poll")), 30, "a good poll after the restart")
    finally:
        assert again.stop()[0] == 0
    assert stored_versions(config) == 1


def test_a_daemon_waiting_on_a_slow_publisher_still_counts_as_running_and_a_clean_stop_removes_it(
        tmp_path, peer_process, smtp_peer):
    config = write_config(tmp_path, peer_process.url, smtp_peer.port, timeout=30)
    peer_process.control("delay_next", times=1, seconds=10, path="/sru")
    daemon = Daemon(config)
    try:
        wait_for(lambda: peer_process.counts().get("/sru"), 30, "the first search request")
        time.sleep(4)  # more than three delivery ticks while the poll waits: the beat has its own thread
        _, doc = status(config)
        assert doc["current_poll"] is not None  # still waiting for the answer
        assert [(d["pid"], d["role"]) for d in doc["daemons"]] == [(daemon.process.pid, "poller")]
        assert doc["daemon"] == {"running": True, "pid": daemon.process.pid}
        wait_for(lambda: daemon.messages("poll"), 30, "the slow poll to finish")
    finally:
        code, _ = daemon.stop()
    assert code == 0
    _, doc = status(config)
    assert doc["daemons"] == [] and doc["daemon"] == {"running": False, "pid": None}
