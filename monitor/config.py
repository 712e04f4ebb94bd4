"""Configuration: a TOML file checked against typed defaults.

Unknown keys and wrong types are errors that name the key, so a typo never silently
falls back to a default. Relative paths resolve against the folder of the config file
(or the working directory when there is none), a relative SQLite file in
``storage.database_url`` too.

>>> cfg = Config.load(None)
>>> cfg.source.dossiers
['28676']
>>> cfg.database_url.endswith("snapshots/monitor.sqlite")
True
"""

from __future__ import annotations

import os
import tomllib
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path

from monitor import __version__
from monitor.errors import ConfigError

ENV_VAR = "DOSSIER_MONITOR_CONFIG"


@dataclass(frozen=True)
class SourceConfig:
    sru_url: str = "https://repository.overheid.nl/sru"
    dossiers: list[str] = field(default_factory=lambda: ["28676"])
    allowed_hosts: list[str] = field(
        default_factory=lambda: [
            "repository.overheid.nl",
            "zoek.officielebekendmakingen.nl",
            "repository.officiele-overheidspublicaties.nl",
        ]
    )
    user_agent: str = f"dossier-monitor/{__version__} (+https://github.com/dossier-monitor)"
    interval_seconds: int = 1800
    min_request_interval_seconds: float = 1.0
    timeout_seconds: float = 30.0
    max_response_bytes: int = 20 * 1024 * 1024
    max_retries: int = 4
    backoff_base_seconds: float = 1.0
    max_retry_wait_seconds: float = 300.0  # cap on one backoff or Retry-After wait
    page_size: int = 1000
    fetch_pdf: bool = False
    overlap_days: int = 14  # re-ask this far before the watermark: late-indexed records are not missed
    full_scan_hours: int = 24  # this often, ask for the whole dossier: catches corrections of old letters (0: never)


@dataclass(frozen=True)
class TkConfig:
    """The Tweede Kamer's open data as an early warning (off by default); network rules from [source]."""

    enabled: bool = False
    odata_url: str = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0"
    allowed_hosts: list[str] = field(default_factory=lambda: ["gegevensmagazijn.tweedekamer.nl"])
    # which kinds (Soort) of document are early news; empty: every kind in the dossier
    document_types: list[str] = field(default_factory=lambda: ["Brief regering"])
    page_size: int = 250  # the service's maximum $top
    lookback_days: int = 14  # the first poll records this far back, without alerts
    overlap_hours: int = 24  # each poll re-asks this far before the newest change seen


@dataclass(frozen=True)
class StorageConfig:
    data_dir: str = "snapshots"
    database_url: str = ""
    auto_migrate: bool = True  # the daemon, poll and backfill upgrade an older schema (after a backup)


@dataclass(frozen=True)
class MailConfig:
    smtp_host: str = ""
    smtp_port: int = 587
    security: str = "starttls"
    username: str = ""
    password_env: str = "DOSSIER_MONITOR_SMTP_PASSWORD"
    password_file: str = ""
    ca_file: str = ""  # PEM certificates of a private CA to trust for the server, besides the system's
    from_: str = "dossier-monitor <alerts@localhost>"
    outbox_dir: str = ""  # empty: <data_dir>/outbox
    language: str = "nl"
    timeout_seconds: float = 30.0
    max_attempts: int = 8  # 4xx answers about one alert before it is failed; an outage never counts
    # after the n-th 4xx answer about an alert it waits the n-th value (the last repeats)
    retry_seconds: list[int] = field(default_factory=lambda: [60, 120, 240, 480, 960, 1920, 3600])
    # after the n-th failed connection in a row the server is left alone for the n-th value (the last
    # repeats); 0: the next delivery tick
    outage_retry_seconds: list[int] = field(default_factory=lambda: [0, 60, 120, 300, 600])
    list_unsubscribe: str = ""  # mailto: or https: URL; empty: mailto:<from address>?subject=unsubscribe
    site_url: str = ""  # public URL of the static site, for links in emails
    operator_email: str = ""  # receives source-failure and recovery notices
    max_html_bytes: int = 100_000


@dataclass(frozen=True)
class DaemonConfig:
    jitter_seconds: int = 60
    misfire_grace_seconds: int = 600
    active_hours: str = ""  # "07:00-22:00": poll only inside this window (empty: always)
    active_days: str = ""  # "mon-fri" (empty: every day)
    timezone: str = "Europe/Amsterdam"
    delivery_interval_seconds: int = 60
    digest_hour: int = 7
    failure_threshold: int = 3  # consecutive failed polls before the operator is told
    stop_grace_seconds: float = 7.0  # how long SIGTERM waits for a running job; the rest of 10 s closes


@dataclass(frozen=True)
class SiteConfig:
    path: str = ""  # when set, the site is rebuilt after every poll
    language: str = "nl"
    title: str = ""
    base_url: str = ""


@dataclass(frozen=True)
class Config:
    source: SourceConfig = field(default_factory=SourceConfig)
    tk: TkConfig = field(default_factory=TkConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    daemon: DaemonConfig = field(default_factory=DaemonConfig)
    site: SiteConfig = field(default_factory=SiteConfig)
    base_dir: Path = field(default_factory=Path.cwd)
    path: Path | None = None

    # --- derived locations -------------------------------------------------------------

    def resolve(self, value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    @property
    def data_dir(self) -> Path:
        return self.resolve(self.storage.data_dir)

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL; a relative SQLite file resolves like every other path.

        >>> Config(base_dir=Path("/etc/dm"), storage=StorageConfig(database_url="sqlite:///db/m.sqlite")).database_url
        'sqlite:////etc/dm/db/m.sqlite'
        """
        url = self.storage.database_url
        if not url:
            return f"sqlite:///{self.data_dir / 'monitor.sqlite'}"
        prefix = "sqlite:///"
        path = url[len(prefix):] if url.startswith(prefix) else None
        if path and path != ":memory:" and not Path(path).is_absolute():
            return f"{prefix}{self.resolve(path)}"
        return url

    @property
    def outbox_dir(self) -> Path:
        return self.resolve(self.mail.outbox_dir) if self.mail.outbox_dir else self.data_dir / "outbox"

    def smtp_password(self) -> str:
        """The SMTP password from the environment or a file; never from the TOML itself."""
        if self.mail.password_file:
            try:
                return self.resolve(self.mail.password_file).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"mail.password_file: cannot read ({exc.strerror})") from None
        return os.environ.get(self.mail.password_env, "")

    # --- loading -----------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike | None) -> Config:
        """Load ``path``, else ``$DOSSIER_MONITOR_CONFIG``, else the embedded defaults."""
        if path is None and os.environ.get(ENV_VAR):
            path = os.environ[ENV_VAR]
        if path is None:
            return cls()
        p = Path(path)
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise ConfigError(f"config file {p}: {exc.strerror or exc}") from None
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"config file {p}: not valid TOML ({exc})") from None
        return cls.from_dict(data, base_dir=p.resolve().parent, path=p)

    @classmethod
    def from_dict(cls, data: dict, *, base_dir: Path | None = None, path: Path | None = None) -> Config:
        sections = {f.name: f for f in fields(cls) if f.name not in ("base_dir", "path")}
        values: dict[str, object] = {}
        for name, content in data.items():
            if name not in sections:
                raise ConfigError(f"unknown config section [{name}]")
            if not isinstance(content, dict):
                raise ConfigError(f"config key {name}: expected a table")
            section_type = typing.get_type_hints(cls)[name]
            values[name] = _build_section(section_type, name, content)
        cfg = cls(**values, base_dir=base_dir or Path.cwd(), path=path)
        _check_choices(cfg)
        return cfg

def _toml_name(f) -> str:
    return f.name.rstrip("_")  # "from" is a Python keyword


def _build_section(section_type, section_name: str, content: dict):
    hints = typing.get_type_hints(section_type)
    known = {_toml_name(f): f for f in fields(section_type)}
    kwargs = {}
    for key, value in content.items():
        f = known.get(key)
        if f is None:
            raise ConfigError(f"unknown config key {section_name}.{key}")
        kwargs[f.name] = _check_type(f"{section_name}.{key}", value, hints[f.name])
    return section_type(**kwargs)


def _check_type(key: str, value, expected):
    origin = typing.get_origin(expected)
    if origin is list:
        (item_type,) = typing.get_args(expected)
        if not isinstance(value, list) or not all(isinstance(v, item_type) for v in value):
            raise ConfigError(f"config key {key}: expected a list of {item_type.__name__}")
        return list(value)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is bool and not isinstance(value, bool):
        raise ConfigError(f"config key {key}: expected true or false")
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(f"config key {key}: expected {expected.__name__}, got {type(value).__name__}")
    return value


def _check_choices(cfg: Config) -> None:
    if cfg.mail.security not in ("starttls", "ssl", "none"):
        raise ConfigError('config key mail.security: expected "starttls", "ssl" or "none"')
    for key, lang in (("mail.language", cfg.mail.language), ("site.language", cfg.site.language)):
        if lang not in ("nl", "en"):
            raise ConfigError(f'config key {key}: expected "nl" or "en"')
    if not 0 <= cfg.daemon.stop_grace_seconds <= 8:
        raise ConfigError("config key daemon.stop_grace_seconds: expected 0 to 8 (the daemon exits within 10 s)")
    if not 0 <= cfg.daemon.digest_hour <= 23:
        raise ConfigError("config key daemon.digest_hour: expected an hour from 0 to 23")
    for key in ("retry_seconds", "outage_retry_seconds"):
        schedule = getattr(cfg.mail, key)
        if not schedule or any(s < 0 for s in schedule):
            raise ConfigError(f"config key mail.{key}: expected a list of seconds, 0 or more")
    if cfg.source.interval_seconds < 1:
        raise ConfigError("config key source.interval_seconds: must be at least 1")
    if not 1 <= cfg.tk.page_size <= 250:
        raise ConfigError("config key tk.page_size: expected 1 to 250 (the service's maximum $top)")
    if cfg.tk.lookback_days < 0 or cfg.tk.overlap_hours < 0:
        raise ConfigError("config keys tk.lookback_days and tk.overlap_hours: must not be negative")
    if not cfg.source.dossiers:
        raise ConfigError("config key source.dossiers: name at least one dossier")
