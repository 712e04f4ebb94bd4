"""Publications and their versions: the index over the blobs.

Identity rules:

* a publication is its identifier; each change of its *primary* content (the ``xml``
  manifestation, else ``html``, else ``pdf``) is a new version, numbered 1, 2, …; the old
  versions stay untouched;
* content is compared with the latest version *published under the same identifier*, so
  re-polling an unchanged letter writes nothing, not a row and not a blob (only a changed
  ``modified`` stamp on unchanged content is remembered, so the next poll can skip the download);
* a herdruk (``kst-28676-187-n1``, ``Publication.reissue_of`` set) is recorded as the next
  version of the ORIGINAL identifier, with ``versions.published_as`` naming the ``-n1`` id.
  The ``-n1`` id keeps its own ``publications`` row pointing to the original through
  ``reissue_of``, so it can still be looked up; listings show the original identifier.

Blobs are written before the rows that point to them (the caller's transaction commits
after this module returns), so a row never points to a missing blob; a crash in between
only leaves an orphan blob, which is harmless.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, or_, select, update

from monitor.clock import utc_now
from monitor.errors import BadInput
from monitor.model import PRIMARY_ORDER, Fetched, Publication, Snapshot, natural_key, primary_of
from monitor.store.blobs import BlobStore, check_identifier, sha256_hex
from monitor.store.db import as_utc
from monitor.store.schema import manifestations, publications, versions

log = logging.getLogger(__name__)

UNLINKED_SERIES = "other"


@dataclass(frozen=True)
class Recorded:
    """What ``record_publication`` did.

    ``identifier`` is where the content is kept (the original for a herdruk); ``version`` the
    version holding this content, new or already stored; ``previous_version`` the one before it.
    """

    identifier: str
    version: int | None
    new_publication: bool
    new_version: bool
    previous_version: int | None
    published_as: str


@dataclass(frozen=True)
class StoredPublication:
    identifier: str
    dossier: str
    dossiers: tuple[str, ...]
    number: str | None
    title: str
    document_type: str | None
    date: dt.date | None
    available: dt.date | None
    modified: str | None
    preferred_url: str | None
    urls: dict[str, str]
    signals: dict[str, str]  # the record's change signals when last stored or confirmed
    series: str
    series_reason: str | None
    meeting_date: dt.date | None
    previous_in_series: str | None
    reissue_of: str | None
    first_seen_at: dt.datetime
    latest_version: int | None
    source: str = "koop"  # "tk": an early copy from the Tweede Kamer's open data
    kamerstuk: str | None = None  # tk: the Kamerstuk it is (to be) published as


@dataclass(frozen=True)
class StoredVersion:
    identifier: str
    version: int
    published_as: str
    modified: str | None
    fetched_at: dt.datetime
    content_sha256: str
    manifestations: tuple[Snapshot, ...]

    @property
    def primary(self) -> Snapshot:
        return _primary_of(self.manifestations)


# --- writing ----------------------------------------------------------------------------------


def record_publication(
    conn: Connection,
    blobs: BlobStore,
    pub: Publication,
    fetched: list[Fetched],
    *,
    series: str,
    meeting_date: dt.date | None,
    series_reason: str | None = None,
) -> Recorded:
    check_identifier(pub.identifier)
    target = check_identifier(pub.reissue_of) if pub.reissue_of is not None else pub.identifier
    by_kind = {f.manifestation: f for f in fetched}
    primary = primary_of(fetched)
    if primary is None:
        raise BadInput(f"nothing to store for {pub.identifier}: no xml, html or pdf manifestation fetched")
    content_hash = sha256_hex(primary.data)

    same = conn.execute(
        select(versions.c.id, versions.c.version, versions.c.content_sha256)
        .where(versions.c.identifier == target, versions.c.published_as == pub.identifier)
        .order_by(versions.c.version.desc())
        .limit(1)
    ).first()
    if same is not None and same.content_sha256 == content_hash:
        # the publisher re-stamped the record without changing the text: no version, no blob
        remember_stamp(conn, pub)
        return Recorded(target, same.version, False, False, same.version - 1 or None, pub.identifier)

    # the bytes first: a row must never point to a blob that is not on disk
    hashes = {f.manifestation: blobs.put(f.data) for f in fetched}

    now = utc_now()
    new_publication = _publication_row(conn, target) is None
    if new_publication:
        if pub.reissue_of:
            log.warning("herdruk %s arrived before its original %s; keeping it under %s",
                        pub.identifier, target, target)
        conn.execute(insert(publications).values(
            _publication_values(pub, target, series, series_reason, meeting_date, now)))
    if pub.reissue_of and _publication_row(conn, pub.identifier) is None:
        values = _publication_values(pub, pub.identifier, series, series_reason, meeting_date, now)
        conn.execute(insert(publications).values(values | {"reissue_of": target}))

    latest = conn.execute(
        select(func.max(versions.c.version)).where(versions.c.identifier == target)
    ).scalar_one_or_none()
    version = (latest or 0) + 1
    version_id = conn.execute(insert(versions).values(
        identifier=target, version=version, modified=pub.modified, published_as=pub.identifier,
        fetched_at=as_utc(primary.fetched_at), content_sha256=content_hash,
    )).inserted_primary_key[0]
    conn.execute(insert(manifestations), [
        {"version_id": version_id, "manifestation": f.manifestation, "url": f.url,
         "sha256": hashes[f.manifestation], "size": len(f.data), "media_type": f.media_type,
         "etag": f.etag, "last_modified": f.last_modified, "fetched_at": as_utc(f.fetched_at)}
        for f in by_kind.values()
    ])
    if same is not None:
        _carry_over(conn, same.id, version_id, by_kind, primary.manifestation)
    if pub.reissue_of:
        remember_stamp(conn, pub)  # the herdruk's own row, which is inserted only once

    if not new_publication and not pub.reissue_of:
        # a corrected letter may carry a new title or a new classification
        old = _publication_row(conn, target)
        conn.execute(update(publications).where(publications.c.identifier == target).values(
            title=pub.title or old.title, modified=pub.modified, urls=json.dumps(pub.urls, sort_keys=True),
            signals=_json(pub.signals),
            series=series, series_reason=series_reason, meeting_date=meeting_date,
            kamerstuk=pub.kamerstuk or old.kamerstuk,
        ))
        if old.series != series:
            relink_series(conn, old.series)
    relink_series(conn, series)
    return Recorded(target, version, new_publication, True, latest, pub.identifier)


def remember_stamp(conn: Connection, pub: Publication) -> None:
    """Keep ``pub``'s modification stamp and change signals for a text we already have, so that
    the next poll knows it without asking the server again."""
    signals = _json(pub.signals)
    conn.execute(update(publications).where(
        publications.c.identifier == pub.identifier,
        or_(publications.c.modified.is_distinct_from(pub.modified), publications.c.signals != signals),
    ).values(modified=pub.modified, signals=signals))
    if pub.kamerstuk is not None:  # the Tweede Kamer names the Kamerstuk once it has a number
        link_kamerstuk(conn, pub.identifier, pub.kamerstuk)


def link_kamerstuk(conn: Connection, identifier: str, kamerstuk: str) -> None:
    """Record that the early copy ``identifier`` is (to be) published as Kamerstuk ``kamerstuk``."""
    conn.execute(update(publications).where(
        publications.c.identifier == identifier, publications.c.kamerstuk.is_distinct_from(kamerstuk),
    ).values(kamerstuk=kamerstuk))


def early_copy_of(conn: Connection, pub: Publication) -> StoredPublication | None:
    """The Tweede Kamer's copy of the Kamerstuk ``pub``: the one that names it, else one not yet
    linked to any Kamerstuk with the same title and letter date in the same dossier."""
    row = conn.execute(select(publications).where(
        publications.c.source == "tk", publications.c.kamerstuk == pub.identifier)).first()
    if row is None and pub.date is not None and pub.title:
        wanted = _title_key(pub.title)
        row = next((r for r in conn.execute(select(publications).where(
            publications.c.source == "tk", publications.c.kamerstuk.is_(None),
            publications.c.dossier == pub.dossier, publications.c.date == pub.date))
            if _title_key(r.title) == wanted), None)
    if row is None:
        return None
    latest = conn.execute(select(func.max(versions.c.version)).where(
        versions.c.identifier == row.identifier)).scalar_one_or_none()
    return _to_publication(row, latest)


def official_copy_of(conn: Connection, pub: Publication) -> StoredPublication | None:
    """The official publication of the Tweede Kamer's copy ``pub``, when the publisher was first:
    the Kamerstuk it names, else one with the same title and letter date in the same dossier."""
    row = _publication_row(conn, pub.kamerstuk) if pub.kamerstuk else None
    if row is None and pub.date is not None and pub.title:
        wanted = _title_key(pub.title)
        row = next((r for r in conn.execute(select(publications).where(
            _official(), publications.c.dossier == pub.dossier, publications.c.date == pub.date))
            if _title_key(r.title) == wanted), None)
    if row is None or row.source != "koop":
        return None
    return get_publication(conn, row.identifier)


def _title_key(title: str) -> str:
    """Titles as both sources write them: the dossier prefix ("NAVO; …"), case and spacing aside."""
    return " ".join(title.split(";", 1)[-1].casefold().split())


def _json(value: dict) -> str:
    return json.dumps(value, sort_keys=True)


def _carry_over(conn: Connection, from_version: int, to_version: int, fetched: dict[str, Fetched],
                primary: str) -> None:
    """The previous version's companions the server reported unchanged (304), so that a corrected
    letter keeps its metadata (and its PDF). A text that ranks above the new primary is not carried:
    it is gone from the publisher, and reading would prefer it to the new text."""
    rank = {kind: i for i, kind in enumerate(PRIMARY_ORDER)}
    rows = conn.execute(select(manifestations).where(manifestations.c.version_id == from_version)).mappings().all()
    kept = [
        {k: v for k, v in row.items() if k != "id"} | {"version_id": to_version}
        for row in rows
        if row["manifestation"] not in fetched
        and rank.get(row["manifestation"], len(PRIMARY_ORDER)) > rank[primary]
    ]
    if kept:
        conn.execute(insert(manifestations), kept)


def relink_series(conn: Connection, series: str) -> None:
    """Point every publication of ``series`` to the one before it by meeting date.

    Recomputed from scratch, so an older agenda found later by a backfill slots in between.
    Publications that left the series for ``other`` lose their link.
    """
    if series == UNLINKED_SERIES:
        conn.execute(update(publications).where(
            publications.c.series == UNLINKED_SERIES, publications.c.previous_in_series.is_not(None),
        ).values(previous_in_series=None))
        return
    rows = conn.execute(select(publications).where(
        publications.c.series == series, publications.c.reissue_of.is_(None), _official())).all()
    previous = None
    for row in sorted(rows, key=_series_order):
        if row.previous_in_series != previous:
            conn.execute(update(publications).where(publications.c.identifier == row.identifier)
                         .values(previous_in_series=previous))
        previous = row.identifier


def _publication_values(pub: Publication, identifier: str, series: str, series_reason: str | None,
                        meeting_date: dt.date | None, now: dt.datetime) -> dict:
    return {
        "identifier": identifier, "dossier": pub.dossier, "dossiers": ";".join(pub.dossiers or (pub.dossier,)),
        "number": pub.number, "title": pub.title or "", "document_type": pub.document_type,
        "date": pub.date, "available": pub.available, "modified": pub.modified,
        "preferred_url": pub.preferred_url, "urls": _json(pub.urls), "signals": _json(pub.signals),
        "series": series, "series_reason": series_reason, "meeting_date": meeting_date,
        "reissue_of": None, "first_seen_at": now, "source": pub.source, "kamerstuk": pub.kamerstuk,
    }


# --- reading ----------------------------------------------------------------------------------


def get_publication(conn: Connection, identifier: str) -> StoredPublication | None:
    row = _publication_row(conn, check_identifier(identifier))
    if row is None:
        return None
    latest = conn.execute(select(func.max(versions.c.version)).where(
        versions.c.identifier == (row.reissue_of or row.identifier))).scalar_one_or_none()
    return _to_publication(row, latest)


def versions_of(conn: Connection, identifier: str) -> list[StoredVersion]:
    """Every stored version of ``identifier`` (for a herdruk id: of its original), oldest first."""
    row = _require(conn, identifier)
    target = row.reissue_of or row.identifier
    version_rows = conn.execute(
        select(versions).where(versions.c.identifier == target).order_by(versions.c.version)).all()
    by_version: dict[int, list[Snapshot]] = {}
    if version_rows:
        ids = {v.id: v.version for v in version_rows}
        for m in conn.execute(select(manifestations).where(manifestations.c.version_id.in_(ids))
                              .order_by(manifestations.c.id)):
            by_version.setdefault(ids[m.version_id], []).append(_to_snapshot(target, ids[m.version_id], m))
    return [
        StoredVersion(target, v.version, v.published_as or target, v.modified, as_utc(v.fetched_at),
                      v.content_sha256, tuple(by_version.get(v.version, ())))
        for v in version_rows
    ]


def find_snapshot(conn: Connection, identifier: str, version: int | None = None,
                  manifestation: str | None = None) -> Snapshot:
    """The snapshot asked for: latest version and primary manifestation unless named.

    A herdruk id (``…-n1``) without a version means the latest version published under it.
    """
    row = _require(conn, identifier)
    stored = versions_of(conn, identifier)
    if not stored:
        raise BadInput(f"kst id {identifier} has no stored version")
    if version is None:
        own = [v for v in stored if v.published_as == identifier] if row.reissue_of else stored
        chosen = (own or stored)[-1]
    else:
        chosen = next((v for v in stored if v.version == version), None)
        if chosen is None:
            have = ", ".join(str(v.version) for v in stored)
            raise BadInput(f"kst id {identifier} has no version {version} (stored: {have})")
    if manifestation is None:
        return chosen.primary
    snap = next((m for m in chosen.manifestations if m.manifestation == manifestation), None)
    if snap is None:
        have = ", ".join(m.manifestation for m in chosen.manifestations)
        raise BadInput(f"kst id {identifier} version {chosen.version} has no {manifestation} "
                       f"manifestation (stored: {have})")
    return snap


def list_snapshots(conn: Connection, series: str | None = None) -> list[dict]:
    """One entry per stored version of an official publication, in publication order, under the
    original identifier (the Tweede Kamer's early copies are looked up by their own id)."""
    query = (select(publications, versions.c.version, versions.c.content_sha256, versions.c.published_as,
                    versions.c.fetched_at.label("version_fetched_at"))
             .join(versions, versions.c.identifier == publications.c.identifier).where(_official()))
    if series is not None:
        query = query.where(publications.c.series == series)
    rows = sorted(conn.execute(query).all(), key=lambda r: (*_publication_order(r), r.version))
    return [
        {"id": r.identifier, "version": r.version, "series": r.series, "title": r.title,
         "date": r.date.isoformat() if r.date else None, "sha256": r.content_sha256,
         "fetched_at": as_utc(r.version_fetched_at).isoformat(),
         "published_as": r.published_as or r.identifier, "dossier": r.dossier,
         "meeting_date": r.meeting_date.isoformat() if r.meeting_date else None,
         "previous_in_series": r.previous_in_series}
        for r in rows
    ]


def listing_stamp(conn: Connection) -> tuple[int, int]:
    # versions are only ever added; the count also moves when a lower id commits after a higher one
    count, highest = conn.execute(select(func.count(), func.max(versions.c.id)).select_from(versions)).one()
    return count, highest or 0


def in_series(conn: Connection, series: str) -> list[StoredPublication]:
    """The publications of ``series`` in meeting order (the order ``previous_in_series`` follows)."""
    rows = conn.execute(select(publications).where(
        publications.c.series == series, publications.c.reissue_of.is_(None), _official())).all()
    latest = dict(conn.execute(select(versions.c.identifier, func.max(versions.c.version))
                               .group_by(versions.c.identifier)).all())
    return [_to_publication(r, latest.get(r.identifier)) for r in sorted(rows, key=_series_order)]


# --- helpers ----------------------------------------------------------------------------------


def _official():
    # the series chains, listings and the site are the official publications' only
    return publications.c.source == "koop"


def _publication_row(conn: Connection, identifier: str):
    return conn.execute(select(publications).where(publications.c.identifier == identifier)).first()


def _require(conn: Connection, identifier: str):
    row = _publication_row(conn, check_identifier(identifier))
    if row is None:
        raise BadInput(f"unknown kst id {identifier} (not in the store; see `dossier-monitor snapshots list`)")
    return row


def _primary_of(snaps) -> Snapshot:
    primary = primary_of(snaps)
    if primary is None:
        raise BadInput("no xml, html or pdf manifestation stored")
    return primary


def _publication_order(row) -> tuple:
    day = row.date or row.available
    return (day is None, day or dt.date.min, natural_key(row.identifier))


def _series_order(row) -> tuple:
    day = row.meeting_date or row.date or row.available
    return (day or dt.date.min, natural_key(row.identifier))


def _to_snapshot(identifier: str, version: int, m) -> Snapshot:
    return Snapshot(identifier=identifier, version=version, manifestation=m.manifestation, url=m.url,
                    sha256=m.sha256, size=m.size, fetched_at=as_utc(m.fetched_at), media_type=m.media_type,
                    etag=m.etag, last_modified=m.last_modified)


def _to_publication(row, latest: int | None) -> StoredPublication:
    return StoredPublication(
        identifier=row.identifier, dossier=row.dossier,
        dossiers=tuple(d for d in (row.dossiers or "").split(";") if d) or (row.dossier,),
        number=row.number, title=row.title, document_type=row.document_type, date=row.date,
        available=row.available, modified=row.modified, preferred_url=row.preferred_url,
        urls=json.loads(row.urls or "{}"), signals=json.loads(row.signals or "{}"), series=row.series, series_reason=row.series_reason,
        meeting_date=row.meeting_date, previous_in_series=row.previous_in_series, reissue_of=row.reissue_of,
        first_seen_at=as_utc(row.first_seen_at), latest_version=latest, source=row.source,
        kamerstuk=row.kamerstuk,
    )
