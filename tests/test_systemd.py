"""The systemd units: valid for systemd, hardened, and pointing at the installed command."""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = Path(__file__).parent.parent / "systemd"
INSTALLED = "/opt/dossier-monitor/bin/dossier-monitor"
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "DynamicUser": "yes",
    "StateDirectory": "dossier-monitor",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    "SystemCallFilter": "@system-service",
    "EnvironmentFile": "-/etc/dossier-monitor/env",
}


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def test_the_daemon_unit_runs_the_daemon_with_json_logs_and_restarts_on_failure():
    service = unit("dossier-monitor.service")["Service"]
    assert service["Type"] == "simple"
    assert service["Restart"] == "on-failure"
    assert service["ExecStart"] == (
        f"{INSTALLED} --config /etc/dossier-monitor/config.toml --log-format json run")


@pytest.mark.parametrize("name", ["dossier-monitor.service", "dossier-monitor-poll.service",
                                  "dossier-monitor-web.service"])
def test_every_service_is_hardened_and_keeps_the_password_outside_the_config(name):
    service = unit(name)["Service"]
    for key, value in HARDENING.items():
        assert service.get(key) == value, f"{name}: {key}"


def test_the_timer_variant_is_a_oneshot_poll_started_by_its_timer():
    service = unit("dossier-monitor-poll.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["ExecStart"].endswith(" poll")
    timer = unit("dossier-monitor-poll.timer")
    assert timer["Timer"]["Unit"] == "dossier-monitor-poll.service"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_the_web_unit_serves_the_pages_beside_the_daemon_as_the_same_user():
    service = unit("dossier-monitor-web.service")["Service"]
    assert service["ExecStart"] == f"{INSTALLED} --config /etc/dossier-monitor/config.toml --log-format json serve"
    assert service["Restart"] == "on-failure"
    # a dynamic user is named after its unit unless User= names one: the daemon's is "dossier-monitor"
    assert service["User"] == "dossier-monitor" and "User" not in unit("dossier-monitor.service")["Service"]
    assert "Conflicts" not in unit("dossier-monitor-web.service")["Unit"]


def test_the_two_variants_never_run_together():
    assert "dossier-monitor-poll.timer" in unit("dossier-monitor.service")["Unit"]["Conflicts"]
    assert "dossier-monitor.service" in unit("dossier-monitor-poll.service")["Unit"]["Conflicts"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verify_finds_nothing_to_complain_about(tmp_path):
    # verify insists that ExecStart exists: point the copies at this checkout's command
    here = Path(sys.executable).with_name("dossier-monitor")
    if not here.exists():
        pytest.skip("dossier-monitor console script not installed next to this Python")
    for source in UNITS.iterdir():
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8").replace(INSTALLED, str(here)),
                                            encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr
