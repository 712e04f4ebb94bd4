"""``dossier-monitor run``: the daemon, in the foreground (systemd runs it as a simple service)."""

from __future__ import annotations

import click

from monitor import daemon
from monitor.cli import Context, pass_context
from monitor.store import DataDirLock


@click.command("run")
@pass_context
def run(ctx: Context) -> None:
    """Poll, deliver alerts and send digests on schedule until SIGTERM or Ctrl-C (exit 0)."""
    config = ctx.config
    with DataDirLock(config.data_dir):
        daemon.run(config)
