"""HTML pages from Jinja2 templates (autoescaped) in ``monitor/site/templates``.

Templates get the words of the chosen language and a few helpers; every link goes
through ``link(path)``, which makes it relative to the page being rendered.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib.resources import files
from urllib.parse import urljoin

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from monitor.model import RedlineSegment, original_url
from monitor.render.redline import redline_html
from monitor.site import paths
from monitor.site.labels import words
from monitor.vocabulary import day_label, letter_title


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("monitor.site", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def stylesheet() -> bytes:
    return files("monitor.site").joinpath("templates", "style.css").read_bytes()


def _redline(segments: tuple[RedlineSegment, ...]) -> Markup:
    # redline_html escapes every segment's text itself
    return Markup(redline_html(segments))


class Pages:
    """Renders the site's pages in one language, with one site title and base URL."""

    def __init__(self, *, language: str, title: str, base_url: str):
        self.language = language
        self.words = words(language)
        self.title = title or self.words["site_title"]
        self.base_url = base_url

    def day(self, day: dt.date) -> str:
        return day_label(day, self.language)

    def render(self, template: str, *, here: str, section: str, page_title: str, **context) -> bytes:
        """One page at site path ``here``; ``section`` marks the current menu entry."""
        html = _environment().get_template(template).render(
            language=self.language, w=self.words, site_title=self.title, page_title=page_title,
            section=section, canonical=urljoin(self.base_url, here) if self.base_url else None,
            link=lambda path: paths.relative(here, path), day=self.day, short_title=letter_title,
            letter_page=paths.letter_page, agenda_page=paths.agenda_page, topic_page=paths.topic_page,
            original_url=original_url, redline=_redline,
            **context,
        )
        return html.encode("utf-8")
