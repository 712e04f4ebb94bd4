"""What the site is made from: the store's letters and versions, and their texts, read once per build.

The listing (identifiers, versions, hashes, dates) comes from the database alone and is
cheap; texts are read from the blobs only when a page that shows them must be rendered,
and each text, position analysis and comparison is made at most once per build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from monitor.clock import day_of, iso
from monitor.compare import compare
from monitor.documents import read_snapshot
from monitor.errors import BadInput
from monitor.model import Comparison, Document
from monitor.site.agenda import Session, sessions_of
from monitor.store import Store

AGENDA_SERIES = "fmm-agenda"


@dataclass(frozen=True)
class Version:
    number: int
    sha256: str
    fetched_at: dt.datetime
    published_as: str  # the identifier it was published under (a herdruk's -n1 id)


@dataclass(frozen=True)
class Letter:
    id: str
    dossier: str
    series: str
    title: str
    date: dt.date | None
    meeting_date: dt.date | None
    versions: tuple[Version, ...]  # oldest first

    @property
    def latest(self) -> Version:
        return self.versions[-1]

    @property
    def is_agenda(self) -> bool:
        return self.series == AGENDA_SERIES

    def facts(self) -> list:
        """Everything about the letter that pages show, except its text: for page keys."""
        return [self.id, self.dossier, self.series, self.title, iso(self.date), iso(self.meeting_date),
                [[v.number, v.sha256, v.fetched_at.isoformat(), v.published_as] for v in self.versions]]


def letters_in(store: Store) -> list[Letter]:
    """Every stored publication with its versions, in publication order (oldest first)."""
    letters: dict[str, dict] = {}
    for entry in store.list_snapshots():
        letter = letters.setdefault(entry["id"], {"entry": entry, "versions": []})
        letter["entry"] = entry  # the row of the latest version carries the current title and series
        letter["versions"].append(Version(entry["version"], entry["sha256"],
                                          dt.datetime.fromisoformat(entry["fetched_at"]),
                                          entry.get("published_as") or entry["id"]))
    return [
        Letter(id=ident, dossier=item["entry"].get("dossier") or "", series=item["entry"]["series"],
               title=item["entry"]["title"], date=day_of(item["entry"]["date"]),
               meeting_date=day_of(item["entry"].get("meeting_date")),
               versions=tuple(sorted(item["versions"], key=lambda v: v.number)))
        for ident, item in letters.items()
    ]


def agendas_in(store: Store, letters: list[Letter]) -> list[Letter]:
    """The FMM agendas in meeting order, the order the store links them in."""
    by_id = {letter.id: letter for letter in letters}
    return [by_id[pub.identifier] for pub in store.agendas(AGENDA_SERIES) if pub.identifier in by_id]


class Texts:
    """The documents, positions and comparisons of one build, each made at most once."""

    def __init__(self, store: Store):
        self.store = store
        self._documents: dict[tuple[str, int], Document | str] = {}
        self._sessions: dict[tuple[str, int], tuple[Session, ...]] = {}
        self._comparisons: dict[tuple[str, int, str, int], Comparison | None] = {}

    def document(self, letter: Letter, version: Version) -> Document | str:
        """The letter's text, or why it could not be read (a page says so instead of failing)."""
        key = (letter.id, version.number)
        if key not in self._documents:
            snap, data = self.store.read_version(letter.id, version.number)
            try:
                self._documents[key] = read_snapshot(snap, data)
            except BadInput as exc:
                self._documents[key] = str(exc)
        return self._documents[key]

    def sessions(self, letter: Letter) -> tuple[Session, ...]:
        """The positions of the letter's latest version by session; none when it cannot be read."""
        key = (letter.id, letter.latest.number)
        if key not in self._sessions:
            doc = self.document(letter, letter.latest)
            self._sessions[key] = sessions_of(doc) if isinstance(doc, Document) else ()
        return self._sessions[key]

    def comparison(self, old: Letter, old_version: Version, new: Letter, new_version: Version) -> Comparison | None:
        """``compare()`` of two versions; None when either text cannot be read."""
        key = (old.id, old_version.number, new.id, new_version.number)
        if key not in self._comparisons:
            a, b = self.document(old, old_version), self.document(new, new_version)
            both = isinstance(a, Document) and isinstance(b, Document)
            self._comparisons[key] = compare(a, b) if both else None
        return self._comparisons[key]
