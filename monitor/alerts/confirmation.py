"""The one mail a sign-up causes: a link to confirm it (double opt-in), through the same transport as
the alerts (SMTP, or an ``.eml`` file in the outbox folder).

It names the address and the link, nothing else: whoever typed the address in learns nothing from it,
and its owner needs to do nothing to stay unsubscribed.

>>> import datetime as dt
>>> msg = compose_confirmation("lezer@example.org", "https://navo.example.org/confirm/abc",
...                            Config(), language="en", now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
>>> msg["Subject"], msg["To"], "https://navo.example.org/confirm/abc" in msg.get_content()
('Confirm your subscription to alerts about dossier 28676', 'lezer@example.org', True)
"""

from __future__ import annotations

import datetime as dt
import secrets
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from monitor.alerts import i18n
from monitor.alerts.addresses import envelope
from monitor.alerts.compose import MESSAGE_DOMAIN, POLICY
from monitor.alerts.delivery import open_transport
from monitor.config import Config


def compose_confirmation(email: str, url: str, config: Config, *, language: str, now: dt.datetime) -> EmailMessage:
    t = i18n.STRINGS[language]
    dossiers = ", ".join(config.source.dossiers)
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = t["confirm_subject"].format(dossiers=dossiers)
    msg["From"] = config.mail.from_
    local, _, domain = envelope(email).rpartition("@")
    msg["To"] = Address(username=local, domain=domain)  # as the alerts are addressed (monitor.alerts.addresses)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = f"<confirm-{secrets.token_hex(12)}@{MESSAGE_DOMAIN}>"
    msg["Auto-Submitted"] = "auto-generated"
    body = t["confirm_body"].format(email=email, dossiers=dossiers, hours=config.web.confirmation_hours, url=url)
    msg.set_content(body + "\n", subtype="plain", charset="utf-8")
    return msg


def send_confirmation(config: Config, email: str, url: str, *, language: str, now: dt.datetime) -> None:
    """Hand the confirmation mail over; ``Unreachable``, ``TemporaryFailure`` or ``PermanentFailure``
    (``monitor.alerts.transport``) when that did not work."""
    msg = compose_confirmation(email, url, config, language=language, now=now)
    transport = open_transport(config)
    try:
        transport.send(msg, envelope(email), name=f"confirm-{now:%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}")
    finally:
        transport.close()
