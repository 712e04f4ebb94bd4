"""The static site, served by the app: built from the store into ``<data_dir>/web/<language>`` and
rebuilt (incrementally, swapped in whole) when the store has new versions since the last build.

The default language (``[site] language``) is served at ``/``, the other one at ``/<language>/``;
the menu of each links to the sign-up page and to the same page in the other language.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from monitor.config import Config
from monitor.site import build_site
from monitor.store import Store
from monitor.store.schema import publications, versions
from monitor.vocabulary import LANGUAGES

CHECK_SECONDS = 1.0  # how often a request may look whether the store changed


def other_language(language: str) -> str:
    return next(lang for lang in LANGUAGES if lang != language)


class SiteTree:
    """One language of the site as an ASGI app: static files, brought up to date before serving."""

    def __init__(self, store: Store, config: Config, language: str):
        self.store, self.config, self.language = store, config, language
        self.default = language == config.site.language
        self.folder = store.data_dir / "web" / language
        self._files = StaticFiles(directory=self.folder, html=True, check_dir=False)
        self._lock = threading.Lock()
        self._built_for: tuple | None = None
        self._checked = 0.0

    def _stamp(self) -> tuple:
        with self.store.engine.connect() as conn:
            return (conn.execute(select(func.count(), func.max(versions.c.id))).one()[:],
                    conn.execute(select(func.count(), func.max(publications.c.modified))).one()[:])

    def refresh(self) -> Path:
        """The folder, rebuilt first when the store changed (checked at most every CHECK_SECONDS)."""
        if time.monotonic() - self._checked < CHECK_SECONDS and self._built_for is not None:
            return self.folder
        with self._lock:
            stamp = self._stamp()
            if stamp != self._built_for:
                other = other_language(self.language)
                if self.default:
                    subscribe, switch = "subscribe", f"{other}/"
                else:
                    subscribe, switch = f"../subscribe?lang={self.language}", "../"
                build_site(self.store, self.folder, language=self.language, base_url=self._base_url(),
                           title=self.config.site.title, subscribe_path=subscribe, switch_prefix=switch)
                self._built_for = stamp
            self._checked = time.monotonic()
        return self.folder

    def _base_url(self) -> str:
        base = self.config.web.base_url or self.config.site.base_url
        if not base or self.default:
            return base
        return f"{base.rstrip('/')}/{self.language}/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await run_in_threadpool(self.refresh)
        await self._files(scope, receive, send)
