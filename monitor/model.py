"""The domain, as typed values that flow one way through the pipeline.

source -> ``Publication``; store -> ``Snapshot``; documents -> ``Document`` (``Section`` ->
``Paragraph`` -> ``Sentence``); positions -> ``Position``; compare -> ``Comparison`` of
``Change``; alerts -> ``Alert``. Every value here is immutable, so a stage can never change
what an earlier stage produced.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

Stance = Literal["support", "oppose", "emphasis", "acquiesce", "neutral"]
ChangeStatus = Literal["added", "removed", "changed", "moved"]
SectionStatus = Literal["same", "renamed", "added", "removed", "moved"]
ChangeKind = Literal[
    "stance", "strength", "quantity", "hedge", "condition", "commitment", "wording", "restated", "calendar"
]
# which way a stance moved along the diplomatic register: "weaker" towards rejecting, "stronger"
# towards welcoming (monitor/data/cues.toml, [register])
Direction = Literal["weaker", "stronger"]
RedlineOp = Literal["equal", "delete", "insert"]

SERIES = ("fmm-agenda", "fmm-verslag", "dmm-agenda", "summit", "other")

# the manifestation that is read as the letter's text, in order of preference ("docx": the
# Tweede Kamer's Word files)
PRIMARY_ORDER = ("xml", "html", "pdf", "docx")

_DIGITS = re.compile(r"(\d+)")


def natural_key(identifier: str) -> tuple:
    """Numbers compare as numbers: kst-28676-99 sorts before kst-28676-100.

    >>> sorted(["kst-28676-100", "kst-28676-99", "kst-28676-99-n1", "kst-28676-A"], key=natural_key)
    ['kst-28676-99', 'kst-28676-99-n1', 'kst-28676-100', 'kst-28676-A']
    """
    # re.split with a group alternates text, digits, text, …: same types at the same index.
    return tuple(int(part) if i % 2 else part.lower() for i, part in enumerate(_DIGITS.split(identifier)))


class _Manifestation(Protocol):
    manifestation: str


M = TypeVar("M", bound=_Manifestation)


def primary_of(items: Iterable[M]) -> M | None:
    """The item (fetched bytes or stored snapshot) that holds the letter's text, if any.

    >>> at = dt.datetime(2024, 11, 25, tzinfo=dt.UTC)
    >>> primary_of([Fetched(kind, "u", b"", at) for kind in ("metadata", "html", "xml")]).manifestation
    'xml'
    """
    by_kind = {item.manifestation: item for item in items}
    return next((by_kind[kind] for kind in PRIMARY_ORDER if kind in by_kind), None)


# --- source ---------------------------------------------------------------------------------


def original_url(identifier: str) -> str:
    """The letter's page on the publisher's site, for people (not a manifestation we fetch).

    >>> original_url("kst-28676-474")
    'https://zoek.officielebekendmakingen.nl/kst-28676-474.html'
    """
    return f"https://zoek.officielebekendmakingen.nl/{identifier}.html"


@dataclass(frozen=True)
class Publication:
    """One record of the publisher's search service: a Kamerstuk as announced, not yet fetched."""

    identifier: str  # "kst-28676-474", "kst-28676-187-n1"
    dossier: str  # "28676" (first dossier when a stuk belongs to several)
    number: str | None  # ondernummer "474"
    title: str
    document_type: str | None  # subrubriek, e.g. "Brief"
    date: dt.date | None  # dcterms:date (letter date)
    available: dt.date | None  # dcterms:available (publication date)
    modified: str | None  # dcterms:modified / gzd:timestamp, as given: a change marks a new version
    urls: dict[str, str] = field(default_factory=dict)  # manifestation -> URL ("xml", "html", "pdf", "metadata")
    preferred_url: str | None = None  # the human page on zoek.officielebekendmakingen.nl
    dossiers: tuple[str, ...] = ()  # every dossier the stuk belongs to
    reissue_of: str | None = None  # "kst-28676-187" for "kst-28676-187-n1"
    source: str = "koop"  # "koop" (officielebekendmakingen.nl) | "tk" (the Tweede Kamer's open data)
    kamerstuk: str | None = None  # tk: the Kamerstuk it is (to be) published as, when known
    # every stamp in the record that moves when the publisher changes the publication, by name
    # ("gzd:timestamp", "dcterms:modified", "dcterms:hasVersion", "expression", …); any change
    # among them means: fetch again
    signals: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fetched:
    """Bytes of one manifestation exactly as the server sent them, with the HTTP validators."""

    manifestation: str  # "xml" | "html" | "pdf" | "metadata"
    url: str
    data: bytes
    fetched_at: dt.datetime
    media_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None


# --- store ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """One stored version of a publication's manifestation; the bytes live content-addressed."""

    identifier: str
    version: int
    manifestation: str  # "xml" | "html" | "pdf" | "metadata" | "txt"
    url: str
    sha256: str
    size: int
    fetched_at: dt.datetime
    media_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None


# --- documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """A whole sentence. ``text`` is what people read; ``key`` is what matching compares.

    ``text`` is normalised for display (NFC, hyphenation and line wraps undone, one space,
    typographic dashes and quotes unified) but keeps accents as written. ``key`` additionally
    folds case, accents (OCR writes ``Jordanié`` for ``Jordanië``) and punctuation spacing,
    so two renderings of the same words have the same key.
    """

    text: str
    key: str


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Section:
    """A heading (``None`` for the text before the first heading) and its paragraphs."""

    heading: str | None
    paragraphs: tuple[Paragraph, ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)


@dataclass(frozen=True)
class Document:
    """One version of a letter, whatever format it was read from."""

    sections: tuple[Section, ...]
    source: str  # file path, URL or "store:<id>@<version>"
    identifier: str | None = None  # "kst-28676-474"
    dossier: str | None = None  # "28676"
    number: str | None = None  # "474"
    title: str | None = None
    date: dt.date | None = None  # the letter's date
    meeting_dates: tuple[dt.date, ...] = ()  # dates of the meeting the agenda is for, when stated

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for sec in self.sections for s in sec.sentences)


# --- positions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A figure in a sentence: ``kind`` percent|money|count|year|date, value normalised."""

    kind: str
    value: float
    unit: str  # "%", "EUR", "militairen", "" ...
    text: str  # as written: "3,5%", "EUR 5 miljoen", "circa 45.000"
    upper: float | None = None  # a range's upper end ("vier à vijf" -> value 4, upper 5)
    bound: str = ""  # "min" ("minimaal 2%", "sinds 2022"), "max" ("maximaal", "uiterlijk 2030") or ""


@dataclass(frozen=True)
class Position:
    """What a sentence says the Dutch government will do or thinks."""

    actor: str  # "nederland" | "kabinet" | "regering" | "minister" | "impersonal"
    stance: Stance
    strength: int  # 1 weak … 3 strong, within the stance
    hedges: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    commitments: tuple[str, ...] = ()  # "zal … blijven steunen", "levert een bijdrage"
    negated: bool = False
    # the register step ("welcome", "support", …, "reject") of this stance, then of every other
    # stance the speaker takes in the sentence ("… en verwelkomt het streven")
    steps: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    topics: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()  # the words that made it a position, for explanations


# --- compare --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RedlineSegment:
    op: RedlineOp
    text: str


@dataclass(frozen=True)
class SentenceRef:
    text: str
    section: str | None


@dataclass(frozen=True)
class Change:
    status: ChangeStatus
    position: bool  # either side states the Dutch government's position
    kinds: tuple[ChangeKind, ...]  # for "changed"; empty otherwise
    severity: int  # 0 cosmetic … 3 stance
    topics: tuple[str, ...]
    old: SentenceRef | None
    new: SentenceRef | None
    redline: tuple[RedlineSegment, ...] = ()
    old_position: Position | None = None
    new_position: Position | None = None
    direction: Direction | None = None  # of a stance change along the register

    @property
    def is_calendar(self) -> bool:
        """Only dates, places and running counts moved: reports show these apart, below the rest."""
        return self.kinds == ("calendar",)


@dataclass(frozen=True)
class SectionMatch:
    status: SectionStatus
    old: str | None
    new: str | None


@dataclass(frozen=True)
class DocumentInfo:
    id: str | None
    title: str | None
    date: dt.date | None
    source: str


@dataclass(frozen=True)
class Summary:
    added: int
    removed: int
    changed: int
    moved: int
    unchanged: int
    restated: int = 0  # of ``changed``: positions said in other words, the stance and all else kept


@dataclass(frozen=True)
class Comparison:
    old: DocumentInfo
    new: DocumentInfo
    summary: Summary
    sections: tuple[SectionMatch, ...]
    # ordered by severity (highest first), calendar changes after the rest, then by place in the new text
    changes: tuple[Change, ...]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def position_counts(self) -> dict[str, int]:
        """How many *positions* changed, were restated (said in other words, nothing else
        changed), added (new) and removed (dropped), for subjects; ``changed`` and
        ``restated`` are apart."""
        counts = {"changed": 0, "restated": 0, "added": 0, "removed": 0, "moved": 0}
        for c in self.changes:
            if c.position and not c.is_calendar:  # a date that moved is no new position
                counts["restated" if c.kinds == ("restated",) else c.status] += 1
        return counts


# --- alerts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """One email to one subscriber about one event; unique per (subscriber, event)."""

    id: int
    subscriber: str  # email address
    event_key: str  # "new:kst-28676-474@1", "compare:kst-28676-466@1..kst-28676-474@1", "correction:…@2"
    kind: str  # "new-letter" | "comparison" | "correction" | "digest"
    identifier: str
    status: str  # "pending" | "sent" | "failed"
    created_at: dt.datetime
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    error: str | None = None
    message_id: str | None = None


# --- self-check -----------------------------------------------------------------------------

CheckStatus = Literal["ok", "warn", "fail"]
CHECK_MARKS = {"ok": "✓", "warn": "!", "fail": "✗"}


@dataclass(frozen=True)
class Check:
    """One line of ``dossier-monitor doctor``: what was checked, how it went, and the evidence.

    ``warn`` works but differs from what the code was built against (a renamed prefix, paging
    without ``nextRecordPosition``); only ``fail`` makes the doctor exit 1.

    >>> Check("SMTP: STARTTLS", "ok", "TLSv1.3").line()
    '✓ SMTP: STARTTLS — TLSv1.3'
    """

    name: str
    status: CheckStatus
    evidence: str

    def line(self) -> str:
        return f"{CHECK_MARKS[self.status]} {self.name} — {self.evidence}"

