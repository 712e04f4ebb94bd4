"""The read-only JSON API for researchers: letters, comparisons, topic timelines, and the monitor's health.

Every answer under ``/api/v1`` is JSON with an ETag and (where the data has one) a
Last-Modified, so a client that asks again with ``If-None-Match`` gets an empty 304;
any site may read it from a browser (CORS, GET only). The answers are the documents
the rest of the monitor already makes: ``/compare`` is byte for byte what
``dossier-monitor diff --format json`` writes for the same two ids, ``/topics/{topic}``
is the site's timeline, ``/healthz`` is ``status --json``. Nothing here writes.

Each request reads through the store in short read transactions (SQLite in WAL mode:
the daemon's writes never block them); the data folder's poll lock is not taken, so
the API answers while the daemon polls.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, Router

from monitor.clock import iso
from monitor.compare import compare
from monitor.config import Config
from monitor.documents.stored import VersionRef, read_stored
from monitor.errors import BadInput, MonitorError
from monitor.model import SERIES, Snapshot, original_url
from monitor.positions.lexicon import topics as topic_lexicon
from monitor.render.json_doc import render_json, to_json
from monitor.site import paths
from monitor.site.agenda import PositionLine
from monitor.site.chart import STANCES
from monitor.site.inputs import Letter, Texts, agendas_in, letters_in
from monitor.site.timeline import topic_timeline
from monitor.status import read_status, status_json
from monitor.store import Store, StoredPublication, StoredVersion
from monitor.web.conditional import dump, json_answer
from monitor.web.openapi import openapi_document

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
COMPARE_CACHE = 256  # comparisons kept; each is some tens of kB of JSON


class ApiError(Exception):
    """An answer other than 200, with the one message the client gets."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> Response:
    return Response(dump({"error": message, "status": status}), status_code=status,
                    media_type="application/json", headers={"Cache-Control": "no-store"})


def _answers(endpoint: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """Turn every failure into a JSON error: the client's mistakes named, ours logged, never a traceback."""

    @functools.wraps(endpoint)
    def answer(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):  # an OPTIONS that is no CORS preflight
            refused = _error(405, "read-only: only GET and HEAD")
            refused.headers["Allow"] = "GET, HEAD"
            return refused
        try:
            return endpoint(request)
        except ApiError as exc:
            return _error(exc.status, exc.message)
        except MonitorError as exc:  # a damaged data folder, an unreadable blob: the operator's to fix
            log.error("%s %s: %s", request.method, request.url.path, exc)
            return _error(500, "the monitor could not read its data; the operator will find why in its log")
        except Exception:
            log.exception("%s %s failed", request.method, request.url.path)
            return _error(500, "internal error; the operator will find why in its log")

    return answer


async def _not_found(scope, receive, send) -> None:
    await _error(404, "no such API path; the routes are listed at /api/v1/openapi.json")(scope, receive, send)


# --- query parameters -------------------------------------------------------------------------


def _params(request: Request, allowed: Iterable[str]) -> dict[str, str]:
    """The query's parameters, each given at most once and all of them known."""
    allowed = tuple(allowed)
    values: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name not in allowed:
            known = ", ".join(allowed) or "none"
            raise ApiError(400, f"unknown parameter {name!r} (this path takes: {known})")
        if name in values:
            raise ApiError(400, f"parameter {name!r} given twice")
        values[name] = value
    return values


def _whole_number(name: str, text: str, low: int, high: int | None = None) -> int:
    number = int(text) if text.isascii() and text.isdigit() else None  # not "+5", " 5", "5_0"
    if number is None or number < low or (high is not None and number > high):
        bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise ApiError(400, f"{name}: expected a whole number {bounds}, got {text!r}")
    return number


def _day(name: str, text: str) -> dt.date:
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ApiError(400, f"{name}: expected a date like 2024-11-22, got {text!r}")


def _cursor(letter_id: str) -> str:
    return base64.urlsafe_b64encode(letter_id.encode()).decode().rstrip("=")


def _after(cursor: str) -> str:
    """The letter a cursor points after (cursors are opaque to clients: they may change shape)."""
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        raise ApiError(400, "cursor: not one this API gave out (follow the 'next' link)") from None


@dataclass(frozen=True)
class _LetterQuery:
    """What ``/letters`` was asked for, checked."""

    PARAMETERS = ("limit", "offset", "cursor", "series", "since", "until")

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    after: str | None = None  # the letter the cursor points after
    series: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    filters: tuple[tuple[str, str], ...] = ()  # as given, for the next link

    @classmethod
    def of(cls, params: dict[str, str]) -> _LetterQuery:
        if "offset" in params and "cursor" in params:
            raise ApiError(400, "give offset or cursor, not both")
        series = params.get("series")
        if series is not None and series not in SERIES:
            raise ApiError(400, f"series: expected one of {', '.join(SERIES)}, got {series!r}")
        since = _day("since", params["since"]) if "since" in params else None
        until = _day("until", params["until"]) if "until" in params else None
        if since and until and since > until:
            raise ApiError(400, f"since ({since}) is after until ({until})")
        return cls(
            limit=_whole_number("limit", params["limit"], 1, MAX_LIMIT) if "limit" in params else DEFAULT_LIMIT,
            offset=_whole_number("offset", params["offset"], 0) if "offset" in params else 0,
            after=_after(params["cursor"]) if "cursor" in params else None,
            series=series, since=since, until=until,
            filters=tuple((k, v) for k, v in params.items() if k not in ("offset", "cursor")),
        )

    def matches(self, letter: Letter) -> bool:
        if self.series is not None and letter.series != self.series:
            return False
        if self.since is None and self.until is None:
            return True
        # an undated letter is outside every date range
        return letter.date is not None and (self.since is None or self.since <= letter.date) and (
            self.until is None or letter.date <= self.until)

    def next_query(self, last: str) -> str:
        return urlencode((*self.filters, ("cursor", _cursor(last))))


@dataclass(frozen=True, eq=False)  # compared and hashed as itself: a cache key that costs nothing
class _Catalogue:
    letters: tuple[Letter, ...]  # publication order
    agendas: tuple[Letter, ...]  # FMM agendas, meeting order
    newest: dt.datetime | None  # when the newest version was fetched


def _version_ref(params: dict[str, str], side: str) -> VersionRef:
    if side not in params:
        raise ApiError(400, f"{side}: missing (give old=ID[@VERSION]&new=ID[@VERSION])")
    ref = VersionRef.parse(params[side])
    if ref is None:
        raise ApiError(400, f"{side}: expected a kst id like kst-28676-474 or kst-28676-474@2, got {params[side]!r}")
    return ref


# --- shapes of the answers --------------------------------------------------------------------


@dataclass(frozen=True)
class _Links:
    """Absolute links: into the API (on the host the client asked), into the site, to the publisher."""

    api: str  # ".../api/v1"
    site: str  # the site's root, ending in "/"

    @classmethod
    def of(cls, request: Request, config: Config) -> _Links:
        root = str(request.base_url)
        site = config.site.base_url or root
        return cls(root.rstrip("/") + PREFIX, site if site.endswith("/") else site + "/")

    def letter(self, identifier: str) -> str:
        return f"{self.api}/letters/{identifier}"

    def compare(self, old: str, new: str) -> str:
        return f"{self.api}/compare?old={old}&new={new}"

    def topic(self, topic: str) -> str:
        return f"{self.api}/topics/{paths.topic_slug(topic)}"


def _letter_summary(letter: Letter, links: _Links) -> dict[str, Any]:
    return {
        "id": letter.id, "dossier": letter.dossier, "series": letter.series, "title": letter.title,
        "date": iso(letter.date), "meeting_date": iso(letter.meeting_date),
        "versions": len(letter.versions), "latest_version": letter.latest.number,
        "updated": iso(letter.latest.fetched_at), "url": links.letter(letter.id),
    }


def _manifestation(snap: Snapshot) -> dict[str, Any]:
    return {"manifestation": snap.manifestation, "media_type": snap.media_type, "size": snap.size,
            "sha256": snap.sha256, "url": snap.url}


def _version(pub: StoredPublication, version: StoredVersion, before: StoredVersion | None,
             links: _Links) -> dict[str, Any]:
    ident = version.identifier
    latest = version.version == pub.latest_version
    return {
        "version": version.version, "published_as": version.published_as, "modified": version.modified,
        "fetched_at": iso(version.fetched_at), "sha256": version.content_sha256,
        "manifestations": [_manifestation(m) for m in version.manifestations],
        "links": {
            "site": links.site + paths.letter_page(ident, None if latest else version.version),
            "compare_with_previous": (links.compare(f"{ident}@{before.version}", f"{ident}@{version.version}")
                                      if before else None),
        },
    }


def _letter_detail(pub: StoredPublication, history: list[StoredVersion], links: _Links) -> dict[str, Any]:
    kept_as = pub.reissue_of or pub.identifier  # a herdruk's versions are kept under its original
    previous = pub.previous_in_series
    return {
        "schema": "dossier-monitor.letter/1",
        "id": pub.identifier, "dossier": pub.dossier, "dossiers": list(pub.dossiers), "number": pub.number,
        "title": pub.title, "document_type": pub.document_type, "date": iso(pub.date),
        "available": iso(pub.available), "series": pub.series, "meeting_date": iso(pub.meeting_date),
        "reissue_of": pub.reissue_of, "previous_in_series": previous,
        "versions": [_version(pub, v, history[i - 1] if i else None, links) for i, v in enumerate(history)],
        "links": {
            "self": links.letter(pub.identifier),
            "publisher": pub.preferred_url or original_url(pub.identifier),
            "site": links.site + paths.letter_page(kept_as),
            "previous_in_series": links.letter(previous) if previous else None,
            "compare_with_previous_in_series": links.compare(previous, kept_as) if previous else None,
        },
    }


def _position(line: PositionLine) -> dict[str, Any]:
    p = line.position
    return {
        "text": line.sentence.text, "section": line.section, "actor": p.actor, "stance": p.stance,
        "strength": p.strength, "negated": p.negated, "topics": list(p.topics), "hedges": list(p.hedges),
        "conditions": list(p.conditions), "commitments": list(p.commitments),
        "quantities": [{"kind": q.kind, "value": q.value, "upper": q.upper, "unit": q.unit, "bound": q.bound,
                        "text": q.text} for q in p.quantities],
    }


# --- the endpoints ----------------------------------------------------------------------------


class _Api:
    def __init__(self, config: Config):
        self.config = config
        self.store = Store.open(config)
        self.texts = Texts(self.store)  # versions never change, so their texts are read once per process
        self._catalogue_at = functools.lru_cache(maxsize=1)(self._read_catalogue)
        self.letter_page = functools.lru_cache(maxsize=256)(self._letter_page)
        self.comparison_of = functools.lru_cache(maxsize=4 * COMPARE_CACHE)(self._comparison_of)
        self.comparison = functools.lru_cache(maxsize=COMPARE_CACHE)(self._comparison)
        self.timeline = functools.lru_cache(maxsize=64)(self._timeline)
        self.topic_counts = functools.lru_cache(maxsize=4)(self._topic_counts)

    # /letters

    def catalogue(self) -> _Catalogue:
        """The letters and agendas as the store lists them now, read again only after a new version."""
        return self._catalogue_at(self.store.listing_stamp())

    def _read_catalogue(self, stamp: tuple[int, int]) -> _Catalogue:
        letters = letters_in(self.store)
        return _Catalogue(tuple(letters), tuple(agendas_in(self.store, letters)), _newest(letters))

    def letters(self, request: Request) -> Response:
        """The stored letters, oldest first, a page at a time."""
        query = _LetterQuery.of(_params(request, _LetterQuery.PARAMETERS))
        catalogue = self.catalogue()
        body = self.letter_page(catalogue, query, _Links.of(request, self.config))
        return json_answer(request, body, last_modified=catalogue.newest)

    def _letter_page(self, catalogue: _Catalogue, query: _LetterQuery, links: _Links) -> bytes:
        everything = catalogue.letters
        if query.after is not None:
            # a place in the whole list, not the filtered one: letters never leave the store, and
            # a letter arriving before the cursor does not move the pages after it
            start = next((i + 1 for i, letter in enumerate(everything) if letter.id == query.after), None)
            if start is None:
                raise ApiError(400, "cursor: not one this API gave out (follow the 'next' link)")
        else:
            start = 0
        wanted = [letter for letter in everything[start:] if query.matches(letter)]
        page = wanted[query.offset:query.offset + query.limit]
        more = query.offset + query.limit < len(wanted)
        return dump({
            "schema": "dossier-monitor.letters/1",
            "total": sum(1 for letter in everything if query.matches(letter)), "limit": query.limit,
            "letters": [_letter_summary(letter, links) for letter in page],
            "next": f"{links.api}/letters?{query.next_query(page[-1].id)}" if more and page else None,
        })

    # /letters/{id}

    def letter(self, request: Request) -> Response:
        """One letter with every stored version, and links to the publisher, the site and its comparisons."""
        _params(request, ())
        identifier = request.path_params["id"]
        try:
            pub = self.store.get_publication(identifier)
        except BadInput:
            pub = None  # not even shaped like an identifier
        if pub is None:
            raise ApiError(404, f"no letter {identifier!r} in the store")
        body = _letter_detail(pub, self.store.versions_of(identifier), _Links.of(request, self.config))
        return json_answer(request, dump(body), last_modified=self.catalogue().newest)

    # /compare

    def compare(self, request: Request) -> Response:
        """The ``dossier-monitor.diff/1`` document of two stored versions."""
        params = _params(request, ("old", "new"))
        old, new = (_version_ref(params, side) for side in ("old", "new"))
        body, last_modified = self.comparison_of(self.store.listing_stamp(), old, new)
        return json_answer(request, body, last_modified=last_modified)

    def _comparison_of(self, stamp: tuple[int, int], old: VersionRef, new: VersionRef) -> tuple[bytes, dt.datetime]:
        """Which versions the names mean depends on the store (``ID`` is the latest), so it is kept per
        listing stamp; the comparison itself is kept by the versions' content."""
        sides = []
        for side, ref in (("old", old), ("new", new)):
            try:
                sides.append(self.store.find_version(ref.identifier, ref.version))
            except BadInput as exc:
                raise ApiError(404, f"{side}: {exc}") from None
        body = self.comparison(*((snap.identifier, snap.version, snap.sha256) for snap in sides))
        return body, max(snap.fetched_at for snap in sides)

    def _comparison(self, old: tuple[str, int, str], new: tuple[str, int, str]) -> bytes:
        """Keyed by each side's version AND content hash: the same bytes under two ids are two sources.

        A version's text never changes, so a comparison, once made, stays true."""
        try:
            documents = [read_stored(self.store, VersionRef(ident, version)) for ident, version, _ in (old, new)]
        except BadInput as exc:  # stored, but no text to compare (a scan without a text layer, say)
            raise ApiError(422, str(exc)) from None
        return render_json(compare(*documents)).encode("utf-8")

    # /topics

    def topics(self, request: Request) -> Response:
        """The topics of the lexicon, with how many positions the agendas take on each."""
        _params(request, ())
        links = _Links.of(request, self.config)
        agendas = self.catalogue().agendas
        counts = self.topic_counts(agendas)
        body = {
            "schema": "dossier-monitor.topics/1",
            "agendas": len(agendas),
            "topics": [
                {"topic": topic, "slug": paths.topic_slug(topic), "positions_in_latest_agenda": latest,
                 "positions_in_all_agendas": total, "url": links.topic(topic),
                 "site": links.site + paths.topic_page(topic)}
                for topic, (latest, total) in zip(topic_lexicon().names, counts, strict=True)
            ],
        }
        return json_answer(request, dump(body), last_modified=_newest(agendas))

    def _topic_counts(self, agendas: tuple[Letter, ...]) -> tuple[tuple[int, int], ...]:
        """Per topic: positions in the latest agenda, and in all. Keyed by the agendas themselves (their
        versions and hashes included), so a new or corrected agenda counts afresh."""
        sessions = [self.texts.sessions(agenda) for agenda in agendas]
        per_topic = []
        for topic in topic_lexicon().names:
            counts = [sum(topic in line.topics for s in agenda for line in s.positions) for agenda in sessions]
            per_topic.append((counts[-1] if counts else 0, sum(counts)))
        return tuple(per_topic)

    def topic(self, request: Request) -> Response:
        """How the positions on one topic moved from agenda to agenda (the site's timeline)."""
        _params(request, ())
        asked = request.path_params["topic"]
        topic = next((t for t in topic_lexicon().names if paths.topic_slug(t) == paths.topic_slug(asked)), None)
        if topic is None:
            raise ApiError(404, f"no topic {asked!r}; the topics are listed at {PREFIX}/topics")
        agendas = self.catalogue().agendas
        steps = self.timeline(topic, agendas)
        links = _Links.of(request, self.config)
        body = {
            "schema": "dossier-monitor.topic/1",
            "topic": topic, "slug": paths.topic_slug(topic),
            "links": {"self": links.topic(topic), "site": links.site + paths.topic_page(topic)},
            "steps": [step | {"agenda": step["agenda"] | {"url": links.letter(step["agenda"]["id"])}}
                      for step in steps],
        }
        return json_answer(request, dump(body), last_modified=_newest(agendas))

    def _timeline(self, topic: str, agendas: tuple[Letter, ...]) -> tuple[dict[str, Any], ...]:
        steps = []
        for step in topic_timeline(topic, [(a, self.texts.sessions(a)) for a in agendas]):
            letter: Letter = step.agenda
            stances = step.stances()
            diff = to_json(step.comparison) if step.comparison else None
            steps.append({
                "agenda": {"id": letter.id, "version": letter.latest.number, "title": letter.title,
                           "date": iso(letter.date), "meeting_date": iso(letter.meeting_date)},
                "stances": {s: stances.get(s, 0) for s in STANCES},
                "positions": [_position(line) for line in step.positions],
                "summary": diff["summary"] if diff else None,
                "changes": diff["changes"] if diff else None,
            })
        return tuple(steps)

    # /healthz and the description

    def healthz(self, request: Request) -> Response:
        """What ``status --json`` says; 503 when no poll has succeeded in the last three intervals."""
        _params(request, ())
        status = read_status(self.store, self.config)
        return Response(dump(status_json(status)), status_code=503 if status.stale else 200,
                        media_type="application/json", headers={"Cache-Control": "no-store"})

    def openapi(self, request: Request) -> Response:
        _params(request, ())
        return json_answer(request, dump(openapi_document(str(request.base_url).rstrip("/"))))


def _newest(letters: Iterable[Letter]) -> dt.datetime | None:
    return max((v.fetched_at for letter in letters for v in letter.versions), default=None)


def api_routes(config: Config) -> list[BaseRoute]:
    """The API's routes, to mount at the root of the web app: ``/api/v1/…`` and ``/healthz``."""
    api = _Api(config)
    # any site may read the data from a browser; If-None-Match is not a "simple" header, and a
    # script may only read the ETag when it is exposed
    cors = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"],
                       allow_headers=["If-None-Match", "If-Modified-Since"], expose_headers=["ETag"],
                       max_age=86400)]
    routes = [
        Route("/letters", _answers(api.letters), name="api_letters"),
        Route("/letters/{id}", _answers(api.letter), name="api_letter"),
        Route("/compare", _answers(api.compare), name="api_compare"),
        Route("/topics", _answers(api.topics), name="api_topics"),
        Route("/topics/{topic}", _answers(api.topic), name="api_topic"),
        Route("/openapi.json", _answers(api.openapi), name="api_openapi"),
    ]
    return [
        Mount(PREFIX, app=Router(routes, default=_not_found), middleware=cors),
        # OPTIONS must reach the route's CORS layer for preflights (a Route refuses other methods first)
        Route("/healthz", _answers(api.healthz), name="healthz", methods=["GET", "HEAD", "OPTIONS"],
              middleware=cors),
    ]
