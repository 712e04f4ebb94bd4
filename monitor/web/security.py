"""What every request passes through: size limit, security headers, CSRF tokens, rate limits.

* Bodies above ``[web] max_body_bytes`` are answered 413 before any handler reads them.
* Every answer carries a Content-Security-Policy without scripts (no page needs one), and may
  not be framed; ``Referrer-Policy: no-referrer``, because manage and unsubscribe URLs hold a
  subscriber's token.
* CSRF: a random cookie and, in each form, its HMAC under the app's secret (double submit); a
  form posted from another site has the cookie but cannot know the HMAC.
* Rate limits per client address, counted in memory (one process serves the pages).
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
from collections import deque
from hashlib import sha256

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
# the comparison reports keep their one <style> block inline (they also work as single files)
HEADERS = {
    b"content-security-policy": CSP.encode(),
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
    b"cross-origin-opener-policy": b"same-origin",
}


class GuardMiddleware:
    """Adds the security headers to every answer and refuses bodies larger than ``max_body``."""

    def __init__(self, app: ASGIApp, *, max_body: int, too_large: bytes):
        self.app, self.max_body, self.too_large = app, max_body, too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in HEADERS.items() if name not in present]
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await self._refuse(send_with_headers)
            return
        # the body is small by definition: read it whole (refusing as soon as it grows too
        # large, also when sent in chunks without a length) and hand it on in one piece
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                await self._refuse(send_with_headers)
                return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send_with_headers)

    async def _refuse(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(self.too_large)).encode())]})
        await send({"type": "http.response.body", "body": self.too_large})


class Csrf:
    """Form tokens bound to a cookie: ``token(cookie)`` goes into the form, ``valid`` checks it."""

    COOKIE = "dm_csrf"

    def __init__(self, secret: bytes):
        self._secret = secret

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(16)

    def token(self, cookie: str) -> str:
        return hmac.new(self._secret, b"csrf:" + cookie.encode("utf-8", "surrogatepass"), sha256).hexdigest()

    def valid(self, cookie: str | None, token: str | None) -> bool:
        """
        >>> c = Csrf(b"k" * 32); cookie = c.new_cookie()
        >>> c.valid(cookie, c.token(cookie)), c.valid(cookie, "0" * 64), c.valid(None, c.token(cookie))
        (True, False, False)
        """
        if not cookie or not token:
            return False
        return hmac.compare_digest(self.token(cookie).encode(), token.encode("utf-8", "surrogatepass"))


class RateLimit:
    """At most ``limit`` hits per ``window`` seconds for each key (a sliding window).

    >>> r = RateLimit(2, 60)
    >>> r.hit("10.0.0.1", now=0), r.hit("10.0.0.1", now=1), r.hit("10.0.0.1", now=2), r.hit("10.0.0.2", now=2)
    (None, None, 58, None)
    >>> r.hit("10.0.0.1", now=61)
    """

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str, *, now: float | None = None) -> int | None:
        """Count a hit; None when allowed, else the seconds until the next one is (it is not counted)."""
        now = time.monotonic() if now is None else now
        if len(self._hits) > 10_000:  # forget clients that went quiet, so memory stays bounded
            self._hits = {k: q for k, q in self._hits.items() if q and q[-1] > now - self.window}
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1, math.ceil(hits[0] + self.window - now))
        hits.append(now)
        return None
