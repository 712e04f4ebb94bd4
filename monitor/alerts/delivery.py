"""Sending what the outbox holds: at least once, in order, never dropped silently.

* Pending alerts go out oldest first (created_at, id), each claimed and committed as sent in
  one transaction only AFTER the server accepted it (or the ``.eml`` file is on disk). A crash in
  between can only cause a resend, and that carries the same ``Message-ID``. On PostgreSQL the
  claim (``SELECT … FOR UPDATE SKIP LOCKED``) keeps the row locked until then, so deliveries in
  several processes never send one alert twice.
* One bad alert never holds back the others. An alert that cannot be composed or put on the
  wire (an address the server cannot take), or that the server refuses for good (5xx), is
  ``failed`` with the reason and delivery goes on with the next one.
* The server answered 4xx for a message: the alert stays pending with ``attempts`` + 1 and
  ``next_attempt_at`` pushed back by ``[mail] retry_seconds`` (1, 2, 4 … minutes, at most an
  hour); after ``[mail] max_attempts`` such answers it is failed with the last reason.
* The server cannot be used at all (refused, timeout, TLS, login, 421, connection lost): the
  round stops, every alert stays pending exactly as it was (an outage is not an answer about
  an alert: it never counts toward ``max_attempts``), and the run ends with ``SmtpUnreachable``
  (exit 1). The server, not each alert, then waits: the next try is at the next delivery tick,
  then after ``[mail] outage_retry_seconds`` (the n-th value after the n-th failure in a row,
  the last repeating). ``alerts send`` tries at once, whatever the wait.
* Daily-digest subscribers get one message per day with all their pending alerts
  (``send_digests``); those alerts end ``digested`` with the day's digest key. A day whose
  digest hour passed without a round that went through (no daemon was polling then) still
  gets its round, late (``digests_missed``), never a second one.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from monitor.alerts.addresses import Undeliverable, envelope
from monitor.alerts.compose import compose_alert, compose_digest, digest_message_id
from monitor.alerts.content import AlertContent, NothingToReport
from monitor.alerts.load import load_content
from monitor.alerts.transport import (
    FolderTransport,
    PermanentFailure,
    SmtpTransport,
    TemporaryFailure,
    Unreachable,
)
from monitor.clock import utc_now
from monitor.config import Config
from monitor.errors import DeliveryError, MonitorError
from monitor.status import DIGEST_ROUND_KEY, OUTAGE_KEY
from monitor.store import Store, outbox

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    cancelled: int = 0  # nothing to report after all (an empty comparison)
    unreachable: str | None = None  # why the server could not be used, when it could not
    resting: bool = False  # not tried: the server failed just before and its wait has not passed

    def __str__(self) -> str:
        text = f"sent {self.sent}, failed {self.failed}, deferred {self.deferred}"
        return text + (f", cancelled {self.cancelled}" if self.cancelled else "")


class SmtpUnreachable(DeliveryError):
    """The mail server could not be used; the alerts stay pending for the next run."""

    def __init__(self, report: DeliveryReport):
        super().__init__(f"{report.unreachable}; alerts stay pending ({report})")
        self.report = report


def nth_wait(schedule: list[int], n: int) -> dt.timedelta:
    """The wait after the ``n``-th failure by a schedule of seconds whose last value repeats.

    >>> [int(nth_wait([60, 120, 240, 3600], n).total_seconds() // 60) for n in (1, 2, 3, 4, 12)]
    [1, 2, 4, 60, 60]
    """
    return dt.timedelta(seconds=schedule[min(max(n, 1), len(schedule)) - 1])


def open_transport(config: Config) -> SmtpTransport | FolderTransport:
    """SMTP when ``[mail] smtp_host`` is set, else ``.eml`` files in the outbox folder."""
    if not config.mail.smtp_host:
        return FolderTransport(config.outbox_dir)
    ca_file = config.resolve(config.mail.ca_file) if config.mail.ca_file else None
    return SmtpTransport(config.mail, config.smtp_password() if config.mail.username else "", ca_file=ca_file)


def preview(store: Store, config: Config, alert_id: int, now: dt.datetime | None = None) -> EmailMessage:
    """The message alert ``alert_id`` would go out in if it were sent ``now``: its own mail, or for a
    daily-digest subscriber today's digest with every alert of theirs that is pending."""
    now = now or utc_now()
    with store.transaction() as conn:
        alert, subscriber, event = outbox.get_alert(conn, alert_id)
        pending = [outbox.get_alert(conn, a) for a in outbox.due_alerts(conn, None, digest=True)] \
            if subscriber.digest else []
    if not subscriber.digest:
        return compose_alert(load_content(store, event), subscriber, config.mail, message_id=alert.message_id,
                             now=now, web_url=config.web.base_url)
    events = [e for _, s, e in pending if s.id == subscriber.id] or [event]
    day, key = _digest_day(config, now)
    return compose_digest([load_content(store, e) for e in events], subscriber, config.mail, day=day,
                          message_id=digest_message_id(key, subscriber.email), now=now,
                          web_url=config.web.base_url)


def _digest_day(config: Config, now: dt.datetime) -> tuple[dt.date, str]:
    """The calendar day in ``[daemon] timezone`` a digest sent ``now`` covers, and its key."""
    day = now.astimezone(ZoneInfo(config.daemon.timezone)).date()
    return day, f"daily:{day.isoformat()}"


def digests_missed(store: Store, config: Config, now: dt.datetime) -> bool:
    """Whether today's digest hour has passed without a digest round that went through: the
    daemon due to send it was down then, or it died and another took over after the hour."""
    if now.astimezone(ZoneInfo(config.daemon.timezone)).hour < config.daemon.digest_hour:
        return False
    return store.get_state(None, DIGEST_ROUND_KEY) != _digest_day(config, now)[1]


def send_pending(store: Store, config: Config, *, now: dt.datetime | None = None,
                 flush: bool = False) -> DeliveryReport:
    """Send every due alert of subscribers who want mail at once (``flush``: every pending one,
    whatever its backoff or the server's wait says, as ``alerts send`` does).

    Raises ``SmtpUnreachable`` (with the report) when the server could not be used.
    """
    now = now or utc_now()
    with store.transaction() as conn:
        due = outbox.due_alerts(conn, None if flush else now, digest=False)
    report = DeliveryReport()
    if not due or (not flush and _resting(store, now, report)):
        return report
    contents = _ContentCache(store)
    transport = open_transport(config)
    try:
        for position, alert_id in enumerate(due):
            # One transaction from the claim to "sent": on PostgreSQL the alert's row stays locked
            # while the server takes the message, so a delivery in another process skips it.
            with store.transaction() as conn:
                claimed = outbox.claim_alert(conn, alert_id)
                if claimed is None:  # sent meanwhile, or being sent by another process
                    continue
                alert, subscriber, event = claimed
                content = contents.get(conn, event, [alert_id], report)
                if content is None:
                    continue
                try:
                    recipient = envelope(subscriber.email)
                    msg = compose_alert(content, subscriber, config.mail, message_id=alert.message_id, now=now,
                                        web_url=config.web.base_url)
                except Exception as exc:  # noqa: BLE001 -- whatever composing raises belongs to this alert alone
                    _uncomposable(conn, [alert_id], exc, report)
                    continue
                try:
                    transport.send(msg, recipient, name=f"alert-{alert.id:06d}")
                except Unreachable as exc:  # the row stays exactly as it was: an outage is no answer
                    report.unreachable = str(exc)
                    report.deferred += len(due) - position
                    break
                except (TemporaryFailure, PermanentFailure) as exc:
                    _refused(conn, config, [alert_id], alert.attempts, exc, now, report)
                    continue
                outbox.mark_sent(conn, [alert_id], now)
            report.sent += 1
            log.info("alert %d sent to %s (%s)", alert.id, subscriber.email, event.key,
                     extra={"fields": {"event": "alert-sent", "alert": alert.id, "message_id": alert.message_id}})
    finally:
        transport.close()
    return _outcome(store, config, report, now)


def send_digests(store: Store, config: Config, now: dt.datetime | None = None) -> DeliveryReport:
    """One message per daily-digest subscriber with all their due alerts, at most one per day.

    The day is the calendar day in ``[daemon] timezone``; the daemon calls this at
    ``[daemon] digest_hour``. Raises ``SmtpUnreachable`` like ``send_pending``.
    """
    now = now or utc_now()
    day, key = _digest_day(config, now)
    with store.transaction() as conn:
        by_subscriber: dict[int, list[int]] = defaultdict(list)
        for alert_id in outbox.due_alerts(conn, now, digest=True):
            by_subscriber[outbox.get_alert(conn, alert_id)[1].id].append(alert_id)
        todo = [(sid, ids) for sid, ids in by_subscriber.items() if outbox.last_digest_key(conn, sid) != key]
    report = DeliveryReport()
    if not todo:
        _round_done(store, key)
        return report
    if _resting(store, now, report):
        return report
    contents = _ContentCache(store)
    transport = open_transport(config)
    try:
        for position, (subscriber_id, alert_ids) in enumerate(todo):
            gathered: list[tuple[int, AlertContent]] = []
            attempts = 0
            with store.transaction() as conn:  # claimed until sent, as in send_pending
                subscriber = outbox.get_subscriber(conn, subscriber_id)
                parts = [claimed for a in alert_ids if (claimed := outbox.claim_alert(conn, a)) is not None]
                for alert, _, event in parts:
                    content = contents.get(conn, event, [alert.id], report)
                    if content is not None:
                        gathered.append((alert.id, content))
                        attempts = max(attempts, alert.attempts)
                if not gathered:
                    continue
                ids = [a for a, _ in gathered]
                try:
                    recipient = envelope(subscriber.email)
                    msg = compose_digest([c for _, c in gathered], subscriber, config.mail, day=day,
                                         message_id=digest_message_id(key, subscriber.email), now=now,
                                         web_url=config.web.base_url)
                except Exception as exc:  # noqa: BLE001 -- this subscriber's digest alone
                    _uncomposable(conn, ids, exc, report)
                    continue
                try:
                    transport.send(msg, recipient, name=f"digest-{day.isoformat()}-{subscriber.id:06d}")
                except Unreachable as exc:
                    report.unreachable = str(exc)
                    report.deferred += sum(len(ids_) for _, ids_ in todo[position:])
                    break
                except (TemporaryFailure, PermanentFailure) as exc:
                    _refused(conn, config, ids, attempts, exc, now, report)
                    continue
                outbox.mark_sent(conn, ids, now, digest_key=key)
            report.sent += 1
            log.info("daily digest of %d alerts sent to %s", len(ids), subscriber.email,
                     extra={"fields": {"event": "digest-sent", "alerts": ids}})
    finally:
        transport.close()
    report = _outcome(store, config, report, now)  # raises when the server could not be used
    _round_done(store, key)
    return report


def _round_done(store: Store, key: str) -> None:
    with store.transaction() as conn:
        store.set_state(conn, DIGEST_ROUND_KEY, key)


# --- outcomes -------------------------------------------------------------------------------------


class _ContentCache:
    """An event's content is loaded once per run, however many subscribers get it."""

    def __init__(self, store: Store):
        self.store = store
        self._loaded: dict[int, AlertContent | MonitorError] = {}

    def get(self, conn: Connection, event: outbox.Event, alert_ids: list[int],
            report: DeliveryReport) -> AlertContent | None:
        """The content, or None after recording (in ``conn``) why the alerts cannot be sent."""
        if event.id not in self._loaded:
            try:
                self._loaded[event.id] = load_content(self.store, event)
            except MonitorError as exc:  # an empty comparison, a damaged blob, an unreadable text
                self._loaded[event.id] = exc
        loaded = self._loaded[event.id]
        if not isinstance(loaded, MonitorError):
            return loaded
        for alert_id in alert_ids:
            if isinstance(loaded, NothingToReport):
                outbox.mark_cancelled(conn, alert_id, str(loaded))
                report.cancelled += 1
            else:
                outbox.mark_failed(conn, alert_id, f"cannot compose: {loaded}")
                report.failed += 1
        log.warning("%s: %s", event.key, loaded)
        return None


def _refused(conn: Connection, config: Config, alert_ids: list[int], attempts: int,
             exc: TemporaryFailure | PermanentFailure, now: dt.datetime, report: DeliveryReport) -> None:
    reason = str(exc)
    permanent = isinstance(exc, PermanentFailure) or attempts + 1 >= config.mail.max_attempts
    if permanent and isinstance(exc, TemporaryFailure):
        reason = f"gave up after {attempts + 1} attempts: {reason}"
    for alert_id in alert_ids:
        if permanent:
            outbox.mark_failed(conn, alert_id, reason)
        else:
            outbox.mark_deferred(conn, alert_id, reason, now + nth_wait(config.mail.retry_seconds, attempts + 1))
    if permanent:
        report.failed += len(alert_ids)
        log.error("alerts %s failed: %s", alert_ids, reason)
    else:
        report.deferred += len(alert_ids)
        log.warning("alerts %s deferred: %s", alert_ids, reason)


def _uncomposable(conn: Connection, alert_ids: list[int], exc: Exception, report: DeliveryReport) -> None:
    reason = f"cannot compose: {exc}" if isinstance(exc, Undeliverable) else \
        f"cannot compose: {type(exc).__name__}: {exc}"
    for alert_id in alert_ids:
        outbox.mark_failed(conn, alert_id, reason)
    report.failed += len(alert_ids)
    # a surprise is a bug worth its traceback, logged once: the alert is never tried again
    log.error("alerts %s failed: %s", alert_ids, reason, exc_info=not isinstance(exc, Undeliverable))


def _resting(store: Store, now: dt.datetime, report: DeliveryReport) -> bool:
    """True (and noted in the report) while the server's wait after a failure has not passed."""
    outage = store.get_state(None, OUTAGE_KEY)
    if outage is None or dt.datetime.fromisoformat(outage["retry_at"]) <= now:
        return False
    report.resting = True
    log.debug("mail server left alone until %s (%s)", outage["retry_at"], outage["error"])
    return True


def _outcome(store: Store, config: Config, report: DeliveryReport, now: dt.datetime) -> DeliveryReport:
    """Remember (or forget) that the server cannot be used; raise ``SmtpUnreachable`` when it could not."""
    with store.transaction() as conn:
        outage = store.get_state(conn, OUTAGE_KEY)
        if report.unreachable is None:
            if outage is not None:
                store.set_state(conn, OUTAGE_KEY, None)
                log.info("mail server usable again (unreachable since %s)", outage["since"],
                         extra={"fields": {"event": "mail-server-back", "since": outage["since"]}})
            return report
        failures = (outage or {}).get("failures", 0) + 1
        store.set_state(conn, OUTAGE_KEY, {
            "since": (outage or {}).get("since", now.isoformat()), "failures": failures,
            "retry_at": (now + nth_wait(config.mail.outage_retry_seconds, failures)).isoformat(), "error": report.unreachable})
    raise SmtpUnreachable(report)
