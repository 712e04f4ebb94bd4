"""Opening the database: one engine per process, SQLite in WAL mode with foreign keys on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from monitor.errors import ConfigError, DatabaseUnusable
from monitor.store import schema


def open_database(url: str, *, upgrade: bool = False, backups: Path | None = None, refusal: str = "") -> Engine:
    """The engine for ``url``, its schema at the code's revision (see ``monitor.store.migrate``).

    A database that cannot be used (a folder, a file that is no database, a server that does not
    answer or refuses the login, a revision this code cannot work with) raises one ``BadInput``
    line that names the URL without its password.

    >>> engine = open_database("sqlite://")
    >>> sorted(engine.dialect.get_table_names(engine.connect()))[:3]
    ['alembic_version', 'alerts', 'daemons']
    """
    engine = connect(url)
    with database_errors(engine):
        with engine.connect() as conn:
            current = stamped_revision(conn)
        if current != schema.REVISION:
            # Alembic takes a third of a second to import: only for a database to create, recognise,
            # upgrade or refuse, never for one at this code's revision
            from monitor.store import migrate

            migrate.prepare(engine, upgrade=upgrade, backups=backups, refusal=refusal)
        if engine.dialect.name == "sqlite":
            # WAL: readers never block the one writer, and a crash mid-write leaves the last commit
            # intact. It is kept in the file, so it is set once the database is known to be ours
            # to write: a refused one stays byte for byte as it was.
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    return engine


def connect(url: str) -> Engine:
    """The engine for ``url``, as it is: its schema neither checked nor changed."""
    if url.startswith("sqlite:///"):
        folder = Path(url.removeprefix("sqlite:///")).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnusable(f"database {safe_url(url)}: cannot create its folder {folder} "
                                   f"({exc.strerror or exc})") from None
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise ConfigError(f"storage.database_url: cannot use {safe_url(url)} ({exc})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def database_errors(engine: Engine) -> Iterator[None]:
    """A driver error while opening becomes one line naming the URL; the engine is closed on any error."""
    try:
        yield
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseUnusable(f"database {safe_url(engine.url)}: {_reason(exc)}") from None
    except BaseException:
        engine.dispose()
        raise


def stamped_revision(conn: Connection) -> str | None:
    """The revision in the database's ``alembic_version`` table; None when it has none."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def safe_url(url: str | URL) -> str:
    """The URL for messages: never the password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError):
        return "(an unreadable URL)"


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own first line, which says what is wrong (no SQL, no traceback)."""
    cause = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
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
