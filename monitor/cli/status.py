"""``dossier-monitor status``: how the monitor is doing; exit code 1 when polling is stale."""

from __future__ import annotations

import json

import click

from monitor.cli import Context, pass_context
from monitor.errors import DeliveryError, Stale
from monitor.status import STALE_INTERVALS, read_status, status_json, status_text
from monitor.store import Store


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="One JSON object (schema dossier-monitor.status/1).")
@pass_context
def status(ctx: Context, as_json: bool) -> None:
    """Last and next poll, running daemons, counts, the last error.

    The daemons are those whose heartbeat in the database is recent (three delivery ticks),
    wherever they run: host, pid, role (poller or standby), seconds since the last beat.

    Exit code 1 when the last successful poll is older than three poll intervals (or there has
    been none), or when mail is not getting through (alerts failed or waiting too long): usable
    as a health check.
    """
    config = ctx.config
    with Store.open(config) as store:
        current = read_status(store, config)
    if as_json:
        click.echo(json.dumps(status_json(current), ensure_ascii=False, indent=2))
    else:
        click.echo(status_text(current, config.mail.language))
    trouble = f"; {current.mail_trouble}" if current.mail_trouble else ""
    if current.stale:
        if current.last_success is None:
            raise Stale(f"stale: no successful poll yet{trouble}")
        raise Stale(f"stale: the last successful poll ({current.last_success.isoformat(timespec='seconds')}) "
                    f"is more than {STALE_INTERVALS} poll intervals ago{trouble}")
    if current.mail_trouble:
        raise DeliveryError(current.mail_trouble)
