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
from html import escape

from monitor.model import RedlineSegment

DEL_STYLE = "background:#fde2e1;color:#8c1d18;text-decoration:line-through"
INS_STYLE = "background:#dcf3dc;color:#0b5a1f;text-decoration:underline"

_BRACKETS = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}


def redline_text(segments: Iterable[RedlineSegment]) -> str:
    """``[-deleted-]{+inserted+}`` inline, the rest as it is."""
    out = []
    for seg in segments:
        if seg.op == "equal":
            out.append(seg.text)
        else:
            opening, closing = _BRACKETS[seg.op]
            out.append(f"{opening}{seg.text}{closing}")
    return "".join(out)


def redline_html(segments: Iterable[RedlineSegment]) -> str:
    """Escaped HTML with ``<del>``/``<ins>`` carrying inline styles (safe to embed as markup)."""
    out = []
    for seg in segments:
        text = escape(seg.text, quote=False)
        if seg.op == "delete":
            out.append(f'<del style="{DEL_STYLE}">{text}</del>')
        elif seg.op == "insert":
            out.append(f'<ins style="{INS_STYLE}">{text}</ins>')
        else:
            out.append(text)
    return "".join(out)
