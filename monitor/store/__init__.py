"""The store: the only part of the monitor that touches the disk and the database.

``Store`` (in ``monitor.store.facade``) is loaded on first use: the database layer brings in
SQLAlchemy and Alembic, most of a second on a small machine, and a command that only writes
a file through ``monitor.store.places`` (``diff -o``) must not wait for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.store.facade import (BACKUPS_DIR, BLOBS_DIR, DataDirLock, PollRecord, Recorded, Store,
                                      StoredPublication, StoredVersion)

_FACADE = frozenset({"BACKUPS_DIR", "BLOBS_DIR", "DataDirLock", "PollRecord", "Recorded", "Store",
                     "StoredPublication", "StoredVersion"})

__all__ = sorted(_FACADE)


def __getattr__(name: str) -> Any:
    if name not in _FACADE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from monitor.store import facade

    return getattr(facade, name)
