"""``dossier-monitor alerts list|send|preview``: the outbox."""

from __future__ import annotations

import json

import click

from monitor.alerts.delivery import preview as preview_message
from monitor.alerts.delivery import send_digests, send_pending
from monitor.alerts.transport import as_sent
from monitor.cli import Context, pass_context
from monitor.pipeline import notify_failed_alerts
from monitor.model import Alert
from monitor.store import Store, outbox
from monitor.store.lock import poller_lock


@click.group("alerts")
def alerts() -> None:
    """The outbox: alerts waiting, sent and failed."""


@alerts.command("list")
@click.option("--pending", "status", flag_value="pending", help="Only alerts still to be sent.")
@click.option("--failed", "status", flag_value="failed", help="Only alerts given up on, with the reason.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of alerts.")
@pass_context
def list_(ctx: Context, status: str | None, as_json: bool) -> None:
    """Alerts, oldest first."""
    with Store.open(ctx.config) as store, store.transaction() as conn:
        rows = outbox.list_alerts(conn, status)
    if as_json:
        click.echo(json.dumps([_as_json(a) for a in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("geen meldingen" + (f" met status {status}" if status else ""))
        return
    for a in rows:
        line = (f"{a.id:>5}  {a.status:<9}  {a.created_at:%Y-%m-%d %H:%M}  {a.subscriber}  {a.kind}"
                f"  {a.identifier or '-'}  pogingen {a.attempts}")
        if a.status == "pending" and a.next_attempt_at:
            line += f"  volgende {a.next_attempt_at:%Y-%m-%d %H:%M}"
        if a.error:
            line += f"  ({a.error})"
        click.echo(line)


@alerts.command("send")
@click.option("--digests", is_flag=True, help="Also send today's daily digests now.")
@pass_context
def send(ctx: Context, digests: bool) -> None:
    """Send every pending alert now, retry times aside (exit 1 when the mail server cannot be reached)."""
    config = ctx.config
    with poller_lock(config), Store.open(config) as store:
        report = send_pending(store, config, flush=True)
        if notify_failed_alerts(store, config):
            report.sent += send_pending(store, config, flush=True).sent
        click.echo(f"meldingen: verzonden {report.sent}, mislukt {report.failed}, uitgesteld {report.deferred}"
                   + (f", geannuleerd {report.cancelled}" if report.cancelled else ""))
        if digests:
            digest_report = send_digests(store, config)
            click.echo(f"dagoverzichten: verzonden {digest_report.sent}, mislukt {digest_report.failed}, "
                       f"uitgesteld {digest_report.deferred}")


@alerts.command("retry")
@click.argument("alert_ids", metavar="[ID]...", type=int, nargs=-1)
@pass_context
def retry(ctx: Context, alert_ids: tuple[int, ...]) -> None:
    """Queue failed alerts again (these, or every failed one), once the cause is fixed.

    They go out at the next delivery (or `alerts send`), with their own Message-ID.
    """
    with Store.open(ctx.config) as store, store.transaction() as conn:
        count = outbox.retry_failed(conn, alert_ids)
    click.echo(f"{count} mislukte meldingen opnieuw in de wachtrij")


@alerts.command("preview")
@click.argument("alert_id", metavar="ID", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "html", "eml"]), default="text", show_default=True,
              help="The text part, the HTML part, or the whole message as it would be sent.")
@pass_context
def preview(ctx: Context, alert_id: int, fmt: str) -> None:
    """Show exactly what would be sent for alert ID."""
    with Store.open(ctx.config) as store:
        msg = preview_message(store, ctx.config, alert_id)
    if fmt == "eml":
        click.echo(as_sent(msg, msg["To"].addresses[0].addr_spec, linesep="\n").decode("utf-8", "replace"), nl=False)
    else:
        click.echo(msg.get_body(("plain",) if fmt == "text" else ("html",)).get_content(), nl=False)


def _as_json(a: Alert) -> dict:
    return {"id": a.id, "status": a.status, "subscriber": a.subscriber, "event": a.event_key, "kind": a.kind,
            "identifier": a.identifier or None, "created_at": a.created_at.isoformat(), "attempts": a.attempts,
            "next_attempt_at": a.next_attempt_at.isoformat() if a.next_attempt_at else None,
            "sent_at": a.sent_at.isoformat() if a.sent_at else None, "error": a.error,
            "message_id": a.message_id}
