"""``dossier-monitor backfill``: a dossier's whole history, with a progress bar, resumable.

It holds the poller lock for its whole run (the data-folder lock; on PostgreSQL an advisory lock
on the database), so it never writes next to a polling daemon or a poll (a second instance
exits with code 3).
"""

from __future__ import annotations

import logging
import sys
from contextlib import ExitStack

import click

from monitor import pipeline
from monitor.cli import Context, pass_context
from monitor.cli.poll import parse_date
from monitor.errors import DeliveryError, SourceError
from monitor.source import SourceClient
from monitor.store import Store
from monitor.store.lock import poller_lock


@click.command("backfill")
@click.option("--dossier", metavar="N", help="Only this dossier (default: every dossier in [source] dossiers).")
@click.option("--since", metavar="YYYY-MM-DD", help="Only publications from this date on.")
@click.option("--alert", is_flag=True, help="Queue alerts for what is found (default: record history quietly).")
@pass_context
def backfill(ctx: Context, dossier: str | None, since: str | None, alert: bool) -> None:
    """Fetch a dossier's whole history, with a progress bar. Interrupted? Run it again: it resumes."""
    config = ctx.config
    bar = _Bars()
    # on a terminal the bar shows the progress; a log line per letter would tear it apart
    quiet = sys.stderr.isatty() and logging.getLogger().getEffectiveLevel() >= logging.INFO
    monitor_log = logging.getLogger("monitor")
    level = monitor_log.level
    if quiet:
        monitor_log.setLevel(logging.WARNING)
    try:
        with poller_lock(config), Store.open(config, upgrade=True) as store, SourceClient(config.source) as client:
            result = pipeline.backfill(store, client, config, dossier=dossier, since=parse_date(since), alert=alert,
                                       progress=bar.update)
    finally:
        bar.close()
        monitor_log.setLevel(level)
    click.echo(f"{result.seen} gevonden, {result.stored} opgeslagen, {result.known} al aanwezig, "
               f"{len(result.refused)} geweigerd", err=True)
    if not result.ok:
        raise SourceError(f"backfill incomplete: {result.error} (run it again to resume)")
    if result.delivery_error:
        raise DeliveryError(f"alerts not sent: {result.delivery_error}")


class _Bars:
    """One click progress bar per dossier, on stderr, opened when its size is known."""

    def __init__(self):
        self.dossier: str | None = None
        self.stack = ExitStack()
        self.bar = None
        self.done = 0

    def update(self, dossier: str, done: int, total: int) -> None:
        if dossier != self.dossier:
            self.close()
            self.dossier, self.done = dossier, 0
            self.bar = self.stack.enter_context(click.progressbar(
                length=total, label=f"dossier {dossier}", file=sys.stderr, show_pos=True))
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        self.stack.close()
        self.bar = None
