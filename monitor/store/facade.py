"""The store: raw snapshots on disk plus the database index, behind one facade.

Every write takes an explicit ``conn`` from ``Store.transaction()``, so the pipeline can
store a new version and create its events and alerts in ONE transaction. Reads open their
own connection unless given one (pass the transaction's ``conn`` to see its own writes).

>>> import datetime as dt, tempfile
>>> from monitor.config import Config, StorageConfig
>>> from monitor.model import Fetched, Publication
>>> cfg = Config(storage=StorageConfig(data_dir=tempfile.mkdtemp()))
>>> pub = Publication("kst-28676-474", "28676", "474", "Geannoteerde agenda", "Brief",
...                   dt.date(2024, 11, 22), dt.date(2024, 11, 22), None)
>>> xml = Fetched("xml", "https://example.org/kst-28676-474.xml", b"<officiele-publicatie/>",
...               dt.datetime(2024, 11, 22, 12, tzinfo=dt.UTC))
>>> with Store.open(cfg) as store:
...     with store.transaction() as conn:
...         first = store.record_publication(conn, pub, [xml], series="fmm-agenda", meeting_date=None)
...     with store.transaction() as conn:
...         again = store.record_publication(conn, pub, [xml], series="fmm-agenda", meeting_date=None)
...     snapshot, data = store.read_version("kst-28676-474")
>>> (first.version, first.new_version, again.new_version, snapshot.manifestation, data)
(1, True, False, 'xml', b'<officiele-publicatie/>')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from monitor.config import Config
from monitor.errors import StorageError
from monitor.model import Fetched, Publication, Snapshot
from monitor.store import snapshots as _snapshots
from monitor.store import state as _state
from monitor.store.blobs import BlobStore, check_identifier
from monitor.store.db import open_database
from monitor.store.lock import DataDirLock
from monitor.store.places import data_folder, write_output
from monitor.store.snapshots import Recorded, StoredPublication, StoredVersion
from monitor.store.state import PollRecord

__all__ = ["BACKUPS_DIR", "BLOBS_DIR", "DataDirLock", "PollRecord", "Recorded", "Store", "StoredPublication",
           "StoredVersion"]

BLOBS_DIR = "blobs"
BACKUPS_DIR = "backups"


class Store:
    def __init__(self, engine: Engine, data_dir: Path):
        self.engine = engine
        self.data_dir = Path(data_dir)
        self.blobs = BlobStore(self.data_dir / BLOBS_DIR)

    @classmethod
    def open(cls, config: Config, *, upgrade: bool = False) -> Store:
        """Open the store; ``upgrade``: bring an older schema up to date (when ``[storage]
        auto_migrate`` allows), as the daemon, ``poll`` and ``backfill`` do. Without it, or
        with auto_migrate off, an older schema is refused with a hint to ``db upgrade``."""
        data_dir = data_folder(config.data_dir)
        auto = upgrade and config.storage.auto_migrate
        refusal = " ([storage] auto_migrate = false)" if upgrade and not auto else ""
        engine = open_database(config.database_url, upgrade=auto, backups=data_dir / BACKUPS_DIR, refusal=refusal)
        store = cls(engine, data_dir)
        store.blobs.remove_stale_temporaries()
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back when it raises.

        A database that cannot be written (disk full, read-only, locked too long) is a
        ``StorageError``: one line, exit code 1, and nothing of the transaction stays.
        """
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise StorageError(f"database {self.engine.url.render_as_string(hide_password=True)}: "
                               f"{exc.orig or exc}") from None

    @contextmanager
    def _reading(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:
            yield conn
        else:
            with self.engine.connect() as own:
                yield own

    # --- snapshots ------------------------------------------------------------------------

    def record_publication(self, conn: Connection, pub: Publication, fetched: list[Fetched], *,
                           series: str, meeting_date: dt.date | None,
                           series_reason: str | None = None) -> Recorded:
        """Store the fetched bytes as a new version of ``pub`` unless its primary content is unchanged."""
        return _snapshots.record_publication(conn, self.blobs, pub, fetched, series=series,
                                             meeting_date=meeting_date, series_reason=series_reason)

    def remember_stamp(self, pub: Publication) -> None:
        """The server says the stored copy of ``pub`` is current (304): keep its new stamp."""
        with self.transaction() as conn:
            _snapshots.remember_stamp(conn, pub)

    def find_version(self, identifier: str, version: int | None = None, manifestation: str | None = None,
                     *, conn: Connection | None = None) -> Snapshot:
        """Which snapshot ``read_version`` reads, without reading its bytes."""
        with self._reading(conn) as c:
            return _snapshots.find_snapshot(c, identifier, version, manifestation)

    def read_version(self, identifier: str, version: int | None = None, manifestation: str | None = None,
                     *, conn: Connection | None = None) -> tuple[Snapshot, bytes]:
        """The bytes of one snapshot, exactly as fetched (latest version, primary manifestation by default)."""
        snap = self.find_version(identifier, version, manifestation, conn=conn)
        return snap, self.blobs.get(snap.sha256)

    def export(self, identifier: str, path: Path, version: int | None = None,
               manifestation: str | None = None, *, parents: bool = False) -> Snapshot:
        """Write one snapshot's raw bytes to ``path`` (by the ``-o`` rule of ``places``) and say which
        one it was."""
        snap, data = self.read_version(identifier, version, manifestation)
        write_output(Path(path), data, parents=parents)
        return snap

    def list_snapshots(self, series: str | None = None, *, conn: Connection | None = None) -> list[dict]:
        with self._reading(conn) as c:
            return _snapshots.list_snapshots(c, series)

    def get_publication(self, identifier: str, *, conn: Connection | None = None) -> StoredPublication | None:
        with self._reading(conn) as c:
            return _snapshots.get_publication(c, identifier)

    def versions_of(self, identifier: str, *, conn: Connection | None = None) -> list[StoredVersion]:
        with self._reading(conn) as c:
            return _snapshots.versions_of(c, identifier)

    def validators(self, identifier: str, *, conn: Connection | None = None) -> dict[str, Snapshot]:
        """The latest version's stored copies per manifestation: their ETag and Last-Modified make
        the next GET conditional. Empty for an identifier not in the store."""
        check_identifier(identifier)
        with self._reading(conn) as c:
            if _snapshots.get_publication(c, identifier) is None:
                return {}
            history = _snapshots.versions_of(c, identifier)
        return {m.manifestation: m for m in history[-1].manifestations} if history else {}

    def previous_in_series(self, identifier: str, *, conn: Connection | None = None) -> str | None:
        """The identifier of the publication before this one in its series (by meeting date)."""
        with self._reading(conn) as c:
            pub = _snapshots.get_publication(c, identifier)
        return pub.previous_in_series if pub else None

    def early_copy_of(self, conn: Connection, pub: Publication) -> StoredPublication | None:
        """The Tweede Kamer's copy of Kamerstuk ``pub`` (by the Kamerstuk it names, else by title
        and date); found by title, it is linked to ``pub`` from now on."""
        copy = _snapshots.early_copy_of(conn, pub)
        if copy is not None and copy.kamerstuk != pub.identifier:
            _snapshots.link_kamerstuk(conn, copy.identifier, pub.identifier)
        return copy

    def official_copy_of(self, conn: Connection, pub: Publication) -> StoredPublication | None:
        """The official publication of the Tweede Kamer's copy ``pub``, if the publisher was first."""
        return _snapshots.official_copy_of(conn, pub)

    def listing_stamp(self, *, conn: Connection | None = None) -> tuple[int, int]:
        """A value that changes whenever a version is stored, and only then: what ``list_snapshots``
        shows (and everything derived from it) can be kept until it changes."""
        with self._reading(conn) as c:
            return _snapshots.listing_stamp(c)

    def agendas(self, series: str = "fmm-agenda", *, conn: Connection | None = None) -> list[StoredPublication]:
        """The publications of ``series``, oldest meeting first."""
        with self._reading(conn) as c:
            return _snapshots.in_series(c, series)

    # --- state and poll log ---------------------------------------------------------------

    def get_state(self, conn: Connection | None, key: str, default: Any = None) -> Any:
        with self._reading(conn) as c:
            return _state.get_state(c, key, default)

    def set_state(self, conn: Connection, key: str, value: Any) -> None:
        _state.set_state(conn, key, value)

    def start_poll(self) -> int:
        """Log the start of a poll, committed at once so ``status`` sees a poll in progress."""
        with self.transaction() as conn:
            return _state.start_poll(conn)

    def finish_poll(self, poll_id: int, ok: bool, seen: int, stored: int, error: str | None = None) -> None:
        with self.transaction() as conn:
            _state.finish_poll(conn, poll_id, ok, seen, stored, error)

    def last_polls(self, n: int = 1) -> list[PollRecord]:
        with self._reading(None) as c:
            return _state.last_polls(c, n)
