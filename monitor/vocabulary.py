"""The words every face shares, in Dutch (default) and English.

The diff report, the mails and the site name a change, a kind of change, a series and a
date the same way; each keeps only its own sentences (``render/labels.py``,
``alerts/i18n.py``, ``site/labels.py``).

>>> STATUS["nl"]["removed"], STATUS["en"]["removed"], KINDS["en"]["quantity"]
('vervallen', 'dropped', 'figure')
>>> kind_labels(("stance", "hedge"), "weaker", "nl"), kind_labels(("calendar",), None, "en")
(['standpunt ↓ zwakker', 'voorbehoud'], ['calendar'])
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
>>> counts_phrase({"changed": 2, "restated": 12, "added": 2, "removed": 1, "moved": 0}, 20, "nl")
'2 standpunten gewijzigd, 12 herformuleerd, 2 nieuw, 1 vervallen'
>>> card_status("changed", ("restated",)), card_status("changed", ("stance",))
('restated', 'changed')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from monitor.errors import BadInput

LANGUAGES = ("nl", "en")

# what happened to a sentence (the JSON statuses of a comparison)
STATUS = {
    "nl": {"changed": "gewijzigd", "added": "nieuw", "removed": "vervallen", "moved": "verplaatst",
           "unchanged": "ongewijzigd", "restated": "herformuleerd"},
    "en": {"changed": "changed", "added": "new", "removed": "dropped", "moved": "moved", "unchanged": "unchanged",
           "restated": "restated"},
}

# what changed in a changed sentence (the JSON kinds)
KINDS = {
    "nl": {"stance": "standpunt", "strength": "sterkte", "quantity": "cijfer", "hedge": "voorbehoud",
           "condition": "voorwaarde", "commitment": "toezegging", "wording": "formulering",
           "restated": "herformuleerd", "calendar": "kalender"},
    "en": {"stance": "stance", "strength": "strength", "quantity": "figure", "hedge": "hedge",
           "condition": "condition", "commitment": "commitment", "wording": "wording",
           "restated": "restated", "calendar": "calendar"},
}

# which way a stance moved along the diplomatic register (the JSON direction of a change)
DIRECTIONS = {
    "nl": {"weaker": "↓ zwakker", "stronger": "↑ sterker"},
    "en": {"weaker": "↓ weaker", "stronger": "↑ stronger"},
}

# the one quiet group of calendar changes (dates, places, running counts), below every real change
CALENDAR_GROUP = {"nl": "Data verschoven zoals verwacht", "en": "Dates moved as expected"}

SERIES = {
    "nl": {"fmm-agenda": "Geannoteerde agenda FMM", "dmm-agenda": "Geannoteerde agenda DMM",
           "fmm-verslag": "Verslag FMM", "summit": "NAVO-top"},
    "en": {"fmm-agenda": "Annotated agenda FMM", "dmm-agenda": "Annotated agenda DMM",
           "fmm-verslag": "Report FMM", "summit": "NATO summit"},
}

MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

_COUNTS = {
    "nl": {"positions_changed": ("standpunt gewijzigd", "standpunten gewijzigd"),
           "none_changed": "geen standpunten gewijzigd", "text_changes": ("tekstwijziging", "tekstwijzigingen")},
    "en": {"positions_changed": ("position changed", "positions changed"),
           "none_changed": "no positions changed", "text_changes": ("text change", "text changes")},
}

# the dossier's own title as the Chamber names it; a KOOP title "NAVO; …" also carries it
DOSSIER_TITLES = {"28676": "NAVO"}


def with_shared_words(own: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A face's own words per language, with the statuses and kinds every face shares, so that
    its templates find all their words in one place."""
    return {language: {**words, "status": STATUS[language], "kind": KINDS[language],
                       "direction": DIRECTIONS[language], "calendar_group": CALENDAR_GROUP[language]}
            for language, words in own.items()}


def kind_labels(kinds: Sequence[str], direction: str | None, language: str) -> list[str]:
    """The kinds of a change in words; a stance change says which way it moved."""
    words = KINDS[language]
    return [f"{words[k]} {DIRECTIONS[language][direction]}" if k == "stance" and direction else words[k]
            for k in kinds]


def in_language(tables: Mapping[str, dict[str, Any]], language: str) -> dict[str, Any]:
    """``tables[language]``; an unknown language is bad input that names the choices.

    >>> in_language({"nl": {}}, "de")
    Traceback (most recent call last):
    ...
    monitor.errors.BadInput: unknown language 'de' (choose nl or en)
    """
    try:
        return tables[language]
    except KeyError:
        raise BadInput(f"unknown language {language!r} (choose {' or '.join(LANGUAGES)})") from None


def plural(count: int, forms: tuple[str, str]) -> str:
    """``count`` and the singular or plural of ``forms``.

    >>> plural(1, ("melding", "meldingen")), plural(3, ("melding", "meldingen"))
    ('1 melding', '3 meldingen')
    """
    return f"{count} {forms[0] if count == 1 else forms[1]}"


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
    # imported here: `diff` and the rendering of a comparison never show a moment
    from zoneinfo import ZoneInfo

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
    """What changed in positions, for subjects and lists; the text changes when no position changed."""
    words, status = _COUNTS[language], STATUS[language]
    changed, restated, added, removed, moved = (
        int(positions.get(k, 0)) for k in ("changed", "restated", "added", "removed", "moved"))
    if not (changed or restated or added or removed or moved):
        return f"{words['none_changed']}, {plural(changes, words['text_changes'])}"
    parts = [plural(changed, words["positions_changed"])]
    if restated:
        parts.append(f"{restated} {status['restated']}")
    parts += [f"{added} {status['added']}", f"{removed} {status['removed']}"]
    if moved:
        parts.append(f"{moved} {status['moved']}")
    return ", ".join(parts)


def card_status(status: str, kinds: Sequence[str]) -> str:
    """What a card says happened: ``restated`` for a position said in other words (its stance
    and all else kept), else the change's status."""
    return "restated" if status == "changed" and tuple(kinds) == ("restated",) else status


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
