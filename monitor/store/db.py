"""Opening the database: one engine per process, SQLite in WAL mode with foreign keys on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from monitor.errors import ConfigError
from monitor.store.schema import metadata


def open_database(url: str) -> Engine:
    """Create the engine for ``url`` and the tables that are missing.

    >>> engine = open_database("sqlite://")
    >>> sorted(engine.dialect.get_table_names(engine.connect()))[:3]
    ['alerts', 'events', 'manifestations']
    """
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        _sqlite_file(Path(url.removeprefix("sqlite:///")))
    try:
        engine = create_engine(url, future=True)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise ConfigError(f"storage.database_url: cannot use {url!r} ({exc})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        metadata.create_all(engine)
    except DBAPIError as exc:  # not a database, unreadable, read-only, …: one line, not 137
        engine.dispose()
        raise ConfigError(f"storage.database_url {engine.url.render_as_string(hide_password=True)}: "
                          f"cannot be opened ({exc.orig or exc})") from None
    return engine


def _sqlite_file(path: Path) -> None:
    """The folder of a SQLite file, made if missing; a ``ConfigError`` naming the path when the file
    cannot be there."""
    if path.is_dir():
        raise ConfigError(f"storage.database_url: {path} is a folder, not a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"storage.database_url: no folder for {path} ({exc.strerror or exc})") from None


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers never block the one writer, and a crash mid-write leaves the last commit intact
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def as_utc(value: datetime | None) -> datetime | None:
    """A datetime read back from the database, in UTC (an empty column stays ``None``).

    Everything is written in UTC; SQLite keeps no offset and hands back naive values.

    >>> as_utc(datetime(2024, 11, 22, 9, 30)).isoformat(), as_utc(None)
    ('2024-11-22T09:30:00+00:00', None)
    """
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
