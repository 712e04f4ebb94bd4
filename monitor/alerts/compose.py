"""Alert mail: a multipart/alternative ``EmailMessage`` with a text and an HTML part.

The HTML is rendered by Jinja2 with autoescape on (document text is data, never markup), uses
inline styles and layout tables only (Outlook's Word engine ignores ``<style>``, flex and
grid), loads nothing from elsewhere, and stays under ``[mail] max_html_bytes`` (Gmail clips
at 102 KB): a longer report shows the most severe changes and travels whole as an attachment.
The text part carries the same changes as ``[-old-]{+new+}`` lines.

Composition is a pure function of its inputs, so ``alerts preview`` shows exactly what
delivery sends and a retry sends the same message under the same ``Message-ID``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import textwrap
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, parseaddr

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from monitor.alerts import i18n
from monitor.alerts.addresses import envelope
from monitor.alerts.content import AlertContent
from monitor.config import MailConfig
from monitor.model import Change, RedlineSegment
from monitor.render.html_page import render_html
from monitor.render.redline import redline_html, redline_text
from monitor.store.outbox import Subscriber
from monitor.vocabulary import CALENDAR_GROUP, STATUS, card_status, counts_phrase, day_label, kind_labels, moment_label, plural

MESSAGE_DOMAIN = "dossier-monitor"
TEXT_WIDTH = 76

_env = Environment(
    loader=PackageLoader("monitor.alerts", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


class _MailPolicy(EmailPolicy):
    """``email.policy.default``, except that a header value never starts on a continuation line,
    and that addresses and identifiers go out as they are.

    CPython moves a whole value that fits on one continuation line onto it
    (``Subject:\r\n [NAVO 28676] …``); readers that keep the fold's space (Python's own parser
    among them) then see a subject starting with a space. Such a value is put back on the
    header's first line: a little over 78 characters, far below the hard limit of 998.

    A ``List-Unsubscribe`` URL or a ``Message-ID`` is one long word: folding would encode it
    (RFC 2047), and a mail client then finds no unsubscribe address in it. ASCII values of
    these headers are written on one line, which RFC 5322 allows up to 998 characters.
    """

    _VERBATIM = frozenset({"list-unsubscribe", "list-unsubscribe-post", "list-id", "message-id"})

    def _verbatim(self, name: str, value: str) -> str | None:
        text = str(value)
        if name.lower() in self._VERBATIM and text.isascii() and len(name) + len(text) < 990 \
                and "\n" not in text and "\r" not in text:
            return f"{name}: {text}{self.linesep}"
        return None

    def fold(self, name, value):
        if (line := self._verbatim(name, value)) is not None:
            return line
        folded = super().fold(name, value)
        bare = f"{name}:{self.linesep} "
        return f"{name}: {folded[len(bare):]}" if folded.startswith(bare) and self._one_line(folded) else folded

    def fold_binary(self, name, value):
        if (line := self._verbatim(name, value)) is not None:
            return line.encode("ascii")
        folded = super().fold_binary(name, value)
        bare = f"{name}:{self.linesep} ".encode("ascii")
        if folded.startswith(bare) and self._one_line(folded.decode("ascii", "replace")):
            return f"{name}: ".encode("ascii") + folded[len(bare):]
        return folded

    def _one_line(self, folded: str) -> bool:
        return folded.count(self.linesep) == 2  # the bare fold and the final line end


POLICY = _MailPolicy()


# --- identities ---------------------------------------------------------------------------------


def _short_hash(value: str, length: int) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:length]


def alert_message_id(event_key: str, email: str) -> str:
    """The same alert always gets the same Message-ID, so a resend after a crash is recognisable.

    >>> alert_message_id("new:kst-28676-474@1", "a@example.org")
    '<alert-041b87e0f9790e55-e16bfe08be11@dossier-monitor>'
    """
    return f"<alert-{_short_hash(event_key, 16)}-{_short_hash(email.casefold(), 12)}@{MESSAGE_DOMAIN}>"


def digest_message_id(digest_key: str, email: str) -> str:
    return f"<digest-{_short_hash(digest_key, 16)}-{_short_hash(email.casefold(), 12)}@{MESSAGE_DOMAIN}>"


def list_id(dossier: str) -> str:
    """The mailing list an alert belongs to, one per dossier (RFC 2919).

    >>> list_id("28676")
    '<dossier-28676.dossier-monitor>'
    """
    return f"<dossier-{dossier or 'operator'}.{MESSAGE_DOMAIN}>"


def unsubscribe_uri(mail: MailConfig, subscriber: Subscriber) -> str:
    """``[mail] list_unsubscribe`` (``{token}`` and ``{email}`` filled in), else a mailto to the sender.

    >>> from monitor.store.outbox import Subscriber
    >>> sub = Subscriber(1, "a@example.org", None, "all", (), 0, None, None, "abc", True, None)
    >>> unsubscribe_uri(MailConfig(), sub)
    'mailto:alerts@localhost?subject=unsubscribe%20abc'
    >>> unsubscribe_uri(MailConfig(list_unsubscribe="https://example.org/u?t={token}"), sub)
    'https://example.org/u?t=abc'
    """
    if mail.list_unsubscribe:
        return (mail.list_unsubscribe.replace("{token}", urllib.parse.quote(subscriber.token))
                .replace("{email}", urllib.parse.quote(subscriber.email)))
    sender = parseaddr(mail.from_)[1]
    return f"mailto:{sender}?subject={urllib.parse.quote('unsubscribe ' + subscriber.token)}"


def web_link(web_url: str, page: str, subscriber: Subscriber) -> str | None:
    """The subscriber's own page on the web front door (``unsubscribe`` or ``manage``), when
    ``[web] base_url`` is set.

    >>> sub = Subscriber(1, "a@example.org", None, "all", (), 0, None, None, "abc", True, None)
    >>> web_link("https://navo.example.org/", "unsubscribe", sub), web_link("", "manage", sub)
    ('https://navo.example.org/unsubscribe/abc', None)
    """
    if not web_url:
        return None
    return f"{web_url.rstrip('/')}/{page}/{urllib.parse.quote(subscriber.token, safe='')}"


def list_unsubscribe(mail: MailConfig, subscriber: Subscriber, web_url: str) -> str:
    """The ``List-Unsubscribe`` value: the one-click web link first when there is one, the mailto after.

    >>> sub = Subscriber(1, "a@example.org", None, "all", (), 0, None, None, "abc", True, None)
    >>> list_unsubscribe(MailConfig(), sub, "https://navo.example.org")
    '<https://navo.example.org/unsubscribe/abc>, <mailto:alerts@localhost?subject=unsubscribe%20abc>'
    """
    uris = [web_link(web_url, "unsubscribe", subscriber), unsubscribe_uri(mail, subscriber)]
    return ", ".join(f"<{uri}>" for uri in dict.fromkeys(u for u in uris if u))


def language_of(subscriber: Subscriber, mail: MailConfig) -> str:
    return subscriber.language or mail.language


# --- what the templates see ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeView:
    status: str
    position: bool
    kinds: str
    topics: str
    section: str | None
    moved_from: str | None
    html: Markup
    text: str


@dataclass(frozen=True)
class Group:
    severity: int
    label: str
    changes: list[ChangeView]
    quiet: bool = False  # the dates that moved as expected: shown small, after every other group


@dataclass
class Item:
    """One event as shown in a message: a single alert has one, a digest several."""

    heading: str
    kind_label: str | None
    intro: str
    url: str | None = None
    identifier: str | None = None
    dated: str | None = None
    counts: str | None = None
    previous_label: str | None = None
    previous_url: str | None = None
    groups: list[Group] = field(default_factory=list)
    shown: int = 0
    total: int = 0
    notes: list[str] = field(default_factory=list)  # operator notices: the failing polls
    link_label: str | None = None  # the link's words when it is not to officielebekendmakingen.nl

    @property
    def truncated(self) -> bool:
        return self.shown < self.total


def _segments(change: Change) -> tuple[RedlineSegment, ...]:
    if change.status == "added":
        return (RedlineSegment("insert", change.new.text),)
    if change.status == "removed":
        return (RedlineSegment("delete", change.old.text),)
    if change.status == "changed" and change.redline:
        return change.redline
    if change.status == "changed":
        return (RedlineSegment("delete", change.old.text), RedlineSegment("insert", change.new.text))
    return (RedlineSegment("equal", change.new.text),)


def _change_view(change: Change, language: str) -> ChangeView:
    segments = _segments(change)
    section = (change.new or change.old).section
    moved_from = change.old.section if change.status == "moved" and change.old else None
    status = card_status(change.status, change.kinds)
    return ChangeView(
        status=STATUS[language][status].capitalize(), position=change.position,
        kinds=", ".join(kind_labels([k for k in change.kinds if k != status], change.direction, language)),
        topics=", ".join(change.topics),
        section=section, moved_from=moved_from if moved_from != section else None,
        html=Markup(redline_html(segments)), text=redline_text(segments),
    )


# the group of the text around the positions: below every group of positions, grey
CONTEXT_GROUP = -1


def _groups(changes: Sequence[Change], language: str) -> list[Group]:
    groups: dict[tuple[int, bool], Group] = {}
    for change in changes:
        quiet = change.is_calendar
        key = (0 if quiet else change.severity if change.position else CONTEXT_GROUP, quiet)
        group = groups.get(key)
        if group is None:
            label = CALENDAR_GROUP[language] if quiet else i18n.STRINGS[language].get(
                "context" if key[0] == CONTEXT_GROUP else f"severity_{key[0]}", str(key[0]))
            group = groups[key] = Group(key[0], label, [], quiet)
        group.changes.append(_change_view(change, language))
    return sorted(groups.values(), key=lambda g: (g.quiet, -g.severity))


def _top_changes(changes: Sequence[Change], limit: int | None) -> list[Change]:
    # positions first, most severe first, then in reading order (compare() already sorts them so)
    ordered = sorted(changes, key=lambda c: (not c.position, -c.severity))
    return ordered if limit is None else ordered[:limit]


def _item(content: AlertContent, language: str, limit: int | None) -> Item:
    t = i18n.STRINGS[language]
    event = content.event
    if event.kind == "operator":
        return _operator_item(content, language)
    letter = content.letter
    heading = letter.label(language)
    item = Item(heading=heading, kind_label=None, intro="", url=letter.url,
                identifier=letter.identifier,
                dated=f"{t['dated']} {day_label(letter.date, language)}" if letter.date else None)
    comparison, previous = content.comparison, content.previous
    if event.kind in ("new-letter", "early"):
        item.kind_label = t["new_letter"] if event.kind == "new-letter" else t["early"]
        item.intro = t["new_letter_intro"].format(dossier=event.dossier)
        if heading != letter.title:
            item.notes.append(letter.title)
        if event.kind == "early":
            item.intro += " " + t["early_intro"]
            item.link_label = t["open_early"]
            if event.summary.get("kamerstuk"):
                item.notes.append(t["early_kamerstuk"].format(kamerstuk=event.summary["kamerstuk"]))
        if comparison is None:
            return item
    elif event.kind == "official":
        item.kind_label = t["official"]
        item.intro = t["official_changed_intro"] if comparison is not None else t["official_same_intro"]
        if comparison is None:
            return item
    else:
        item.kind_label = t["correction"] if event.kind == "correction" else None
        item.intro = t["correction_intro"] if event.kind == "correction" else t["comparison_intro"]
    item.counts = counts_phrase(comparison.position_counts(), len(comparison.changes), language)
    if previous is not None:
        if event.kind == "correction":
            item.previous_label = f"{t['previous_version']} ({t['version']} {previous.version})"
        elif event.kind == "official":
            item.previous_label = t["early_version"]
            item.previous_url = previous.url
        else:
            item.previous_label = previous.label(language)
            item.previous_url = previous.url
    shown = _top_changes(comparison.changes, limit)
    item.groups, item.shown, item.total = _groups(shown, language), len(shown), len(comparison.changes)
    return item


def _operator_item(content: AlertContent, language: str) -> Item:
    t = i18n.STRINGS[language]
    s = content.event.summary
    zone = s.get("timezone") or "Europe/Amsterdam"
    if s.get("state") == "alerts-failing":
        notes = [t["operator_alert_note"].format(id=a.get("id"), to=a.get("to"), error=a.get("error"))
                 for a in s.get("alerts", [])]
        return Item(heading=t["operator_alerts_failing"].format(count=s.get("count", 0)), kind_label=None,
                    intro=t["operator_alerts_failing_intro"], notes=notes)
    if s.get("state") == "recovered":
        heading = t["operator_recovered"]
        intro = t["operator_recovered_intro"].format(since=moment_label(s.get("recovered_at"), language, zone))
    else:
        heading = t["operator_failing"].format(count=s.get("count", 0))
        intro = t["operator_failing_intro"].format(count=s.get("count", 0))
    notes = [f"{moment_label(p.get('started_at'), language, zone)}: {p.get('error') or '?'}"
             for p in s.get("polls", [])]
    return Item(heading=heading, kind_label=None, intro=intro, notes=notes)


def subject_for(content: AlertContent, language: str) -> str:
    """What happened, in one line that starts with ``[<dossier title> <number>]``."""
    event = content.event
    item = _item(content, language, limit=0)
    prefix = f"[{_banner([content])}]"
    if event.kind == "operator":
        return f"{prefix} {item.heading}"
    heading = _shorten(item.heading, 110)
    if item.kind_label:
        heading = f"{item.kind_label}: {heading}"
    return f"{prefix} {heading}: {item.counts}" if item.counts else f"{prefix} {heading}"


def _shorten(text: str, width: int) -> str:
    return textwrap.shorten(text, width, placeholder=" …")


# --- rendering ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    text: str
    html: str
    attachments: tuple[tuple[str, str], ...]  # (file name, full HTML report)


def _filters_line(subscriber: Subscriber, language: str) -> str:
    t = i18n.STRINGS[language]
    parts = []
    if subscriber.dossier:
        parts.append(t["filter_dossier"].format(value=subscriber.dossier))
    if subscriber.series != "all":
        parts.append(t["filter_series"].format(value=subscriber.series))
    if subscriber.topics:
        parts.append(t["filter_topics"].format(value=", ".join(subscriber.topics)))
    if subscriber.min_severity:
        parts.append(t["filter_severity"].format(value=subscriber.min_severity))
    return t["why"].format(email=subscriber.email, filters=", ".join(parts) or t["why_all"])


@dataclass(frozen=True)
class Heading:
    title: str  # the subject: the HTML <title>
    banner: str  # the bar above: "NAVO 28676"
    heading: str  # the first line: what happened
    intro: str | None = None


def _render(template: str, *, head: Heading, items: list[Item], language: str,
            subscriber: Subscriber | None, mail: MailConfig, web_url: str) -> str:
    listed = subscriber is not None and subscriber.active
    return _env.get_template(template).render(
        t=i18n.STRINGS[language], lang=language, head=head, items=items,
        why=_filters_line(subscriber, language) if listed else None,
        unsubscribe=(web_link(web_url, "unsubscribe", subscriber) or unsubscribe_uri(mail, subscriber))
        if listed else None,
        manage=web_link(web_url, "manage", subscriber) if listed else None,
        site_url=mail.site_url or None, wrap=_wrap,
    )


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, TEXT_WIDTH, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


def render_parts(contents: Sequence[AlertContent], subscriber: Subscriber | None, mail: MailConfig, *,
                 head: Heading, language: str, web_url: str = "") -> Rendered:
    """Text and HTML for one alert (or a digest of several) within the HTML size budget.

    When everything does not fit, the most severe changes that do are shown (the same in both
    parts) and every cut comparison travels whole as an attachment.
    """
    def render(limit: int | None) -> tuple[list[Item], str]:
        items = [_item(c, language, limit) for c in contents]
        html = _render("message.html", head=head, items=items, language=language,
                       subscriber=subscriber, mail=mail, web_url=web_url)
        return items, html

    items, html = render(None)
    if len(html.encode("utf-8")) > mail.max_html_bytes:
        # the largest per-item limit that fits: rendering is cheap, a binary search is enough
        low, high = 0, max((it.total for it in items), default=0)
        while low < high:
            middle = (low + high + 1) // 2
            if len(render(middle)[1].encode("utf-8")) <= mail.max_html_bytes:
                low = middle
            else:
                high = middle - 1
        items, html = render(low)
    text = _render("message.txt", head=head, items=items, language=language,
                   subscriber=subscriber, mail=mail, web_url=web_url)
    attachments = tuple(
        (f"{i18n.STRINGS[language]['attachment_name']}-{content.letter.identifier}.html",
         render_html(content.comparison, language=language))
        for content, item in zip(contents, items) if item.truncated
    )
    return Rendered(text, html, attachments)


# --- messages -----------------------------------------------------------------------------------


def compose_alert(content: AlertContent, subscriber: Subscriber, mail: MailConfig, *, message_id: str,
                  now: dt.datetime, web_url: str = "") -> EmailMessage:
    """The mail for one alert to one subscriber; ``web_url`` (``[web] base_url``) adds one-click
    unsubscribe and the link to the subscriber's manage page."""
    language = language_of(subscriber, mail)
    subject = subject_for(content, language)
    item = _item(content, language, limit=0)
    heading = f"{item.kind_label}: {item.heading}" if item.kind_label else item.heading
    parts = render_parts([content], subscriber, mail, head=Heading(subject, _banner([content]), heading),
                         language=language, web_url=web_url)
    return _message(parts, subject, subscriber, mail, message_id=message_id, now=now, web_url=web_url,
                    list_id=list_id(content.event.dossier if content.event.kind != "operator" else ""))


def compose_digest(contents: Sequence[AlertContent], subscriber: Subscriber, mail: MailConfig, *,
                   day: dt.date, message_id: str, now: dt.datetime, web_url: str = "") -> EmailMessage:
    """One mail gathering a day's alerts for a daily-digest subscriber."""
    language = language_of(subscriber, mail)
    t = i18n.STRINGS[language]
    dossiers = sorted({c.event.dossier for c in contents})
    banner = _banner(contents)
    count = plural(len(contents), (t["alerts_one"], t["alerts_many"]))
    heading = f"{t['digest']} {day_label(day, language)}"
    subject = f"[{banner}] {heading}: {count}"
    intro = t["digest_intro"].format(count=len(contents), alerts=count.split(" ", 1)[1])
    parts = render_parts(contents, subscriber, mail, head=Heading(subject, banner, heading, intro),
                         language=language, web_url=web_url)
    return _message(parts, subject, subscriber, mail, message_id=message_id, now=now, web_url=web_url,
                    list_id=list_id(dossiers[0] if len(dossiers) == 1 else ""))


def _banner(contents: Sequence[AlertContent]) -> str:
    """``NAVO 28676`` when every item is about one dossier, else the tool's name."""
    dossiers = {(c.dossier_title, c.event.dossier) for c in contents if c.event.kind != "operator"}
    if len(dossiers) == 1:
        return " ".join(dossiers.pop())
    return MESSAGE_DOMAIN


def _message(parts: Rendered, subject: str, subscriber: Subscriber, mail: MailConfig, *, message_id: str,
             now: dt.datetime, list_id: str, web_url: str) -> EmailMessage:
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = subject
    msg["From"] = mail.from_
    local, _, domain = envelope(subscriber.email).rpartition("@")
    msg["To"] = Address(username=local, domain=domain)  # addr_spec= refuses a non-ASCII local part
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    msg["List-Id"] = list_id
    if subscriber.active:
        msg["List-Unsubscribe"] = list_unsubscribe(mail, subscriber, web_url)
        if web_url:
            # RFC 8058: the mail client may POST "List-Unsubscribe=One-Click" to the https link
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to an alert
    msg.set_content(parts.text, subtype="plain", charset="utf-8")
    msg.add_alternative(parts.html, subtype="html", charset="utf-8")
    for name, report in parts.attachments:
        msg.add_attachment(report, subtype="html", charset="utf-8", filename=name)
    return msg
