"""Handing a message over: to an SMTP server, or as an ``.eml`` file when no server is configured.

Every failure is sorted into one of three kinds, because each is handled differently:

* ``Unreachable``: no usable connection (refused, timeout, TLS, login, sender refused, a 421
  "closing the session", the connection lost); no message can go now, so the run stops and
  everything stays pending, never counted against an alert;
* ``TemporaryFailure``: the server answered 4xx for this message: retried later;
* ``PermanentFailure``: the server answered 5xx for this message (unknown recipient, …), or
  the message cannot be put on the wire for this server (an address that needs SMTPUTF8 the
  server does not offer): recorded, never retried.

The SMTP password is used for ``login`` only; it is never logged nor put in an error.
"""

from __future__ import annotations

import email.errors
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from monitor.alerts.addresses import needs_smtputf8
from monitor.alerts.compose import POLICY
from monitor.config import MailConfig
from monitor.store.blobs import write_atomic


class Unreachable(Exception):
    """The mail server cannot be used right now."""


class TemporaryFailure(Exception):
    """The server deferred this message (4xx)."""


class PermanentFailure(Exception):
    """The server refused this message for good (5xx)."""


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"


def _by_code(code: int, reason: str) -> Exception:
    return PermanentFailure(reason) if 500 <= code < 600 else TemporaryFailure(reason)


# the message cannot be written out (a header the mail library refuses): about this mail only
_UNENCODABLE = (email.errors.MessageError, UnicodeError, ValueError)


def _cannot_encode(exc: Exception) -> PermanentFailure:
    return PermanentFailure(f"cannot encode the message: {type(exc).__name__}: {exc}")


SESSION_CLOSING = 421  # "service not available, closing transmission channel": about the server, not this mail


def as_sent(msg: EmailMessage, recipient: str, *, linesep: str = "\r\n") -> bytes:
    """The bytes of ``msg`` as they travel: headers in UTF-8 (RFC 6532) when the recipient needs it."""
    return msg.as_bytes(policy=POLICY.clone(linesep=linesep, utf8=needs_smtputf8(recipient)))


class SmtpTransport:
    """One connection per run, opened at the first message, STARTTLS or SSL as configured."""

    def __init__(self, mail: MailConfig, password: str = "", *, ca_file: Path | None = None):
        self.mail = mail
        self._password = password
        self.ca_file = ca_file
        self._smtp: smtplib.SMTP | None = None
        self.sender = parseaddr(mail.from_)[1]

    @property
    def where(self) -> str:
        return f"{self.mail.smtp_host}:{self.mail.smtp_port}"

    def _tls(self) -> ssl.SSLContext:
        """Verifies the server's certificate and name, against the system's CAs and ``ca_file``."""
        context = ssl.create_default_context()
        if self.ca_file is not None:
            try:
                context.load_verify_locations(cafile=self.ca_file)
            except (OSError, ssl.SSLError) as exc:
                raise Unreachable(f"mail.ca_file {self.ca_file}: cannot be read as PEM certificates "
                                  f"({getattr(exc, 'strerror', None) or exc})") from None
        return context

    def _connect(self) -> smtplib.SMTP:
        mail = self.mail
        context = self._tls() if mail.security in ("ssl", "starttls") else None
        try:
            if mail.security == "ssl":
                smtp = smtplib.SMTP_SSL(mail.smtp_host, mail.smtp_port, timeout=mail.timeout_seconds,
                                        context=context)
            else:
                smtp = smtplib.SMTP(mail.smtp_host, mail.smtp_port, timeout=mail.timeout_seconds)
            try:
                if mail.security == "starttls":
                    smtp.starttls(context=context)
                if mail.username:
                    smtp.login(mail.username, self._password)
            except BaseException:
                smtp.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise Unreachable(f"SMTP server {self.where} refused the login for {mail.username!r}: "
                              f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError as exc:
            raise Unreachable(f"SMTP server {self.where} does not offer what [mail] security or username "
                              f"needs ({exc})") from None
        except smtplib.SMTPResponseException as exc:
            raise Unreachable(f"SMTP server {self.where} answered {_reply(exc.smtp_code, exc.smtp_error)}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise Unreachable(f"SMTP server {self.where} unreachable: {exc or type(exc).__name__}") from None
        return smtp

    def probe(self) -> str:
        """Connect, EHLO, STARTTLS and log in as configured, send nothing, and say what the server
        answered; ``Unreachable`` when any step fails."""
        smtp = self._connect()
        try:
            smtp.ehlo_or_helo_if_needed()
            tls = smtp.sock.version() if hasattr(smtp.sock, "version") else None
            greeting = (smtp.ehlo_resp or b"").decode("utf-8", "replace").splitlines()[:1]
        finally:
            smtp.quit()
        steps = [f"connected to {self.where}", f"EHLO {greeting[0] if greeting else '(no name)'}",
                 f"{'STARTTLS' if self.mail.security == 'starttls' else 'TLS'} {tls}" if tls else "no TLS",
                 f"logged in as {self.mail.username}" if self.mail.username else "no login configured"]
        return ", ".join(steps) + "; nothing sent"

    def send(self, msg: EmailMessage, recipient: str, *, name: str) -> None:
        """Deliver ``msg`` to ``recipient``; returns only once the server accepted it."""
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(msg, from_addr=self.sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, message = exc.recipients.get(recipient, next(iter(exc.recipients.values())))
            if code == SESSION_CLOSING:
                self.close()
                raise Unreachable(f"SMTP server {self.where} answered {_reply(code, message)}") from None
            raise _by_code(code, f"recipient refused: {_reply(code, message)}") from None
        except smtplib.SMTPSenderRefused as exc:
            # about our From, not about this message: no message can go until the config is fixed
            self.close()
            raise Unreachable(f"SMTP server {self.where} refused the sender {exc.sender!r}: "
                              f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError:
            raise PermanentFailure(f"the address has non-ASCII letters before the @, which needs SMTPUTF8, "
                                   f"and SMTP server {self.where} does not offer it") from None
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == SESSION_CLOSING:
                self.close()
                raise Unreachable(f"SMTP server {self.where} answered {_reply(exc.smtp_code, exc.smtp_error)}") \
                    from None
            raise _by_code(exc.smtp_code, f"message refused: {_reply(exc.smtp_code, exc.smtp_error)}") from None
        except _UNENCODABLE as exc:
            raise _cannot_encode(exc) from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise Unreachable(f"SMTP server {self.where} lost the connection: {exc or type(exc).__name__}") from None

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


class FolderTransport:
    """``<outbox_dir>/<name>.eml``, written atomically: a file is either whole or absent."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def send(self, msg: EmailMessage, recipient: str, *, name: str) -> None:
        try:
            data = as_sent(msg, recipient)
        except _UNENCODABLE as exc:
            raise _cannot_encode(exc) from None
        try:
            write_atomic(self.folder / f"{name}.eml", data)
        except OSError as exc:
            raise Unreachable(f"outbox folder {self.folder} cannot be written: {exc.strerror or exc}") from None

    def close(self) -> None:
        pass
