"""``dossier-monitor run``: the daemon, in the foreground (systemd runs it as a simple service),
and with ``--web`` or ``[web] listen`` the web pages beside it in the same process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from monitor import daemon
from monitor.cli import Context, pass_context
from monitor.config import Config
from monitor.store import Store
from monitor.store.lock import DatabaseLock, poller_lock


@click.command("run")
@click.option("--web", is_flag=True,
              help="Also serve the web pages, as `serve` does (on by itself when [web] listen is set).")
@pass_context
def run(ctx: Context, web: bool) -> None:
    """Poll, deliver alerts and send digests on schedule until SIGTERM or Ctrl-C (exit 0).

    On SQLite a second daemon on the same data folder exits with code 3. On PostgreSQL several
    may share the database: one polls, all deliver, and another polls when that one stops.
    With ``--web`` or ``[web] listen`` the same process serves the pages too.
    """
    config = ctx.config
    lock = poller_lock(config)
    if isinstance(lock, DatabaseLock):
        with _pages(config, web):
            daemon.run(config, poller=lock)
    else:
        with lock, _pages(config, web):
            daemon.run(config)


@contextmanager
def _pages(config: Config, wanted: bool) -> Iterator[None]:
    if not (wanted or config.web.listen):
        yield
        return
    from monitor.web.server import WebServer

    Store.open(config, upgrade=True).close()  # the daemon's upgrade first: the pages refuse an old schema
    server = WebServer(config).start()
    click.echo(f"pages at {server.url}", err=True)
    try:
        yield
    finally:
        server.stop()
