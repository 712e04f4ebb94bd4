"""Gathering an alert's content from its event and the store.

A comparison or correction is recomputed from the stored snapshots when the mail is
composed, with the same reader and ``compare()`` the pipeline used to decide that something
changed, so the alert shows exactly the normalised text that was judged.
"""

from __future__ import annotations

from monitor.alerts.content import AlertContent, Letter, NothingToReport
from monitor.alerts.filters import CHANGE_EVENTS, EARLY_EVENTS, change_count
from monitor.clock import day_of
from monitor.compare import compare
from monitor.documents.dates import meeting_dates
from monitor.documents.stored import VersionRef, read_stored
from monitor.store import Store
from monitor.store.outbox import Event
from monitor.vocabulary import dossier_title, letter_title


def load_content(store: Store, event: Event) -> AlertContent:
    """Everything needed to write the mail about ``event``.

    Raises ``NothingToReport`` when a comparison or correction has no change after all.
    """
    if event.kind == "operator":
        return AlertContent(event, dossier_title(event.dossier), None)
    letter = _letter(store, event, event.identifier, event.version, own_summary=True)
    raw_title = event.summary.get("title") or ""
    previous = comparison = None
    if event.kind in CHANGE_EVENTS:
        if not event.old_identifier:
            raise NothingToReport(f"{event.key}: no earlier text to compare with; nothing to report")
        previous = _letter(store, event, event.old_identifier, event.old_version,
                           own_summary=event.old_identifier == event.identifier)
        comparison = compare(_document(store, event.old_identifier, event.old_version),
                             _document(store, event.identifier, event.version))
        if comparison.is_empty:
            raise NothingToReport(f"{event.key}: the texts compare equal; nothing to report")
    elif event.kind in EARLY_EVENTS and event.old_identifier:
        # early: the previous official agenda; official: the early copy. Either way the mail goes
        # out, with the changes when the pipeline found some
        previous = _letter(store, event, event.old_identifier, event.old_version, own_summary=False)
        if change_count(event):
            comparison = compare(_document(store, event.old_identifier, event.old_version),
                                 _document(store, event.identifier, event.version))
            comparison = None if comparison.is_empty else comparison
    return AlertContent(event, dossier_title(event.dossier, raw_title), letter, previous, comparison)


def _letter(store: Store, event: Event, identifier: str, version: int | None, *, own_summary: bool) -> Letter:
    summary = event.summary if own_summary else {}
    pub = None if summary.get("title") else store.get_publication(identifier)
    title = summary.get("title") or (pub.title if pub else "")
    date = day_of(summary.get("date")) or (pub.date if pub else None)
    meeting = day_of(summary.get("meeting_date")) or (pub.meeting_date if pub else None)
    series = event.series if own_summary else (pub.series if pub else event.series)
    days = meeting_dates(title, date) or ((meeting,) if meeting else ())
    link = summary.get("url") or (next(iter(pub.urls.values()), None) if pub and pub.source == "tk" else None)
    return Letter(summary.get("published_as") or identifier, version, letter_title(title), date,
                  series, days, link)


def _document(store: Store, identifier: str, version: int | None):
    return read_stored(store, VersionRef(identifier, version))
