"""A comparison as one self-contained HTML page: no scripts, fonts or images from elsewhere.

Jinja2 escapes every value; only the redline, which ``redline_html`` builds from escaped
text, is passed through as markup.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from monitor.model import Comparison
from monitor.render.labels import document_label, labels, summary_line
from monitor.render.redline import redline_html


@cache
def _environment() -> Environment:
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
        changes=[{"change": c, "redline": Markup(redline_html(c.redline))} for c in cmp.changes],
    )
