"""A polite HTTP client for the publisher: one place for every network rule.

Rules, all from ``[source]`` in the config: a descriptive ``User-Agent``; at most one request per
``min_request_interval_seconds`` (redirect hops and retries count); (connect, read) timeouts;
retries with exponential backoff and jitter on connection errors, timeouts, 5xx and 429
(``Retry-After`` honoured, every wait capped by ``max_retry_wait_seconds``); no retry on other
4xx; only hosts in ``allowed_hosts``, checked on every redirect hop; bodies over
``max_response_bytes`` refused while streaming; bytes kept exactly as the server sent them.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

from monitor.clock import utc_now
from monitor.config import SourceConfig
from monitor.source.errors import (
    ForeignHost, HttpError, NotFound, TooLarge, TooManyRedirects, Unreachable, root_cause,
)

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
CONNECT_TIMEOUT_CAP = 10.0  # a host that takes longer to accept a connection is down, not slow
CHUNK = 64 * 1024
ERROR_BODY_BYTES = 4096  # kept of an error answer, for the reason a service gives in it
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class HttpResponse:
    """A finished GET: the final URL after redirects and the body exactly as received."""

    url: str
    status: int  # 200-class, or 304 when the caller's validators still match
    data: bytes
    content_type: str | None = None  # the whole header, charset included: decoding needs it
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Retryable(Exception):
    """One attempt failed in a way worth another try; ``wait`` is the server's Retry-After."""

    def __init__(self, reason: str, status: int | None = None, wait: float | None = None):
        super().__init__(reason)
        self.status, self.wait = status, wait


class SourceClient:
    """``SourceClient(config.source)``; use as a context manager or call ``close()``."""

    def __init__(self, config: SourceConfig, *, session: requests.Session | None = None):
        self.config = config
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = config.user_agent
        self._allowed = {h.lower() for h in config.allowed_hosts}
        self._lock = threading.Lock()
        self._next_slot = 0.0
        self._random = random.Random()

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    # --- public -------------------------------------------------------------------------

    def check_host(self, url: str) -> None:
        """Raise ``ForeignHost`` unless ``url`` is http(s) on an allowed host (exact match)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or host not in self._allowed:
            raise ForeignHost(url, parts.hostname)

    def get(
        self,
        url: str,
        *,
        params: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> HttpResponse:
        """GET ``url``, following redirects on allowed hosts only.

        With ``etag``/``last_modified`` (validators stored from an earlier fetch) the request is
        conditional and a 304 comes back as ``HttpResponse.not_modified``.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self.check_host(current)
            result = self._with_retries(current, params, headers)
            if isinstance(result, HttpResponse):
                return result
            current, params = urljoin(current, result), None  # the Location carries its own query
        raise TooManyRedirects(url, MAX_REDIRECTS)

    # --- one hop, with retries ----------------------------------------------------------

    def _with_retries(self, url: str, params, headers) -> HttpResponse | str:
        attempts = 1 + max(0, self.config.max_retries)
        for attempt in range(1, attempts + 1):
            try:
                return self._attempt(url, params, headers)
            except _Retryable as failure:
                if attempt == attempts:
                    if failure.status is not None:
                        raise HttpError(failure.status, url, f"still failing after {attempts} attempts") from None
                    raise Unreachable(url, f"{failure} (after {attempts} attempts)") from None
                wait = self._wait_before_retry(attempt, failure.wait)
                log.warning("GET %s: %s; retry %d/%d in %.1f s", url, failure, attempt,
                            attempts - 1, wait)
                time.sleep(wait)
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _wait_before_retry(self, attempt: int, retry_after: float | None) -> float:
        cap = self.config.max_retry_wait_seconds
        if retry_after is not None:
            return min(retry_after, cap)
        # Exponential backoff with "equal jitter": never less than half the step, so retries of
        # several clients spread out without ever hammering immediately.
        step = self.config.backoff_base_seconds * 2 ** (attempt - 1)
        return min(step * (0.5 + self._random.random() / 2), cap)

    def _attempt(self, url: str, params, headers) -> HttpResponse | str:
        self._pace()
        timeout = self.config.timeout_seconds
        try:
            resp = self.session.get(
                url, params=params, headers=headers, stream=True, allow_redirects=False,
                timeout=(min(timeout, CONNECT_TIMEOUT_CAP), timeout),
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise _Retryable(root_cause(exc)) from None
        with resp:
            status = resp.status_code
            if status in REDIRECTS:
                location = resp.headers.get("Location")
                if not location:
                    raise HttpError(status, url, "redirect without Location")
                return location
            if status == 429 or status >= 500:
                raise _Retryable(f"HTTP {status}", status, parse_retry_after(resp.headers.get("Retry-After")))
            if status in (404, 410):
                raise NotFound(status, url)
            if status == 304:
                if not headers:
                    raise HttpError(304, url, "not modified, but the request was not conditional")
                return self._response(resp, b"")
            if not 200 <= status < 300:
                raise HttpError(status, url, body=next(resp.iter_content(ERROR_BODY_BYTES), b""))
            return self._response(resp, self._read_capped(resp, url))

    def _response(self, resp: requests.Response, data: bytes) -> HttpResponse:
        return HttpResponse(
            url=resp.url, status=resp.status_code, data=data,
            content_type=resp.headers.get("Content-Type"),
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
        )

    def _read_capped(self, resp: requests.Response, url: str) -> bytes:
        limit = self.config.max_response_bytes
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(url, limit, int(declared))
        body = bytearray()
        try:
            for chunk in resp.iter_content(CHUNK):
                body += chunk
                if len(body) > limit:
                    raise TooLarge(url, limit)
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
            raise _Retryable("body cut short: " + root_cause(exc)) from None
        return bytes(body)

    def _pace(self) -> None:
        """Sleep until this client may send its next request (one per min_request_interval)."""
        interval = self.config.min_request_interval_seconds
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_slot)
            self._next_slot = start + interval
        if start > now:
            time.sleep(start - now)


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    >>> parse_retry_after("7")
    7.0
    >>> parse_retry_after("Wed, 21 Oct 2026 07:28:10 GMT", now=dt.datetime(2026, 10, 21, 7, 28, tzinfo=dt.UTC))
    10.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") # a date in the past: retry now
    0.0
    >>> parse_retry_after("soon") is None
    True
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or utc_now()
    return max(0.0, (when - now).total_seconds())
