"""``poll`` and ``backfill`` as processes: one instance per data folder, and kill -9 never hurts."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor.config import Config
from monitor.store import DataDirLock, Store
from monitor.store.blobs import BlobStore
from monitor.store.schema import manifestations, versions
from tests.peer import synthesise


def write_config(tmp_path: Path, peer) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(f"""
[source]
sru_url = "{peer.sru_url}"
allowed_hosts = ["127.0.0.1"]
min_request_interval_seconds = 0
timeout_seconds = 5
max_retries = 1
backoff_base_seconds = 0.01
page_size = 50
[storage]
data_dir = "data"
""", encoding="utf-8")
    return path


def cli(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "monitor", "--config", str(config), *args]


def count_versions(config: Path) -> int:
    with Store.open(Config.load(config)) as store, store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(versions)).scalar()


@pytest.mark.parametrize("command", [["poll"], ["backfill"], ["run"]])
def test_a_second_instance_on_the_same_data_folder_exits_3_with_a_clear_message(tmp_path, peer, command):
    config = write_config(tmp_path, peer)
    with DataDirLock(tmp_path / "data"):
        done = subprocess.run(cli(config, *command), capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        f"dossier-monitor: the data folder {tmp_path / 'data'} is in use by another dossier-monitor "
        f"(pid {os.getpid()}); wait for it to finish or stop it"]


def test_poll_exits_0_when_the_publisher_answers_and_1_when_it_cannot_be_reached(tmp_path, peer):
    config = write_config(tmp_path, peer)
    peer.add(synthesise(3))
    ok = subprocess.run(cli(config, "poll"), capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    peer.fail_next(10, 503, path="/sru")
    down = subprocess.run(cli(config, "poll"), capture_output=True, text=True, timeout=60)
    assert down.returncode == 1
    assert down.stderr.strip().splitlines()[-1].startswith("dossier-monitor: poll failed: HTTP 503")


def test_kill_9_in_the_middle_of_a_backfill_the_next_run_completes_it_without_duplicates(tmp_path, peer):
    config = write_config(tmp_path, peer)
    peer.add(synthesise(120))
    peer.delay_next(10_000, seconds=0.02, path="/frbr/")  # slow enough to be caught half-way
    first = subprocess.Popen(cli(config, "backfill"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while count_versions(config) < 25:
        assert first.poll() is None, "the backfill ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    interrupted_at = count_versions(config)
    assert 25 <= interrupted_at < 120

    # the kernel dropped the killed process's lock: the next run is not refused
    second = subprocess.run(cli(config, "backfill"), capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr

    with Store.open(Config.load(config)) as store, store.engine.connect() as conn:
        rows = conn.execute(select(versions.c.identifier, versions.c.version)).all()
        assert len(rows) == len({r.identifier for r in rows}) == 120
        assert {r.version for r in rows} == {1}
        digests = [r.sha256 for r in conn.execute(select(manifestations.c.sha256))]
    blobs = BlobStore(tmp_path / "data" / "blobs")
    for digest in digests:
        blobs.get(digest)  # raises when a blob is missing, truncated or does not match its hash
    visible = [p for p in (tmp_path / "data" / "blobs").rglob("*") if p.is_file() and not p.name.startswith(".tmp-")]
    assert all(p.name.endswith(".gz") for p in visible)
    assert len(visible) == len(set(digests))


def test_a_lock_left_by_a_daemon_killed_with_kill_9_does_not_block_the_next_process(tmp_path, peer):
    config = write_config(tmp_path, peer)
    daemon = subprocess.Popen(cli(config, "run"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = tmp_path / "data" / ".lock"
    deadline = time.monotonic() + 30
    while not (lock.exists() and lock.read_text().strip() == str(daemon.pid)):
        assert daemon.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    daemon.send_signal(signal.SIGKILL)
    daemon.wait(timeout=10)
    assert lock.read_text().strip() == str(daemon.pid)  # the file stays behind …
    done = subprocess.run(cli(config, "poll"), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr  # … but the lock died with its holder
