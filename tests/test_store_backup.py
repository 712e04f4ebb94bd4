"""``db backup``: a consistent copy while the daemon writes, that opens elsewhere as it was."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests import process_config
from tests.peer import synthesise
from tests.process_config import PEER_SOURCE
from tests.test_e2e_daemon import ROOT, Daemon, wait_for

pytestmark = pytest.mark.timeout(120)


def write_config(path: Path, data_dir: Path, sru_url: str = "http://127.0.0.1:9/sru", database_url: str = "") -> Path:
    return process_config.write_config(
        path, source={"sru_url": sru_url, **PEER_SOURCE},
        storage={"data_dir": str(data_dir), "database_url": database_url},
        daemon={"jitter_seconds": 0, "stop_grace_seconds": 2})


def dm(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def counts(config: Path) -> dict[str, int]:
    done = dm(config, "status", "--json")
    return json.loads(done.stdout)["counts"]


def test_a_backup_taken_while_the_daemon_polls_opens_in_another_folder_with_the_same_counts(tmp_path, peer):
    peer.add(synthesise(12, start=dt.date(2024, 1, 8)))
    config = write_config(tmp_path / "monitor.toml", tmp_path / "data", peer.sru_url)
    assert dm(config, "subscribers", "add", "analist@example.org").returncode == 0
    daemon = Daemon(config)
    try:
        wait_for(lambda: len(daemon.messages("poll")) >= 2, 30, "two polls")
        # the daemon goes on polling (and writing its poll log) every second while the copy is made
        done = dm(config, "db", "backup", "--to", str(tmp_path / "elsewhere"))
        assert len(daemon.messages("poll")) >= 2 and daemon.process.poll() is None
    finally:
        daemon.stop()
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{tmp_path / 'elsewhere' / 'monitor.sqlite'}\n"

    restored = write_config(tmp_path / "restored.toml", tmp_path / "elsewhere")
    assert counts(restored) == counts(config)
    assert counts(restored)["publications"] == 12 and counts(restored)["subscribers"] == 1
    for identifier in ("kst-28676-1", "kst-28676-12"):
        original = dm(config, "snapshots", "export", identifier, "-o", str(tmp_path / f"{identifier}.a.xml"))
        copy = dm(restored, "snapshots", "export", identifier, "-o", str(tmp_path / f"{identifier}.b.xml"))
        assert original.returncode == copy.returncode == 0, copy.stderr
        assert (tmp_path / f"{identifier}.a.xml").read_bytes() == (tmp_path / f"{identifier}.b.xml").read_bytes()


def test_db_backup_without_a_folder_writes_a_checked_copy_into_the_backups_folder(tmp_path):
    config = write_config(tmp_path / "monitor.toml", tmp_path / "data")
    assert dm(config, "subscribers", "add", "analist@example.org").returncode == 0
    done = dm(config, "db", "backup")
    assert done.returncode == 0, done.stderr
    copy = Path(done.stdout.strip())
    assert copy.parent == tmp_path / "data" / "backups" and copy.name.startswith("monitor-")
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
        assert db.execute("SELECT email FROM subscribers").fetchall() == [("analist@example.org",)]


def test_db_backup_into_a_folder_that_holds_a_database_is_refused(tmp_path):
    config = write_config(tmp_path / "monitor.toml", tmp_path / "data")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "monitor.sqlite").write_bytes(b"keep me")
    done = dm(config, "db", "backup", "--to", str(tmp_path / "elsewhere"))
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert (tmp_path / "elsewhere" / "monitor.sqlite").read_bytes() == b"keep me"


def test_db_backup_into_a_missing_folder_follows_the_rule_of_every_output(tmp_path):
    config = write_config(tmp_path / "monitor.toml", tmp_path / "data")
    target = tmp_path / "nowhere" / "copy"
    done = dm(config, "db", "backup", "--to", str(target))
    assert done.returncode == 2 and "--parents" in done.stderr and len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "nowhere").exists()
    done = dm(config, "db", "backup", "--to", str(target), "--parents")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == target / "monitor.sqlite"


def test_db_backup_of_a_postgresql_database_names_pg_dump(tmp_path, postgresql_database):
    config = write_config(tmp_path / "monitor.toml", tmp_path / "data", database_url=postgresql_database)
    done = dm(config, "db", "backup")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "use pg_dump" in done.stderr and ":monitor@" not in done.stderr
