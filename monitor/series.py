"""Which series a publication belongs to (an FMM agenda, an FMM report, …) and its meeting dates.

The rules are data (``monitor/data/series.toml``): per series the dossiers it belongs to and
regular expressions for the title and for the opening of the text. Both must agree: a
matching title in a dossier not configured for that series stays ``other``, with a warning.

>>> from monitor.model import Publication
>>> pub = Publication("kst-28676-474", "28676", "474",
...     "Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024",
...     "Brief", dt.date(2024, 11, 22), None, None)
>>> info = classify(pub, None)
>>> info.series, [d.isoformat() for d in info.meeting_dates]
('fmm-agenda', ['2024-12-03', '2024-12-04'])
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor import DATA
from monitor.documents.dates import meeting_dates
from monitor.documents.normalise import normalise_text
from monitor.errors import ConfigError
from monitor.model import Publication

log = logging.getLogger(__name__)

OTHER = "other"
# the covering letter and the agenda's heading come first; the rest is body text
OPENING_CHARS = 2500
# meeting dates are stated right after the words that name the meeting
DATE_WINDOW_CHARS = 160


@dataclass(frozen=True)
class SeriesInfo:
    series: str
    meeting_dates: tuple[dt.date, ...]
    reason: str

    @property
    def meeting_date(self) -> dt.date | None:
        """The first meeting day: what agendas are ordered and linked by."""
        return self.meeting_dates[0] if self.meeting_dates else None


@dataclass(frozen=True)
class SeriesRule:
    name: str
    dossiers: frozenset[str]
    title: tuple[re.Pattern, ...]
    text: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Rules:
    series: tuple[SeriesRule, ...]
    exclude_titles: tuple[re.Pattern, ...]
    exclude_document_types: frozenset[str]

    @property
    def names(self) -> tuple[str, ...]:
        return (*(r.name for r in self.series), OTHER)


def load_rules(path: Path | None = None) -> Rules:
    """The rules from ``path``, or the packaged ``monitor/data/series.toml``."""
    if path is None:
        return _packaged_rules()
    try:
        return _parse_rules(tomllib.loads(Path(path).read_text(encoding="utf-8")), str(path))
    except OSError as exc:
        raise ConfigError(f"series rules {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"series rules {path}: not valid TOML ({exc})") from None


@lru_cache(maxsize=1)
def _packaged_rules() -> Rules:
    text = (DATA / "series.toml").read_text(encoding="utf-8")
    return _parse_rules(tomllib.loads(text), "monitor/data/series.toml")


def _parse_rules(data: dict, origin: str) -> Rules:
    def compile_all(patterns, where: str) -> tuple[re.Pattern, ...]:
        try:
            return tuple(re.compile(p, re.IGNORECASE) for p in patterns)
        except re.error as exc:
            raise ConfigError(f"series rules {origin}: bad pattern in {where}: {exc}") from None

    series = []
    for i, entry in enumerate(data.get("series", [])):
        name = entry.get("name")
        if not name or name == OTHER:
            raise ConfigError(f"series rules {origin}: series #{i + 1} needs a name other than {OTHER!r}")
        series.append(SeriesRule(name, frozenset(entry.get("dossiers", [])),
                                 compile_all(entry.get("title", []), f"{name}.title"),
                                 compile_all(entry.get("text", []), f"{name}.text")))
    return Rules(tuple(series), compile_all(data.get("exclude_titles", []), "exclude_titles"),
                 frozenset(t.casefold() for t in data.get("exclude_document_types", [])))


def classify(pub: Publication, text: str | None, rules: Rules | None = None) -> SeriesInfo:
    """The series of ``pub`` from its title, else from the opening of ``text``."""
    rules = rules or load_rules()
    title = normalise_text(pub.title or "")
    if (pub.document_type or "").casefold() in rules.exclude_document_types:
        return SeriesInfo(OTHER, (), f"document type {pub.document_type!r} is never a series letter")
    for pattern in rules.exclude_titles:
        if pattern.search(title):
            return SeriesInfo(OTHER, (), f"title is a parliamentary document about a meeting ({pattern.pattern})")

    opening = normalise_text(text[: OPENING_CHARS * 2])[:OPENING_CHARS] if text else ""
    found = _first_title_match(rules, title)
    where = "title"
    if found is None and opening:
        found = _earliest_text_match(rules, opening)
        where = "text"
    if found is None:
        return SeriesInfo(OTHER, (), "no series rule matched")

    rule, match, haystack = found
    dossiers = set(pub.dossiers or (pub.dossier,))
    if not dossiers & rule.dossiers:
        log.warning("%s looks like %s by its %s (%r) but dossier %s is not configured for %s; kept as %s",
                    pub.identifier, rule.name, where, match.group(0), "/".join(sorted(dossiers)),
                    rule.name, OTHER)
        return SeriesInfo(OTHER, (), f"{where} matches {rule.name} but dossier {'/'.join(sorted(dossiers))} "
                                     f"is not configured for it")

    reference = pub.date or pub.available
    dates = meeting_dates(haystack[match.start(): match.end() + DATE_WINDOW_CHARS], reference)
    if not dates and where == "title" and opening:
        # a title without dates ("Geannoteerde agenda NAVO FMM"): the covering letter names them
        again = next((m for p in rule.text if (m := p.search(opening))), None)
        if again:
            dates = meeting_dates(opening[again.start(): again.end() + DATE_WINDOW_CHARS], reference)
    return SeriesInfo(rule.name, dates, f"{where} matches {rule.name}: {match.group(0)!r}")


def _first_title_match(rules: Rules, title: str):
    for rule in rules.series:
        for pattern in rule.title:
            if m := pattern.search(title):
                return rule, m, title
    return None


def _earliest_text_match(rules: Rules, opening: str):
    best = None
    for rule in rules.series:
        for pattern in rule.text:
            m = pattern.search(opening)
            if m and (best is None or m.start() < best[1].start()):
                best = (rule, m, opening)
    return best
