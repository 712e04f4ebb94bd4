"""Killing the process (SIGKILL) between queuing and sending, or in the middle of sending.

The outbox lives in the database: whatever committed survives, the next ``alerts send``
delivers it, and an alert marked sent is never sent again. The server counts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from monitor.config import Config
from monitor.store import Store, outbox
from tests.smtp_peer import SmtpPeer

ROOT = Path(__file__).resolve().parents[1]
SUBSCRIBERS = [f"lezer{i}@example.org" for i in range(5)]

QUEUE_THEN_HANG = textwrap.dedent("""
    import sys, time
    from monitor.alerts import queue_alerts
    from monitor.config import Config
    from monitor.store import Store, outbox

    config = Config.load(sys.argv[1])
    store = Store.open(config)
    with store.transaction() as conn:
        for address in sys.argv[2:]:
            outbox.save_subscriber(conn, address)
        for number in (474, 475):
            event = outbox.add_event(conn, key=f"new:kst-28676-{number}@1", kind="new-letter", dossier="28676",
                                     identifier=f"kst-28676-{number}", version=1, series="other", severity=0,
                                     topics=[], summary={"title": f"NAVO; Brief {number}"})
            queue_alerts(conn, event)
    print("queued", flush=True)
    time.sleep(600)  # killed here, before any delivery
""")


def write_config(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(textwrap.dedent(f"""
        [storage]
        data_dir = "data"

        [mail]
        smtp_host = "127.0.0.1"
        smtp_port = {port}
        security = "none"
        from = "dossier-monitor <alerts@example.org>"
        timeout_seconds = 5.0
    """), encoding="utf-8")
    return path


def python(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def alerts_send(config: Path) -> subprocess.CompletedProcess:
    proc = python("-m", "monitor", "--config", str(config), "alerts", "send")
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def queue_and_kill(config: Path) -> None:
    proc = python("-c", QUEUE_THEN_HANG, str(config), *SUBSCRIBERS)
    try:
        assert proc.stdout.readline().strip() == "queued", proc.stderr.read()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL


def sent_statuses(config: Path) -> Counter:
    with Store.open(Config.load(config)) as store, store.transaction() as conn:
        return Counter(a.status for a in outbox.list_alerts(conn))


def test_killed_after_queuing_loses_nothing_and_sends_nothing_twice(tmp_path, smtp_peer):
    config = write_config(tmp_path, smtp_peer.port)
    queue_and_kill(config)
    assert smtp_peer.received == []
    assert sent_statuses(config) == Counter(pending=10)

    first = alerts_send(config)
    assert first.returncode == 0, first.stderr
    again = alerts_send(config)
    assert again.returncode == 0, again.stderr

    delivered = Counter((r.rcpt_tos, r.message["Subject"]) for r in smtp_peer.received)
    assert len(delivered) == 10 and set(delivered.values()) == {1}
    assert sent_statuses(config) == Counter(sent=10)


def test_killed_mid_send_resends_at_most_the_message_in_flight_with_the_same_message_id(tmp_path, smtp_peer):
    config = write_config(tmp_path, smtp_peer.port)
    queue_and_kill(config)
    # the server takes the 4th message but never answers: the sender dies waiting for the 250
    smtp_peer.hold_after = 3
    sender = python("-m", "monitor", "--config", str(config), "alerts", "send")
    try:
        assert smtp_peer.holding.wait(60), "the sender never reached the 4th message"
        in_flight = smtp_peer.received[3].message["Message-ID"]
    finally:
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=10)
    smtp_peer.hold_after = None

    assert alerts_send(config).returncode == 0
    assert alerts_send(config).returncode == 0

    ids = Counter(r.message["Message-ID"] for r in smtp_peer.received)
    assert len(ids) == 10, "every alert arrived"
    # the only possible duplicate is the one the server took while we died, and it is recognisable
    assert {mid for mid, count in ids.items() if count > 1} <= {in_flight}
    assert sum(ids.values()) in (10, 11)
    assert sent_statuses(config) == Counter(sent=10)


def test_alerts_send_exits_1_while_the_server_is_down_and_delivers_after(tmp_path):
    peer = SmtpPeer()
    config = write_config(tmp_path, peer.port)
    queue_and_kill(config)
    down = alerts_send(config)
    assert down.returncode == 1
    assert down.stderr.strip().count("\n") == 0 and "stay pending" in down.stderr
    assert sent_statuses(config) == Counter(pending=10)

    peer.start()
    try:
        # `alerts send` flushes: it does not wait for the retry time the failed try set
        up = alerts_send(config)
        assert up.returncode == 0, up.stderr
    finally:
        peer.stop()
    assert len(peer.received) == 10


@pytest.fixture(autouse=True)
def _quick(monkeypatch):
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)
