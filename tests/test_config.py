"""The configuration file: typed, strict, and relative to where it lives."""

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import Config
from monitor.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "cfg.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_without_a_file_everything_lives_under_snapshots_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)
    cfg = Config.load(None)
    assert cfg.data_dir == tmp_path / "snapshots"
    assert cfg.database_url == f"sqlite:///{tmp_path / 'snapshots' / 'monitor.sqlite'}"
    assert cfg.outbox_dir == tmp_path / "snapshots" / "outbox"
    assert cfg.source.sru_url == "https://repository.overheid.nl/sru"
    assert cfg.mail.smtp_host == ""


def test_relative_paths_resolve_against_the_config_files_folder(tmp_path, monkeypatch):
    monkeypatch.chdir("/")
    cfg = Config.load(write(tmp_path, '[storage]\ndata_dir = "data"\n[mail]\noutbox_dir = "mail/out"\n'))
    assert cfg.data_dir == tmp_path / "data"
    assert cfg.outbox_dir == tmp_path / "mail" / "out"
    # a relative SQLite file too: database and snapshots never end up apart by where one runs it
    cfg = Config.load(write(tmp_path, '[storage]\ndatabase_url = "sqlite:///db/m.sqlite"\n'))
    assert cfg.database_url == f"sqlite:///{tmp_path / 'db' / 'm.sqlite'}"
    cfg = Config.load(write(tmp_path, '[storage]\ndatabase_url = "postgresql+psycopg://u@localhost/dm"\n'))
    assert cfg.database_url == "postgresql+psycopg://u@localhost/dm"


def test_the_environment_variable_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_MONITOR_CONFIG", str(write(tmp_path, '[source]\ndossiers = ["21501-02"]\n')))
    assert Config.load(None).source.dossiers == ["21501-02"]


def test_the_contract_keys_are_all_accepted(tmp_path):
    cfg = Config.load(write(tmp_path, '''
[source]
sru_url = "http://127.0.0.1:8080/sru"
dossiers = ["28676", "36045"]
allowed_hosts = ["127.0.0.1"]
user_agent = "dossier-monitor/test (+ops@example.org)"
interval_seconds = 2
min_request_interval_seconds = 0
timeout_seconds = 5
[storage]
data_dir = "snap"
database_url = ""
[mail]
smtp_host = "127.0.0.1"
smtp_port = 2525
security = "none"
username = ""
password_env = "X_PASSWORD"
from = "Monitor <m@example.org>"
outbox_dir = "out"
language = "en"
'''))
    assert cfg.source.min_request_interval_seconds == 0.0
    assert cfg.mail.from_ == "Monitor <m@example.org>"
    assert cfg.mail.language == "en"


@pytest.mark.parametrize(
    "text, named",
    [
        ("[source]\ndosiers = ['1']\n", "source.dosiers"),
        ("[sources]\n", "[sources]"),
        ("[source]\ninterval_seconds = '30'\n", "source.interval_seconds"),
        ("[source]\ndossiers = [28676]\n", "source.dossiers"),
        ("[mail]\nsecurity = 'tls'\n", "mail.security"),
        ("[mail]\nlanguage = 'de'\n", "mail.language"),
        ("[source]\nfetch_pdf = 1\n", "source.fetch_pdf"),
        ("[source]\ninterval_seconds = true\n", "source.interval_seconds"),
        ("[daemon]\ndigest_hour = 25\n", "daemon.digest_hour"),
        ("[tk]\npage_size = 1000\n", "tk.page_size"),
        ("[tk]\nlookback_days = -1\n", "tk.lookback_days"),
        ("[tk]\nenable = true\n", "tk.enable"),
    ],
)
def test_unknown_keys_and_wrong_types_are_errors_that_name_the_key(tmp_path, text, named):
    with pytest.raises(ConfigError) as err:
        Config.load(write(tmp_path, text))
    assert named in str(err.value)


def test_a_broken_or_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        Config.load(write(tmp_path, "[source\n"))
    with pytest.raises(ConfigError, match="cfg-missing.toml"):
        Config.load(tmp_path / "cfg-missing.toml")


def test_the_smtp_password_comes_from_the_environment_or_a_file_never_the_toml(tmp_path, monkeypatch):
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)
    monkeypatch.setenv("DOSSIER_MONITOR_SMTP_PASSWORD", "s3cret")
    assert Config.load(None).smtp_password() == "s3cret"
    (tmp_path / "pw").write_text("from-file\n")
    assert Config.load(write(tmp_path, '[mail]\npassword_file = "pw"\n')).smtp_password() == "from-file"
    with pytest.raises(ConfigError, match="mail.password"):
        Config.load(write(tmp_path, '[mail]\npassword = "inline"\n'))


def test_bad_configuration_on_the_command_line_is_one_line_and_exit_2(tmp_path):
    cfg = write(tmp_path, "[source]\nbogus = 1\n")
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(cfg), "snapshots", "list"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["dossier-monitor: unknown config key source.bogus"]
