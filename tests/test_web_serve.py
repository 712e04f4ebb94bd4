"""`dossier-monitor serve` and `run --web` as processes: real uvicorn on loopback, real signals.

``serve`` takes no data-folder lock, so it starts and answers while another process (the daemon)
holds it; both leave with exit code 0 on SIGTERM. A port in use is one line and exit code 1.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from monitor.store import DataDirLock

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parents[1]


def start(config: Path, *args: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), *args],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    for line in process.stderr:
        if found := re.search(r"pages at (http://\S+)", line):
            return process, found[1]
        assert time.monotonic() < deadline, "no 'pages at' line"
    raise AssertionError(f"exited {process.wait()} before serving")


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def stop(process: subprocess.Popen) -> tuple[int, float]:
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=15)
    return code, time.monotonic() - began


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "monitor.toml"
    # the daemon's polls go to a closed port on loopback: no test reaches the internet
    path.write_text('[storage]\ndata_dir = "data"\n[source]\ninterval_seconds = 3600\n'
                    'sru_url = "http://127.0.0.1:9/sru"\nallowed_hosts = ["127.0.0.1"]\nmax_retries = 0\n'
                    '[daemon]\nstop_grace_seconds = 1\n', encoding="utf-8")
    return path


def test_serve_answers_while_the_daemon_holds_the_lock_and_stops_with_0(config, tmp_path):
    with DataDirLock(tmp_path / "data"):  # what a running daemon holds
        process, url = start(config, "serve", "--listen", "127.0.0.1:0")
        try:
            status, page = get(url + "subscribe")
            assert status == 200 and "Aanmelden voor meldingen" in page
            assert get(url)[0] == 200
        finally:
            code, took = stop(process)
    assert code == 0 and took < 10


def test_run_with_web_serves_the_pages_beside_the_daemon(config):
    process, url = start(config, "run", "--web")
    try:
        assert get(url + "subscribe")[0] == 200
    finally:
        code, took = stop(process)
    assert code == 0 and took < 10


def test_a_port_in_use_is_one_line_and_exit_1(config):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "serve", "--listen",
                               f"127.0.0.1:{port}"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(f"dossier-monitor: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in done.stderr


def test_a_listen_address_that_is_not_host_and_port_is_bad_config(config):
    done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "serve", "--listen", "8080"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and 'expected "host:port"' in done.stderr
