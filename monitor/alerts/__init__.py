"""Alerts: who gets which event (filters), the outbox rows, the mail, its delivery, digests.

Queuing happens inside the caller's transaction (the one that stores the new version and
its events), so an event never exists without its alerts; delivery (``monitor.alerts.delivery``)
runs afterwards and marks each alert sent only once the mail server accepted it.

>>> from monitor.store.db import open_database
>>> from monitor.store import outbox
>>> conn = open_database("sqlite://").connect()
>>> sub, _ = outbox.save_subscriber(conn, "analist@example.org", series="fmm-agenda")
>>> event = outbox.add_event(conn, key="new:kst-28676-474@1", kind="new-letter", dossier="28676",
...                          identifier="kst-28676-474", version=1, series="fmm-agenda", severity=0,
...                          topics=[], summary={"title": "NAVO; Geannoteerde agenda"})
>>> first, again = queue_alerts(conn, event), queue_alerts(conn, event)
>>> (len(first), again)
(1, [])
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy import Connection

from monitor.alerts.compose import alert_message_id
from monitor.alerts.filters import CHANGE_EVENTS, change_count, matches
from monitor.clock import utc_now
from monitor.config import Config
from monitor.model import Alert
from monitor.store import PollRecord, outbox

__all__ = ["queue_alerts", "queue_delivery_notice", "queue_operator_event"]

log = logging.getLogger(__name__)


def queue_alerts(conn: Connection, event_id: int, *, now: dt.datetime | None = None) -> list[int]:
    """One pending alert per subscriber whose filters match the event; ids of the new alerts.

    Idempotent: a subscriber already alerted about the event gets nothing new. A comparison or
    correction without changes creates nothing. A subscriber who gets the comparison of a new
    agenda does not also get the plain "new letter" alert about it: that pending alert is
    cancelled, with the reason, because the comparison mail says the same and more.

    Early warning: an ``early`` event (the Tweede Kamer's copy) goes to subscribers who asked for
    early alerts; when the Kamerstuk is published, those who had its early alert get the
    ``official`` event (queue it first) and not the letter's ``new-letter`` or ``comparison``.
    """
    event = outbox.get_event(conn, event_id)
    if event.kind == "operator":
        return []  # addressed by queue_operator_event, not by subscriptions
    if event.kind in CHANGE_EVENTS and change_count(event) == 0:
        log.info("%s: no changes, no alerts", event.key)
        return []
    if event.kind == "official":
        # exactly those told early, whatever their filters say now: they are waiting for this
        told = outbox.alerted_about(conn, kind="early", identifier=event.old_identifier)
        chosen = [s for s in outbox.list_subscribers(conn) if s.id in told]
    else:
        chosen = [s for s in outbox.list_subscribers(conn) if matches(s, event)]
    if event.kind in ("new-letter", "comparison"):
        # who had the early copy hears of the official text once, through the "official" event
        told = outbox.alerted_about(conn, kind="official", identifier=event.identifier)
        chosen = [s for s in chosen if s.id not in told]
    created = outbox.insert_alerts(conn, event.id, [(s.id, alert_message_id(event.key, s.email)) for s in chosen],
                                   now)
    if event.kind == "comparison":
        outbox.cancel_pending(conn, kind="new-letter", identifier=event.identifier, version=event.version,
                              subscriber_ids=[s.id for s in chosen],
                              reason=f"covered by the comparison alert ({event.key})")
    return created


def queue_operator_event(conn: Connection, config: Config, *, kind: str, polls: Sequence[PollRecord],
                         failing_since: str | None = None, now: dt.datetime | None = None) -> int | None:
    """Record a ``source-failure`` or ``source-recovered`` notice and queue it to ``[mail] operator_email``.

    ``polls`` are the polls it is about, newest first. Returns the event id (None when this very
    notice was recorded before). Without an operator address the event is still recorded.
    """
    if kind not in ("source-failure", "source-recovered"):
        raise ValueError(f"unknown operator notice {kind!r}")
    if not polls:
        raise ValueError("an operator notice needs the polls it is about")
    failing = kind == "source-failure"
    since = failing_since or polls[-1].started_at.isoformat()
    summary = {
        "state": "failing" if failing else "recovered",
        "count": len(polls),
        "since": since,
        "recovered_at": None if failing else polls[0].started_at.isoformat(),
        "polls": [{"started_at": p.started_at.isoformat(), "error": p.error} for p in polls],
    }
    return _notify_operator(conn, config, f"operator:{summary['state']}:{since}", summary, now)


def queue_delivery_notice(conn: Connection, config: Config, failed: Sequence[Alert], *,
                          now: dt.datetime | None = None) -> int | None:
    """Record an ``alerts-failing`` notice naming the ``failed`` alerts (the first 50) and queue it to
    the operator, like ``queue_operator_event``."""
    if not failed:
        raise ValueError("a delivery notice needs the alerts it is about")
    summary = {
        "state": "alerts-failing",
        "count": len(failed),
        "alerts": [{"id": a.id, "to": a.subscriber, "error": a.error} for a in failed[:MAX_LISTED]],
    }
    now = now or utc_now()
    return _notify_operator(conn, config, f"operator:alerts-failing:{now.isoformat()}", summary, now)


MAX_LISTED = 50


def _notify_operator(conn: Connection, config: Config, key: str, summary: dict,
                     now: dt.datetime | None) -> int | None:
    summary = summary | {"timezone": config.daemon.timezone}  # the operator reads times on the daemon's clock
    event_id = outbox.add_event(
        conn, key=key, kind="operator", dossier=",".join(config.source.dossiers), identifier="", version=0,
        series="other", severity=0, topics=[], summary=summary, now=now)
    if event_id is None:
        return None
    address = config.mail.operator_email
    if not address:
        log.warning("operator notice %s not mailed: [mail] operator_email is not set", summary["state"])
        return event_id
    recipient = outbox.ensure_recipient(conn, address, now=now)
    outbox.insert_alerts(conn, event_id, [(recipient.id, alert_message_id(key, address))], now)
    return event_id
