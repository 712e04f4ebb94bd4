"""``dossier-monitor run``: the scheduler that polls, delivers and sends digests until told to stop.

Three jobs on an APScheduler 3 ``BackgroundScheduler``, all on ONE worker thread, so two jobs
never write to the database at the same time (SQLite has one writer; a second thread would
meet "database is locked" instead of waiting):

* ``poll``: every ``[source] interval_seconds`` plus up to ``[daemon] jitter_seconds``, only
  inside the optional active window; ``coalesce`` and ``max_instances=1``, so a late or long
  poll never causes a burst of polls. The first run is computed from the last poll in the
  database: a restart neither polls at once after a recent poll nor waits a whole interval
  when a poll is overdue.
* ``deliver``: the tick, every ``delivery_interval_seconds``: pending alerts whose backoff has
  passed.
* ``digest``: daily at ``digest_hour`` (``[daemon] timezone``); when the mail server cannot take
  them then, each delivery tick tries again until it can. A daemon that starts polling after the
  hour (a restart, or a standby taking over) sends the day's round at its first tick when no
  round went through that day.

Beside them, on a thread of its own, the ``heartbeat`` refreshes this daemon's row in the
database at the same interval as the tick (``status`` reads the rows, see
``monitor.store.heartbeats``). Its own thread, because a long poll or delivery round must not
make a living daemon look gone; it is one short write, which SQLite's other writer waits for.

On PostgreSQL several daemons may share one database: each delivers (alerts are claimed row
by row, so none goes out twice), but only the holder of the poller lock (an advisory lock on
the database, see ``monitor.store.lock``) polls and sends digests. The others try for it at
every tick, so when the poller dies a standby takes over within about one tick; it then gets
the poll schedule the poller had (one interval after the last poll; at once when that is past
or the last poll was left unfinished). The lock lives as long as the connection that took it,
which nothing else uses; the poller checks it is still held before each poll and digest round
and between two publications, so a poller whose connection broke (and whose lock another
daemon may have taken) stops within one publication, and the database's unique keys refuse
what that one would store twice. On SQLite the data-folder lock, held by ``dossier-monitor run``
for the daemon's whole life, makes it the only daemon anyway.

The main thread only waits for SIGTERM/SIGINT. Then the running job is asked to stop between
two publications, the scheduler stops, and the database is closed; a job still busy after
``[daemon] stop_grace_seconds`` (stuck in a slow request) is abandoned, which is safe because every
publication is one transaction and every file is written atomically. Either way the process
exits 0 within 10 seconds.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import signal
import threading
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor import pipeline
from monitor.alerts import delivery
from monitor.clock import utc_now
from monitor.config import Config
from monitor.errors import ConfigError, MonitorError
from monitor.source import SourceClient
from monitor.status import NEXT_POLL_KEY, gone_after
from monitor.store import Store, heartbeats
from monitor.store.heartbeats import POLLER, STANDBY, Heartbeat
from monitor.store.lock import DatabaseLock

log = logging.getLogger(__name__)

STARTUP_DELAY_SECONDS = 2.0  # an overdue poll runs this soon after start, once everything is up
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


# --- when to poll --------------------------------------------------------------------------------


def first_poll_time(last_started: dt.datetime | None, now: dt.datetime, interval_seconds: float) -> dt.datetime:
    """When the first poll after a (re)start is due: one interval after the last, or soon if overdue.

    >>> now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    >>> first_poll_time(now - dt.timedelta(minutes=10), now, 1800).time()
    datetime.time(12, 20)
    >>> first_poll_time(now - dt.timedelta(hours=2), now, 1800) == now + dt.timedelta(seconds=STARTUP_DELAY_SECONDS)
    True
    >>> first_poll_time(None, now, 1800) == now + dt.timedelta(seconds=STARTUP_DELAY_SECONDS)
    True
    """
    soon = now + dt.timedelta(seconds=STARTUP_DELAY_SECONDS)
    if last_started is None:
        return soon
    return max(soon, last_started + dt.timedelta(seconds=interval_seconds))


@dataclass(frozen=True)
class ActiveWindow:
    """Hours of the day and days of the week in which polls may start, in one time zone.

    ``hours`` are minutes after midnight (start, end); an end before the start spans midnight,
    and then the day named is the day the window opens.

    >>> w = ActiveWindow.parse("07:00-22:00", "mon-fri", "Europe/Amsterdam")
    >>> ams = ZoneInfo("Europe/Amsterdam")
    >>> w.contains(dt.datetime(2026, 11, 27, 21, 59, tzinfo=ams))   # a Friday evening
    True
    >>> w.next_open(dt.datetime(2026, 11, 27, 22, 30, tzinfo=ams)).isoformat()   # → Monday morning
    '2026-11-30T07:00:00+01:00'
    >>> ActiveWindow.parse("", "", "Europe/Amsterdam").always
    True
    """

    start: int | None  # minutes after midnight; None: all day
    end: int | None
    days: frozenset[int]  # 0 = Monday
    zone: ZoneInfo

    @property
    def always(self) -> bool:
        return self.start is None and len(self.days) == 7

    @classmethod
    def parse(cls, hours: str, days: str, timezone: str) -> ActiveWindow:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"config key daemon.timezone: unknown time zone {timezone!r}") from None
        start = end = None
        if hours.strip():
            m = _HOURS.match(hours)
            if not m or int(m[1]) > 23 or int(m[3]) > 24 or int(m[2]) > 59 or int(m[4]) > 59:
                raise ConfigError(f'config key daemon.active_hours: expected "HH:MM-HH:MM", got {hours!r}')
            start, end = int(m[1]) * 60 + int(m[2]), int(m[3]) * 60 + int(m[4])
            if start == end:
                raise ConfigError("config key daemon.active_hours: the window is empty (start equals end)")
        return cls(start, end, _parse_days(days), zone)

    def contains(self, when: dt.datetime) -> bool:
        local = when.astimezone(self.zone)
        minute = local.hour * 60 + local.minute
        if self.start is None:
            return local.weekday() in self.days
        if self.start < self.end:
            return local.weekday() in self.days and self.start <= minute < self.end
        if minute >= self.start:
            return local.weekday() in self.days
        return minute < self.end and (local.weekday() - 1) % 7 in self.days

    def next_open(self, when: dt.datetime) -> dt.datetime:
        """``when`` itself if it lies inside the window, else the next moment the window opens."""
        if self.contains(when):
            return when
        # compared in UTC: two local times of one zone compare by their clock readings, and on the
        # night the clocks go back one reading names two moments
        now = when.astimezone(dt.UTC)
        for ahead in range(8):
            day = when.astimezone(self.zone).date() + dt.timedelta(days=ahead)
            if day.weekday() not in self.days:
                continue
            for opening in self._openings(day):
                if opening.astimezone(dt.UTC) > now:
                    return opening
        raise AssertionError("a window with at least one day opens within a week")

    def _openings(self, day: dt.date) -> list[dt.datetime]:
        """The moments of ``day`` at which the clock comes to read the window's start, earliest first:
        one, or two on the night the clocks go back.

        >>> w = ActiveWindow.parse("02:30-03:30", "", "Europe/Amsterdam")
        >>> [t.isoformat() for t in w._openings(dt.date(2026, 3, 29))]   # 02:30 never happens that night
        ['2026-03-29T03:00:00+02:00']
        >>> [t.isoformat() for t in w._openings(dt.date(2026, 10, 25))]  # 02:30 happens twice
        ['2026-10-25T02:30:00+02:00', '2026-10-25T02:30:00+01:00']
        """
        wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=self.start or 0)
        readings = sorted({wall.replace(tzinfo=self.zone, fold=f).astimezone(dt.UTC) for f in (0, 1)})
        real = [r for r in readings if r.astimezone(self.zone).replace(tzinfo=None) == wall]
        if real:
            return [r.astimezone(self.zone) for r in real]
        # The start falls in the hour the clocks skip: the window opens when they jump, which lies
        # between the two readings of the missing time.
        moment = readings[0]
        while moment.astimezone(self.zone).replace(tzinfo=None) < wall:
            moment += dt.timedelta(minutes=1)
        return [moment.astimezone(self.zone)]


def _parse_days(text: str) -> frozenset[int]:
    """``"mon-fri"``, ``"mon,wed,fri"``, ``"sat-sun"``, ``"fri-mon"``; empty: every day.

    >>> sorted(_parse_days("fri-mon")), sorted(_parse_days("mon, wed"))
    ([0, 4, 5, 6], [0, 2])
    """
    if not text.strip():
        return frozenset(range(7))
    days: set[int] = set()
    for part in text.lower().split(","):
        names = [p.strip() for p in part.split("-")]
        if len(names) > 2 or any(n not in DAYS for n in names):
            raise ConfigError(f'config key daemon.active_days: expected days like "mon-fri" or "mon,wed,fri", '
                              f"got {text!r}")
        first, last = DAYS.index(names[0]), DAYS.index(names[-1])
        days.update((first + i) % 7 for i in range((last - first) % 7 + 1))
    return frozenset(days)


class WindowTrigger(BaseTrigger):
    """An interval trigger whose fire times outside the active window move to its next opening."""

    def __init__(self, inner: BaseTrigger, window: ActiveWindow, jitter: float):
        self.inner, self.window, self.jitter = inner, window, jitter

    def get_next_fire_time(self, previous_fire_time, now):
        when = self.inner.get_next_fire_time(previous_fire_time, now)
        if when is None or self.window.contains(when):
            return when
        # everyone's window opens at the same minute: spread the first polls like the others
        return self._apply_jitter(self.window.next_open(when), self.jitter, now)

    def __str__(self) -> str:
        return f"{self.inner} within the active window"


def effective_jitter(config: Config) -> float:
    """The configured jitter, but never more than a tenth of the interval (short test intervals)."""
    return min(float(config.daemon.jitter_seconds), config.source.interval_seconds / 10)


def poll_trigger(config: Config, first: dt.datetime) -> BaseTrigger:
    window = ActiveWindow.parse(config.daemon.active_hours, config.daemon.active_days, config.daemon.timezone)
    jitter = effective_jitter(config)
    inner = IntervalTrigger(seconds=config.source.interval_seconds, start_date=first, timezone=window.zone,
                            jitter=jitter or None)
    return inner if window.always else WindowTrigger(inner, window, jitter)


# --- the daemon ----------------------------------------------------------------------------------


class Daemon:
    """Runs until ``stop()`` (a signal handler calls it); ``run()`` returns when everything is closed."""

    def __init__(self, config: Config, store: Store, poller: DatabaseLock | None = None):
        """``poller``: the lock to hold before polling; None when this daemon holds the data-folder
        lock (SQLite) and so is the only one."""
        self.config, self.store, self.poller = config, store, poller
        self._polls_now = False  # True once this daemon took the poller lock and the poll schedule (_claim)
        self._heartbeat: Heartbeat | None = None
        self._beating = threading.Lock()  # a clean stop removes the row once no beat is writing it
        self._stopping = threading.Event()
        self._digests_owed = False
        self._idle = threading.Event()
        self._idle.set()
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=1), "heartbeat": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": config.daemon.misfire_grace_seconds},
            timezone=ZoneInfo(config.daemon.timezone),
        )

    # --- jobs ---------------------------------------------------------------------------

    def poll_job(self) -> None:
        with self._busy() as go:
            if go and self._polls():
                with SourceClient(self.config.source) as client:
                    pipeline.poll(self.store, client, self.config, stop=self._poll_must_stop)
                self._remember_next_poll()

    def deliver_job(self) -> None:
        """The tick: take over polling when the poller is gone, then deliver."""
        with self._busy() as go:
            if go:
                self._claim()
                pipeline.deliver(self.store, self.config)
                if self._digests_owed:
                    self._send_digests()

    def digest_job(self) -> None:
        with self._busy() as go:
            if go and self._polls():
                self._digests_owed = True
                self._send_digests()

    def _send_digests(self) -> None:
        """Today's digests; when the server cannot take them they are owed, and every delivery tick
        tries again (an outage at the digest hour must not cost a day)."""
        try:
            report = delivery.send_digests(self.store, self.config)
        except MonitorError as exc:
            log.warning("daily digests not sent: %s; tried again at the next delivery", exc)
            return
        self._digests_owed = report.resting

    # --- lifecycle ----------------------------------------------------------------------

    def heartbeat_job(self) -> None:
        with self._beating:
            if self._stopping.is_set():
                return
            try:
                with self.store.transaction() as conn:
                    self._heartbeat = heartbeats.beat(conn, self._heartbeat, POLLER if self._polls_now else STANDBY,
                                                      gone_after(self.config))
            except MonitorError as exc:
                log.warning("heartbeat not written: %s", exc)

    def schedule(self, now: dt.datetime | None = None) -> dt.datetime | None:
        """Add the tick, the heartbeat and the digest job, and the poll job when this daemon takes the
        poller lock; returns when the first poll will run (None: another daemon polls)."""
        tick = self.config.daemon.delivery_interval_seconds
        self.scheduler.add_job(self.deliver_job, IntervalTrigger(seconds=tick), id="deliver", name="deliver")
        self.scheduler.add_job(self.heartbeat_job, IntervalTrigger(seconds=tick), id="heartbeat", name="heartbeat",
                               executor="heartbeat")
        self.scheduler.add_job(self.digest_job, CronTrigger(hour=self.config.daemon.digest_hour, minute=0,
                                                            timezone=ZoneInfo(self.config.daemon.timezone)),
                               id="digest", name="digest")
        self._claim(now)
        return self.scheduler.get_job("poll").next_run_time if self._polls_now else None

    def run(self) -> None:
        logging.getLogger("apscheduler").setLevel(logging.WARNING)  # our jobs log their own one line
        first = self.schedule()
        self.heartbeat_job()
        self.scheduler.start()
        if first is not None:
            log.info("daemon started: polling %s every %d s, first poll %s",
                     ", ".join(self.config.source.dossiers), self.config.source.interval_seconds,
                     first.isoformat(timespec="seconds"), extra={"fields": {"event": "started", "pid": os.getpid()}})
        else:
            log.info("daemon started: delivering alerts; another daemon polls, this one takes over when it stops",
                     extra={"fields": {"event": "started", "pid": os.getpid(), "standby": True}})
        while not self._stopping.wait(0.5):
            pass
        self._shutdown()

    def stop(self, signum: int | None = None) -> None:
        if not self._stopping.is_set():
            name = signal.Signals(signum).name if signum else "request"
            log.info("stopping (%s)", name, extra={"fields": {"event": "stopping", "signal": name}})
        self._stopping.set()

    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda signum, _frame: self.stop(signum))

    def _shutdown(self) -> None:
        self.scheduler.shutdown(wait=False)
        grace = self.config.daemon.stop_grace_seconds
        deadline = time.monotonic() + grace
        # a beat still writing must finish first, or it would bring the row back after we remove it
        if self._idle.wait(grace) and self._beating.acquire(timeout=max(0.0, deadline - time.monotonic())):
            try:
                with self.store.transaction() as conn:
                    if self._polls_now:
                        self.store.set_state(conn, NEXT_POLL_KEY, None)
                    if self._heartbeat is not None:
                        heartbeats.forget(conn, self._heartbeat)
            finally:
                self._beating.release()  # a beat waiting for it sees the daemon stopping and writes nothing
            if self.poller is not None:
                self.poller.release()
            self.store.close()
            log.info("stopped", extra={"fields": {"event": "stopped"}})
            return
        # A job is stuck (a slow request, a long backoff). Its open transaction dies with the
        # process and rolls back; the next start picks up from the last committed state.
        log.warning("the current job did not finish within %.0f s; abandoning it", grace,
                    extra={"fields": {"event": "stopped", "abandoned": True}})
        logging.shutdown()
        os._exit(0)

    def _claim(self, now: dt.datetime | None = None) -> None:
        """At start and at every tick: a daemon that does not poll takes the poller lock when it is
        free, and with it the poll schedule (from the last poll in the database)."""
        if (self._polls_now and self._polls()) or (self.poller is not None and not self.poller.try_acquire()):
            return
        self._polls_now = True
        now = now or utc_now()
        if delivery.digests_missed(self.store, self.config, now):
            self._digests_owed = True  # sent at this tick: the day's digest hour passed while no daemon polled
        last = self.store.last_polls(1)
        # Only the lock holder polls, and that is this process now: a poll left unfinished was
        # abandoned (kill -9 mid-poll) and is due at once.
        done = last[0].started_at if last and last[0].finished_at is not None else None
        trigger = poll_trigger(self.config, first_poll_time(done, now, self.config.source.interval_seconds))
        self.scheduler.add_job(self.poll_job, trigger, id="poll", name="poll", replace_existing=True,
                               next_run_time=trigger.get_next_fire_time(None, now))
        self._remember_next_poll()
        if self.poller is not None:
            log.info("this daemon polls now (it holds the poller lock)",
                     extra={"fields": {"event": "poller", "pid": os.getpid()}})

    def _polls(self) -> bool:
        """Whether this daemon may poll: it is the only one, or it took the poller lock and still holds it."""
        if self.poller is None:
            return True
        if self._polls_now and not self.poller.held:
            self._polls_now = False
            log.warning("this daemon lost the poller lock (its database connection broke); it delivers "
                        "and takes the lock again when it is free", extra={"fields": {"event": "standby"}})
        return self._polls_now

    def _poll_must_stop(self) -> bool:
        """A poll's stop check between two publications: a signal, or the poller lock lost (another
        daemon may poll now)."""
        return self._stopping.is_set() or not self._polls()

    def _busy(self) -> _Busy:
        return _Busy(self._idle, self._stopping)

    def _remember_next_poll(self) -> None:
        job = self.scheduler.get_job("poll")
        when = job.next_run_time if job else None
        with self.store.transaction() as conn:
            self.store.set_state(conn, NEXT_POLL_KEY, when.astimezone(dt.UTC).isoformat() if when else None)
        if when:
            log.debug("next poll %s", when.isoformat(timespec="seconds"))


class _Busy:
    """Marks a job running, so shutdown knows whether to wait; errors end as one log line.

    Entering yields False once stopping began: a job the executor had already queued must not
    start on a database that is being closed.
    """

    def __init__(self, idle: threading.Event, stopping: threading.Event):
        self.idle, self.stopping = idle, stopping

    def __enter__(self) -> bool:
        self.idle.clear()  # before the check, so shutdown either waits for us or we see the flag
        return not self.stopping.is_set()

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.idle.set()
        if exc is None:
            return False
        if isinstance(exc, MonitorError):
            log.error("%s", exc)
        else:
            log.exception("job failed unexpectedly; the daemon keeps running")
        return True  # the scheduler keeps running: the next run may well succeed


def run(config: Config, poller: DatabaseLock | None = None) -> None:
    """Run the daemon in the foreground until SIGTERM or SIGINT (the caller holds the data-folder
    lock, or hands in the ``poller`` lock to take when it is free)."""
    ActiveWindow.parse(config.daemon.active_hours, config.daemon.active_days, config.daemon.timezone)
    with Store.open(config, upgrade=True) as store:
        daemon = Daemon(config, store, poller)
        daemon.install_signal_handlers()
        daemon.run()
