"""``dossier-monitor run``: the daemon, in the foreground (systemd runs it as a simple service),
and with ``--web`` or ``[web] listen`` the web pages beside it in the same process."""

from __future__ import annotations

import click

from monitor import daemon
from monitor.cli import Context, pass_context
from monitor.store import DataDirLock, Store


@click.command("run")
@click.option("--web", is_flag=True,
              help="Also serve the web pages, as `serve` does (on by itself when [web] listen is set).")
@pass_context
def run(ctx: Context, web: bool) -> None:
    """Poll, deliver alerts and send digests on schedule until SIGTERM or Ctrl-C (exit 0).

    With ``--web`` or ``[web] listen`` the same process serves the pages too."""
    config = ctx.config
    with DataDirLock(config.data_dir):
        server = None
        if web or config.web.listen:
            from monitor.web.server import WebServer

            Store.open(config, upgrade=True).close()  # the daemon's upgrade first: the pages refuse an old schema
            server = WebServer(config).start()
            click.echo(f"pages at {server.url}", err=True)
        try:
            daemon.run(config)
        finally:
            if server is not None:
                server.stop()
