"""What an alert is about: the event, the letter(s) and the comparison, ready to be written as mail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from monitor.errors import MonitorError
from monitor.model import Comparison, original_url
from monitor.store.outbox import Event
from monitor.vocabulary import SERIES, meeting_label


class NothingToReport(MonitorError):
    """The event's comparison turned out empty: no alert may be sent for it."""


@dataclass(frozen=True)
class Letter:
    identifier: str  # as published: the -n1 id for a herdruk, so the link opens that text
    version: int | None
    title: str  # without the "NAVO;" prefix
    date: dt.date | None
    series: str
    meeting_dates: tuple[dt.date, ...] = ()
    link: str | None = None  # the Tweede Kamer's file, for an early copy

    @property
    def url(self) -> str:
        return self.link or original_url(self.identifier)

    def label(self, language: str) -> str:
        """``Geannoteerde agenda FMM 3-4 dec 2024`` for a meeting document, else the title.

        >>> Letter("kst-28676-474", 1, "Geannoteerde agenda ...", None, "fmm-agenda",
        ...        (dt.date(2024, 12, 3), dt.date(2024, 12, 4))).label("en")
        'Annotated agenda FMM 3-4 Dec 2024'
        """
        series_label = SERIES[language].get(self.series)
        if series_label and self.meeting_dates:
            return f"{series_label} {meeting_label(self.meeting_dates, language)}"
        return self.title or self.identifier


@dataclass(frozen=True)
class AlertContent:
    event: Event
    dossier_title: str
    letter: Letter | None  # None for an operator notice
    previous: Letter | None = None  # the agenda compared with, or the corrected version
    comparison: Comparison | None = None
