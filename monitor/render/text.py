"""A comparison as a terminal report: summary, section map, changes by severity with redlines,
and last, as one quiet group, the dates that moved as expected from one agenda to the next.

Colour (ANSI) is an extra for terminals; every cue is also in the characters
(``[-…-]``, ``{+…+}``, the section markers), so piped or printed output loses nothing.
"""

from __future__ import annotations

import re
import textwrap

from monitor.model import Change, Comparison
from monitor.render.labels import document_label, labels, summary_line
from monitor.render.redline import redline_text
from monitor.vocabulary import card_status, kind_labels

WIDTH = 100
_SECTION_MARK = {"same": "=", "renamed": "~", "added": "+", "removed": "-", "moved": ">"}
_STATUS_COLOUR = {"changed": "33", "restated": "34", "added": "32", "removed": "31", "moved": "36"}
_MARKED = re.compile(r"\[-.*?-\]|\{\+.*?\+\}", re.S)


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _colour_marks(text: str) -> str:
    # after wrapping, so escape codes never count towards the line width
    return _MARKED.sub(lambda m: _paint(m.group(0), "31" if m.group(0)[0] == "[" else "32", True), text)


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False,
    )


def _change_lines(change: Change, words: dict, language: str, color: bool) -> list[str]:
    status = card_status(change.status, change.kinds)
    head = [f"[{change.severity}]", words["status"][status]]
    head += kind_labels([k for k in change.kinds if k != status], change.direction, language)
    if change.position:
        head.append(words["position"])
    title = _paint(" ".join(head[:2]), "1;" + _STATUS_COLOUR[status], color)
    rest = " · ".join(head[2:] + list(change.topics))
    lines = [f"  {title}" + (f" · {rest}" if rest else "")]
    old_sec = change.old.section if change.old else None
    new_sec = change.new.section if change.new else None
    opening = words["opening"]
    if change.old and change.new and old_sec != new_sec:
        lines.append(f"    § {old_sec or opening} → {new_sec or opening}")
    else:
        lines.append(f"    § {(new_sec if change.new else old_sec) or opening}")
    if change.status == "moved":
        lines.append(_wrap(change.new.text))
    else:
        body = _wrap(redline_text(change.redline))
        lines.append(_colour_marks(body) if color else body)
    return lines


def render_text(cmp: Comparison, *, color: bool = False, language: str = "nl") -> str:
    """The whole report as one string ending in a newline."""
    words = labels(language)
    out = [
        f"{words['title']}: {document_label(cmp.old)} → {document_label(cmp.new)}",
        f"{words['summary']}: {summary_line(cmp, words)}",
        "",
        _paint(words["sections"], "1", color),
    ]
    opening = words["opening"]
    for m in cmp.sections:
        status = words["section_status"][m.status]
        if m.status in ("renamed", "moved") and m.old != m.new:
            name = f"{m.old or opening} → {m.new or opening}"
        else:
            name = (m.new if m.status != "removed" else m.old) or opening
        out.append(f"  {_SECTION_MARK[m.status]} {name}" + ("" if m.status == "same" else f"  [{status}]"))
    out += ["", _paint(words["changes"], "1", color)]
    if not cmp.changes:
        out.append(f"  {words['no_changes']}")
    real = [c for c in cmp.changes if not c.is_calendar]
    calendar = [c for c in cmp.changes if c.is_calendar]
    for k, change in enumerate(real):
        if not change.position and (k == 0 or real[k - 1].position):
            # the text around the positions comes after them, under its own heading
            out.append(_paint(words["context"], "1", color))
        out += _change_lines(change, words, language, color)
        out.append("")
    if calendar:
        out.append(f"  {words['calendar_group']} ({len(calendar)})")
        for change in calendar:  # quietly: where it stands now, and the dates that moved
            body = _wrap(redline_text(change.redline))
            out += [f"    § {(change.new or change.old).section or words['opening']}",
                    _colour_marks(body) if color else body]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
