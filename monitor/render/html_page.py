"""A comparison as one self-contained HTML page: no scripts, fonts or images from elsewhere.

Jinja2 escapes every value; only the redline, which ``redline_html`` builds from escaped
text, is passed through as markup.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from markupsafe import Markup

from monitor.model import Change, Comparison
from monitor.render.labels import document_label, labels, summary_line
from monitor.render.redline import redline_html
from monitor.vocabulary import card_status, kind_labels

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def _environment() -> Environment:
    # Jinja is imported with the first page, not with the package: a text report needs none of it
    from jinja2 import Environment, PackageLoader

    return Environment(
        loader=PackageLoader("monitor.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(cmp: Comparison, *, language: str = "nl") -> str:
    words = labels(language)
    template = _environment().get_template("diff.html.j2")
    return template.render(
        cmp=cmp,
        words=words,
        language=language,
        old_label=document_label(cmp.old),
        new_label=document_label(cmp.new),
        summary=summary_line(cmp, words),
        changes=_views([c for c in cmp.changes if not c.is_calendar], words, language),
        calendar=_views([c for c in cmp.changes if c.is_calendar], words, language),
    )


def _views(changes: list[Change], words: dict, language: str) -> list[dict]:
    return [{"change": c, "status": card_status(c.status, c.kinds), "meta": _meta(c, words, language),
             "redline": Markup(redline_html(c.redline)), "context": not c.position,
             # the text around the positions is folded away below them
             "context_starts": not c.position and (k == 0 or changes[k - 1].position)}
            for k, c in enumerate(changes)]


def _meta(change: Change, words: dict, language: str) -> list[str]:
    """Severity, kinds, whether it is a position, topics: the line above each change."""
    meta = [f"{words['severity']} {change.severity}",
            *kind_labels([k for k in change.kinds if k != "restated"], change.direction, language)]
    if change.position:
        meta.append(words["position"])
    if change.topics:
        meta.append(f"{words['topics']}: {', '.join(change.topics)}")
    return meta
