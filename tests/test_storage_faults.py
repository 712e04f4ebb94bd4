"""Storage that cannot be used is one line naming the path, never a traceback.

At start-up (exit 2, configuration): a data folder that is a file, lies under a file or cannot
be written; a database URL that names a folder or a file that is no database. At run time
(exit 1): a disk that refuses the snapshot being written: the poll fails, the watermark stays,
nothing half-written is left, and the next poll stores it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import shutil
import sqlite3
import string
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli import main
from tests.peer.corpus import make_doc
from tests.peer.server import Peer
from tests import process_config
from tests.process_config import PEER_SOURCE

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [("status",), ("subscribers", "list"), ("poll",), ("alerts", "send"), ("snapshots", "list")]


def dossier_monitor(config: Path, *args: str, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(config), *args])
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def write_config(folder: Path, **storage: str) -> Path:
    return process_config.write_config(folder / "monitor.toml", storage=storage)


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch):
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)


def bad_storage(tmp_path: Path, case: str) -> tuple[Path, str]:
    """A configuration whose storage cannot be used, and the message it must give."""
    (tmp_path / "a-file").write_text("not a folder\n")
    if case == "data_dir is a file":
        return (write_config(tmp_path, data_dir="a-file"),
                f"storage.data_dir {tmp_path / 'a-file'}: is a file, not a folder")
    if case == "data_dir under a file":
        return (write_config(tmp_path, data_dir="a-file/data"),
                f"storage.data_dir {tmp_path / 'a-file/data'}: {tmp_path / 'a-file'} is a file, "
                "so no folder can be made under it")
    if case == "database_url is a folder":
        (tmp_path / "db").mkdir()
        return (write_config(tmp_path, data_dir="data", database_url="sqlite:///db"),
                f"database sqlite:///{tmp_path / 'db'}: unable to open database file")
    (tmp_path / "garbage.sqlite").write_bytes(b"this is no SQLite database\n" * 10)
    return (write_config(tmp_path, data_dir="data", database_url="sqlite:///garbage.sqlite"),
            f"database sqlite:///{tmp_path / 'garbage.sqlite'}: file is not a database")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("case", ["data_dir is a file", "data_dir under a file", "database_url is a folder",
                                  "database_url is no database"])
def test_unusable_storage_is_one_line_naming_the_path_and_exit_2(tmp_path, capsys, case, command):
    config, message = bad_storage(tmp_path, case)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = dossier_monitor(config, *command, capsys=capsys)
    assert (code, out, err) == (2, "", f"dossier-monitor: {message}\n")
    if case.startswith("data_dir"):
        assert sorted(p.name for p in tmp_path.iterdir()) == before, "nothing is created beside it"


def without_root_override() -> list[str]:
    """A prefix that runs a command as root but without its power to ignore file permissions, so a
    folder without write permission is as unwritable to it as a read-only filesystem."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a folder without write permission is writable to us")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def run_process(config: Path, *args: str, prefix: list[str] = (), **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "monitor", "--config", str(config), *args], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=120, **kwargs)


@pytest.mark.parametrize("command", [("status",), ("poll",), ("run",)], ids=" ".join)
def test_a_data_folder_that_cannot_be_written_is_one_line_and_exit_2(tmp_path, command):
    prefix = without_root_override()
    config = write_config(tmp_path, data_dir="data")
    assert run_process(config, "subscribers", "add", "a@example.org").returncode == 0
    (tmp_path / "data").chmod(0o555)
    try:
        done = run_process(config, *command, prefix=prefix)
    finally:
        (tmp_path / "data").chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"dossier-monitor: storage.data_dir {tmp_path / 'data'}: cannot be written "
                           "(a read-only filesystem, or no permission)\n")


def limit_file_size(limit: int):
    """For the child: files may not grow past ``limit`` bytes. The kernel then refuses the write
    (EFBIG) exactly where a full disk refuses it (ENOSPC): at the write call into the real
    filesystem. Python ignores SIGXFSZ, so the write fails instead of killing the process."""
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_disk_that_refuses_a_snapshot_fails_the_poll_keeps_the_watermark_and_leaves_nothing_half_written(
        tmp_path):
    earlier = dt.date.today() - dt.timedelta(days=10)
    peer = Peer([make_doc("kst-28676-474", "Geannoteerde agenda NAVO-ministers", available=earlier)]).start()
    try:
        config = process_config.write_config(tmp_path / "monitor.toml",
                                             source={"sru_url": peer.sru_url, **PEER_SOURCE},
                                             storage={"data_dir": "data"})
        first = run_process(config, "poll")
        assert first.returncode == 0, first.stderr
        database = tmp_path / "data" / "monitor.sqlite"

        def watermark() -> dict:
            with sqlite3.connect(database) as conn:
                (value,) = conn.execute("SELECT value FROM state WHERE key = 'watermark:28676'").fetchone()
            return json.loads(value)

        def versions() -> int:
            with sqlite3.connect(database) as conn:
                return conn.execute("SELECT count(*) FROM versions").fetchone()[0]

        assert watermark()["date"] == earlier.isoformat() and versions() == 1
        # a letter of some 3 MB of text that compresses badly: its blob is far above the limit below,
        # the database and its journal far under it
        rng = random.Random(474)
        words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 12))) for _ in range(300_000)]
        paragraphs = [" ".join(words[i:i + 1000]) + "." for i in range(0, len(words), 1000)]
        peer.add([make_doc("kst-28676-475", "Reactie op verzoek commissie", paragraphs=paragraphs)])

        full = run_process(config, "poll", preexec_fn=limit_file_size(1024 * 1024))

        assert full.returncode == 1, full.stderr
        assert "Traceback" not in full.stderr
        last = full.stderr.strip().splitlines()[-1]
        assert last.startswith("dossier-monitor: poll failed: cannot write snapshot blob ")
        assert last.endswith(": File too large")
        assert watermark()["date"] == earlier.isoformat() and versions() == 1
        assert not [p for p in (tmp_path / "data" / "blobs").rglob("*") if p.name.startswith(".tmp-")]

        again = run_process(config, "poll")
        assert again.returncode == 0, again.stderr
        assert watermark()["date"] == dt.date.today().isoformat() and versions() == 2
    finally:
        peer.stop()
