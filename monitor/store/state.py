"""Small durable state: key/value pairs (watermarks, backfill cursors) and the poll log.

Values are stored as JSON, so a watermark can be ``{"date": "2024-11-22", "identifier":
"kst-28676-474"}`` and come back as the same dict. Keys in use: ``watermark:<dossier>``,
``backfill:<dossier>``; other modules add their own.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from monitor.clock import utc_now
from monitor.store.db import as_utc
from monitor.store.schema import polls, state


@dataclass(frozen=True)
class PollRecord:
    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    ok: bool | None  # None: still running, or the process died mid-poll
    seen: int
    stored: int
    error: str | None


def get_state(conn: Connection, key: str, default: Any = None) -> Any:
    value = conn.execute(select(state.c.value).where(state.c.key == key)).scalar_one_or_none()
    return default if value is None else json.loads(value)


def set_state(conn: Connection, key: str, value: Any) -> None:
    """Set ``key``; ``None`` deletes it."""
    exists = conn.execute(select(state.c.key).where(state.c.key == key)).first() is not None
    if value is None:
        if exists:
            conn.execute(state.delete().where(state.c.key == key))
        return
    encoded = json.dumps(value, ensure_ascii=False, sort_keys=True, default=_encode)
    if exists:
        conn.execute(update(state).where(state.c.key == key).values(value=encoded))
    else:
        conn.execute(insert(state).values(key=key, value=encoded))


ABANDONED = "abandoned: the process ended before the poll did"


def start_poll(conn: Connection) -> int:
    # The data-folder lock makes this the only writer, so a poll still open was abandoned
    # (kill -9, or a daemon that gave up on a hanging job); left open it would read as under
    # way for ever and hide the last finished poll from `status`.
    conn.execute(update(polls).where(polls.c.finished_at.is_(None)).values(
        finished_at=utc_now(), ok=False, error=ABANDONED))
    return conn.execute(insert(polls).values(started_at=utc_now(), seen=0, stored=0)).inserted_primary_key[0]


def finish_poll(conn: Connection, poll_id: int, ok: bool, seen: int, stored: int, error: str | None) -> None:
    conn.execute(update(polls).where(polls.c.id == poll_id).values(
        finished_at=utc_now(), ok=ok, seen=seen, stored=stored, error=error))


def last_polls(conn: Connection, n: int) -> list[PollRecord]:
    """The ``n`` most recent polls, newest first."""
    rows = conn.execute(select(polls).order_by(polls.c.id.desc()).limit(n)).all()
    return [PollRecord(r.id, as_utc(r.started_at), as_utc(r.finished_at),
                       r.ok, r.seen, r.stored, r.error) for r in rows]


def _encode(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} as state")
