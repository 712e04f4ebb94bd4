"""The web app: sign-up with double opt-in, the subscriber's own pages, and the site.

``create_app(config)`` is a Starlette app; ``dossier-monitor serve`` (and ``run`` when
``[web] listen`` is set) serves it with uvicorn. It never takes the data-folder lock: it reads
the store and writes one short transaction per form (SQLite in WAL mode with a busy timeout),
so it runs beside the daemon.

Routes (every form works without script; every POST but the RFC 8058 one needs the CSRF token):

* ``GET|POST /subscribe``: the form; a valid one records the sign-up and sends ONE mail, a
  confirmation link, and answers the same whether the address was known or not;
* ``GET|POST /confirm/<token>``: a button, then the subscription is active;
* ``GET|POST /manage/<token>``: the form filled in; save, pause, resume, unsubscribe, erase;
* ``GET|POST /unsubscribe/<token>``: one button; a POST of ``List-Unsubscribe=One-Click``
  (what a mail client sends for the ``List-Unsubscribe-Post`` header) needs no cookie or token;
* the JSON API (``monitor.web.api``: ``/api/v1/…``, ``/healthz``), then the site: ``/`` in ``[site] language``, ``/en/`` or
  ``/nl/`` in the other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from monitor.alerts.confirmation import send_confirmation
from monitor.alerts.transport import PermanentFailure, TemporaryFailure, Unreachable
from monitor.clock import utc_now
from monitor.config import Config
from monitor.site.labels import words
from monitor.site.pages import Pages
from monitor.site.paths import relative
from monitor.store import Store
from monitor.store import subscriptions as subs
from monitor.store.files import kept_secret
from monitor.vocabulary import LANGUAGES
from monitor.web.api import api_routes
from monitor.web.forms import SubscriptionForm, choices
from monitor.web.security import Csrf, GuardMiddleware, RateLimit
from monitor.web.site import SiteTree, other_language

log = logging.getLogger(__name__)

SECRET_FILE = "web-secret"
ONE_CLICK = ("List-Unsubscribe", "One-Click")


def create_app(config: Config) -> Starlette:
    store = Store.open(config)
    front = FrontDoor(config, store)
    default = config.site.language
    other = other_language(default)
    routes: list[BaseRoute] = [
        Route("/subscribe", front.subscribe_form, methods=["GET"]),
        Route("/subscribe", front.subscribe, methods=["POST"]),
        Route("/confirm/{token}", front.confirm_form, methods=["GET"]),
        Route("/confirm/{token}", front.confirm, methods=["POST"]),
        Route("/manage/{token}", front.manage_form, methods=["GET"]),
        Route("/manage/{token}", front.manage, methods=["POST"]),
        Route("/unsubscribe/{token}", front.unsubscribe_form, methods=["GET"]),
        Route("/unsubscribe/{token}", front.unsubscribe, methods=["POST"]),
        # browsers ask for it on every site; the pages have no icon and need no 404 for it
        Route("/favicon.ico", no_icon, methods=["GET"]),
        *api_routes(config),  # the JSON API: /api/v1/…, /healthz
        Mount(f"/{other}", app=SiteTree(store, config, other)),
        Mount("/", app=SiteTree(store, config, default)),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        store.close()

    app = Starlette(routes=routes, exception_handlers={HTTPException: front.error}, lifespan=lifespan)
    app.add_middleware(GuardMiddleware, max_body=config.web.max_body_bytes,
                       too_large=words(default)["error_too_large"].encode("utf-8"))
    if config.web.trusted_proxies:
        # the client address and scheme come from X-Forwarded-* only when a trusted proxy sent them
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=config.web.trusted_proxies)
    return app


async def no_icon(_request: Request) -> Response:
    return Response(status_code=204)


class FrontDoor:
    """The handlers of the HTML pages; the store work of each runs in a worker thread."""

    def __init__(self, config: Config, store: Store):
        self.config, self.store = config, store
        self.csrf = Csrf(config.web_secret() or kept_secret(store.data_dir / SECRET_FILE))
        self.per_ip = RateLimit(config.web.signups_per_ip_per_hour, 3600)

    # --- rendering ----------------------------------------------------------------------

    def language(self, request: Request, form=None, fallback: str | None = None) -> str:
        asked = (form.get("lang") if form is not None else None) or request.query_params.get("lang")
        return asked if asked in LANGUAGES else (fallback or self.config.site.language)

    def page(self, request: Request, template: str, *, here: str, language: str, title: str,
             status: int = 200, section: str = "subscribe", headers: dict | None = None, **context) -> Response:
        """A page of the web app; ``section`` marks the menu entry it belongs to ("own": the pages of
        one subscriber's links, which have none)."""
        default = language == self.config.site.language
        pages = Pages(language=language, title=self.config.site.title, base_url="",
                      root="" if default else f"{language}/",
                      subscribe_path="subscribe" if default else f"subscribe?lang={language}")
        cookie = request.cookies.get(Csrf.COOKIE)
        fresh = None if cookie and len(cookie) <= 64 else Csrf.new_cookie()
        html = pages.render(template, here=here, section=section, page_title=title,
                            csrf=self.csrf.token(fresh or cookie), action=pages_link(here),
                            switch_path=f"{here}?lang={other_language(language)}", **context)
        response = HTMLResponse(html, status, headers={"cache-control": "no-store", **(headers or {})})
        if fresh:
            response.set_cookie(Csrf.COOKIE, fresh, httponly=True, samesite="lax", path="/",
                                secure=request.url.scheme == "https")
        return response

    def notice(self, request: Request, language: str, title_key: str, message: str, *, here: str,
               status: int = 200, problem: bool = False, next_url: str | None = None,
               next_label: str | None = None, headers: dict | None = None) -> Response:
        w = words(language)
        return self.page(request, "notice.html.j2", here=here, language=language, title=w[title_key],
                         status=status, message=message, problem=problem, next_url=next_url,
                         next_label=next_label, headers=headers)

    def refuse_csrf(self, request: Request, language: str, here: str) -> Response:
        w = words(language)
        return self.notice(request, language, "error_csrf_title", w["error_csrf"], here=here, status=403,
                           problem=True)

    def busy(self, request: Request, language: str, here: str, retry_after: int) -> Response:
        w = words(language)
        return self.notice(request, language, "error_busy_title",
                           w["error_busy"].format(minutes=math.ceil(retry_after / 60)), here=here, status=429,
                           problem=True, headers={"retry-after": str(retry_after)})

    def unknown_link(self, request: Request, language: str, here: str) -> Response:
        w = words(language)
        return self.notice(request, language, "error_link_title", w["error_link"], here=here, status=404,
                           problem=True, next_url=pages_link(here, "subscribe"), next_label=w["nav_subscribe"])

    async def error(self, request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, exc.status_code, headers=exc.headers)
        here = request.url.path.lstrip("/") or "index.html"
        other = other_language(self.config.site.language)
        language = self.language(request, fallback=other if here.startswith(f"{other}/") else None)
        w = words(language)
        if exc.status_code == 404:
            title, message = "not_found_title", w["error_not_found"]
        else:
            title, message = "error_title", w["error_other"].format(status=exc.status_code)
        return self.notice(request, language, title, message, here=here, status=exc.status_code, problem=True,
                           headers=exc.headers)

    async def _form(self, request: Request):
        form = await request.form()
        return form, {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form.keys()}

    def _csrf_ok(self, request: Request, form) -> bool:
        token = form.get("csrf")
        return self.csrf.valid(request.cookies.get(Csrf.COOKIE), token if isinstance(token, str) else None)

    # --- sign-up ------------------------------------------------------------------------

    async def subscribe_form(self, request: Request) -> Response:
        language = self.language(request)
        return self._subscribe_page(request, SubscriptionForm(language=language), language)

    def _subscribe_page(self, request: Request, form: SubscriptionForm, language: str, status: int = 200) -> Response:
        return self.page(request, "subscribe.html.j2", here="subscribe", language=language,
                         title=words(language)["subscribe_title"], status=status, form=form,
                         choices=choices(language, early=self.config.tk.enabled), errors=form.errors)

    async def subscribe(self, request: Request) -> Response:
        raw, data = await self._form(request)
        language = self.language(request, raw)
        if not self._csrf_ok(request, raw):
            return self.refuse_csrf(request, language, "subscribe")
        client = request.client.host if request.client else "unknown"
        if (wait := self.per_ip.hit(client)) is not None:
            return self.busy(request, language, "subscribe", wait)
        # without [tk] no early alert is ever sent: a box ticked anyway asks for nothing
        form = SubscriptionForm.read(data, language, early_kept=None if self.config.tk.enabled else False)
        if form.errors:
            return self._subscribe_page(request, form, language, status=400)
        now = utc_now()
        try:
            token = await run_in_threadpool(self._record_signup, form, now)
        except subs.TooManyConfirmations as exc:
            return self.busy(request, language, "subscribe", exc.retry_after)
        url = self.link(request, "confirm", token)
        try:
            await run_in_threadpool(send_confirmation, self.config, form.email, url,
                                    language=form.language, now=now)
        except PermanentFailure as exc:  # the server will never take this address: say so, as for a typo
            form.errors = [words(language)["error_undeliverable"].format(reason=exc)]
            return self._subscribe_page(request, form, language, status=400)
        except (Unreachable, TemporaryFailure) as exc:
            log.warning("confirmation mail not sent: %s", exc)
            w = words(language)
            return self.notice(request, language, "error_mail_title", w["error_mail"], here="subscribe",
                               status=503, problem=True, headers={"retry-after": "600"})
        w = words(language)
        return self.notice(request, language, "check_mail_title",
                           w["check_mail"].format(email=form.email, hours=self.config.web.confirmation_hours),
                           here="subscribe")

    def _record_signup(self, form: SubscriptionForm, now: dt.datetime) -> str:
        with self.store.transaction() as conn:
            return subs.request_confirmation(conn, form.email, form.settings(), now=now,
                                             valid_for=dt.timedelta(hours=self.config.web.confirmation_hours),
                                             per_day=self.config.web.confirmations_per_address_per_day)

    def link(self, request: Request, page: str, token: str) -> str:
        """An absolute link for a mail: under ``[web] base_url``, else under the address asked for."""
        base = self.config.web.base_url or str(request.base_url)
        return f"{base.rstrip('/')}/{page}/{token}"

    # --- confirmation -------------------------------------------------------------------

    async def confirm_form(self, request: Request) -> Response:
        language = self.language(request)
        w = words(language)
        return self.page(request, "button.html.j2", here=f"confirm/{request.path_params['token']}",
                         language=language, title=w["confirm_title"], intro=w["confirm_intro"],
                         button=w["confirm_button"])

    async def confirm(self, request: Request) -> Response:
        raw, _ = await self._form(request)
        language = self.language(request, raw)
        token = request.path_params["token"]
        here = f"confirm/{token}"
        if not self._csrf_ok(request, raw):
            return self.refuse_csrf(request, language, here)

        def confirm() -> subs.outbox.Subscriber | None:
            with self.store.transaction() as conn:
                return subs.confirm(conn, token, now=utc_now())

        w = words(language)
        try:
            sub = await run_in_threadpool(confirm)
        except subs.LinkExpired:
            return self.notice(request, language, "error_expired_title", w["error_expired"], here=here, status=410,
                               problem=True, next_url=pages_link(here, "subscribe"), next_label=w["nav_subscribe"])
        if sub is None:
            return self.unknown_link(request, language, here)
        log.info("subscription confirmed (subscriber %d)", sub.id,
                 extra={"fields": {"event": "subscription-confirmed", "subscriber": sub.id}})
        return self.notice(request, language, "confirmed_title", w["confirmed"].format(email=sub.email), here=here,
                           next_url=pages_link(here, f"manage/{sub.token}"), next_label=w["manage_title"])

    # --- the subscriber's own pages -----------------------------------------------------

    def _subscriber(self, token: str) -> subs.outbox.Subscriber | None:
        with self.store.transaction() as conn:
            return subs.by_token(conn, token)

    async def _linked(self, request: Request, page: str, form=None) -> tuple[str, subs.outbox.Subscriber | None, str]:
        """For ``/<page>/<token>``: the page's path, the token's subscriber (None for a forged or
        erased one) and the language to answer in (asked for, else the subscriber's)."""
        token = request.path_params["token"]
        sub = await run_in_threadpool(self._subscriber, token)
        return f"{page}/{token}", sub, self.language(request, form, fallback=sub.language if sub else None)

    async def manage_form(self, request: Request) -> Response:
        here, sub, language = await self._linked(request, "manage")
        if sub is None:
            return self.unknown_link(request, language, here)
        return self._manage_page(request, sub, SubscriptionForm.of(sub, self.config.mail.language), language)

    def _manage_page(self, request: Request, sub, form: SubscriptionForm, language: str, *, notice: str = "",
                     status: int = 200) -> Response:
        return self.page(request, "manage.html.j2", here=f"manage/{sub.token}", language=language, section="own",
                         title=words(language)["manage_title"], status=status, email=sub.email, state=sub.state,
                         notice=notice, form=form, choices=choices(language, early=self.config.tk.enabled),
                         errors=form.errors)

    async def manage(self, request: Request) -> Response:
        raw, data = await self._form(request)
        here, sub, language = await self._linked(request, "manage", raw)
        if not self._csrf_ok(request, raw):
            return self.refuse_csrf(request, language, here)
        if sub is None:
            return self.unknown_link(request, language, here)
        w = words(language)
        action = raw.get("action")
        if action == "save":
            # without [tk] the box is not offered, and a choice made under an earlier
            # configuration stays as it is, for when [tk] is turned on again
            form = SubscriptionForm.read(data, language, with_email=False, dossier=sub.dossier,
                                         early_kept=None if self.config.tk.enabled else sub.early)
            form.email = sub.email
            if form.errors:
                return self._manage_page(request, sub, form, language, status=400)
            sub = await run_in_threadpool(self._change, lambda conn: subs.change(conn, sub, form.settings()))
            return self._manage_page(request, sub, form, language, notice=w["saved"])
        if action == "forget":
            await run_in_threadpool(self._change, lambda conn: subs.forget(conn, sub, utc_now()))
            log.info("subscriber %d erased on request", sub.id, extra={"fields": {"event": "subscriber-forgotten"}})
            return self.notice(request, language, "forgotten_title", w["forgotten"], here=here)
        # the page then says the new state itself
        steps = {"pause": lambda conn: subs.pause(conn, sub, utc_now()),
                 "resume": lambda conn: subs.resume(conn, sub, utc_now()),
                 "unsubscribe": lambda conn: subs.unsubscribe(conn, sub)}
        if action not in steps:
            form = SubscriptionForm.of(sub, self.config.mail.language)
            form.errors = [w["error_choice"].format(field=w["manage_title"])]
            return self._manage_page(request, sub, form, language, status=400)
        await run_in_threadpool(self._change, steps[action])
        sub = await run_in_threadpool(self._subscriber, sub.token)
        return self._manage_page(request, sub, SubscriptionForm.of(sub, self.config.mail.language), language)

    def _change(self, step):
        with self.store.transaction() as conn:
            return step(conn)

    async def unsubscribe_form(self, request: Request) -> Response:
        here, sub, language = await self._linked(request, "unsubscribe")
        if sub is None:
            return self.unknown_link(request, language, here)
        w = words(language)
        return self.page(request, "button.html.j2", here=here, language=language, section="own",
                         title=w["unsubscribe_title"], intro=w["unsubscribe_intro"].format(email=sub.email),
                         button=w["unsubscribe_button"])

    async def unsubscribe(self, request: Request) -> Response:
        raw, _ = await self._form(request)
        here, sub, language = await self._linked(request, "unsubscribe", raw)
        # RFC 8058: the mail client's POST carries no cookie; the token in the URL is the proof
        if raw.get(ONE_CLICK[0]) != ONE_CLICK[1] and not self._csrf_ok(request, raw):
            return self.refuse_csrf(request, language, here)
        if sub is None:
            return self.unknown_link(request, language, here)
        cancelled = await run_in_threadpool(self._change, lambda conn: subs.unsubscribe(conn, sub))
        log.info("subscriber %d unsubscribed through the web (%d pending alerts cancelled)", sub.id, cancelled,
                 extra={"fields": {"event": "unsubscribed", "subscriber": sub.id, "cancelled": cancelled}})
        w = words(language)
        return self.notice(request, language, "unsubscribed_title", w["unsubscribed"], here=here,
                           next_url=pages_link(here, f"manage/{sub.token}"), next_label=w["manage_link"])


def pages_link(here: str, target: str | None = None) -> str:
    """A link from the page at ``here`` to ``target`` (default: itself), relative, so the app also
    works below a path on the proxy.

    >>> pages_link("manage/abc"), pages_link("confirm/abc", "manage/def"), pages_link("subscribe")
    ('abc', '../manage/def', 'subscribe')
    """
    return relative(here, target or here)
