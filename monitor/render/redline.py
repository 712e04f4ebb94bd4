"""Redline segments as text for a terminal or mail, and as inline-styled HTML.

Deleted and inserted words carry a cue that survives without colour (brackets in
text; strike-through and underline in HTML), because mail clients, printers and
colour-blind readers lose colour. Styles are inline: mail clients strip ``<style>``.

>>> from monitor.compare.redline import word_redline
>>> segs = word_redline("Nederland steunt dit.", "Nederland steunt dit niet.")
>>> redline_text(segs)
'Nederland steunt dit{+ niet+}.'
>>> redline_html(word_redline("a < b", "a > b"))
'a <del style="background:#fde2e1;color:#8c1d18;text-decoration:line-through">&lt;</del><ins style="background:#dcf3dc;color:#0b5a1f;text-decoration:underline">&gt;</ins> b'
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher
from html import escape

from monitor.compare.redline import tokens
from monitor.documents.normalise import match_key
from monitor.model import RedlineSegment

DEL_STYLE = "background:#fde2e1;color:#8c1d18;text-decoration:line-through"
INS_STYLE = "background:#dcf3dc;color:#0b5a1f;text-decoration:underline"

_BRACKETS = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}


def for_display(segments: Iterable[RedlineSegment]) -> list[RedlineSegment]:
    """Show words that differ only in accents or case (``Oekraine``/``Oekraïne``) as the new words, plain.

    Comparison already treats them as the same word; marking an OCR spelling fix inside a
    sentence that changed for another reason only hides the real edit. Only a deletion +
    insertion pair holding such a variant is re-aligned word by word; other redlines are shown
    as computed. The JSON output keeps the exact segments (they rebuild both sentences).

    >>> from monitor.compare.redline import word_redline
    >>> redline_text(word_redline("steun aan Oekraine nu", "steun aan Oekraïne later"))
    'steun aan Oekraïne [-nu-]{+later+}'
    """
    out: list[RedlineSegment] = []
    for seg in segments:
        prev = out[-1] if out else None
        if seg.op == "insert" and prev is not None and prev.op == "delete" and _has_variant(prev.text, seg.text):
            out.pop()
            out.extend(_realign(prev.text, seg.text))
        else:
            out.append(seg)
    return out


def _has_variant(old: str, new: str) -> bool:
    old_words = {match_key(t): t for t in tokens(old) if not t.isspace()}
    return any(match_key(t) in old_words and old_words[match_key(t)] != t for t in tokens(new) if not t.isspace())


def _realign(old: str, new: str) -> list[RedlineSegment]:
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, [match_key(t) for t in a], [match_key(t) for t in b], autojunk=False)
    out: list[RedlineSegment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        parts = [("equal", "".join(b[j1:j2]))] if op == "equal" else [("delete", "".join(a[i1:i2])),
                                                                          ("insert", "".join(b[j1:j2]))]
        for kind, text in parts:
            if not text:
                continue
            if out and out[-1].op == kind:
                out[-1] = RedlineSegment(kind, out[-1].text + text)
            else:
                out.append(RedlineSegment(kind, text))
    return out


def redline_text(segments: Iterable[RedlineSegment]) -> str:
    """``[-deleted-]{+inserted+}`` inline, the rest as it is."""
    out = []
    for seg in for_display(segments):
        if seg.op == "equal":
            out.append(seg.text)
        else:
            opening, closing = _BRACKETS[seg.op]
            out.append(f"{opening}{seg.text}{closing}")
    return "".join(out)


def redline_html(segments: Iterable[RedlineSegment]) -> str:
    """Escaped HTML with ``<del>``/``<ins>`` carrying inline styles (safe to embed as markup)."""
    out = []
    for seg in for_display(segments):
        text = escape(seg.text, quote=False)
        if seg.op == "delete":
            out.append(f'<del style="{DEL_STYLE}">{text}</del>')
        elif seg.op == "insert":
            out.append(f'<ins style="{INS_STYLE}">{text}</ins>')
        else:
            out.append(text)
    return "".join(out)
