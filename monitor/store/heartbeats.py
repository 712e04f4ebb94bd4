"""Which daemons are running, from the heartbeats they leave in the database.

Every ``dossier-monitor run`` keeps one row in ``daemons`` (host, pid, role, when it started,
when it last beat) and refreshes it at each tick; a clean stop removes it. A row whose last beat
is older than the caller's ``gone_after`` belongs to a daemon that died (``kill -9``, a lost
machine): it no longer counts, and the next daemon that writes its own row removes it. Moments
are read from the database's clock, not the writer's, so daemons on hosts whose clocks differ
still agree on how old a beat is.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select, update

from monitor.store.db import as_utc
from monitor.store.schema import daemons

POLLER, STANDBY = "poller", "standby"


@dataclass(frozen=True)
class Heartbeat:
    id: int
    host: str
    pid: int
    role: str  # POLLER or STANDBY
    started_at: dt.datetime
    beat_at: dt.datetime
    age: dt.timedelta = dt.timedelta(0)  # since the last beat, when read back by ``live``


def database_now(conn: Connection) -> dt.datetime:
    return as_utc(conn.execute(select(func.now())).scalar_one())


def beat(conn: Connection, mine: Heartbeat | None, role: str, gone_after: dt.timedelta) -> Heartbeat:
    """Refresh this process's row, or write it: the first time, and again when another daemon
    removed it as gone while this one was stalled (a suspended machine). Writing it also removes
    the rows of daemons that are gone."""
    now = database_now(conn)
    if mine is not None and conn.execute(update(daemons).where(daemons.c.id == mine.id)
                                         .values(role=role, beat_at=now)).rowcount:
        return Heartbeat(mine.id, mine.host, mine.pid, role, mine.started_at, now)
    conn.execute(delete(daemons).where(daemons.c.beat_at < now - gone_after))
    host, pid = socket.gethostname(), os.getpid()
    started = mine.started_at if mine is not None else now
    new = conn.execute(insert(daemons).values(host=host, pid=pid, role=role, started_at=started, beat_at=now))
    return Heartbeat(new.inserted_primary_key[0], host, pid, role, started, now)


def forget(conn: Connection, mine: Heartbeat) -> None:
    conn.execute(delete(daemons).where(daemons.c.id == mine.id))


def live(conn: Connection, gone_after: dt.timedelta) -> list[Heartbeat]:
    """The daemons that beat within ``gone_after``, the poller first."""
    now = database_now(conn)
    rows = conn.execute(select(daemons).order_by(daemons.c.host, daemons.c.pid)).all()
    beats = [Heartbeat(r.id, r.host, r.pid, r.role, as_utc(r.started_at), as_utc(r.beat_at),
                       max(now - as_utc(r.beat_at), dt.timedelta(0))) for r in rows]
    return sorted((b for b in beats if b.age <= gone_after), key=lambda b: b.role != POLLER)
