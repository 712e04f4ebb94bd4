"""The API's OpenAPI 3.1 description, written by hand (a test checks it names every route).

>>> doc = openapi_document("https://navo.example.org")
>>> doc["openapi"], doc["servers"][0]["url"], sorted(doc["paths"])[:2]
('3.1.0', 'https://navo.example.org', ['/api/v1/compare', '/api/v1/letters'])
"""

from __future__ import annotations

from typing import Any

from monitor import __version__
from monitor.model import SERIES


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


_NOT_MODIFIED = {"description": "Not modified: the client's copy (If-None-Match / If-Modified-Since) is current."}
_BAD = _error("Bad parameters: an unknown or repeated parameter, or a value out of range; one message says which.")
_CACHED = {
    "ETag": {"description": "A hash of the body; send it back as If-None-Match.", "schema": {"type": "string"}},
    "Last-Modified": {"description": "When the newest data in the answer was stored.", "schema": {"type": "string"}},
}


def _get(summary: str, description: str, ok: dict[str, Any], *, parameters: list | None = None,
         errors: dict[str, Any] | None = None, cached: bool = True) -> dict[str, Any]:
    ok = ok | {"headers": _CACHED} if cached else ok
    responses = {"200": ok} | ({"304": _NOT_MODIFIED} if cached else {}) | {"400": _BAD} | (errors or {})
    return {"get": {"summary": summary, "description": description, "parameters": parameters or [],
                    "responses": responses}}


def _query(name: str, description: str, schema: dict[str, Any], *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


def _path(name: str, description: str, example: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string"}, "example": example}


_DATE = {"type": ["string", "null"], "format": "date"}
_STRINGS = {"type": "array", "items": {"type": "string"}}

_SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error", "status"],
              "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}},
    "LetterSummary": {"type": "object", "properties": {
        "id": {"type": "string", "example": "kst-28676-474"}, "dossier": {"type": "string"},
        "series": {"enum": list(SERIES)}, "title": {"type": "string"}, "date": _DATE, "meeting_date": _DATE,
        "versions": {"type": "integer"}, "latest_version": {"type": "integer"},
        "updated": {"type": "string", "format": "date-time"}, "url": {"type": "string", "format": "uri"}}},
    "LetterPage": {"type": "object", "properties": {
        "schema": {"const": "dossier-monitor.letters/1"}, "total": {"type": "integer"}, "limit": {"type": "integer"},
        "letters": {"type": "array", "items": _ref("LetterSummary")},
        "next": {"type": ["string", "null"], "format": "uri",
                 "description": "The next page (same filters), null on the last page."}}},
    "Letter": {"type": "object", "properties": {
        "schema": {"const": "dossier-monitor.letter/1"}, "id": {"type": "string"}, "dossier": {"type": "string"},
        "dossiers": _STRINGS, "number": {"type": ["string", "null"]}, "title": {"type": "string"},
        "document_type": {"type": ["string", "null"]}, "date": _DATE, "available": _DATE,
        "series": {"enum": list(SERIES)}, "meeting_date": _DATE,
        "reissue_of": {"type": ["string", "null"], "description": "For a herdruk (-n1): the original."},
        "previous_in_series": {"type": ["string", "null"]},
        "versions": {"type": "array", "items": {"type": "object", "properties": {
            "version": {"type": "integer"}, "published_as": {"type": "string"},
            "modified": {"type": ["string", "null"]},
            "fetched_at": {"type": "string", "format": "date-time"}, "sha256": {"type": "string"},
            "manifestations": {"type": "array", "items": {"type": "object"}},
            "links": {"type": "object", "properties": {"site": {"type": "string"},
                                                       "compare_with_previous": {"type": ["string", "null"]}}}}}},
        "links": {"type": "object", "properties": {
            "self": {"type": "string"}, "publisher": {"type": "string"}, "site": {"type": "string"},
            "previous_in_series": {"type": ["string", "null"]},
            "compare_with_previous_in_series": {"type": ["string", "null"]}}}}},
    "Diff": {"type": "object", "description": "The document `dossier-monitor diff --format json` writes.",
             "required": ["schema", "old", "new", "summary", "sections", "changes"], "properties": {
                 "schema": {"const": "dossier-monitor.diff/1"}, "old": {"type": "object"}, "new": {"type": "object"},
                 "summary": {"type": "object"}, "sections": {"type": "array"},
                 "changes": {"type": "array", "items": {"type": "object"}}}},
    "Topics": {"type": "object", "properties": {
        "schema": {"const": "dossier-monitor.topics/1"}, "agendas": {"type": "integer"},
        "topics": {"type": "array", "items": {"type": "object", "properties": {
            "topic": {"type": "string"}, "slug": {"type": "string"},
            "positions_in_latest_agenda": {"type": "integer"}, "positions_in_all_agendas": {"type": "integer"},
            "url": {"type": "string"}, "site": {"type": "string"}}}}}},
    "Timeline": {"type": "object", "properties": {
        "schema": {"const": "dossier-monitor.topic/1"}, "topic": {"type": "string"}, "slug": {"type": "string"},
        "links": {"type": "object"},
        "steps": {"type": "array", "description": "One per FMM agenda, oldest meeting first.", "items": {
            "type": "object", "properties": {
                "agenda": {"type": "object"}, "stances": {"type": "object"},
                "positions": {"type": "array", "items": {"type": "object"}},
                "summary": {"type": ["object", "null"],
                            "description": "Against the agenda before; null for the first."},
                "changes": {"type": ["array", "null"], "description": "As in the diff document's changes."}}}}}},
    "Status": {"type": "object", "description": "The object `dossier-monitor status --json` prints.",
               "properties": {"schema": {"const": "dossier-monitor.status/1"}, "healthy": {"type": "boolean"},
                              "stale": {"type": "boolean"}}},
}


def openapi_document(server_url: str) -> dict[str, Any]:
    """The description, naming ``server_url`` (where the client reached this API) as its server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dossier-monitor API", "version": __version__,
            "description": "Read-only data behind the alerts: the letters of the watched dossier, comparisons "
                           "of any two stored versions, and how the Dutch government's positions per topic "
                           "moved from agenda to agenda. CORS is open for GET; every 200 carries an ETag.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/v1/letters": _get(
                "Stored letters, a page at a time",
                "In publication order, oldest first (undated letters last); the order is stable, and a "
                "'next' link pages on with a cursor that new letters do not disturb.",
                _json(_ref("LetterPage"), "One page of letters."),
                parameters=[
                    _query("limit", "Letters per page.", {"type": "integer", "minimum": 1, "maximum": 500,
                                                          "default": 50}),
                    _query("offset", "Skip this many (not together with cursor).", {"type": "integer", "minimum": 0}),
                    _query("cursor", "From a 'next' link.", {"type": "string"}),
                    _query("series", "Only this series.", {"enum": list(SERIES)}),
                    _query("since", "Letters dated on or after this day.", {"type": "string", "format": "date"}),
                    _query("until", "Letters dated on or before this day.", {"type": "string", "format": "date"}),
                ]),
            "/api/v1/letters/{id}": _get(
                "One letter", "Its metadata, every stored version with its manifestations, and links to "
                "the publisher's page, the site's page and the comparisons.",
                _json(_ref("Letter"), "The letter."),
                parameters=[_path("id", "A kst id (a herdruk's -n1 id too).", "kst-28676-474")],
                errors={"404": _error("No such letter in the store.")}),
            "/api/v1/compare": _get(
                "Compare two stored versions",
                "Exactly the dossier-monitor.diff/1 document `dossier-monitor diff OLD NEW --format json` "
                "writes. Without @VERSION, the latest version.",
                _json(_ref("Diff"), "The comparison."),
                parameters=[
                    _query("old", "ID or ID@VERSION", {"type": "string", "example": "kst-28676-466"}, required=True),
                    _query("new", "ID or ID@VERSION", {"type": "string", "example": "kst-28676-474@1"},
                           required=True),
                ],
                errors={"404": _error("No such letter or version."),
                        "422": _error("A stored version has no text to compare.")}),
            "/api/v1/topics": _get(
                "Topics", "The topics of the lexicon, with how many positions the FMM agendas take on each.",
                _json(_ref("Topics"), "The topics.")),
            "/api/v1/topics/{topic}": _get(
                "One topic's timeline",
                "Per FMM agenda, the government's positions on the topic, counted by stance and compared "
                "with the agenda before (the site's topic page as data).",
                _json(_ref("Timeline"), "The timeline."),
                parameters=[_path("topic", "The topic's name or its slug.", "oekraine")],
                errors={"404": _error("No such topic.")}),
            "/api/v1/openapi.json": _get("This description", "OpenAPI 3.1.", {"description": "This document."}),
            "/healthz": _get(
                "Health", "What `dossier-monitor status --json` says. Never cached.",
                _json(_ref("Status"), "Polling is current."),
                errors={"503": _json(_ref("Status"), "Stale: no successful poll in the last three intervals.")},
                cached=False),
        },
        "components": {"schemas": _SCHEMAS},
    }
