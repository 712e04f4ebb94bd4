"""One poll cycle: source → snapshots → series → compare → alerts, in that order.

The transaction boundaries, all decided here:

* **one publication, one transaction**: its new version, the events it causes (``new-letter``,
  ``correction``, ``comparison``) and the alerts queued for them commit together or not at all.
  Blobs are written inside that block, before the rows that point to them; a crash leaves at
  most an orphan blob, never a row without its bytes, never an event without its alerts.
* **one dossier, then its watermark**: the watermark moves (in its own transaction) only after
  every publication the search returned was handled: recorded, already known, or refused.
  An outage (timeout, 5xx after retries) or a store that cannot take a snapshot (disk full)
  ends the cycle before that, so the next cycle asks again from the old watermark and
  nothing is skipped.
* **delivery after everything**, outside any pipeline transaction: the outbox marks each alert
  sent in its own transaction once the mail server accepted it.
* **the Tweede Kamer first** (``[tk] enabled``, the early warning): each of its documents is one
  transaction like a publication (its copy, the ``early`` event, the alerts), with a watermark
  of its own; a failure there is logged and never ends the cycle. A Kamerstuk that arrives
  later creates its ``official`` event in the same transaction as its other events, before
  them, so that queuing knows who was told early.

A publication the source refuses (soft 404, malformed or unsafe XML, a foreign host, too
large) is logged and skipped; the rest of the cycle goes on. It stays inside the overlap window
of the next polls, so it is tried again a few times before the watermark leaves it behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import Connection

from monitor import alerts
from monitor.alerts import delivery
from monitor.clock import iso, utc_now
from monitor.compare import compare
from monitor.config import Config
from monitor.documents import read_document, read_snapshot
from monitor.errors import BadInput, DeliveryError, MonitorError, SourceError, StorageError
from monitor.model import Comparison, Document, Fetched, Publication, natural_key, primary_of
from monitor.series import SeriesInfo, classify
from monitor.source import SourceClient, fetch_publication, search_dossier
from monitor.source import tk
from monitor.store import Recorded, Store, StoredPublication
from monitor.store import outbox

log = logging.getLogger(__name__)

AGENDA_SERIES = "fmm-agenda"  # agendas compared with the previous one in their series
OPERATOR_STATE = "operator:failing"
ALERTS_FAILING_STATE = "operator:alerts-failing"

Progress = Callable[[str, int, int], None]  # (dossier, publications handled, publications found)
StopCheck = Callable[[], bool]


@dataclass
class PollResult:
    """What one cycle (or one backfill) did; ``ok`` is False after an outage or an interruption."""

    ok: bool = True
    seen: int = 0  # publications the search returned
    stored: int = 0  # new versions recorded
    known: int = 0  # publications skipped because the store already has them as they are
    refused: list[str] = field(default_factory=list)  # identifiers the source checks refused
    events: list[int] = field(default_factory=list)
    alerts: int = 0  # alerts queued
    error: str | None = None
    early_error: str | None = None  # the Tweede Kamer could not be asked (the cycle went on)
    delivery_error: str | None = None
    site_built: bool = False


class _Stopped(Exception):
    """The caller asked us to stop (a signal): leave between two publications."""


# --- the poll cycle ----------------------------------------------------------------------------


def poll(store: Store, client: SourceClient, config: Config, *, alert: bool = True,
         since: dt.date | None = None, stop: StopCheck | None = None,
         early_client: SourceClient | None = None) -> PollResult:
    """One cycle over every configured dossier, then delivery and the site; logged in the poll log.

    ``since`` overrides the watermark (ask from that date on). A dossier without a watermark
    (never polled nor backfilled) has its history recorded without alerts: subscribers hear
    about what is new from now on, not about years of old letters. With ``[tk] enabled`` the
    Tweede Kamer is asked first (through ``early_client``, else a client made for it here).
    """
    result = PollResult()
    poll_id = store.start_poll()
    try:
        if config.tk.enabled:
            with contextlib.nullcontext(early_client) if early_client else tk.client_for(config) as tk_client:
                _poll_early(store, tk_client, config, result, alert=alert, stop=stop)
        for dossier in config.source.dossiers:
            watermark = _watermark(store, dossier)
            first_time = since is None and store.get_state(None, f"watermark:{dossier}") is None
            start = since or (watermark - dt.timedelta(days=config.source.overlap_days) if watermark else None)
            full_scan = since is None and start is not None and _full_scan_due(store, config, dossier)
            if first_time:
                log.info("dossier %s: first poll; recording its history without alerts", dossier)
            elif full_scan:
                # corrections of letters older than the overlap window only show up in a search
                # without a date clause; the unchanged ones cost nothing (same modification stamp)
                log.info("dossier %s: periodic full scan for corrected older letters", dossier)
                start = None
            _run_dossier(store, client, config, dossier, start, result,
                         alert=alert and not first_time, stop=stop, cursor=None)
    except (SourceError, StorageError) as exc:  # an outage, or a disk that cannot take the snapshot
        result.ok, result.error = False, str(exc)
        log.error("poll failed, watermark unchanged: %s", exc)
    except _Stopped:
        result.ok, result.error = False, "interrupted"
        log.warning("poll interrupted; the next poll continues from the same watermark")
    except BaseException as exc:  # a bug, or Ctrl-C in `dossier-monitor poll`: never a successful poll
        result.ok = False
        result.error = "interrupted" if isinstance(exc, KeyboardInterrupt) else \
            f"internal error: {type(exc).__name__}: {exc}"
        raise
    finally:
        store.finish_poll(poll_id, result.ok, result.seen, result.stored, result.error)
        log.info("poll %s: %d seen, %d stored, %d known, %d refused, %d events, %d alerts queued",
                 "ok" if result.ok else "failed", result.seen, result.stored, result.known,
                 len(result.refused), len(result.events), result.alerts,
                 extra={"fields": {"event": "poll", "ok": result.ok, "seen": result.seen,
                                   "stored": result.stored, "refused": result.refused,
                                   "events": len(result.events), "alerts": result.alerts,
                                   "error": result.error}})
    notify_operator(store, config)
    if alert:
        result.delivery_error = deliver(store, config)
    result.site_built = rebuild_site(store, config, changed=bool(result.stored))
    return result


def backfill(store: Store, client: SourceClient, config: Config, *, dossier: str | None = None,
             since: dt.date | None = None, alert: bool = False, progress: Progress | None = None,
             stop: StopCheck | None = None) -> PollResult:
    """The whole history of ``dossier`` (default: every configured one), oldest first.

    Resumable: a cursor in the state (``backfill:<dossier>``) names the last publication
    handled, and what is already stored is recognised without a request. Queues no alerts
    unless ``alert``. On success the dossier's watermark moves up to what was found, so the
    next poll only asks for what is new.
    """
    result = PollResult()
    dossiers = [dossier] if dossier else list(config.source.dossiers)
    try:
        for name in dossiers:
            key = f"backfill:{name}"
            cursor = store.get_state(None, key)
            resume_after = None
            if isinstance(cursor, dict) and cursor.get("since") == iso(since):
                resume_after = cursor.get("last")
                log.info("dossier %s: resuming the backfill after %s", name, resume_after)
            _run_dossier(store, client, config, name, since, result, alert=alert, stop=stop,
                         cursor=(key, iso(since), resume_after), progress=progress)
            with store.transaction() as conn:
                store.set_state(conn, key, None)
    except _Stopped:
        result.ok, result.error = False, "interrupted"
        log.warning("backfill interrupted; run it again to continue where it stopped")
    except (SourceError, StorageError) as exc:
        result.ok, result.error = False, str(exc)
        log.error("backfill stopped: %s; run it again to continue where it stopped", exc)
    log.info("backfill %s: %d seen, %d stored, %d known, %d refused, %d events, %d alerts queued",
             "done" if result.ok else "incomplete", result.seen, result.stored, result.known,
             len(result.refused), len(result.events), result.alerts)
    if alert:
        result.delivery_error = deliver(store, config)
    result.site_built = rebuild_site(store, config, changed=bool(result.stored))
    return result


def _run_dossier(store: Store, client: SourceClient, config: Config, dossier: str, start: dt.date | None,
                 result: PollResult, *, alert: bool, stop: StopCheck | None,
                 cursor: tuple[str, str | None, str | None] | None, progress: Progress | None = None) -> None:
    """Search, handle every publication found, then move the watermark (see the module docstring)."""
    pubs = search_dossier(client, config.source, dossier, start)
    result.seen += len(pubs)
    skip_through = _index_of(pubs, cursor[2]) if cursor else -1
    for i, pub in enumerate(pubs):
        if stop is not None and stop():
            raise _Stopped
        if i > skip_through:
            state = (cursor[0], {"since": cursor[1], "last": pub.identifier}) if cursor else None
            _handle(store, client, config, pub, result, alert=alert, state=state)
        else:
            result.known += 1
        if progress is not None:
            progress(dossier, i + 1, len(pubs))
    if start is None:  # the whole dossier was read: no full scan is due for a while
        with store.transaction() as conn:
            store.set_state(conn, f"fullscan:{dossier}", utc_now().isoformat())
    newest = max((p.available for p in pubs if p.available), default=None)
    old = _watermark(store, dossier)
    if newest and (old is None or newest > old):
        last = max((p for p in pubs if p.available == newest), key=lambda p: natural_key(p.identifier))
        with store.transaction() as conn:
            store.set_state(conn, f"watermark:{dossier}", {"date": newest.isoformat(), "identifier": last.identifier})
    elif store.get_state(None, f"watermark:{dossier}") is None:
        # an empty dossier: remember that it was polled, so its first letter is not taken for history
        with store.transaction() as conn:
            store.set_state(conn, f"watermark:{dossier}", {"date": None, "identifier": None})


def _handle(store: Store, client: SourceClient, config: Config, pub: Publication, result: PollResult, *,
            alert: bool, state: tuple[str, dict] | None) -> None:
    """One publication: fetch, read, classify, then record + events + alerts in ONE transaction."""
    stored = store.get_publication(pub.identifier)
    if _known_as_is(stored, pub):
        if stored.signals != pub.signals:  # stored before its signals were kept: keep them now
            store.remember_stamp(pub)
        result.known += 1
        return
    try:
        fetched = fetch_publication(client, pub, validators=store.validators(pub.identifier),
                                    want_pdf=config.source.fetch_pdf)
    except SourceError as exc:
        if getattr(exc, "transient", True):
            raise
        _refuse(store, pub, result, state)  # fetch_publication logged the reason already
        return
    primary = primary_of(fetched)
    if primary is None:  # the server says the stored bytes are still current (304)
        store.remember_stamp(pub)
        result.known += 1
        return
    document = _read(primary, pub)
    info = classify(pub, _plain_text(document))
    try:
        with store.transaction() as conn:
            recorded = store.record_publication(conn, pub, fetched, series=info.series,
                                                meeting_date=info.meeting_date, series_reason=info.reason)
            events = _events(store, conn, pub, recorded, info, document) if recorded.new_version else []
            queued = sum(len(alerts.queue_alerts(conn, e)) for e in events) if alert else 0
            if state is not None:
                store.set_state(conn, *state)
    except BadInput as exc:  # the store refuses it (an unsafe identifier, nothing to store)
        log.warning("%s not stored: %s", pub.identifier, exc)
        _refuse(store, pub, result, state)
        return
    if recorded.new_version:
        result.stored += 1
        result.events += events
        result.alerts += queued
        log.info("%s stored as %s version %d (%s)", pub.identifier, recorded.identifier, recorded.version,
                 info.series, extra={"fields": {"event": "stored", "identifier": recorded.identifier,
                                                "version": recorded.version, "series": info.series}})
    else:
        result.known += 1


def _refuse(store: Store, pub: Publication, result: PollResult,
            state: tuple[str, dict] | None) -> None:
    result.refused.append(pub.identifier)
    if state is not None:
        with store.transaction() as conn:
            store.set_state(conn, *state)


# --- events ------------------------------------------------------------------------------------


def _events(store: Store, conn: Connection, pub: Publication, recorded: Recorded, info: SeriesInfo,
            document: Document | None) -> list[int]:
    """The events a new version causes, created in the caller's transaction; ids of the new ones."""
    ident, version = recorded.identifier, recorded.version
    common = dict(dossier=pub.dossier, identifier=ident, version=version, series=info.series)
    created: list[int | None] = []
    if recorded.previous_version is None:
        # first, so that queuing the events below knows who already heard of this letter early
        created.append(_official_event(store, conn, pub, recorded, info, document))
        created.append(outbox.add_event(
            conn, key=f"new:{ident}@{version}", kind="new-letter", severity=0, topics=[],
            summary=_letter_summary(pub, info), **common))
        previous = store.previous_in_series(ident, conn=conn) if info.series == AGENDA_SERIES else None
        compared = _compare_with(store, conn, previous, None, document)
        if compared is not None and not compared[1].is_empty:
            old_version, comparison = compared
            created.append(outbox.add_event(
                conn, key=f"compare:{previous}@{old_version}..{ident}@{version}", kind="comparison",
                old_identifier=previous, old_version=old_version,
                severity=_severity(comparison), topics=_topics(comparison),
                summary=_letter_summary(pub, info) | _comparison_summary(comparison), **common))
    else:
        # a correction: what changed between the two versions goes into the same event
        compared = _compare_with(store, conn, ident, recorded.previous_version, document)
        comparison = compared[1] if compared else None
        created.append(outbox.add_event(
            conn, key=f"correction:{ident}@{version}", kind="correction",
            old_identifier=ident, old_version=recorded.previous_version,
            severity=_severity(comparison) if comparison else 0,
            topics=_topics(comparison) if comparison else [],
            summary=_letter_summary(pub, info) | (_comparison_summary(comparison) if comparison else {}),
            **common))
    return [e for e in created if e is not None]


def _official_event(store: Store, conn: Connection, pub: Publication, recorded: Recorded, info: SeriesInfo,
                    document: Document | None) -> int | None:
    """For the subscribers who had the Tweede Kamer's early copy: the official text is out, and how
    it differs from the early one. None when there was no early copy, or nobody was told of it."""
    copy = store.early_copy_of(conn, pub)
    if copy is None or copy.latest_version is None:
        return None
    log.info("%s is the Tweede Kamer's %s, seen since %s", pub.identifier, copy.identifier,
             copy.first_seen_at.date().isoformat(),
             extra={"fields": {"event": "linked", "identifier": pub.identifier, "early": copy.identifier}})
    if not outbox.alerted_about(conn, kind="early", identifier=copy.identifier):
        return None
    compared = _compare_with(store, conn, copy.identifier, copy.latest_version, document)
    comparison = compared[1] if compared else None
    return outbox.add_event(
        conn, key=f"official:{recorded.identifier}@{recorded.version}", kind="official", dossier=pub.dossier,
        identifier=recorded.identifier, version=recorded.version, old_identifier=copy.identifier,
        old_version=copy.latest_version, series=info.series,
        severity=_severity(comparison) if comparison else 0, topics=_topics(comparison) if comparison else [],
        summary=_letter_summary(pub, info) | (_comparison_summary(comparison) if comparison else {}))


def _compare_with(store: Store, conn: Connection, identifier: str | None, version: int | None,
                  new: Document | None) -> tuple[int, Comparison] | None:
    """(stored version used, ``compare(stored, new)``); None when either side has no readable text."""
    if identifier is None or new is None:
        return None
    snapshot, data = store.read_version(identifier, version, conn=conn)
    try:
        old = read_snapshot(snapshot, data)
    except BadInput as exc:
        log.info("%s@%d: no readable text (%s); nothing to compare with", identifier, snapshot.version, exc)
        return None
    return snapshot.version, compare(old, new)


def _severity(comparison: Comparison) -> int:
    return max((c.severity for c in comparison.changes), default=0)


def _topics(comparison: Comparison) -> list[str]:
    return sorted({t for c in comparison.changes for t in c.topics})


def _letter_summary(pub: Publication, info: SeriesInfo) -> dict:
    return {"title": pub.title, "date": iso(pub.date), "published_as": pub.identifier,
            "meeting_date": iso(info.meeting_date)}


def _comparison_summary(comparison: Comparison) -> dict:
    return {"counts": asdict(comparison.summary), "positions": comparison.position_counts()}


# --- the early warning: the Tweede Kamer's open data -------------------------------------------


def _poll_early(store: Store, client: SourceClient, config: Config, result: PollResult, *, alert: bool,
                stop: StopCheck | None) -> None:
    """Each watched dossier's documents changed at the Tweede Kamer since its own watermark.

    Never ends the cycle: the official source is the system of record, so a failing Tweede Kamer
    is one log line and the publisher is polled as always; its watermark stays, so the next
    cycle asks again. Its first poll records the last ``[tk] lookback_days`` without alerts.
    """
    for dossier in config.source.dossiers:
        key = f"tk-watermark:{dossier}"
        mark = store.get_state(None, key)
        first_time = mark is None
        since = (dt.datetime.fromisoformat(mark) - dt.timedelta(hours=config.tk.overlap_hours) if mark
                 else utc_now() - dt.timedelta(days=config.tk.lookback_days))
        try:
            docs = tk.search_documents(client, config.tk, dossier, since)
            for doc in docs:
                if stop is not None and stop():
                    raise _Stopped
                _handle_early(store, client, config, doc, dossier, result, alert=alert and not first_time)
        except SourceError as exc:
            result.early_error = str(exc)
            log.error("Tweede Kamer: dossier %s not polled, its watermark unchanged: %s", dossier, exc)
            continue
        newest = max((d.modified_at for d in docs), default=None)
        if first_time or (newest is not None and newest > dt.datetime.fromisoformat(mark)):
            with store.transaction() as conn:
                store.set_state(conn, key, (newest or since).astimezone(dt.UTC).isoformat())


def _handle_early(store: Store, client: SourceClient, config: Config, doc: tk.TkDocument, dossier: str,
                  result: PollResult, *, alert: bool) -> None:
    """One Tweede Kamer document: fetch, read, classify, then record + early event + alerts in ONE
    transaction. A file we cannot use (an error page, an unreadable Word file) is one log line and
    nothing is stored; it is tried again while it is inside the overlap."""
    pub = doc.publication(dossier)
    result.seen += 1
    if _known_as_is(store.get_publication(pub.identifier), pub):
        result.known += 1
        return
    try:
        fetched = tk.fetch_document(client, doc, validators=store.validators(pub.identifier))
    except SourceError as exc:
        if getattr(exc, "transient", True):
            raise
        result.refused.append(pub.identifier)
        return
    if fetched is None:  # 304: the stored file is current
        store.remember_stamp(pub)
        result.known += 1
        return
    try:
        document = read_document(fetched.data, source=fetched.url, name=f"{pub.identifier}.{fetched.manifestation}",
                                 media_type=fetched.media_type)
    except BadInput as exc:
        log.warning("%s not stored: no readable text (%s)", pub.identifier, exc)
        result.refused.append(pub.identifier)
        return
    info = classify(pub, _plain_text(document))
    with store.transaction() as conn:
        official = store.official_copy_of(conn, pub)
        if official is not None:  # the publisher was first: this copy brings no news
            pub = dataclasses.replace(pub, kamerstuk=official.identifier)
        recorded = store.record_publication(conn, pub, [fetched], series=info.series,
                                            meeting_date=info.meeting_date, series_reason=info.reason)
        events = _early_events(store, conn, pub, recorded, info, document) \
            if recorded.new_version and official is None else []
        queued = sum(len(alerts.queue_alerts(conn, e)) for e in events) if alert else 0
    if recorded.new_version:
        result.stored += 1
        result.events += events
        result.alerts += queued
        log.info("%s (Tweede Kamer, %s) stored as version %d (%s)%s", pub.identifier, doc.kind or "document",
                 recorded.version, info.series, f", to be {pub.kamerstuk}" if pub.kamerstuk else "",
                 extra={"fields": {"event": "stored", "identifier": recorded.identifier, "source": tk.SOURCE,
                                   "version": recorded.version, "series": info.series}})
    else:
        result.known += 1


def _early_events(store: Store, conn: Connection, pub: Publication, recorded: Recorded, info: SeriesInfo,
                  document: Document) -> list[int]:
    """The early alert for the first version of a Tweede Kamer document; an agenda comes compared
    with the previous official agenda. A later version of the early copy is stored, not announced:
    the official publication is what settles it."""
    if recorded.previous_version is not None:
        return []
    previous = _official_before(store, conn, info) if info.series == AGENDA_SERIES else None
    compared = _compare_with(store, conn, previous, None, document)
    comparison = compared[1] if compared and not compared[1].is_empty else None
    event = outbox.add_event(
        conn, key=f"early:{recorded.identifier}@{recorded.version}", kind="early", dossier=pub.dossier,
        identifier=recorded.identifier, version=recorded.version,
        old_identifier=previous if comparison else None, old_version=compared[0] if comparison else None,
        series=info.series, severity=_severity(comparison) if comparison else 0,
        topics=_topics(comparison) if comparison else [],
        summary=_letter_summary(pub, info) | {"kamerstuk": pub.kamerstuk, "url": next(iter(pub.urls.values()))}
        | (_comparison_summary(comparison) if comparison else {}))
    return [event] if event is not None else []


def _official_before(store: Store, conn: Connection, info: SeriesInfo) -> str | None:
    """The official agenda of the meeting before the one ``info`` names (the latest one without a date)."""
    earlier = [p for p in store.agendas(AGENDA_SERIES, conn=conn)
               if info.meeting_date is None or (p.meeting_date or p.date or dt.date.min) < info.meeting_date]
    return earlier[-1].identifier if earlier else None


# --- after the cycle ---------------------------------------------------------------------------


def deliver(store: Store, config: Config) -> str | None:
    """Send what is pending, telling the operator about alerts that failed; the error text when the
    mail server could not be used."""
    try:
        delivery.send_pending(store, config)
        if notify_failed_alerts(store, config):
            delivery.send_pending(store, config)  # the notice itself, now rather than a tick later
    except DeliveryError as exc:
        log.warning("alerts stay pending: %s", exc)
        return str(exc)
    return None


def notify_failed_alerts(store: Store, config: Config) -> bool:
    """Tell the operator once when alerts start failing, as for a failing source: not again while
    any alert told about is still failing, again once all of those are dealt with (retried and
    sent, or their address removed) and new ones fail. True when a notice was queued."""
    with store.transaction() as conn:
        failing = outbox.failing_alerts(conn, config.mail.operator_email)
        told = store.get_state(conn, ALERTS_FAILING_STATE)  # the newest alert id the last notice named
        if not failing or (told is not None and min(a.id for a in failing) <= told):
            return False
        event = alerts.queue_delivery_notice(conn, config, failing)
        store.set_state(conn, ALERTS_FAILING_STATE, max(a.id for a in failing))
    log.error("%d alerts failed; operator notified (%s)", len(failing), failing[0].error,
              extra={"fields": {"event": "operator-alerts-failing", "alert_event": event}})
    return event is not None and bool(config.mail.operator_email)


def rebuild_site(store: Store, config: Config, *, changed: bool = True) -> bool:
    """Rebuild the static site when ``[site] path`` is set and something changed (or it was never built).

    False when not configured, not needed, or this installation has no site builder.
    """
    if not config.site.path:
        return False
    folder = config.resolve(config.site.path)
    if not changed and folder.exists():
        return False
    try:
        from monitor.site import build_configured_site
    except ImportError:
        log.warning("[site] path is set but this installation has no site builder; site not rebuilt")
        return False
    try:
        report = build_configured_site(store, config, folder)
    except MonitorError as exc:  # the snapshots are safe; a site that lags one poll is not an outage
        log.warning("site not rebuilt: %s", exc)
        return False
    log.info("site rebuilt in %s: %d pages written, %d unchanged, %.1f s", folder, len(report.written),
             len(report.reused), report.seconds, extra={"fields": {"event": "site"}})
    return True


def notify_operator(store: Store, config: Config) -> None:
    """Tell the operator once after ``failure_threshold`` failed polls in a row, and once on recovery."""
    threshold = max(1, config.daemon.failure_threshold)
    recent = store.last_polls(threshold)
    failing_since = store.get_state(None, OPERATOR_STATE)
    if not recent:
        return
    if failing_since is None and len(recent) == threshold and all(p.ok is False for p in recent):
        with store.transaction() as conn:
            event = alerts.queue_operator_event(conn, config, kind="source-failure", polls=recent)
            store.set_state(conn, OPERATOR_STATE, recent[-1].started_at.isoformat())
        log.error("%d polls in a row failed; operator notified (%s)", threshold, recent[0].error,
                  extra={"fields": {"event": "operator-failure", "alert_event": event}})
    elif failing_since is not None and recent[0].ok:
        with store.transaction() as conn:
            event = alerts.queue_operator_event(conn, config, kind="source-recovered", polls=recent[:1],
                                                failing_since=failing_since)
            store.set_state(conn, OPERATOR_STATE, None)
        log.info("polling works again; operator notified", extra={"fields": {"event": "operator-recovered",
                                                                             "alert_event": event}})


# --- small helpers -----------------------------------------------------------------------------


def _full_scan_due(store: Store, config: Config, dossier: str) -> bool:
    hours = config.source.full_scan_hours
    if hours <= 0:
        return False
    last = store.get_state(None, f"fullscan:{dossier}")
    return last is None or utc_now() - dt.datetime.fromisoformat(last) >= dt.timedelta(hours=hours)


def _watermark(store: Store, dossier: str) -> dt.date | None:
    """The newest publication date seen in ``dossier``; None also for a dossier polled while empty."""
    value = store.get_state(None, f"watermark:{dossier}")
    if not isinstance(value, dict) or not value.get("date"):
        return None
    return dt.date.fromisoformat(value["date"])


def _known_as_is(stored: StoredPublication | None, pub: Publication) -> bool:
    """The store has ``pub`` with the same change signals: no request needed.

    Any one signal that moved (a new expression in the item URLs, ``dcterms:modified``,
    ``hasVersion``, a ``datumTijdstipWijziging…`` or ``gzd:timestamp``) means a fetch. A row
    stored before signals were kept is compared by its modification stamp; without either we
    cannot tell, and a conditional GET decides instead.
    """
    if stored is None or stored.latest_version is None:
        return False
    if stored.signals and pub.signals:
        return stored.signals == pub.signals
    return pub.modified is not None and stored.modified == pub.modified


def _read(primary: Fetched, pub: Publication) -> Document | None:
    """The letter as a Document; None (logged) when it has no text we can read: the bytes are kept anyway."""
    try:
        return read_document(primary.data, source=primary.url, name=f"{pub.identifier}.{primary.manifestation}",
                             media_type=primary.media_type)
    except BadInput as exc:
        log.info("%s: no readable text (%s); classified by its title only", pub.identifier, exc)
        return None


def _plain_text(document: Document | None) -> str | None:
    if document is None:
        return None
    lines: list[str] = []
    for section in document.sections:
        if section.heading:
            lines.append(section.heading)
        lines.extend(s.text for s in section.sentences)
    return "\n".join(lines)


def _index_of(pubs: list[Publication], identifier: str | None) -> int:
    if identifier is None:
        return -1
    return next((i for i, p in enumerate(pubs) if p.identifier == identifier), -1)
