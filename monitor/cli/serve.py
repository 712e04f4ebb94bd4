"""``dossier-monitor serve``: the web pages, in the foreground, beside the daemon or without it.

It takes no data-folder lock (it never polls); its writes are short transactions that wait
for the daemon's, so it never exits 3.
"""

from __future__ import annotations

import signal
import threading

import click

from monitor.cli import Context, pass_context


@click.command("serve")
@click.option("--listen", metavar="HOST:PORT",
              help="Where to listen (default: [web] listen, else 127.0.0.1:8080).")
@pass_context
def serve(ctx: Context, listen: str | None) -> None:
    """Serve the sign-up, manage and unsubscribe pages and the site until SIGTERM or Ctrl-C (exit 0)."""
    from monitor.web.server import WebServer

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda _signum, _frame: stop.set())
    server = WebServer(ctx.config, listen).start()
    click.echo(f"pages at {server.url}", err=True)
    while not stop.wait(0.5):
        pass
    server.stop()
