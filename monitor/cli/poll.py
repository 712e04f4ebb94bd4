"""``dossier-monitor poll``: one cycle now.

It holds the poller lock for its whole run (the data-folder lock; on PostgreSQL an advisory lock
on the database), so it never writes next to a polling daemon or a backfill (a second instance
exits with code 3).
"""

from __future__ import annotations

import datetime as dt

import click

from monitor import pipeline
from monitor.cli import Context, pass_context
from monitor.errors import BadInput, DeliveryError, SourceError
from monitor.source import SourceClient
from monitor.store import Store
from monitor.store.lock import poller_lock


@click.command("poll")
@click.option("--since", metavar="YYYY-MM-DD", help="Ask for publications from this date on, not from the watermark.")
@pass_context
def poll(ctx: Context, since: str | None) -> None:
    """One cycle now: fetch what is new, snapshot, classify, compare, queue and send alerts.

    Exit code 0 when the publisher answered, 1 when it could not be reached (the next poll
    catches up: nothing is skipped) or the mail server refused the alerts (they stay queued).
    """
    config = ctx.config
    with poller_lock(config), Store.open(config, upgrade=True) as store, SourceClient(config.source) as client:
        result = pipeline.poll(store, client, config, since=parse_date(since))
    click.echo(f"{result.seen} gezien, {result.stored} opgeslagen, {len(result.refused)} geweigerd, "
               f"{len(result.events)} gebeurtenissen, {result.alerts} meldingen in de wachtrij", err=True)
    if not result.ok:
        raise SourceError(f"poll failed: {result.error}")
    if result.delivery_error:
        raise DeliveryError(f"alerts not sent: {result.delivery_error}")


def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"--since: expected a date as YYYY-MM-DD, got {text!r}") from None
