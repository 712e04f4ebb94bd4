"""How the monitor is doing, for people (``status``) and for health checks (``status --json``).

Everything comes from the database, so ``status`` works the same next to the daemon, next to
the poll timer, or with nothing running. It is unhealthy (exit code 1) when polling is stale
(no successful poll within ``STALE_INTERVALS`` poll intervals) or when mail is not getting
through: alerts that failed for a subscriber still subscribed (or for the operator), or alerts
waiting longer than ``STUCK_AFTER`` (a day more for a daily-digest subscriber).

Which daemons run comes from their heartbeats (``monitor.store.heartbeats``), so ``status`` on
any machine sees the daemons on every machine that shares the database: a daemon whose last beat
is older than ``GONE_AFTER_TICKS`` delivery ticks is gone.

>>> from monitor.config import Config
>>> now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
>>> is_stale(None, now, 1800)
True
>>> is_stale(now - dt.timedelta(minutes=89), now, 1800), is_stale(now - dt.timedelta(minutes=91), now, 1800)
(False, True)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, func, or_, select

from monitor.clock import iso, utc_now
from monitor.config import Config
from monitor.model import Alert
from monitor.store import PollRecord, Store, heartbeats, outbox
from monitor.store.db import as_utc
from monitor.store.heartbeats import POLLER, Heartbeat
from monitor.store.schema import alerts, manifestations, polls, publications, subscribers, versions

SCHEMA = "dossier-monitor.status/1"
STALE_INTERVALS = 3
STUCK_AFTER = dt.timedelta(hours=1)
GONE_AFTER_TICKS = 3
# state keys: the polling daemon's next poll while it runs (see monitor.daemon), the mail outage
NEXT_POLL_KEY = "daemon:next_poll"
OUTAGE_KEY = "delivery:outage"  # since when the mail server cannot be used, and when to try again
DIGEST_ROUND_KEY = "delivery:digest_round"  # the day key of the last digest round that went through


@dataclass(frozen=True)
class Status:
    now: dt.datetime
    interval_seconds: int
    dossiers: tuple[str, ...]
    last_poll: PollRecord | None  # the most recent FINISHED poll
    current_poll: PollRecord | None  # a poll started after it and still under way
    last_success: dt.datetime | None
    last_error: tuple[dt.datetime, str] | None  # when the most recent failed poll started, and why
    next_poll: dt.datetime | None  # only known while the daemon that polls runs
    daemons: tuple[Heartbeat, ...]  # the live ones, the poller first
    watermarks: dict[str, str | None]
    counts: dict[str, int]
    early_watermarks: dict[str, str | None] = field(default_factory=dict)  # [tk] enabled: its last change seen
    failing: tuple[Alert, ...] = ()  # failed alerts that still matter (see outbox.failing_alerts)
    outage: dict | None = None  # the mail server cannot be used: since, failures, retry_at, error

    @property
    def daemon_pid(self) -> int | None:
        """The pid of the daemon that polls (on its own host)."""
        return next((d.pid for d in self.daemons if d.role == POLLER), None)

    @property
    def stale(self) -> bool:
        return is_stale(self.last_success, self.now, self.interval_seconds)

    @property
    def mail_trouble(self) -> str | None:
        """Why mail is not getting through, in one line; None when it is."""
        parts = []
        if self.failing:
            parts.append(f"{len(self.failing)} alerts failed (see `dossier-monitor alerts list --failed`)")
        if self.counts["alerts_stuck"]:
            parts.append(f"{self.counts['alerts_stuck']} alerts waiting longer than they should")
        if parts and self.outage:
            parts.append(f"the mail server cannot be used since {self.outage['since']}: {self.outage['error']}")
        return "; ".join(parts) or None

    @property
    def healthy(self) -> bool:
        return not self.stale and self.mail_trouble is None


def is_stale(last_success: dt.datetime | None, now: dt.datetime, interval_seconds: int) -> bool:
    return last_success is None or now - last_success > dt.timedelta(seconds=STALE_INTERVALS * interval_seconds)


def gone_after(config: Config) -> dt.timedelta:
    """How old a daemon's last heartbeat may be before the daemon counts as gone: it beats once a
    delivery tick, on a thread of its own, so three missed beats mean it died (or its machine did).

    >>> gone_after(Config())
    datetime.timedelta(seconds=180)
    """
    return dt.timedelta(seconds=GONE_AFTER_TICKS * config.daemon.delivery_interval_seconds)


def read_status(store: Store, config: Config, now: dt.datetime | None = None) -> Status:
    now = now or utc_now()
    with store.engine.connect() as conn:
        recent = store.last_polls(2)
        success = conn.execute(select(func.max(polls.c.finished_at)).where(polls.c.ok.is_(True))).scalar()
        failed = conn.execute(select(polls.c.started_at, polls.c.error).where(polls.c.ok.is_(False))
                              .order_by(polls.c.id.desc()).limit(1)).first()
        daemons = tuple(heartbeats.live(conn, gone_after(config)))
        polling = any(d.role == POLLER for d in daemons)
        next_poll = store.get_state(conn, NEXT_POLL_KEY) if polling else None
        watermarks = {d: _watermark_date(store.get_state(conn, f"watermark:{d}")) for d in config.source.dossiers}
        early = {d: store.get_state(conn, f"tk-watermark:{d}") for d in config.source.dossiers} \
            if config.tk.enabled else {}
        counts = _counts(conn, now)
        failing = tuple(outbox.failing_alerts(conn, config.mail.operator_email))
        outage = store.get_state(conn, OUTAGE_KEY)
    return Status(
        now=now, interval_seconds=config.source.interval_seconds, dossiers=tuple(config.source.dossiers),
        last_poll=next((p for p in recent if p.finished_at is not None), None),
        current_poll=recent[0] if recent and recent[0].finished_at is None else None,
        last_success=as_utc(success),
        last_error=(as_utc(failed.started_at), failed.error or "") if failed else None,
        next_poll=dt.datetime.fromisoformat(next_poll) if next_poll else None,
        daemons=daemons, watermarks=watermarks, counts=counts, failing=failing,
        outage=outage, early_watermarks=early,
    )


def _counts(conn: Connection, now: dt.datetime) -> dict[str, int]:
    def count(query) -> int:
        return conn.execute(query).scalar() or 0

    return {
        "publications": count(select(func.count()).select_from(publications)
                              .where(publications.c.reissue_of.is_(None), publications.c.source == "koop")),
        "early_copies": count(select(func.count()).select_from(publications).where(publications.c.source == "tk")),
        "versions": count(select(func.count()).select_from(versions)),
        "snapshots": count(select(func.count()).select_from(manifestations)),
        "subscribers": count(select(func.count()).select_from(subscribers).where(subscribers.c.active.is_(True))),
        "alerts_pending": count(select(func.count()).select_from(alerts).where(alerts.c.status == "pending")),
        "alerts_failed": count(select(func.count()).select_from(alerts).where(alerts.c.status == "failed")),
        "alerts_stuck": count(select(func.count()).select_from(alerts)
                              .join(subscribers, subscribers.c.id == alerts.c.subscriber_id)
                              .where(alerts.c.status == "pending", or_(
                                  and_(subscribers.c.digest == "daily",
                                       alerts.c.created_at < now - STUCK_AFTER - dt.timedelta(days=1)),
                                  and_(or_(subscribers.c.digest.is_(None), subscribers.c.digest != "daily"),
                                       alerts.c.created_at < now - STUCK_AFTER)))),
    }


def _watermark_date(value) -> str | None:
    return value.get("date") if isinstance(value, dict) else value


# --- presenting ---------------------------------------------------------------------------------


def status_json(status: Status) -> dict:
    """The ``status --json`` object (schema ``dossier-monitor.status/1``)."""
    return {
        "schema": SCHEMA,
        "now": iso(status.now),
        "healthy": status.healthy,
        "stale": status.stale,
        "mail": {
            "trouble": status.mail_trouble,
            "failing": [{"id": a.id, "subscriber": a.subscriber, "event": a.event_key, "error": a.error}
                        for a in status.failing],
            "outage": status.outage,
        },
        "interval_seconds": status.interval_seconds,
        "dossiers": list(status.dossiers),
        "last_poll": _poll_json(status.last_poll),
        "current_poll": _poll_json(status.current_poll),
        "last_success": iso(status.last_success),
        "last_error": None if status.last_error is None else {
            "at": iso(status.last_error[0]), "message": status.last_error[1]},
        "next_poll": iso(status.next_poll),
        "daemon": {"running": bool(status.daemons), "pid": status.daemon_pid},
        "daemons": [{"host": d.host, "pid": d.pid, "role": d.role, "started_at": iso(d.started_at),
                     "last_beat": iso(d.beat_at), "beat_age_seconds": round(d.age.total_seconds())}
                    for d in status.daemons],
        "watermarks": status.watermarks,
        "early_watermarks": status.early_watermarks,
        "counts": status.counts,
    }


def _poll_json(poll: PollRecord | None) -> dict | None:
    if poll is None:
        return None
    return {"id": poll.id, "started_at": iso(poll.started_at), "finished_at": iso(poll.finished_at),
            "ok": poll.ok, "seen": poll.seen, "stored": poll.stored, "error": poll.error}


TEXTS = {
    "nl": {
        "last_poll": "laatste poll", "never": "nog nooit", "running": "poll bezig sinds", "ok": "gelukt",
        "failed": "mislukt", "seen": "gezien", "stored": "opgeslagen", "last_success": "laatste geslaagde poll",
        "last_error": "laatste fout", "next_poll": "volgende poll", "unknown": "onbekend (daemon draait niet)",
        "publications": "publicaties", "versions": "versies", "snapshots": "snapshots",
        "subscribers": "abonnees", "pending": "meldingen in de wachtrij", "failed_alerts": "meldingen mislukt",
        "stale": "VEROUDERD: geen geslaagde poll in de laatste {n} intervallen", "healthy": "in orde",
        "state": "toestand", "watermark": "bijgewerkt tot", "early": "Tweede Kamer, dossier", "stuck": "te lang in de wachtrij",
        "outage": "mailserver onbruikbaar sinds", "next_try": "volgende poging", "mail_trouble": "MAIL KOMT NIET AAN",
        "daemon": "daemon {host} (pid {pid}): {role} · laatste hartslag {age} s geleden · gestart {started}",
        "poller": "pollt", "standby": "reserve (bezorgt, neemt het pollen over)", "no_daemon": "daemon: draait niet",
    },
    "en": {
        "last_poll": "last poll", "never": "never", "running": "poll running since", "ok": "ok",
        "failed": "failed", "seen": "seen", "stored": "stored", "last_success": "last successful poll",
        "last_error": "last error", "next_poll": "next poll", "unknown": "unknown (daemon not running)",
        "publications": "publications", "versions": "versions", "snapshots": "snapshots",
        "subscribers": "subscribers", "pending": "alerts pending", "failed_alerts": "alerts failed",
        "stale": "STALE: no successful poll in the last {n} intervals", "healthy": "healthy",
        "state": "state", "watermark": "up to", "early": "Tweede Kamer, dossier", "stuck": "waiting too long",
        "outage": "mail server unusable since", "next_try": "next try", "mail_trouble": "MAIL NOT GETTING THROUGH",
        "daemon": "daemon {host} (pid {pid}): {role} · last beat {age} s ago · started {started}",
        "poller": "polls", "standby": "standby (delivers, takes over polling)", "no_daemon": "daemon: not running",
    },
}


def status_text(status: Status, language: str = "nl") -> str:
    t = TEXTS[language]
    lines = []
    last = status.last_poll
    if last is None:
        lines.append(f"{t['last_poll']}: {t['never']}")
    else:
        result = t["ok"] if last.ok else t["failed"]
        lines.append(f"{t['last_poll']}: {_local(last.started_at)} · {result} · {last.seen} {t['seen']} · "
                     f"{last.stored} {t['stored']}")
    if status.current_poll is not None:
        lines.append(f"{t['running']}: {_local(status.current_poll.started_at)}")
    lines.append(f"{t['last_success']}: {_local(status.last_success) if status.last_success else t['never']}")
    if status.last_error is not None:
        lines.append(f"{t['last_error']}: {_local(status.last_error[0])} · {status.last_error[1]}")
    lines.append(f"{t['next_poll']}: {_local(status.next_poll) if status.next_poll else t['unknown']}")
    for d in status.daemons:
        lines.append(t["daemon"].format(host=d.host, pid=d.pid, role=t[d.role], age=round(d.age.total_seconds()),
                                        started=_local(d.started_at)))
    if not status.daemons:
        lines.append(t["no_daemon"])
    for dossier, date in status.watermarks.items():
        lines.append(f"dossier {dossier}: {t['watermark']} {date or '-'}")
    for dossier, moment in status.early_watermarks.items():
        seen = _local(dt.datetime.fromisoformat(moment)) if moment else "-"
        lines.append(f"{t['early']} {dossier}: {t['watermark']} {seen}")
    c = status.counts
    lines.append(f"{c['publications']} {t['publications']} · {c['versions']} {t['versions']} · "
                 f"{c['snapshots']} {t['snapshots']} · {c['subscribers']} {t['subscribers']}")
    lines.append(f"{c['alerts_pending']} {t['pending']} · {c['alerts_failed']} {t['failed_alerts']} · "
                 f"{c['alerts_stuck']} {t['stuck']}")
    for a in status.failing:
        lines.append(f"  {a.id:>5}  {a.subscriber}  {a.kind}  {a.identifier or '-'}  ({a.error})")
    if status.outage:
        lines.append(f"{t['outage']} {_local(dt.datetime.fromisoformat(status.outage['since']))} · "
                     f"{status.outage['error']} · {t['next_try']} "
                     f"{_local(dt.datetime.fromisoformat(status.outage['retry_at']))}")
    problems = ([t["stale"].format(n=STALE_INTERVALS)] if status.stale else []) + \
        ([t["mail_trouble"]] if status.mail_trouble else [])
    lines.append(f"{t['state']}: " + (" · ".join(problems) or t["healthy"]))
    return "\n".join(lines)


def _local(value: dt.datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
