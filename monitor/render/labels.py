"""The words a reader sees in a comparison report, in Dutch (default) and English; those the
mails and the site use too come from ``monitor.vocabulary``.

>>> labels("nl")["section_status"]["renamed"], labels("en")["status"]["removed"]
('hernoemd', 'dropped')
"""

from __future__ import annotations

from typing import Any

from monitor.model import Comparison, DocumentInfo
from monitor.vocabulary import in_language, with_shared_words

_OWN: dict[str, dict[str, Any]] = {
    "nl": {
        "title": "Vergelijking",
        "summary": "Samenvatting",
        "positions": "posities",
        "sections": "Secties",
        "changes": "Wijzigingen",
        "no_changes": "Geen wijzigingen: de teksten zeggen hetzelfde.",
        "old": "Oud",
        "new": "Nieuw",
        "redline": "Redline",
        "section": "Sectie",
        "topics": "Onderwerpen",
        "severity": "ernst",
        "position": "positie",
        "context": "Overige tekst (geen standpunt)",
        "opening": "(begin van de brief)",
        "section_status": {
            "same": "gelijk", "renamed": "hernoemd", "added": "nieuw",
            "removed": "vervallen", "moved": "verplaatst",
        },
    },
    "en": {
        "title": "Comparison",
        "summary": "Summary",
        "positions": "positions",
        "sections": "Sections",
        "changes": "Changes",
        "no_changes": "No changes: both texts say the same.",
        "old": "Old",
        "new": "New",
        "redline": "Redline",
        "section": "Section",
        "topics": "Topics",
        "severity": "severity",
        "position": "position",
        "context": "Other text (no position)",
        "opening": "(opening of the letter)",
        "section_status": {
            "same": "same", "renamed": "renamed", "added": "added",
            "removed": "removed", "moved": "moved",
        },
    },
}

_LABELS = with_shared_words(_OWN)


def labels(language: str) -> dict[str, Any]:
    return in_language(_LABELS, language)


def document_label(info: DocumentInfo) -> str:
    """How a report names a version: its identifier and date, else where it came from.

    >>> import datetime as dt
    >>> document_label(DocumentInfo("kst-28676-474", "NAVO", dt.date(2024, 11, 22), "a.xml"))
    'kst-28676-474 (2024-11-22)'
    >>> document_label(DocumentInfo(None, None, None, "tests/old.txt"))
    'tests/old.txt'
    """
    name = info.id or info.source
    return f"{name} ({info.date.isoformat()})" if info.date else name


def summary_line(cmp: Comparison, words: dict[str, Any]) -> str:
    """``5 gewijzigd · 12 herformuleerd · 2 nieuw · …`` and, when positions changed, how many of
    those were positions; restated sentences are counted apart from the other changed ones."""
    s = cmp.summary
    status = words["status"]
    counts = {"changed": s.changed - s.restated, "restated": s.restated, "added": s.added,
              "removed": s.removed, "moved": s.moved, "unchanged": s.unchanged}
    line = " · ".join(f"{n} {status[k]}" for k, n in counts.items() if n or k != "restated")
    pc = cmp.position_counts()
    if any(pc.values()):
        detail = ", ".join(f"{pc[k]} {status[k]}" for k in ("changed", "restated", "added", "removed", "moved")
                           if pc[k])
        line += f" ({words['positions']}: {detail})"
    return line
