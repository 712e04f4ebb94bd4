"""Time as the monitor records it: moments in UTC, and ISO text for dates and moments that may be missing.

>>> iso(dt.date(2024, 11, 22)), iso(dt.datetime(2024, 11, 22, 9, 30, 5, 120, tzinfo=dt.UTC)), iso(None)
('2024-11-22', '2024-11-22T09:30:05+00:00', None)
>>> day_of("2024-11-22"), day_of(None)
(datetime.date(2024, 11, 22), None)
"""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(value: dt.date | None) -> str | None:
    """A date as ``YYYY-MM-DD``, a moment to the second; nothing stays nothing."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def day_of(text: str | None) -> dt.date | None:
    """The date an ``iso`` text (as stored in summaries and manifests) names; nothing stays nothing."""
    return dt.date.fromisoformat(text) if text else None
