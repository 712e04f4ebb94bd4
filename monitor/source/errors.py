"""Why the publisher's answer was not used, one class per reason.

All are ``SourceError`` (exit code 1 for a whole cycle); the classes let callers tell a
publication that must be skipped (refused content, a foreign host) from an outage that must
stop the cycle without moving the watermark (``Unreachable``, 5xx after retries).
"""

from __future__ import annotations

from monitor.errors import SourceError

# ``transient`` on each class: True means "try the whole cycle again later" (keep the
# watermark); False means "this publication is refused, go on with the others".


def one_line(text: object, limit: int = 200) -> str:
    """Squash an exception text to one short line for a log or an error message.

    >>> one_line("HTTPConnectionPool(host='x'):\\n  Max retries exceeded")
    "HTTPConnectionPool(host='x'): Max retries exceeded"
    """
    squashed = " ".join(str(text).split())
    return squashed if len(squashed) <= limit else squashed[: limit - 1] + "…"


def root_cause(exc: BaseException) -> str:
    """The innermost reason of a network error, without the wrappers' retelling of the URL.

    requests wraps urllib3, which wraps the socket error; only the last says what happened.

    >>> inner = ConnectionRefusedError(111, "Connection refused")
    >>> outer = RuntimeError("HTTPSConnectionPool(host='x', port=443): Max retries exceeded")
    >>> outer.__context__ = inner
    >>> root_cause(outer)
    'ConnectionRefusedError: [Errno 111] Connection refused'
    """
    seen: set[int] = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = exc.__cause__ or exc.__context__ or next(
            (a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)), None)
        reason = getattr(exc, "reason", None)
        inner = inner or (reason if isinstance(reason, BaseException) else None)
        if inner is None:
            break
        exc = inner
    return f"{type(exc).__name__}: {one_line(exc, 120)}"


class ForeignHost(SourceError):
    """A URL (or a redirect hop) points at a host outside ``source.allowed_hosts``."""

    transient = False

    def __init__(self, url: str, host: str | None):
        self.url, self.host = url, host
        super().__init__(f"refused {url}: host {host or '(none)'} is not in source.allowed_hosts")


class TooLarge(SourceError):
    """The response is bigger than ``source.max_response_bytes``."""

    transient = False

    def __init__(self, url: str, limit: int, declared: int | None = None):
        self.url, self.limit, self.declared = url, limit, declared
        size = f"declares {declared} bytes" if declared is not None else "exceeds the limit"
        super().__init__(f"refused {url}: response {size} (source.max_response_bytes = {limit})")


class HttpError(SourceError):
    """The server answered with an HTTP status we do not retry, or still failed after retries."""

    def __init__(self, status: int, url: str, detail: str = "", *, body: bytes = b""):
        self.status, self.url = status, url
        self.body = body  # the start of the error answer: a service may say why in it
        self.transient = status == 429 or status >= 500
        super().__init__(f"HTTP {status} for {url}" + (f" ({detail})" if detail else ""))


class NotFound(HttpError):
    """HTTP 404 or 410: the manifestation does not exist (a hard, honest not-found)."""


class TooManyRedirects(SourceError):
    """A redirect chain longer than we follow (a loop, usually)."""

    transient = False

    def __init__(self, url: str, limit: int):
        self.url = url
        super().__init__(f"refused {url}: more than {limit} redirects")


class Unreachable(SourceError):
    """Connection errors or timeouts persisted through every retry."""

    transient = True

    def __init__(self, url: str, reason: str):
        self.url = url
        super().__init__(f"cannot fetch {url}: {one_line(reason)}")


class SruDiagnostic(SourceError):
    """The SRU service answered with a diagnostic instead of records."""

    transient = True  # a query we built was refused: nothing found, so nothing may be skipped


class RefusedContent(SourceError):
    """The bytes arrived but are not what we may store (soft 404, malformed or unsafe XML, not a PDF)."""

    transient = False

    def __init__(self, url: str, reason: str):
        self.url, self.reason = url, reason
        super().__init__(f"refused {url}: {reason}")


class SoftNotFound(RefusedContent):
    """An error page served with HTTP 200, or a redirect to the site's not-found page."""


class MalformedXml(RefusedContent):
    """Not well-formed XML (truncated, garbage)."""


class UnsafeXml(RefusedContent):
    """XML declaring entities or external references (XXE, billion laughs)."""
