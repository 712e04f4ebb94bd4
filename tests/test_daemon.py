"""The daemon's schedule: when polls run, inside which window, and across restarts."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from monitor.config import Config, DaemonConfig, SourceConfig, StorageConfig
from monitor.daemon import STARTUP_DELAY_SECONDS, ActiveWindow, Daemon, poll_trigger
from monitor.errors import ConfigError
from monitor.store import Store
from monitor.store.schema import polls

AMS = ZoneInfo("Europe/Amsterdam")

windows = st.tuples(
    # the last two open or close inside the hour that daylight saving skips or repeats
    st.sampled_from(["", "07:00-22:00", "22:00-06:00", "00:00-24:00", "09:30-09:45", "02:30-03:30", "01:00-02:30"]),
    st.sampled_from(["", "mon-fri", "sat-sun", "fri-mon", "wed"]),
)
# the switches of 2026 (29 March, 25 October, 01:00 UTC), where a window's edges can go wrong
_SWITCHES = [dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC), dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC)]
moments = st.one_of(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(dt.UTC)),
    st.builds(lambda switch, minutes: switch + dt.timedelta(minutes=minutes),
              st.sampled_from(_SWITCHES), st.integers(-36 * 60, 36 * 60)),
)


@settings(max_examples=300, deadline=None)
@given(windows, moments)
def test_the_next_opening_is_inside_the_window_and_never_earlier(window, when):
    w = ActiveWindow.parse(*window, "Europe/Amsterdam")
    opening = w.next_open(when)
    assert opening >= when and w.contains(opening)
    assert opening - when < dt.timedelta(days=8)
    if w.contains(when):
        assert opening == when
    else:
        # nothing inside the window was skipped: a real minute (not a clock minute, which daylight
        # saving can stretch) before the opening is still outside
        before = opening.astimezone(dt.UTC) - dt.timedelta(minutes=1)
        assert not w.contains(before) or opening - when < dt.timedelta(minutes=1)


def test_a_window_across_midnight_belongs_to_the_day_it_opens():
    w = ActiveWindow.parse("22:00-06:00", "fri", "Europe/Amsterdam")
    assert w.contains(dt.datetime(2026, 11, 27, 23, 0, tzinfo=AMS))  # Friday night
    assert w.contains(dt.datetime(2026, 11, 28, 5, 59, tzinfo=AMS))  # … into Saturday morning
    assert not w.contains(dt.datetime(2026, 11, 27, 5, 0, tzinfo=AMS))  # Friday early: Thursday's window
    assert w.next_open(dt.datetime(2026, 11, 28, 6, 0, tzinfo=AMS)) == dt.datetime(2026, 12, 4, 22, 0, tzinfo=AMS)


def test_the_window_follows_amsterdam_time_across_daylight_saving():
    w = ActiveWindow.parse("07:00-22:00", "", "Europe/Amsterdam")
    # 29 March 2026: clocks go forward; 07:00 local is 05:00 UTC on that day, 06:00 UTC the day before
    assert w.next_open(dt.datetime(2026, 3, 28, 23, 0, tzinfo=dt.UTC)) == dt.datetime(2026, 3, 29, 5, 0, tzinfo=dt.UTC)
    assert w.next_open(dt.datetime(2026, 3, 27, 23, 0, tzinfo=dt.UTC)) == dt.datetime(2026, 3, 28, 6, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("hours, days, timezone, key", [
    ("7-22", "", "Europe/Amsterdam", "daemon.active_hours"),
    ("25:00-26:00", "", "Europe/Amsterdam", "daemon.active_hours"),
    ("08:00-08:00", "", "Europe/Amsterdam", "daemon.active_hours"),
    ("", "monday-friday", "Europe/Amsterdam", "daemon.active_days"),
    ("", "", "Europe/Amstelveen", "daemon.timezone"),
])
def test_a_bad_window_is_a_config_error_naming_the_key(hours, days, timezone, key):
    with pytest.raises(ConfigError, match=key):
        ActiveWindow.parse(hours, days, timezone)


def config_for(tmp_path, **daemon) -> Config:
    return Config(source=SourceConfig(interval_seconds=1800),
                  storage=StorageConfig(data_dir=str(tmp_path / "data")),
                  daemon=DaemonConfig(**({"jitter_seconds": 0} | daemon)), base_dir=tmp_path)


def test_poll_times_outside_the_window_move_to_its_opening_and_then_keep_the_interval(tmp_path):
    cfg = config_for(tmp_path, active_hours="07:00-22:00", active_days="mon-fri")
    first = dt.datetime(2026, 11, 27, 21, 0, tzinfo=AMS)  # Friday 21:00
    trigger = poll_trigger(cfg, first)
    times, previous = [], None
    for _ in range(5):
        previous = trigger.get_next_fire_time(previous, first)
        times.append(previous.astimezone(AMS).strftime("%a %H:%M"))
    assert times == ["Fri 21:00", "Fri 21:30", "Mon 07:00", "Mon 07:30", "Mon 08:00"]


def test_jitter_delays_each_poll_by_at_most_the_configured_seconds(tmp_path):
    cfg = config_for(tmp_path, jitter_seconds=60)
    first = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    trigger = poll_trigger(cfg, first)
    delays = [(trigger.get_next_fire_time(None, first) - first).total_seconds() for _ in range(50)]
    assert 0 <= min(delays) and max(delays) <= 60 and len(set(delays)) > 1


def backdated_poll(store: Store, started: dt.datetime) -> None:
    poll_id = store.start_poll()
    store.finish_poll(poll_id, True, 0, 0)
    with store.transaction() as conn:
        conn.execute(update(polls).where(polls.c.id == poll_id).values(started_at=started, finished_at=started))


@pytest.mark.parametrize("minutes_ago, expected_wait", [(10, 20 * 60), (45, STARTUP_DELAY_SECONDS), (None, STARTUP_DELAY_SECONDS)])
def test_after_a_restart_the_first_poll_follows_the_last_one_in_the_database(tmp_path, minutes_ago, expected_wait):
    cfg = config_for(tmp_path)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with Store.open(cfg) as store:
        if minutes_ago is not None:
            backdated_poll(store, now - dt.timedelta(minutes=minutes_ago))
        first = Daemon(cfg, store).schedule(now)
    assert (first - now).total_seconds() == pytest.approx(expected_wait, abs=1)


def test_a_poll_left_unfinished_by_a_killed_poller_is_due_at_once_for_the_daemon_that_takes_over(tmp_path):
    cfg = config_for(tmp_path)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with Store.open(cfg) as store:
        backdated_poll(store, now - dt.timedelta(minutes=30))
        store.start_poll()  # started just now and never finished: kill -9 mid-poll
        first = Daemon(cfg, store).schedule(now)
    assert (first - now).total_seconds() == pytest.approx(STARTUP_DELAY_SECONDS, abs=1)
