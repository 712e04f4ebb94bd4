"""The alert mail itself: parts, subject, headers, escaping, mail-client safety, size budget, language."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.alerts.compose import alert_message_id, compose_alert, compose_digest
from monitor.alerts.content import AlertContent, Letter
from monitor.config import MailConfig
from monitor.model import (
    Change,
    Comparison,
    DocumentInfo,
    RedlineSegment,
    SentenceRef,
    Summary,
)
from monitor.store.outbox import Event, Subscriber

NOW = dt.datetime(2024, 11, 22, 9, 30, tzinfo=dt.UTC)
MAIL = MailConfig(from_="NAVO-monitor <alerts@example.org>")
SUB = Subscriber(7, "analist@example.org", None, "all", (), 0, None, None, "tok123", True, NOW)
SECTION = "Oekraïne"


def changed(old: str, new: str, segments, *, severity=2, topics=("oekraine",), position=True) -> Change:
    return Change("changed", position, ("strength",), severity, topics, SentenceRef(old, SECTION),
                  SentenceRef(new, SECTION), tuple(RedlineSegment(op, text) for op, text in segments))


def added(text: str, *, severity=3, position=True) -> Change:
    return Change("added", position, (), severity, (), None, SentenceRef(text, "Defensie-uitgaven"))


def removed(text: str, *, severity=3, position=True) -> Change:
    return Change("removed", position, (), severity, (), SentenceRef(text, "Partnerschappen"), None)


def agenda_changes() -> tuple[Change, ...]:
    positions = [
        changed("Nederland steunt Oekraïne.", "Nederland blijft Oekraïne onverminderd steunen.",
                [("equal", "Nederland "), ("delete", "steunt"), ("insert", "blijft"), ("equal", " Oekraïne"),
                 ("insert", " onverminderd steunen"), ("equal", ".")], severity=3),
        changed("Het kabinet zet zich in voor 2% van het bbp.", "Het kabinet zet zich in voor 3,5% van het bbp.",
                [("equal", "Het kabinet zet zich in voor "), ("delete", "2%"), ("insert", "3,5%"),
                 ("equal", " van het bbp.")]),
        changed("Nederland is bereid te overwegen bij te dragen.", "Nederland draagt bij.",
                [("equal", "Nederland "), ("delete", "is bereid te overwegen bij te dragen"),
                 ("insert", "draagt bij"), ("equal", ".")]),
        changed("Nederland wil de coördinatie versterken.", "Nederland wil de coördinatie verder versterken.",
                [("equal", "Nederland wil de coördinatie "), ("insert", "verder "), ("equal", "versterken.")],
                severity=1),
        added("Nederland pleit voor een nieuw steunpakket van € 3,5 miljard."),
        added("Het kabinet steunt het NAVO-lidmaatschap van Oekraïne – op termijn."),
        removed("Nederland verwelkomt de dialoog met Rusland."),
    ]
    return tuple(positions) + (added("De bijeenkomst vindt plaats in Brussel.", severity=0, position=False),)


def comparison(changes=None) -> Comparison:
    changes = agenda_changes() if changes is None else tuple(changes)
    return Comparison(DocumentInfo("kst-28676-466", "Geannoteerde agenda", dt.date(2024, 3, 20), "store"),
                      DocumentInfo("kst-28676-474", "Geannoteerde agenda", dt.date(2024, 11, 22), "store"),
                      Summary(3, 1, 4, 0, 40), (), changes)


AGENDA = Letter("kst-28676-474", 1, "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024",
                dt.date(2024, 11, 22), "fmm-agenda", (dt.date(2024, 12, 3), dt.date(2024, 12, 4)))
PREVIOUS = Letter("kst-28676-466", 1, "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 april 2024",
                  dt.date(2024, 3, 20), "fmm-agenda", (dt.date(2024, 4, 3), dt.date(2024, 4, 4)))


def event(kind="comparison", key="compare:kst-28676-466@1..kst-28676-474@1", **summary) -> Event:
    return Event(1, key, kind, "28676", "kst-28676-474", 1, "kst-28676-466", 1, "fmm-agenda", 3,
                 ("oekraine",), summary, NOW)


def content(changes=None, kind="comparison") -> AlertContent:
    return AlertContent(event(kind), "NAVO", AGENDA, PREVIOUS, comparison(changes))


def compose(c: AlertContent, sub: Subscriber = SUB, mail: MailConfig = MAIL):
    msg = compose_alert(c, sub, mail, message_id=alert_message_id(c.event.key, sub.email), now=NOW)
    # what a receiving client sees: the bytes parsed back
    return email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)


def html_of(msg) -> str:
    return msg.get_body(("html",)).get_content()


def text_of(msg) -> str:
    return msg.get_body(("plain",)).get_content()


def test_comparison_mail_has_both_parts_and_says_what_changed_in_the_subject():
    msg = compose(content())
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["Subject"] == ("[NAVO 28676] Geannoteerde agenda FMM 3-4 dec 2024: "
                              "4 standpunten gewijzigd, 2 nieuw, 1 vervallen")
    text = text_of(msg)
    assert "Nederland [-steunt-]{+blijft+} Oekraïne{+ onverminderd steunen+}." in text
    assert "{+Nederland pleit voor een nieuw steunpakket van € 3,5 miljard.+}" in text
    assert "[-Nederland verwelkomt de dialoog met Rusland.-]" in text
    # grouped by severity, the most severe first
    assert text.index("Ander standpunt") < text.index("Nieuwe en vervallen") < text.index("Sterkte, voorbehoud")


def test_headers_identify_the_alert_the_list_and_how_to_leave_it():
    msg = compose(content())
    assert msg["From"] == "NAVO-monitor <alerts@example.org>"
    assert msg["To"] == "analist@example.org"
    assert msg["Message-ID"] == alert_message_id("compare:kst-28676-466@1..kst-28676-474@1", "analist@example.org")
    assert msg["List-Id"] == "<dossier-28676.dossier-monitor>"
    assert msg["List-Unsubscribe"] == "<mailto:alerts@example.org?subject=unsubscribe%20tok123>"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert email.utils.parsedate_to_datetime(msg["Date"]) == NOW


def test_a_long_unsubscribe_address_goes_out_as_it_is_not_encoded():
    """Folded, a long URL becomes ``=?utf-8?q?…?=``: mail clients then offer no unsubscribe."""
    mail = MailConfig(from_=MAIL.from_, list_unsubscribe="https://navo-monitor.example.org/abonnementen/"
                      "afmelden?token={token}&adres={email}&bron=dossier-28676")
    raw = compose_alert(content(), SUB, mail, message_id=alert_message_id("k", SUB.email), now=NOW).as_bytes()
    line = next(x for x in raw.splitlines() if x.startswith(b"List-Unsubscribe:"))
    assert line == (b"List-Unsubscribe: <https://navo-monitor.example.org/abonnementen/afmelden?token=tok123"
                    b"&adres=analist%40example.org&bron=dossier-28676>")
    assert b"=?utf-8?" not in raw.split(b"\n\n", 1)[0]  # no header is encoded: all are ASCII


def test_list_unsubscribe_url_from_config_carries_the_token():
    mail = MailConfig(from_=MAIL.from_, list_unsubscribe="https://navo.example.org/afmelden?t={token}")
    msg = compose(content(), mail=mail)
    assert msg["List-Unsubscribe"] == "<https://navo.example.org/afmelden?t=tok123>"
    assert 'href="https://navo.example.org/afmelden?t=tok123"' in html_of(msg)


def test_same_alert_composes_to_the_same_message():
    first, second = compose(content()), compose(content())
    assert first["Message-ID"] == second["Message-ID"]
    assert html_of(first) == html_of(second) and text_of(first) == text_of(second)


def test_document_text_is_data_never_markup():
    hostile = [changed("Zie <b>dit</b> & dat.", "Zie <script>alert(1)</script> & dat.",
                       [("equal", "Zie "), ("delete", "<b>dit</b>"), ("insert", "<script>alert(1)</script>"),
                        ("equal", " & dat.")]),
               added('Nederland & België "steunen" <img src=x onerror=alert(1)>.')]
    msg = compose(content(hostile))
    html = html_of(msg)
    assert "<script>" not in html and "<img" not in html and "<b>dit" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Nederland &amp; België" in html and " &amp; dat." in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert 'Nederland & België "steunen" <img src=x onerror=alert(1)>.' in soup.get_text()
    # the text part is plain text: the words exactly as written
    assert "{+<script>alert(1)</script>+}" in text_of(msg)


def test_html_needs_no_style_block_and_loads_nothing_from_elsewhere():
    html = html_of(compose(content()))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("style") is None and soup.find("link") is None
    assert not soup.find_all(src=True) and not soup.find_all(["img", "iframe", "object", "embed", "video"])
    assert "url(" not in html and "@import" not in html
    styles = " ".join(tag["style"] for tag in soup.find_all(style=True))
    assert not re.search(r"display\s*:\s*(flex|grid)", styles)
    links = {a["href"] for a in soup.find_all("a", href=True)}
    assert "https://zoek.officielebekendmakingen.nl/kst-28676-474.html" in links
    assert "https://zoek.officielebekendmakingen.nl/kst-28676-466.html" in links
    # every URL in the mail is a link someone clicks, none is fetched by the client
    assert set(re.findall(r"(?:https?|mailto):[^\s\"'<>]+", html)) <= links
    # layout by tables; deleted/inserted words have a cue that survives without colour
    assert soup.find("table") is not None
    assert all("line-through" in d["style"] for d in soup.find_all("del"))
    assert all("underline" in i["style"] for i in soup.find_all("ins"))


def test_a_long_report_is_cut_to_the_top_changes_and_attached_whole():
    many = [added(f"Nederland steunt maatregel {i} voor de oostflank van het bondgenootschap, "
                  f"met coördinatie tussen bondgenoten en € {i},5 miljoen.", severity=i % 4) for i in range(600)]
    mail = MailConfig(from_=MAIL.from_, max_html_bytes=100_000)
    msg = compose(content(many), mail=mail)
    assert msg.get_content_type() == "multipart/mixed"
    html = html_of(msg)
    assert len(html.encode("utf-8")) <= 100_000
    assert "belangrijkste van 600 wijzigingen" in html and "belangrijkste van 600 wijzigingen" in text_of(msg)
    shown = BeautifulSoup(html, "html.parser").find_all("ins")
    assert 0 < len(shown) < 600
    # the most severe come first: nothing of severity 0 is shown while a 3 is left out
    assert "maatregel 3 " in html and "maatregel 0 " not in html
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_filename() == "volledig-verslag-kst-28676-474.html"
    report = attachment.get_content()
    report = BeautifulSoup(report.decode("utf-8") if isinstance(report, bytes) else report, "html.parser")
    assert all(f"Nederland steunt maatregel {i} voor" in report.get_text() for i in range(600))


def test_english_per_subscriber_and_per_config():
    english = Subscriber(8, "analyst@example.org", None, "all", (), 0, None, "en", "t", True, NOW)
    msg = compose(content(), sub=english)
    assert msg["Subject"] == ("[NAVO 28676] Annotated agenda FMM 3-4 Dec 2024: "
                              "4 positions changed, 2 new, 1 dropped")
    assert "Legend: [-deleted-] {+inserted+}" in text_of(msg)
    assert '<html lang="en">' in html_of(msg)
    by_config = compose(content(), mail=MailConfig(from_=MAIL.from_, language="en"))
    assert by_config["Subject"].startswith("[NAVO 28676] Annotated agenda FMM")


def test_new_letter_and_correction_subjects():
    letter = AlertContent(event("new-letter", "new:kst-28676-474@1"), "NAVO", AGENDA)
    assert compose(letter)["Subject"] == "[NAVO 28676] Nieuwe brief: Geannoteerde agenda FMM 3-4 dec 2024"
    other = Letter("kst-28676-480", 1, "Reactie op verzoek commissie over de NAVO-top", dt.date(2025, 1, 8), "other")
    plain = AlertContent(event("new-letter", "new:kst-28676-480@1"), "NAVO", other)
    assert compose(plain)["Subject"] == "[NAVO 28676] Nieuwe brief: Reactie op verzoek commissie over de NAVO-top"
    fix = [changed("De top vindt plaats op 3 december.", "De top vindt plaats op 4 december.",
                   [("equal", "De top vindt plaats op "), ("delete", "3"), ("insert", "4"), ("equal", " december.")],
                   severity=1, position=False)]
    correction = AlertContent(event("correction", "correction:kst-28676-474@2"), "NAVO",
                              AGENDA, PREVIOUS, comparison(fix))
    assert compose(correction)["Subject"] == ("[NAVO 28676] Gecorrigeerde versie: Geannoteerde agenda FMM "
                                              "3-4 dec 2024: geen standpunten gewijzigd, 1 tekstwijziging")


def test_daily_digest_gathers_several_alerts_in_one_message():
    digest_sub = Subscriber(9, "dag@example.org", None, "all", (), 0, "daily", None, "t9", True, NOW)
    letter = AlertContent(event("new-letter", "new:kst-28676-480@1"), "NAVO",
                          Letter("kst-28676-480", 1, "Reactie op verzoek commissie", dt.date(2025, 1, 8), "other"))
    msg = compose_digest([content(), letter], digest_sub, MAIL, day=dt.date(2024, 11, 22),
                         message_id="<digest-x@dossier-monitor>", now=NOW)
    assert msg["Subject"] == "[NAVO 28676] Dagoverzicht 22 nov 2024: 2 meldingen"
    text = msg.get_body(("plain",)).get_content()
    assert "== Geannoteerde agenda FMM 3-4 dec 2024 ==" in text
    assert "== Nieuwe brief: Reactie op verzoek commissie ==" in text


PRINTABLE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=80)


@settings(max_examples=40, deadline=None)
@given(words=PRINTABLE)
def test_any_document_text_reads_back_unchanged_from_both_parts(words):
    words = " ".join(words.split()) or "x"
    msg = compose(content([added(words)]))
    html_text = " ".join(BeautifulSoup(html_of(msg), "html.parser").get_text().split())
    assert words in html_text
    assert words in " ".join(text_of(msg).split())


def test_cards_say_which_way_a_stance_moved_and_the_dates_come_last_in_a_quiet_group():
    turned = Change("changed", True, ("stance",), 3, (), SentenceRef("Nederland verwelkomt het streven.", SECTION),
                    SentenceRef("Nederland neemt kennis van het streven.", SECTION),
                    (RedlineSegment("equal", "Nederland "), RedlineSegment("delete", "verwelkomt"),
                     RedlineSegment("insert", "neemt kennis van"), RedlineSegment("equal", " het streven.")),
                    direction="weaker")
    moved_on = Change("changed", False, ("calendar",), 0, (), SentenceRef("De FMM is op 3 december.", "Inleiding"),
                      SentenceRef("De FMM is op 3 april.", "Inleiding"),
                      (RedlineSegment("equal", "De FMM is op 3 "), RedlineSegment("delete", "december"),
                       RedlineSegment("insert", "april"), RedlineSegment("equal", ".")))
    reworded = added("Er is aandacht voor hybride dreigingen.", severity=0, position=False)
    msg = compose(content([turned, reworded, moved_on]))
    text, html = text_of(msg), html_of(msg)
    assert "* Gewijzigd, positie (standpunt ↓ zwakker)" in text
    # the text around the positions comes after them, the calendar after everything
    assert text.index("-- Overige tekst (geen standpunt) (1) --") < text.index("-- Data verschoven zoals verwacht (1) --")
    assert text.index("-- Data verschoven zoals verwacht (1) --") < text.index("De FMM is op 3 [-december-]{+april+}.")
    assert "standpunt ↓ zwakker" in html
    headings = [h.get_text() for h in BeautifulSoup(html, "html.parser").find_all("h3")]
    assert headings == ["Ander standpunt (1)", "Overige tekst (geen standpunt) (1)", "Data verschoven zoals verwacht (1)"]
    english = compose(content([turned, moved_on]),
                      Subscriber(8, "analyst@example.org", None, "all", (), 0, None, "en", "t", True, NOW))
    assert "stance ↓ weaker" in text_of(english) and "-- Dates moved as expected (1) --" in text_of(english)
