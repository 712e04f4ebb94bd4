"""Subscriber addresses: which are accepted, and how each goes on the wire.

An address is checked once, when it is subscribed (``normalise``), and turned into its
wire form at every delivery (``envelope``, ``needs_smtputf8``):

* an internationalised domain (``bücher.example``) is stored as typed and sent in its
  IDNA (punycode) form, ``xn--bcher-kva.example``, in the envelope and in ``To``: every
  server and every reader takes that;
* a local part with non-ASCII letters (``jörg@…``) can only travel with SMTPUTF8 (RFC 6531).
  It is accepted, and delivery asks the server for SMTPUTF8; a server that does not offer
  it fails that one alert with the reason, and the others go;
* an address is at most 254 characters (RFC 5321's path limit less its brackets); a longer
  one is refused without being echoed back.

>>> normalise("Jörg@Bücher.EXAMPLE")
'Jörg@bücher.example'
>>> envelope("jörg@bücher.example"), needs_smtputf8("jörg@bücher.example")
('jörg@xn--bcher-kva.example', True)
>>> envelope("joerg@bücher.example"), needs_smtputf8("joerg@bücher.example")
('joerg@xn--bcher-kva.example', False)
>>> normalise("x" * 300 + "@example.org")
Traceback (most recent call last):
...
monitor.errors.BadInput: not a valid email address: 312 characters long (at most 254)
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from monitor.errors import BadInput

MAX_LENGTH = 254
_SHOWN = 80  # a refused address is quoted up to this many characters


class Undeliverable(BadInput):
    """A stored address that cannot be put on the wire (stored before the checks existed)."""


def normalise(address: str) -> str:
    """The address in its normalised form (domain lower-cased, NFC); ``BadInput`` (one line) when
    it is not one.

    >>> normalise("geen-adres")
    Traceback (most recent call last):
    ...
    monitor.errors.BadInput: not a valid email address: 'geen-adres' (An email address must have an @-sign.)
    """
    if len(address) > MAX_LENGTH:
        raise BadInput(f"not a valid email address: {len(address)} characters long (at most {MAX_LENGTH})")
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise BadInput(f"not a valid email address: {_shown(address)} ({exc})") from None


def envelope(address: str) -> str:
    """The address as the SMTP envelope and the ``To`` header carry it: the domain in IDNA form.

    Raises ``Undeliverable`` for an address that is not one.
    """
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Undeliverable(f"not a deliverable address: {exc}") from None
    return f"{checked.local_part}@{checked.ascii_domain}"


def needs_smtputf8(address: str) -> bool:
    """True when the local part has non-ASCII letters: only a server offering SMTPUTF8 takes it."""
    return not address.rpartition("@")[0].isascii()


def _shown(address: str) -> str:
    return repr(address if len(address) <= _SHOWN else address[:_SHOWN] + "…")
