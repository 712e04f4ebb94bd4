"""Who hears about what: one subscriber's filters against one event. Pure functions.

Every event carries a dossier, a series, a severity and the topics it touches, and every
filter applies to every event kind the same way:

* **dossier**: none, or equal to the event's dossier;
* **series**: ``all``, or equal to the event's series (``fmm-agenda``, …);
* **topics**: none (every topic), or at least one in common with the event (case-insensitive);
* **min_severity**: the event's severity must reach it.

A comparison or a correction has the highest severity of its changes (0 cosmetic … 3
stance) and the topics of its changes. A new letter has severity 0 (nothing has changed
yet) and the topics the pipeline found in it, usually none: so a plain subscription hears
of every new letter, while one that asks for a topic or a minimum severity only hears of
changes that meet it. Operator notices go to ``[mail] operator_email`` only, never through
these filters. An early alert (the Tweede Kamer's copy, before the official publication) goes
only to subscribers who asked for early alerts; the note that the official text is out goes to
those who had the early alert, and is not decided here.

>>> from monitor.store.outbox import Event, Subscriber
>>> import datetime as dt
>>> now = dt.datetime(2024, 11, 22, tzinfo=dt.UTC)
>>> event = Event(1, "compare:a..b", "comparison", "28676", "kst-28676-474", 1, "kst-28676-466", 1,
...               "fmm-agenda", 3, ("oekraine",), {}, now)
>>> sub = Subscriber(1, "a@example.org", None, "all", ("Oekraine",), 2, None, None, "t", True, now)
>>> matches(sub, event)
True
>>> from dataclasses import replace
>>> matches(sub, replace(event, severity=1)), matches(sub, replace(event, topics=("energie",)))
(False, False)
"""

from __future__ import annotations

from monitor.positions import topic_key
from monitor.store.outbox import Event, Subscriber

# events that report changes: they exist only when something changed
CHANGE_EVENTS = ("comparison", "correction")
# the early warning: the Tweede Kamer's copy, then the note that the official text is out
EARLY_EVENTS = ("early", "official")


def matches(subscriber: Subscriber, event: Event) -> bool:
    """True when ``subscriber``'s filters let ``event`` through."""
    if not subscriber.active or event.kind in ("operator", "official"):  # official: see queue_alerts
        return False
    if event.kind == "early" and not subscriber.early:
        return False
    if subscriber.dossier is not None and subscriber.dossier != event.dossier:
        return False
    if subscriber.series != "all" and subscriber.series != event.series:
        return False
    if event.severity < subscriber.min_severity:
        return False
    if subscriber.topics:
        wanted = {topic_key(t) for t in subscriber.topics}
        if wanted.isdisjoint(topic_key(t) for t in event.topics):
            return False
    return True


def change_count(event: Event) -> int:
    """How many sentences a comparison or correction event reports as added, removed, changed or moved.

    Read from the counts the pipeline stored with the event; an event without counts (its text
    could not be read) reports nothing, so it can never cause an empty alert.

    >>> import datetime as dt
    >>> e = Event(1, "k", "correction", "28676", "kst-28676-474", 2, "kst-28676-474", 1, "other", 0, (),
    ...           {"counts": {"added": 0, "removed": 0, "changed": 1, "moved": 0, "unchanged": 40}},
    ...           dt.datetime(2024, 11, 22, tzinfo=dt.UTC))
    >>> change_count(e)
    1
    """
    counts = event.summary.get("counts") or {}
    return sum(int(counts.get(k, 0)) for k in ("added", "removed", "changed", "moved"))
