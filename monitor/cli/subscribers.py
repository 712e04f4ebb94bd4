"""``dossier-monitor subscribers add|list|remove|import|export|forget``: who gets which alerts.

``add`` sets a subscription to exactly what the command says (options left out take their
defaults), for a new address or one already subscribed. ``import`` reads many at once from a
CSV file with the columns ``export`` writes; ``forget`` erases an address for good.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from dataclasses import asdict
from pathlib import Path

import click

from monitor.alerts.addresses import needs_smtputf8, normalise
from monitor.cli import Context, pass_context
from monitor.errors import BadInput
from monitor.model import SERIES
from monitor.positions import topic_named
from monitor.positions.lexicon import topics as topic_lexicon
from monitor.clock import utc_now
from monitor.store import Store, outbox
from monitor.store import subscriptions as subs
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
    settings = _settings(dossier, series, topics, min_severity, digest, language, early, ctx.config.source.dossiers)
    with Store.open(ctx.config) as store, store.transaction() as conn:
        sub, created = outbox.save_subscriber(conn, address, **asdict(settings))
    click.echo(f"{'aangemeld' if created else 'bijgewerkt'}: {sub.email} ({describe(sub)})")
    _early_unused(ctx.config, f"{sub.email} vraagt", int(sub.early))
    if needs_smtputf8(sub.email):
        click.echo(f"let op: {sub.email} heeft niet-ASCII-tekens vóór de @; het komt alleen aan via een "
                   "mailserver die SMTPUTF8 aanbiedt (anders mislukt alleen die melding, met de reden)", err=True)


def _early_unused(config, who: str, asking: int) -> None:
    """One line when early alerts are stored for someone while ``[tk]`` is off: kept as asked (the
    operator may turn [tk] on later), but nothing is sent for them until then."""
    if asking and not config.tk.enabled:
        click.echo(f"let op: {who} om vroege waarschuwingen, maar [tk] staat uit; die gaan pas uit met "
                   "[tk] enabled = true (de keuze is bewaard)", err=True)


def _settings(dossier: str | None, series: str, topics, min_severity: int, digest: str,
              language: str | None, early: bool, watched: list[str]) -> subs.Settings:
    if dossier is not None and not _DOSSIER.fullmatch(dossier):
        raise BadInput(f"not a dossier number: {dossier!r} (expected e.g. 28676)")
    if dossier is not None and dossier not in watched:
        # such a subscription would never receive anything
        raise BadInput(f"dossier {dossier} is not watched (source.dossiers: {', '.join(watched)})")
    wanted = tuple(dict.fromkeys(_topic(t) for t in topics if t.strip()))
    return subs.Settings(dossier=dossier, series=series, topics=wanted, min_severity=min_severity,
                         digest=None if digest == "none" else digest, language=language, early=early)


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


# --- in bulk -------------------------------------------------------------------------------------

COLUMNS = ("email", "dossier", "series", "topics", "min_severity", "digest", "language", "early")
EXPORT_ONLY = ("created_at", "confirmed_at")  # written by export, ignored by import


@subscribers.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--confirmed", is_flag=True,
              help="The addresses agreed already: subscribe them at once, without a confirmation mail.")
@pass_context
def import_(ctx: Context, file: Path, confirmed: bool) -> None:
    """Subscribe the addresses in FILE (CSV with the columns `export` writes; only `email` is required).

    Without --confirmed each new address gets a confirmation mail and is subscribed once its link is
    opened, as from the sign-up page. Running it again changes nothing: addresses subscribed or
    waiting for their link are left alone. A row that cannot be used is named on stderr (one line
    each) and skipped; the exit code is then 2.
    """
    config = ctx.config
    if not confirmed and not config.web.base_url:
        raise BadInput("web.base_url: needed for the confirmation links of imported addresses "
                       "(or use --confirmed)")
    rows = _read_csv(file)
    refused = subscribed = invited = unchanged = early = 0
    now = utc_now()
    with Store.open(config) as store:
        for line, row in rows:
            try:
                address = normalise(row.get("email", "").strip())
                settings = _settings(row.get("dossier") or None, _choice(row, "series", [*SERIES, "all"], "all"),
                                     (row.get("topics") or "").split(";"), _severity(row.get("min_severity")),
                                     _choice(row, "digest", ["daily", "none"], "none"),
                                     _choice(row, "language", list(LANGUAGES), None),
                                     # a file from before early alerts has no such column: none asked for
                                     _choice(row, "early", ["true", "false"], "false") == "true",
                                     config.source.dossiers)
            except BadInput as exc:
                click.echo(f"{file}:{line}: {exc}", err=True)
                refused += 1
                continue
            with store.transaction() as conn:
                existing = outbox.find_subscriber(conn, address)
                if existing is not None and existing.active:
                    unchanged += 1
                    continue
                if confirmed:
                    outbox.save_subscriber(conn, address, **asdict(settings))
                    subscribed += 1
                    early += settings.early
                    continue
                if subs.awaiting_confirmation(conn, address, now):
                    unchanged += 1
                    continue
                try:
                    token = subs.request_confirmation(
                        conn, address, settings, now=now, valid_for=dt.timedelta(hours=config.web.confirmation_hours),
                        per_day=config.web.confirmations_per_address_per_day)
                except subs.TooManyConfirmations as exc:
                    click.echo(f"{file}:{line}: {exc}", err=True)
                    refused += 1
                    continue
            if not _invite(config, address, token, settings, now, f"{file}:{line}"):
                refused += 1
                continue
            invited += 1
            early += settings.early
    click.echo(f"geïmporteerd: {subscribed} aangemeld, {invited} bevestigingsmails verstuurd, "
               f"{unchanged} ongewijzigd, {refused} geweigerd")
    _early_unused(config, f"{early} {'rij vraagt' if early == 1 else 'rijen vragen'}", early)
    if refused:
        raise BadInput(f"{refused} of {len(rows)} rows of {file} refused (see above)")


def _invite(config, address: str, token: str, settings: subs.Settings, now: dt.datetime, where: str) -> bool:
    from monitor.alerts.confirmation import send_confirmation
    from monitor.alerts.transport import PermanentFailure, TemporaryFailure, Unreachable

    url = f"{config.web.base_url.rstrip('/')}/confirm/{token}"
    try:
        send_confirmation(config, address, url, language=settings.language or config.mail.language, now=now)
    except (Unreachable, TemporaryFailure, PermanentFailure) as exc:
        click.echo(f"{where}: confirmation mail not sent: {exc}", err=True)
        return False
    return True


def _read_csv(file: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise BadInput(f"{file}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise BadInput(f"{file}: not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    unknown = [c for c in header if c not in COLUMNS + EXPORT_ONLY]
    if "email" not in header or unknown:
        raise BadInput(f"{file}: expected a CSV header with an email column"
                       + (f"; unknown columns: {', '.join(unknown)}" if unknown else "")
                       + f" (known: {', '.join(COLUMNS)})")
    return [(reader.line_num, {k: (v or "") for k, v in row.items() if k is not None}) for row in reader]


def _choice(row: dict[str, str], column: str, offered: list[str], default):
    value = (row.get(column) or "").strip()
    if not value:
        return default
    if value not in offered:
        raise BadInput(f"{column}: {value!r} is not one of {', '.join(offered)}")
    return value


def _severity(text: str | None) -> int:
    value = (text or "0").strip() or "0"
    if value not in ("0", "1", "2", "3"):
        raise BadInput(f"min_severity: {value!r} is not one of 0, 1, 2, 3")
    return int(value)


@subscribers.command("export")
@pass_context
def export(ctx: Context) -> None:
    """Every active subscription as CSV on stdout, in the columns `import` reads."""
    with Store.open(ctx.config) as store, store.transaction() as conn:
        subs_ = outbox.list_subscribers(conn)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS + EXPORT_ONLY)
    for s in subs_:
        writer.writerow([s.email, s.dossier or "", s.series, ";".join(s.topics), s.min_severity, s.digest or "none",
                         s.language or "", "true" if s.early else "false", s.created_at.isoformat(),
                         s.confirmed_at.isoformat() if s.confirmed_at else ""])


@subscribers.command("forget")
@click.argument("email")
@pass_context
def forget(ctx: Context, email: str) -> None:
    """Erase EMAIL and its links for good (pending alerts cancelled); the counts of what was sent stay."""
    address = normalise(email)
    with Store.open(ctx.config) as store, store.transaction() as conn:
        sub = outbox.find_subscriber(conn, address)
        if sub is None:
            raise BadInput(f"unknown address: {address}")
        cancelled = subs.forget(conn, sub, utc_now())
    click.echo(f"gewist: {address}" + (f" ({cancelled} wachtende meldingen geannuleerd)" if cancelled else ""))
