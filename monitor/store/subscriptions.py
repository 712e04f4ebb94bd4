"""Subscriptions people manage themselves: double opt-in, the links in mails, forgetting an address.

A sign-up (from the web page or ``subscribers import``) subscribes no one by itself. It keeps the
settings asked for beside the address, with the hash of a confirmation token that expires; only
opening the mailed link applies those settings and makes the subscription active. An address that
is already subscribed keeps its settings until then, so whoever types in someone else's address
changes nothing and causes at most ``per_day`` mails a day.

Link tokens are found by their SHA-256 (the database never compares the secret itself) and then
compared with ``hmac.compare_digest``. The subscriber's own token, the one in every mail's
unsubscribe and manage links, never changes, so links in mails already sent keep working.

>>> import datetime as dt
>>> from monitor.store.db import open_database
>>> conn = open_database("sqlite://").connect()
>>> now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
>>> token = request_confirmation(conn, "lezer@example.org", Settings(topics=("Oekraïne",)), now=now,
...                              valid_for=dt.timedelta(hours=48), per_day=3)
>>> outbox.find_subscriber(conn, "lezer@example.org").state
'unconfirmed'
>>> sub = confirm(conn, token, now=now + dt.timedelta(hours=1))
>>> sub.state, sub.topics, by_token(conn, sub.token) == sub, by_token(conn, "0" * 32)
('active', ('Oekraïne',), True, None)
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets
from dataclasses import asdict, dataclass

from sqlalchemy import Connection, insert, select, update

from monitor.errors import BadInput
from monitor.store import outbox
from monitor.store.db import as_utc
from monitor.store.schema import alerts, subscribers


@dataclass(frozen=True)
class Settings:
    """What a subscriber asks for: the filters and how mail comes."""

    dossier: str | None = None  # None: every watched dossier
    series: str = "all"
    topics: tuple[str, ...] = ()  # empty: every topic
    min_severity: int = 0
    digest: str | None = None  # None: at once; "daily"
    language: str | None = None  # None: [mail] language
    early: bool = False  # also the Tweede Kamer's copy, before the official publication

    @classmethod
    def of(cls, sub: outbox.Subscriber) -> Settings:
        return cls(sub.dossier, sub.series, sub.topics, sub.min_severity, sub.digest, sub.language, sub.early)

    def columns(self) -> dict:
        values = asdict(self)
        values["topics"] = json.dumps(list(self.topics), ensure_ascii=False)
        return values

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        # a sign-up kept before ``early`` existed lacks it, and takes the default
        data = json.loads(text)
        return cls(**{**data, "topics": tuple(data.get("topics", ()))})


class TooManyConfirmations(BadInput):
    """The address had its confirmation mails for today."""

    def __init__(self, email: str, retry_after: int):
        super().__init__(f"{email}: no more confirmation mails today (try again in {retry_after // 3600 + 1} h)")
        self.retry_after = retry_after


class LinkExpired(BadInput):
    """A confirmation link opened after its time."""


def request_confirmation(conn: Connection, email: str, settings: Settings, *, now: dt.datetime,
                         valid_for: dt.timedelta, per_day: int) -> str:
    """Record a sign-up of ``email`` asking for ``settings``; the token for its confirmation link.

    A new confirmation replaces an earlier one that was not used. Raises ``TooManyConfirmations``
    when the address already had ``per_day`` of them today (UTC).
    """
    sub = outbox.find_subscriber(conn, email)
    if sub is None:
        conn.execute(insert(subscribers).values(email=outbox.mailbox(email), created_at=now, active=False,
                                                **outbox.new_token(), **settings.columns()))
        sub = outbox.find_subscriber(conn, email)
    row = conn.execute(select(subscribers.c.confirm_day, subscribers.c.confirm_count)
                       .where(subscribers.c.id == sub.id)).one()
    day = now.astimezone(dt.UTC).date()
    sent_today = row.confirm_count if row.confirm_day == day.isoformat() else 0
    if sent_today >= per_day:
        midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)
        raise TooManyConfirmations(email, max(1, int((midnight - now).total_seconds())))
    token = secrets.token_urlsafe(24)  # 192 bits
    conn.execute(update(subscribers).where(subscribers.c.id == sub.id).values(
        pending_settings=settings.as_json(), confirm_sha256=outbox.token_hash(token),
        confirm_expires_at=now + valid_for, confirm_day=day.isoformat(), confirm_count=sent_today + 1))
    return token


def awaiting_confirmation(conn: Connection, email: str, now: dt.datetime) -> bool:
    """True when ``email`` has a confirmation link out that still works."""
    expires = conn.execute(select(subscribers.c.confirm_expires_at).where(
        subscribers.c.email == outbox.mailbox(email), subscribers.c.confirm_sha256.is_not(None))).scalar_one_or_none()
    return expires is not None and as_utc(expires) > now


def confirm(conn: Connection, token: str, *, now: dt.datetime) -> outbox.Subscriber | None:
    """Open a confirmation link: the settings asked for apply and the subscription is active.

    None for a token that was never given out (or was used already); ``LinkExpired`` after its time.
    """
    digest = outbox.token_hash(token)
    row = conn.execute(select(subscribers).where(subscribers.c.confirm_sha256 == digest)).first()
    if row is None or not hmac.compare_digest(row.confirm_sha256.encode(), digest.encode()):
        return None
    if as_utc(row.confirm_expires_at) <= now:
        raise LinkExpired("this confirmation link has expired")
    settings = Settings.from_json(row.pending_settings)
    conn.execute(update(subscribers).where(subscribers.c.id == row.id).values(
        active=True, paused_at=None, confirmed_at=row.confirmed_at or now, pending_settings=None,
        confirm_sha256=None, confirm_expires_at=None, **settings.columns()))
    return outbox.get_subscriber(conn, row.id)


def by_token(conn: Connection, token: str) -> outbox.Subscriber | None:
    """The subscriber whose unsubscribe and manage links carry ``token``; None for any other string."""
    if not token:
        return None
    row = conn.execute(select(subscribers).where(subscribers.c.token_sha256 == outbox.token_hash(token),
                                                 subscribers.c.forgotten_at.is_(None))).first()
    if row is None or not hmac.compare_digest(row.token.encode(), token.encode("utf-8", "surrogatepass")):
        return None
    return outbox.get_subscriber(conn, row.id)


def change(conn: Connection, sub: outbox.Subscriber, settings: Settings) -> outbox.Subscriber:
    """New filters for a subscriber who came through their own link (no confirmation needed)."""
    conn.execute(update(subscribers).where(subscribers.c.id == sub.id).values(**settings.columns()))
    return outbox.get_subscriber(conn, sub.id)


def pause(conn: Connection, sub: outbox.Subscriber, now: dt.datetime) -> int:
    return outbox.deactivate(conn, sub.id, "paused", paused_at=now)


def resume(conn: Connection, sub: outbox.Subscriber, now: dt.datetime) -> outbox.Subscriber:
    """Active again: after a pause, or after unsubscribing (the link proves the mailbox is theirs)."""
    conn.execute(update(subscribers).where(subscribers.c.id == sub.id).values(
        active=True, paused_at=None, confirmed_at=sub.confirmed_at or now))
    return outbox.get_subscriber(conn, sub.id)


def unsubscribe(conn: Connection, sub: outbox.Subscriber) -> int:
    """Inactive, pending alerts cancelled; how many were. Unsubscribing twice changes nothing."""
    return outbox.deactivate(conn, sub.id, "unsubscribed")


def forget(conn: Connection, sub: outbox.Subscriber, now: dt.datetime) -> int:
    """Erase the address and every token of ``sub``; the row and its alerts stay, without anything that
    leads back to the person (the Message-IDs carry a hash of the address, server replies may name it),
    so the counts of what was sent stay right. Returns how many pending alerts were cancelled."""
    cancelled = outbox.deactivate(conn, sub.id, "forgotten")
    conn.execute(update(subscribers).where(subscribers.c.id == sub.id).values(
        email=f"forgotten-{sub.id}", token="", token_sha256=None, pending_settings=None, confirm_sha256=None,
        confirm_expires_at=None, forgotten_at=now))
    conn.execute(update(alerts).where(alerts.c.subscriber_id == sub.id).values(message_id="", error=None))
    return cancelled
