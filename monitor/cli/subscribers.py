"""``dossier-monitor subscribers add|list|remove``: who gets which alerts.

``add`` sets a subscription to exactly what the command says (options left out take their
defaults), for a new address or one already subscribed.
"""

from __future__ import annotations

import json
import re

import click

from monitor.alerts.addresses import needs_smtputf8, normalise
from monitor.cli import Context, pass_context
from monitor.errors import BadInput
from monitor.model import SERIES
from monitor.positions import topic_named
from monitor.positions.lexicon import topics as topic_lexicon
from monitor.store import Store, outbox
from monitor.vocabulary import LANGUAGES

_DOSSIER = re.compile(r"[0-9]+(?:-[0-9A-Za-z]+)?")


@click.group("subscribers")
def subscribers() -> None:
    """Who receives alerts, and which."""


@subscribers.command("add")
@click.argument("email")
@click.option("--dossier", metavar="N", help="Only this dossier (default: every watched dossier).")
@click.option("--series", type=click.Choice([*SERIES, "all"]), default="all", show_default=True,
              help="Only letters of this series.")
@click.option("--topic", "topics", multiple=True, metavar="T",
              help="Only changes touching this topic (repeatable; default: every topic).")
@click.option("--min-severity", type=click.IntRange(0, 3), default=0, show_default=True,
              help="Only changes at least this severe (0 cosmetic … 3 stance); new letters count as 0.")
@click.option("--digest", type=click.Choice(["daily", "none"]), default="none", show_default=True,
              help="One message a day instead of one per alert.")
@click.option("--language", type=click.Choice(LANGUAGES), default=None,
              help="Language of the mails (default: [mail] language).")
@click.option("--early/--no-early", default=False, show_default=True,
              help="Also an early alert when a letter appears in the Tweede Kamer's open data, before its "
                   "official publication (needs [tk] enabled); then one note when the official text is out.")
@pass_context
def add(ctx: Context, email: str, dossier: str | None, series: str, topics: tuple[str, ...],
        min_severity: int, digest: str, language: str | None, early: bool) -> None:
    """Subscribe EMAIL, or change the subscription of an address already subscribed."""
    address = normalise(email)
    if dossier is not None and not _DOSSIER.fullmatch(dossier):
        raise BadInput(f"not a dossier number: {dossier!r} (expected e.g. 28676)")
    watched = ctx.config.source.dossiers
    if dossier is not None and dossier not in watched:
        # such a subscription would never receive anything
        raise BadInput(f"dossier {dossier} is not watched (source.dossiers: {', '.join(watched)})")
    wanted = tuple(dict.fromkeys(_topic(t) for t in topics if t.strip()))
    with Store.open(ctx.config) as store, store.transaction() as conn:
        sub, created = outbox.save_subscriber(conn, address, dossier=dossier, series=series, topics=wanted,
                                              min_severity=min_severity, digest=None if digest == "none" else digest,
                                              language=language, early=early)
    click.echo(f"{'aangemeld' if created else 'bijgewerkt'}: {sub.email} ({describe(sub)})")
    if needs_smtputf8(sub.email):
        click.echo(f"let op: {sub.email} heeft niet-ASCII-tekens vóór de @; het komt alleen aan via een "
                   "mailserver die SMTPUTF8 aanbiedt (anders mislukt alleen die melding, met de reden)", err=True)



def _topic(text: str) -> str:
    """The lexicon's name for a topic typed any way ("oekraine", "EU-NAVO"); an unknown one is refused,
    since a filter on a topic that never occurs would silently let nothing through."""
    name = topic_named(text)
    if name is None:
        raise BadInput(f"unknown topic {text.strip()!r} (known: {', '.join(topic_lexicon().names)})")
    return name

@subscribers.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of subscriptions.")
@pass_context
def list_(ctx: Context, as_json: bool) -> None:
    """Every active subscription."""
    with Store.open(ctx.config) as store, store.transaction() as conn:
        subs = outbox.list_subscribers(conn)
    if as_json:
        click.echo(json.dumps([_as_json(s) for s in subs], ensure_ascii=False, indent=2))
        return
    if not subs:
        click.echo("geen abonnees")
        return
    width = max(len(s.email) for s in subs)
    for s in subs:
        click.echo(f"{s.email:<{width}}  {describe(s)}")


@subscribers.command("remove")
@click.argument("email")
@pass_context
def remove(ctx: Context, email: str) -> None:
    """Unsubscribe EMAIL; its pending alerts are cancelled."""
    address = normalise(email)
    with Store.open(ctx.config) as store, store.transaction() as conn:
        cancelled = outbox.remove_subscriber(conn, address)
    click.echo(f"afgemeld: {address}" + (f" ({cancelled} wachtende meldingen geannuleerd)" if cancelled else ""))


def describe(sub: outbox.Subscriber) -> str:
    parts = [f"dossier {sub.dossier or 'alle'}", f"reeks {sub.series}"]
    if sub.topics:
        parts.append("onderwerpen " + ", ".join(sub.topics))
    parts.append(f"zwaarte ≥ {sub.min_severity}")
    parts.append("dagoverzicht" if sub.digest == "daily" else "direct")
    if sub.language:
        parts.append(f"taal {sub.language}")
    if sub.early:
        parts.append("vroeg (Tweede Kamer)")
    return ", ".join(parts)


def _as_json(sub: outbox.Subscriber) -> dict:
    return {"email": sub.email, "dossier": sub.dossier, "series": sub.series, "topics": list(sub.topics),
            "min_severity": sub.min_severity, "digest": sub.digest, "language": sub.language,
            "early": sub.early, "created_at": sub.created_at.isoformat()}
