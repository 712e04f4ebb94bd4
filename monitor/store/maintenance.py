"""What an operator does to the database itself: see its revision, upgrade it, back it up.

Each opens the database as it is, without the revision check every other command makes, so an
older database can be inspected, copied and upgraded.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from monitor.config import Config
from monitor.errors import BadInput
from monitor.store import migrate
from monitor.store.facade import BACKUPS_DIR, BLOBS_DIR
from monitor.store.db import connect, database_errors, safe_url

DATABASE_FILE = "monitor.sqlite"


@dataclass(frozen=True)
class Revision:
    current: str | None  # None: an empty database
    head: str

    @property
    def behind(self) -> bool:
        return self.current is not None and self.current != self.head


def current(config: Config) -> Revision:
    """The database's revision and the code's; a database newer than the code is refused."""
    with _engine(config) as engine:
        revision = migrate.revision_of(engine)
        migrate.refuse_unknown(engine, revision)
    return Revision(revision, migrate.head())


def upgrade(config: Config, target: str = "head") -> migrate.Prepared:
    """Bring the database to ``target``; a SQLite file is copied into ``<data_dir>/backups`` first."""
    with _engine(config) as engine:
        return migrate.upgrade_to(engine, target, backups=config.data_dir / BACKUPS_DIR)


def backup(config: Config, folder: Path | None = None) -> Path:
    """A consistent copy of a SQLite database, also while the daemon writes to it.

    Without ``folder``: ``<data_dir>/backups/monitor-<time>.sqlite`` (the newest few are kept).
    With it: a whole data folder there (``monitor.sqlite`` and ``blobs/``) that a config with
    ``data_dir`` pointing at it opens as it was. Returns the database copy's path.
    """
    with _engine(config) as engine:
        if not migrate.is_sqlite_file(engine):
            raise BadInput(f"db backup copies SQLite files; for {safe_url(engine.url)} use pg_dump "
                           "(pg_dump --format=custom --file=monitor.dump URL, restored with pg_restore) "
                           f"and copy {config.data_dir / BLOBS_DIR} after it")
        if folder is None:
            backups = config.data_dir / BACKUPS_DIR
            copy = migrate.backup_sqlite(engine, backups / f"monitor-{migrate.timestamp()}.sqlite")
            migrate.prune_backups(backups)
            return copy
        if (folder / DATABASE_FILE).exists():
            raise BadInput(f"{folder / DATABASE_FILE} exists: back up into an empty folder")
        copy = migrate.backup_sqlite(engine, folder / DATABASE_FILE)
    # after the database: blobs are immutable and written before the row that names them, so
    # every blob the copied database names is already there
    blobs = config.data_dir / BLOBS_DIR
    if blobs.is_dir():
        shutil.copytree(blobs, folder / BLOBS_DIR, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".tmp-*"))
    return copy


@contextmanager
def _engine(config: Config) -> Iterator[Engine]:
    engine = connect(config.database_url)
    with database_errors(engine):
        yield engine
    engine.dispose()
