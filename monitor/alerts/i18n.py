"""The words of an alert in Dutch (default) and English, and the labels built from them.

Templates never hold language-specific text: they get ``t`` (one of ``STRINGS``) and the
labels made here, so both languages share one layout.

>>> import datetime as dt
>>> meeting_label((dt.date(2024, 12, 3), dt.date(2024, 12, 4)), "nl")
'3-4 dec 2024'
>>> meeting_label((dt.date(2021, 11, 30), dt.date(2021, 12, 1)), "en")
'30 Nov-1 Dec 2021'
>>> counts_phrase({"changed": 4, "added": 2, "removed": 1, "moved": 0}, 9, "nl")
'4 standpunten gewijzigd, 2 nieuw, 1 vervallen'
>>> counts_phrase({"changed": 1, "added": 0, "removed": 0, "moved": 2}, 3, "en")
'1 position changed, 0 new, 0 dropped, 2 moved'
>>> counts_phrase({"changed": 0, "added": 0, "removed": 0, "moved": 0}, 1, "nl")
'geen standpunten gewijzigd, 1 tekstwijziging'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

LANGUAGES = ("nl", "en")

MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

# the dossier's own title as the Chamber names it; a KOOP title "NAVO; …" also carries it
DOSSIER_TITLES = {"28676": "NAVO"}

STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        "new_letter": "Nieuwe brief",
        "correction": "Gecorrigeerde versie",
        "digest": "Dagoverzicht",
        "alerts_one": "melding",
        "alerts_many": "meldingen",
        "positions_changed_one": "standpunt gewijzigd",
        "positions_changed_many": "standpunten gewijzigd",
        "no_positions_changed": "geen standpunten gewijzigd",
        "text_changes_one": "tekstwijziging",
        "text_changes_many": "tekstwijzigingen",
        "new": "nieuw",
        "dropped": "vervallen",
        "moved": "verplaatst",
        "status_changed": "Gewijzigd",
        "status_added": "Nieuw",
        "status_removed": "Vervallen",
        "status_moved": "Verplaatst",
        "severity_3": "Ander standpunt",
        "severity_2": "Nieuwe en vervallen standpunten, cijfers, toezeggingen",
        "severity_1": "Sterkte, voorbehoud, voorwaarde en overige tekst",
        "severity_0": "Formulering en volgorde",
        "position": "positie",
        "section": "Onderdeel",
        "moved_from": "verplaatst van",
        "compared_with": "Vergeleken met",
        "version": "versie",
        "previous_version": "vorige versie",
        "dated": "brief van",
        "legend": "Legenda: [-geschrapt-] {+toegevoegd+}",
        "legend_html": "Doorgehaald is geschrapt, onderstreept is toegevoegd.",
        "open_document": "Lees het document op officielebekendmakingen.nl",
        "site": "Alle wijzigingen op de site",
        "truncated": "Dit bericht toont de {shown} belangrijkste van {total} wijzigingen; "
                     "het volledige verslag zit als bijlage bij dit bericht.",
        "new_letter_intro": "Er is een nieuwe brief verschenen in dossier {dossier}.",
        "correction_intro": "Er is een nieuwe versie verschenen van een brief die al bekend was.",
        "comparison_intro": "De nieuwe geannoteerde agenda is vergeleken met de vorige.",
        "why": "U ontvangt dit bericht omdat {email} is aangemeld voor {filters}.",
        "why_all": "alle meldingen",
        "filter_dossier": "dossier {value}",
        "filter_series": "reeks {value}",
        "filter_topics": "onderwerpen {value}",
        "filter_severity": "zwaarte vanaf {value}",
        "unsubscribe": "Afmelden",
        "operator_failing": "Bron faalt: {count} polls op rij mislukt",
        "operator_recovered": "Bron weer bereikbaar",
        "operator_failing_intro": "De laatste {count} polls van de bron zijn mislukt. Er worden geen nieuwe "
                                  "brieven opgehaald tot de bron weer werkt.",
        "operator_recovered_intro": "De bron werkt weer; de polls slagen sinds {since}.",
        "digest_intro": "{count} {alerts} van de afgelopen dag.",
        "attachment_name": "volledig-verslag",
    },
    "en": {
        "new_letter": "New letter",
        "correction": "Corrected version",
        "digest": "Daily digest",
        "alerts_one": "alert",
        "alerts_many": "alerts",
        "positions_changed_one": "position changed",
        "positions_changed_many": "positions changed",
        "no_positions_changed": "no positions changed",
        "text_changes_one": "text change",
        "text_changes_many": "text changes",
        "new": "new",
        "dropped": "dropped",
        "moved": "moved",
        "status_changed": "Changed",
        "status_added": "New",
        "status_removed": "Dropped",
        "status_moved": "Moved",
        "severity_3": "Different stance",
        "severity_2": "New and dropped positions, figures, commitments",
        "severity_1": "Strength, hedges, conditions and other text",
        "severity_0": "Wording and order",
        "position": "position",
        "section": "Section",
        "moved_from": "moved from",
        "compared_with": "Compared with",
        "version": "version",
        "previous_version": "previous version",
        "dated": "letter of",
        "legend": "Legend: [-deleted-] {+inserted+}",
        "legend_html": "Struck through is deleted, underlined is inserted.",
        "open_document": "Read the document on officielebekendmakingen.nl",
        "site": "All changes on the site",
        "truncated": "This message shows the {shown} most important of {total} changes; "
                     "the full report is attached to this message.",
        "new_letter_intro": "A new letter appeared in dossier {dossier}.",
        "correction_intro": "A new version appeared of a letter that was already known.",
        "comparison_intro": "The new annotated agenda was compared with the previous one.",
        "why": "You receive this message because {email} subscribed to {filters}.",
        "why_all": "all alerts",
        "filter_dossier": "dossier {value}",
        "filter_series": "series {value}",
        "filter_topics": "topics {value}",
        "filter_severity": "severity from {value}",
        "unsubscribe": "Unsubscribe",
        "operator_failing": "Source failing: {count} polls in a row failed",
        "operator_recovered": "Source reachable again",
        "operator_failing_intro": "The last {count} polls of the source failed. No new letters are fetched "
                                  "until the source works again.",
        "operator_recovered_intro": "The source works again; polls succeed since {since}.",
        "digest_intro": "{count} {alerts} of the past day.",
        "attachment_name": "full-report",
    },
}

SERIES_LABELS = {
    "nl": {"fmm-agenda": "Geannoteerde agenda FMM", "dmm-agenda": "Geannoteerde agenda DMM",
           "fmm-verslag": "Verslag FMM", "summit": "NAVO-top"},
    "en": {"fmm-agenda": "Annotated agenda FMM", "dmm-agenda": "Annotated agenda DMM",
           "fmm-verslag": "Report FMM", "summit": "NATO summit"},
}


def plural(count: int, language: str, key: str) -> str:
    """``count`` and the singular or plural word ``key_one``/``key_many``."""
    return f"{count} {STRINGS[language][f'{key}_one' if count == 1 else f'{key}_many']}"


def day_label(day: dt.date, language: str) -> str:
    """A day as people write it.

    >>> day_label(dt.date(2024, 11, 22), "nl")
    '22 nov 2024'
    """
    return f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"


def moment_label(iso: str | None, language: str, timezone: str = "Europe/Amsterdam") -> str:
    """An ISO timestamp as a reader in the Netherlands reads it.

    >>> moment_label("2024-11-22T08:05:00+00:00", "nl")
    '22 nov 2024 09:05'
    >>> moment_label(None, "en")
    '?'
    """
    if not iso:
        return "?"
    moment = dt.datetime.fromisoformat(iso).astimezone(ZoneInfo(timezone))
    return f"{day_label(moment.date(), language)} {moment:%H:%M}"


def meeting_label(days: Sequence[dt.date], language: str) -> str:
    """The meeting's first to last day, written as short as it reads unambiguously."""
    first, last = min(days), max(days)
    if first == last:
        return day_label(first, language)
    months = MONTHS[language]
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{last.day} {months[last.month - 1]} {last.year}"
    if first.year == last.year:
        return f"{first.day} {months[first.month - 1]}-{last.day} {months[last.month - 1]} {last.year}"
    return f"{day_label(first, language)}-{day_label(last, language)}"


def counts_phrase(positions: Mapping[str, int], changes: int, language: str) -> str:
    """What changed in positions, for subjects; the text changes when no position changed."""
    t = STRINGS[language]
    changed, added, removed, moved = (int(positions.get(k, 0)) for k in ("changed", "added", "removed", "moved"))
    if not (changed or added or removed or moved):
        return f"{t['no_positions_changed']}, {plural(changes, language, 'text_changes')}"
    parts = [plural(changed, language, "positions_changed"), f"{added} {t['new']}", f"{removed} {t['dropped']}"]
    if moved:
        parts.append(f"{moved} {t['moved']}")
    return ", ".join(parts)


def dossier_title(dossier: str, letter_title: str | None = None) -> str:
    """The dossier's short title: known, else the part before ``;`` in a KOOP title.

    >>> dossier_title("28676"), dossier_title("21501-28", "Defensieraad; Verslag"), dossier_title("1")
    ('NAVO', 'Defensieraad', 'Kamerstuk')
    """
    if dossier in DOSSIER_TITLES:
        return DOSSIER_TITLES[dossier]
    if letter_title and ";" in letter_title:
        return letter_title.split(";", 1)[0].strip()
    return "Kamerstuk"


def letter_title(title: str) -> str:
    """A KOOP title without its ``<dossier title>;`` prefix.

    >>> letter_title("NAVO; Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024")
    'Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024'
    """
    return title.split(";", 1)[1].strip() if ";" in title else title.strip()
