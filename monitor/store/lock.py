"""One poller at a time: the data-folder lock (SQLite) or a PostgreSQL advisory lock.

SQLite: an advisory ``flock`` on ``<data_dir>/.lock``, held for the whole life of the process
that writes (daemon, ``poll``, ``backfill``, ``alerts send``). The kernel drops a ``flock`` when
its holder dies, even after ``kill -9``, so a stale lock never needs cleaning up. The file holds
the holder's pid, only to name it in the message.

PostgreSQL: several daemons may share one database (and one blob folder). A session advisory
lock on the database says which of them polls; the others deliver alerts only and take over
when the poller dies, because the server drops the lock with the poller's connection.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path

from sqlalchemy import Connection, Engine, NullPool, create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from monitor.config import Config
from monitor.errors import LockHeld
from monitor.store.db import database_errors
from monitor.store.places import data_folder

LOCK_NAME = ".lock"
POLLER_LOCK_ID = 0x646D706F6C6C  # "dmpoll": the advisory lock id of the poller, per database
APPLICATION = "dossier-monitor"


class DataDirLock:
    """``with DataDirLock(data_dir): …`` — raises ``LockHeld`` at once if another process holds it."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        data_folder(self.path.parent)
        # no O_TRUNC: the holder's pid must survive our failed attempt
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"pid {holder}" if holder else "another process"
            raise LockHeld(f"the data folder {self.path.parent} is in use by another dossier-monitor "
                           f"({who}); wait for it to finish or stop it") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            # the pid stays in the file; it means nothing without the flock
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DataDirLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


class DatabaseLock:
    """The poller's advisory lock on a PostgreSQL database, on a connection of its own."""

    def __init__(self, url: str):
        self.url = make_url(url)
        # the holder's name shows in pg_stat_activity, so a refused process can say who holds it
        name = f"{APPLICATION} pid {os.getpid()} on {socket.gethostname()}"
        self._engine: Engine = create_engine(self.url, poolclass=NullPool, connect_args={"application_name": name[:63]})
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        """Whether this process holds the lock now; a lost connection (server restart) lost it too."""
        if self._conn is None:
            return False
        try:
            self._conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            self._drop()
            return False
        return True

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this process holds it (also from before)."""
        if self.held:
            return True
        with database_errors(self._engine):
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        if conn.execute(text("SELECT pg_try_advisory_lock(:id)"), {"id": POLLER_LOCK_ID}).scalar():
            self._conn = conn
            return True
        conn.close()
        return False

    def acquire(self) -> None:
        """Take the lock or raise ``LockHeld`` at once, naming the process that holds it."""
        if not self.try_acquire():
            raise LockHeld(f"the database {self.url.render_as_string(hide_password=True)} is in use by another "
                           f"dossier-monitor ({self._holder() or 'another process'}); wait for it to finish or stop it")

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": POLLER_LOCK_ID})
            except SQLAlchemyError:
                pass  # the connection is gone, and the lock with it
            self._drop()
        self._engine.dispose()

    def _holder(self) -> str | None:
        query = text("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                     "WHERE l.locktype = 'advisory' AND l.granted "
                     "AND (l.classid::bigint << 32) | l.objid::bigint = :id")
        try:
            with self._engine.connect() as conn:
                name = conn.execute(query, {"id": POLLER_LOCK_ID}).scalar()
        except SQLAlchemyError:
            return None
        return name.removeprefix(f"{APPLICATION} ") if name else None

    def _drop(self) -> None:
        try:
            self._conn.close()
        except SQLAlchemyError:
            pass
        self._conn = None

    def __enter__(self) -> DatabaseLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def poller_lock(config: Config) -> DataDirLock | DatabaseLock:
    """The lock that makes this process the one that polls: per database on PostgreSQL, else per data folder."""
    if make_url(config.database_url).get_backend_name() == "postgresql":
        return DatabaseLock(config.database_url)
    return DataDirLock(config.data_dir)
