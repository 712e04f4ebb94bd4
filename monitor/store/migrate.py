"""Schema revisions (Alembic): which one a database is at, and bringing it up to the code's.

A database is in one of four states when a command opens it:

* empty: the tables of ``schema.py`` are created and stamped with the head revision at once;
* at the head revision: nothing to do (a database made before migrations existed, with our
  tables but no ``alembic_version`` table, counts as the first revision, ``BASELINE``);
* behind: the daemon, ``poll`` and ``backfill`` upgrade it, after a backup of a SQLite file
  into ``<data_dir>/backups`` (unless ``[storage] auto_migrate = false``); every other command
  refuses and names ``dossier-monitor db upgrade``;
* at a revision this code does not know: made by a newer release; refused and never written to.

An upgrade runs in ONE transaction (SQLite alters tables transactionally too), under a lock
that makes a second process wait and then find the work done. Downgrades are refused: the way
back is a backup.

>>> from sqlalchemy import create_engine
>>> engine = create_engine("sqlite://")
>>> prepare(engine).created, revision_of(engine) == head()
(True, True)
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect, text

from monitor.errors import BadInput, SchemaMismatch
from monitor.store.db import safe_url, stamped_revision
from monitor.store.schema import metadata

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"  # the schema of release 0.1.0, before migrations existed
KEPT_BACKUPS = 5
_MIGRATION_LOCK = 0x646D6D31  # PostgreSQL advisory lock id while a migration runs ("dmm1")


@dataclass(frozen=True)
class Prepared:
    """What opening did to the schema."""

    created: bool = False  # an empty database got the tables
    upgraded_from: str | None = None  # the revision before an upgrade
    backup: Path | None = None  # the copy made before it


@cache
def scripts() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def head() -> str:
    return scripts().get_current_head()


def revision_of(engine: Engine) -> str | None:
    """The database's revision; ``BASELINE`` for one made before migrations; None when empty."""
    with engine.connect() as conn:
        return _revision(conn)


def _revision(conn: Connection) -> str | None:
    stamped = stamped_revision(conn)
    if stamped is None and inspect(conn).has_table("publications"):
        return BASELINE
    return stamped


def _stamped(conn: Connection) -> bool:
    return stamped_revision(conn) is not None


def _known(revision: str) -> bool:
    try:
        return scripts().get_revision(revision) is not None
    except CommandError:
        return False


def prepare(engine: Engine, *, upgrade: bool = False, backups: Path | None = None,
            refusal: str = "") -> Prepared:
    """Make the database usable by this code, or refuse it (``SchemaMismatch``).

    ``upgrade``: bring a database that is behind up to the head revision (after a backup into
    ``backups``, for a SQLite file); otherwise it is refused, with ``refusal`` appended to the reason.
    """
    current = revision_of(engine)
    if current is None:
        with _migration_lock(engine) as conn:
            if _revision(conn) is None:  # a second process may have created it meanwhile
                return _create(conn)
        current = revision_of(engine)
    refuse_unknown(engine, current)
    if current == head():
        return Prepared()
    if not upgrade:
        raise SchemaMismatch(f"database {safe_url(engine.url)} is at revision {current}, this dossier-monitor needs "
                             f"{head()}: run `dossier-monitor db upgrade`{refusal}")
    return upgrade_to(engine, "head", backups=backups)


def upgrade_to(engine: Engine, target: str = "head", *, backups: Path | None = None) -> Prepared:
    """Upgrade to ``target`` (a revision id or "head"); a target older than the database is refused."""
    wanted = head() if target == "head" else target
    if not _known(wanted):
        raise BadInput(f"no schema revision {target!r} (known: {', '.join(_all_revisions())})")
    current = revision_of(engine)
    _check_target(engine, current, wanted)
    backup = None
    if current not in (None, wanted) and backups is not None and is_sqlite_file(engine):
        dest = backups / f"monitor-{timestamp()}-before-{wanted}.sqlite"
        try:
            backup = backup_sqlite(engine, dest)
        except (OSError, sqlite3.Error) as exc:
            raise SchemaMismatch(f"database {safe_url(engine.url)} needs an upgrade to {wanted}, but the backup "
                                 f"before it cannot be written to {dest} ({getattr(exc, 'strerror', None) or exc}); "
                                 "the database was not changed") from None
        prune_backups(backups)
    with _migration_lock(engine) as conn:
        before = _revision(conn)  # again, under the lock: another process may have been first
        if before is None:
            return _create(conn)
        _check_target(engine, before, wanted)
        if before == wanted and _stamped(conn):
            return Prepared()
        if not _stamped(conn):
            MigrationContext.configure(conn).stamp(scripts(), BASELINE)
        command.upgrade(alembic_config(conn), wanted)
    if before != wanted:
        log.info("database %s upgraded from revision %s to %s%s", safe_url(engine.url), before, wanted,
                 f"; the copy from before is {backup}" if backup else "",
                 extra={"fields": {"event": "schema-upgraded", "from": before, "to": wanted}})
    return Prepared(upgraded_from=before if before != wanted else None, backup=backup)


def _create(conn: Connection) -> Prepared:
    """An empty database gets schema.py's tables at once, stamped with the head revision (the
    migrations build the same schema: a test compares them)."""
    metadata.create_all(conn)
    MigrationContext.configure(conn).stamp(scripts(), "head")
    return Prepared(created=True)


def _check_target(engine: Engine, current: str | None, wanted: str) -> None:
    refuse_unknown(engine, current)
    if current is not None and current != wanted and _is_ancestor(wanted, current):
        raise BadInput(f"database {safe_url(engine.url)} is at revision {current}; going back to {wanted} is "
                       "not supported: restore a backup instead (see <data_dir>/backups)")


def alembic_config(conn: Connection) -> AlembicConfig:
    """Alembic's configuration for running our migrations on ``conn`` (there is no alembic.ini)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def refuse_unknown(engine: Engine, current: str | None) -> None:
    if current is not None and not _known(current):
        raise SchemaMismatch(f"database {safe_url(engine.url)} is at revision {current}, newer than this "
                             f"dossier-monitor knows (up to {head()}): upgrade dossier-monitor; "
                             "the database was not changed")


def _is_ancestor(older: str, newer: str) -> bool:
    return any(r.revision == older for r in scripts().iterate_revisions(newer, "base"))


def _all_revisions() -> list[str]:
    return [r.revision for r in reversed(list(scripts().walk_revisions()))]


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """One transaction that only one process at a time can be in (schema changes included)."""
    if engine.dialect.name == "sqlite":
        # pysqlite runs DDL outside any transaction unless told: take the write lock ourselves
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK})
        yield conn


# --- backups -------------------------------------------------------------------------------------


def is_sqlite_file(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def backup_sqlite(engine: Engine, dest: Path) -> Path:
    """A consistent copy of the SQLite database at ``dest``, taken with SQLite's backup API.

    Safe while other processes write: the copy is one committed state. It is written next to
    ``dest`` and renamed into place, so a half-written backup never carries the final name.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    with engine.connect() as conn, closing(sqlite3.connect(partial)) as copy:
        conn.connection.driver_connection.backup(copy)
        # one self-contained file: no -wal beside it to forget when it is moved
        copy.execute("PRAGMA journal_mode=DELETE")
    partial.replace(dest)
    return dest


def prune_backups(folder: Path, keep: int = KEPT_BACKUPS) -> None:
    """Keep the ``keep`` newest ``monitor-*.sqlite`` copies in ``folder``."""
    copies = sorted(folder.glob("monitor-*.sqlite"), key=lambda p: p.name)
    for old in copies[:-keep] if keep else copies:
        old.unlink(missing_ok=True)


def timestamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
