"""The transactional outbox: subscribers, events and alerts, as rows.

An event is what happened (a new letter, a new agenda compared with the previous one, a
correction, an operator notice), unique by ``key``; an alert is one email about one event
to one subscriber, unique per (subscriber, event). Both are written in the caller's
transaction, so an event never exists without its alerts and re-running a cycle inserts
nothing twice. Which subscriber gets which event is decided in ``monitor.alerts``; this
module only reads and writes rows.

>>> from monitor.store.db import open_database
>>> conn = open_database("sqlite://").connect()
>>> first = add_event(conn, key="new:kst-28676-474@1", kind="new-letter", dossier="28676",
...                   identifier="kst-28676-474", version=1, series="fmm-agenda", severity=0,
...                   topics=[], summary={"title": "Geannoteerde agenda"})
>>> again = add_event(conn, key="new:kst-28676-474@1", kind="new-letter", dossier="28676",
...                   identifier="kst-28676-474", version=1, series="fmm-agenda", severity=0,
...                   topics=[], summary={})
>>> (first, again, get_event(conn, first).summary["title"])
(1, None, 'Geannoteerde agenda')
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from monitor.clock import utc_now
from monitor.errors import BadInput
from monitor.model import Alert
from monitor.store.db import as_utc
from monitor.store.schema import alerts, events, subscribers


@dataclass(frozen=True)
class Subscriber:
    id: int
    email: str
    dossier: str | None  # None: every watched dossier
    series: str  # "all" or one series name
    topics: tuple[str, ...]  # empty: every topic
    min_severity: int
    digest: str | None  # None: at once; "daily"
    language: str | None  # None: [mail] language
    token: str
    active: bool
    created_at: dt.datetime
    early: bool = False  # also alerted from the Tweede Kamer's open data, before the official text


@dataclass(frozen=True)
class Event:
    id: int
    key: str
    kind: str  # new-letter | comparison | correction | operator
    dossier: str
    identifier: str
    version: int
    old_identifier: str | None
    old_version: int | None
    series: str
    severity: int
    topics: tuple[str, ...]
    summary: dict[str, Any]
    created_at: dt.datetime


# --- subscribers -------------------------------------------------------------------------------


def mailbox(email: str) -> str:
    """The form an address is stored and looked up in: lower case throughout, so ``OK2@EXAMPLE.ORG``
    and ``ok2@example.org`` are one subscriber. Domains ignore case by definition; the local part
    may not, but every mailbox provider in use treats it so, and one person getting every mail
    twice is the worse failure.

    >>> mailbox("Jörg.Schmidt@Bücher.EXAMPLE")
    'jörg.schmidt@bücher.example'
    """
    return email.lower()


def save_subscriber(conn: Connection, email: str, *, dossier: str | None = None, series: str = "all",
                    topics: Sequence[str] = (), min_severity: int = 0, digest: str | None = None,
                    language: str | None = None, early: bool = False,
                    now: dt.datetime | None = None) -> tuple[Subscriber, bool]:
    """Subscribe ``email`` with exactly these settings; (subscriber, True when the address was not
    subscribed before: new, or removed earlier).

    An address already known (also a removed one, in any case) keeps its row, token and history
    and takes the new settings.
    """
    email = mailbox(email)
    values = {"dossier": dossier, "series": series, "topics": json.dumps(list(topics), ensure_ascii=False),
              "min_severity": min_severity, "digest": digest, "language": language, "early": early,
              "active": True}
    existing = find_subscriber(conn, email)
    if existing is None:
        conn.execute(insert(subscribers).values(
            email=email, token=secrets.token_hex(16), created_at=now or utc_now(), **values))
    else:
        conn.execute(update(subscribers).where(subscribers.c.id == existing.id).values(**values))
    return find_subscriber(conn, email), existing is None or not existing.active


def ensure_recipient(conn: Connection, email: str, *, now: dt.datetime | None = None) -> Subscriber:
    """A row for an address that must receive mail without subscribing it (the operator)."""
    email = mailbox(email)
    existing = find_subscriber(conn, email)
    if existing is not None:
        return existing
    conn.execute(insert(subscribers).values(
        email=email, token=secrets.token_hex(16), created_at=now or utc_now(), active=False))
    return find_subscriber(conn, email)


def remove_subscriber(conn: Connection, email: str) -> int:
    """Unsubscribe ``email``: no new alerts, pending ones cancelled; returns how many were cancelled."""
    existing = find_subscriber(conn, email)
    if existing is None or not existing.active:
        raise BadInput(f"not subscribed: {email}")
    conn.execute(update(subscribers).where(subscribers.c.id == existing.id).values(active=False))
    return conn.execute(update(alerts).where(alerts.c.subscriber_id == existing.id,
                                             alerts.c.status == "pending")
                        .values(status="cancelled", error="unsubscribed")).rowcount


def find_subscriber(conn: Connection, email: str) -> Subscriber | None:
    row = conn.execute(select(subscribers).where(subscribers.c.email == mailbox(email))).first()
    return _subscriber(row) if row else None


def get_subscriber(conn: Connection, subscriber_id: int) -> Subscriber:
    return _subscriber(conn.execute(select(subscribers).where(subscribers.c.id == subscriber_id)).one())


def list_subscribers(conn: Connection) -> list[Subscriber]:
    """Active subscribers, oldest first."""
    rows = conn.execute(select(subscribers).where(subscribers.c.active.is_(True)).order_by(subscribers.c.id))
    return [_subscriber(r) for r in rows]


# --- events ------------------------------------------------------------------------------------


def add_event(conn: Connection, *, key: str, kind: str, dossier: str, identifier: str, version: int,
              old_identifier: str | None = None, old_version: int | None = None, series: str,
              severity: int, topics: Iterable[str], summary: dict[str, Any],
              now: dt.datetime | None = None) -> int | None:
    """Record an event; its id, or None when an event with ``key`` exists (re-runs are no-ops)."""
    if conn.execute(select(events.c.id).where(events.c.key == key)).first() is not None:
        return None
    return conn.execute(insert(events).values(
        key=key, kind=kind, dossier=dossier, identifier=identifier, version=version,
        old_identifier=old_identifier, old_version=old_version, series=series, severity=severity,
        topics=json.dumps(sorted(set(topics)), ensure_ascii=False),
        summary=json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str),
        created_at=now or utc_now(),
    )).inserted_primary_key[0]


def get_event(conn: Connection, event_id: int) -> Event:
    row = conn.execute(select(events).where(events.c.id == event_id)).first()
    if row is None:
        raise BadInput(f"no event {event_id}")
    return _event(row)


# --- alerts ------------------------------------------------------------------------------------


def insert_alerts(conn: Connection, event_id: int, recipients: Iterable[tuple[int, str]],
                  now: dt.datetime | None = None) -> list[int]:
    """One pending alert per (subscriber id, Message-ID) not yet alerted about ``event_id``."""
    already = set(conn.execute(select(alerts.c.subscriber_id).where(alerts.c.event_id == event_id)).scalars())
    created = []
    for subscriber_id, message_id in recipients:
        if subscriber_id in already:
            continue
        created.append(conn.execute(insert(alerts).values(
            subscriber_id=subscriber_id, event_id=event_id, status="pending", attempts=0,
            message_id=message_id, created_at=now or utc_now(),
        )).inserted_primary_key[0])
    return created


def cancel_pending(conn: Connection, *, kind: str, identifier: str, version: int,
                   subscriber_ids: Iterable[int], reason: str) -> int:
    """Cancel pending alerts about ``kind`` events of identifier@version for these subscribers."""
    ids = list(subscriber_ids)
    if not ids:
        return 0
    event_ids = select(events.c.id).where(events.c.kind == kind, events.c.identifier == identifier,
                                          events.c.version == version)
    return conn.execute(update(alerts).where(
        alerts.c.status == "pending", alerts.c.subscriber_id.in_(ids), alerts.c.event_id.in_(event_ids),
    ).values(status="cancelled", error=reason)).rowcount


def alerted_about(conn: Connection, *, kind: str, identifier: str) -> set[int]:
    """Ids of the subscribers told (or about to be told) of a ``kind`` event about ``identifier``:
    their alert is pending, sent or went out in a digest."""
    return set(conn.execute(
        select(alerts.c.subscriber_id).join(events, events.c.id == alerts.c.event_id)
        .where(events.c.kind == kind, events.c.identifier == identifier,
               alerts.c.status.in_(("pending", "sent", "digested")))).scalars())


def due_alerts(conn: Connection, now: dt.datetime | None, *, digest: bool) -> list[int]:
    """Ids of pending alerts whose retry time has come by ``now`` (None: all pending), oldest first.

    ``digest`` picks the alerts of daily-digest subscribers instead of everyone else's.
    """
    wants_digest = subscribers.c.digest == "daily"
    query = (select(alerts.c.id).join(subscribers, subscribers.c.id == alerts.c.subscriber_id)
             .where(alerts.c.status == "pending",
                    wants_digest if digest else or_(subscribers.c.digest.is_(None), ~wants_digest))
             .order_by(alerts.c.created_at, alerts.c.id))
    if now is not None:
        query = query.where(or_(alerts.c.next_attempt_at.is_(None), alerts.c.next_attempt_at <= now))
    return list(conn.execute(query).scalars())


def claim_alert(conn: Connection, alert_id: int) -> tuple[Alert, Subscriber, Event] | None:
    """Lock a pending alert for the rest of ``conn``'s transaction, for sending it; None when it is
    no longer pending or another worker holds it.

    On PostgreSQL this is ``SELECT … FOR UPDATE SKIP LOCKED``: several processes can walk the same
    queue and each alert is sent by one of them. SQLite has no row locks and needs none: one
    process writes there (the data-folder lock).
    """
    claimed = conn.execute(select(alerts.c.id).where(alerts.c.id == alert_id, _pending())
                           .with_for_update(skip_locked=True)).first()
    return get_alert(conn, alert_id) if claimed else None


def get_alert(conn: Connection, alert_id: int) -> tuple[Alert, Subscriber, Event]:
    row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
    if row is None:
        raise BadInput(f"no alert {alert_id} (see `dossier-monitor alerts list`)")
    subscriber = get_subscriber(conn, row.subscriber_id)
    event = get_event(conn, row.event_id)
    return _alert(row, subscriber.email, event.key, event.kind, event.identifier), subscriber, event


def list_alerts(conn: Connection, status: str | None = None) -> list[Alert]:
    return _alerts_where(conn, *([alerts.c.status == status] if status is not None else []))


def failing_alerts(conn: Connection, operator_email: str = "") -> list[Alert]:
    """Failed alerts that still matter: those of active subscribers and of the operator (an address
    since removed is dealt with), oldest first."""
    return _alerts_where(conn, alerts.c.status == "failed",
                         or_(subscribers.c.active.is_(True), subscribers.c.email == mailbox(operator_email)))


def retry_failed(conn: Connection, alert_ids: Sequence[int] = ()) -> int:
    """Put failed alerts (these, or all) back in the queue as new; how many."""
    query = update(alerts).where(alerts.c.status == "failed")
    if alert_ids:
        query = query.where(alerts.c.id.in_(list(alert_ids)))
    return conn.execute(query.values(status="pending", attempts=0, next_attempt_at=None, error=None)).rowcount


def last_digest_key(conn: Connection, subscriber_id: int) -> str | None:
    return conn.execute(select(alerts.c.digest_key).where(
        alerts.c.subscriber_id == subscriber_id, alerts.c.digest_key.is_not(None),
    ).order_by(alerts.c.sent_at.desc(), alerts.c.id.desc()).limit(1)).scalar_one_or_none()


def mark_sent(conn: Connection, alert_ids: Iterable[int], now: dt.datetime, *,
              digest_key: str | None = None) -> None:
    """Delivered (``digested`` when it went out inside a daily digest)."""
    conn.execute(update(alerts).where(alerts.c.id.in_(list(alert_ids)), _pending())
                 .values(status="digested" if digest_key else "sent", sent_at=now, digest_key=digest_key,
                         error=None, attempts=alerts.c.attempts + 1))


def mark_deferred(conn: Connection, alert_id: int, error: str, next_attempt_at: dt.datetime) -> None:
    conn.execute(update(alerts).where(alerts.c.id == alert_id, _pending()).values(
        attempts=alerts.c.attempts + 1, next_attempt_at=next_attempt_at, error=error))


def mark_failed(conn: Connection, alert_id: int, error: str) -> None:
    """Given up for good: the reason stays on the row, the alert is never retried."""
    conn.execute(update(alerts).where(alerts.c.id == alert_id, _pending()).values(
        status="failed", attempts=alerts.c.attempts + 1, error=error))


def mark_cancelled(conn: Connection, alert_id: int, reason: str) -> None:
    conn.execute(update(alerts).where(alerts.c.id == alert_id, _pending()).values(
        status="cancelled", error=reason))


# --- helpers -----------------------------------------------------------------------------------


def _pending():
    # an alert leaves "pending" once: a late writer can never resurrect or re-mark it
    return alerts.c.status == "pending"



def _alerts_where(conn: Connection, *conditions) -> list[Alert]:
    """Alerts (with their address and event) that meet ``conditions``, oldest first."""
    query = (select(alerts, subscribers.c.email, events.c.key.label("event_key"), events.c.kind,
                    events.c.identifier)
             .join(subscribers, subscribers.c.id == alerts.c.subscriber_id)
             .join(events, events.c.id == alerts.c.event_id)
             .where(*conditions)
             .order_by(alerts.c.created_at, alerts.c.id))
    return [_alert(r, r.email, r.event_key, r.kind, r.identifier) for r in conn.execute(query)]


def _subscriber(row) -> Subscriber:
    return Subscriber(id=row.id, email=row.email, dossier=row.dossier, series=row.series,
                      topics=tuple(json.loads(row.topics or "[]")), min_severity=row.min_severity,
                      digest=row.digest, language=row.language, token=row.token, active=bool(row.active),
                      created_at=as_utc(row.created_at), early=bool(row.early))


def _event(row) -> Event:
    return Event(id=row.id, key=row.key, kind=row.kind, dossier=row.dossier, identifier=row.identifier,
                 version=row.version, old_identifier=row.old_identifier, old_version=row.old_version,
                 series=row.series, severity=row.severity, topics=tuple(json.loads(row.topics or "[]")),
                 summary=json.loads(row.summary or "{}"), created_at=as_utc(row.created_at))


def _alert(row, email: str, event_key: str, kind: str, identifier: str) -> Alert:
    return Alert(id=row.id, subscriber=email, event_key=event_key, kind=kind, identifier=identifier,
                 status=row.status,
                 created_at=as_utc(row.created_at), attempts=row.attempts,
                 next_attempt_at=as_utc(row.next_attempt_at), sent_at=as_utc(row.sent_at),
                 error=row.error, message_id=row.message_id)
