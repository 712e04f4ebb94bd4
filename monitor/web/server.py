"""Serving the app with uvicorn on a thread, so that ``serve`` and ``run`` stop it the same way.

The socket is bound before the thread starts: a port in use is one clear error at start-up,
not a log line from a thread. Access logs are off, because manage and unsubscribe URLs hold
subscribers' tokens; forwarded headers are left to the app (``[web] trusted_proxies``).
"""

from __future__ import annotations

import logging
import socket
import threading

import uvicorn

from monitor.config import Config
from monitor.errors import MonitorError
from monitor.web.app import create_app

log = logging.getLogger(__name__)


class WebServer:
    def __init__(self, config: Config, listen: str | None = None):
        self.host, self.port = config.web_address(listen)
        self.app = create_app(config)
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            self.socket = socket.create_server((self.host, self.port), family=family, backlog=128)
        except OSError as exc:
            raise MonitorError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from None
        self.port = self.socket.getsockname()[1]  # the one given, or the one chosen for port 0
        self.server = uvicorn.Server(uvicorn.Config(
            self.app, proxy_headers=False, server_header=False, access_log=False, log_config=None,
            lifespan="on", timeout_graceful_shutdown=3))
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]},
                                        name="web", daemon=True)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> WebServer:
        self._thread.start()
        log.info("pages served at %s", self.url, extra={"fields": {"event": "web-started", "url": self.url}})
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(5)
        self.socket.close()
