"""Conditional GET for the API's JSON: an ETag from the body, Last-Modified from the data, 304 when current.

The ETag is a hash of the exact bytes, so it changes exactly when the answer does;
``If-None-Match`` wins over ``If-Modified-Since`` when a client sends both (RFC 9110, 13.2.2).

>>> moment = dt.datetime(2024, 11, 22, 9, 30, 15, 500, tzinfo=dt.UTC)
>>> tag = etag_of(b"{}")
>>> not_modified({"if-none-match": tag}, tag, moment), not_modified({"if-none-match": f'W/{tag}, "x"'}, tag, None)
(True, True)
>>> not_modified({"if-none-match": '"other"', "if-modified-since": http_date(moment)}, tag, moment)
False
>>> http_date(moment), not_modified({"if-modified-since": http_date(moment)}, tag, moment)
('Fri, 22 Nov 2024 09:30:15 GMT', True)
>>> not_modified({"if-modified-since": "Fri, 22 Nov 2024 09:30:14 GMT"}, tag, moment)
False
>>> not_modified({"if-modified-since": "yesterday"}, tag, moment), not_modified({}, tag, moment)
(False, False)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

JSON = "application/json"
# a client may keep an answer but asks each time whether it is still current (a 304 costs little)
REVALIDATE = "public, no-cache"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(moment: dt.datetime) -> str:
    return format_datetime(moment.astimezone(dt.UTC), usegmt=True)


def not_modified(headers: Mapping[str, str], etag: str, last_modified: dt.datetime | None) -> bool:
    """Whether the client's copy (named by its validators in ``headers``) is still the current one."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = headers.get("if-modified-since")
    if if_modified_since and last_modified is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False  # an unreadable date is ignored, as RFC 9110 asks
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        # an HTTP date has whole seconds
        return last_modified.replace(microsecond=0) <= since
    return False


def dump(data: Any) -> bytes:
    """JSON as the command line writes it: UTF-8 as is (``Oekraïne``), indented, ending in a newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def json_answer(request: Request, body: bytes, *, last_modified: dt.datetime | None = None,
                cache_control: str = REVALIDATE, status_code: int = 200) -> Response:
    """``body`` with its validators, or an empty 304 when the client's copy is current."""
    headers = {"ETag": etag_of(body), "Cache-Control": cache_control}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    if status_code == 200 and not_modified(request.headers, headers["ETag"], last_modified):
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status_code, media_type=JSON, headers=headers)
