"""``dossier-monitor run``: the daemon, in the foreground (systemd runs it as a simple service)."""

from __future__ import annotations

import click

from monitor import daemon
from monitor.cli import Context, pass_context
from monitor.store.lock import DatabaseLock, poller_lock


@click.command("run")
@pass_context
def run(ctx: Context) -> None:
    """Poll, deliver alerts and send digests on schedule until SIGTERM or Ctrl-C (exit 0).

    On SQLite a second daemon on the same data folder exits with code 3. On PostgreSQL several
    may share the database: one polls, all deliver, and another polls when that one stops.
    """
    config = ctx.config
    lock = poller_lock(config)
    if isinstance(lock, DatabaseLock):
        daemon.run(config, poller=lock)
    else:
        with lock:
            daemon.run(config)
