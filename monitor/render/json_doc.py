"""A comparison as the ``dossier-monitor.diff/1`` JSON document (see the contract).

Extensions of the contract's schema (keys and values added, none renamed): every change has
``"direction"``, ``"weaker"`` or ``"stronger"`` for a stance that moved along the diplomatic
register, else ``null``; ``kinds`` may be ``["calendar"]`` (severity 0, listed after every other
change) for a sentence in which only dates, places and running counts moved.
"""

from __future__ import annotations

import json
from typing import Any

from monitor.model import Change, Comparison, DocumentInfo, SentenceRef

SCHEMA = "dossier-monitor.diff/1"


def _info(info: DocumentInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "title": info.title,
        "date": info.date.isoformat() if info.date else None,
        "source": info.source,
    }


def _ref(ref: SentenceRef | None) -> dict[str, Any] | None:
    return None if ref is None else {"text": ref.text, "section": ref.section}


def _change(change: Change) -> dict[str, Any]:
    return {
        "status": change.status,
        "position": change.position,
        "kinds": list(change.kinds),
        "severity": change.severity,
        "topics": list(change.topics),
        "old": _ref(change.old),
        "new": _ref(change.new),
        "redline": [{"op": s.op, "text": s.text} for s in change.redline],
        "direction": change.direction,
    }


def to_json(cmp: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON values, keys exactly as the schema names them."""
    s = cmp.summary
    return {
        "schema": SCHEMA,
        "old": _info(cmp.old),
        "new": _info(cmp.new),
        "summary": {
            "added": s.added, "removed": s.removed, "changed": s.changed,
            "moved": s.moved, "unchanged": s.unchanged,
            "restated": s.restated,  # extension: of "changed", the positions said in other words
        },
        # extension: the changes that are positions, counted as the mail subject counts them
        # ("changed" without the restated ones)
        "positions": cmp.position_counts(),
        "sections": [{"status": m.status, "old": m.old, "new": m.new} for m in cmp.sections],
        "changes": [_change(c) for c in cmp.changes],
    }


def render_json(cmp: Comparison) -> str:
    """UTF-8 friendly, indented JSON text ending in a newline (``Oekraïne``, not ``\\u00ef``)."""
    return json.dumps(to_json(cmp), ensure_ascii=False, indent=2) + "\n"
