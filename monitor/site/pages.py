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

    def __init__(self, *, language: str, title: str, base_url: str, root: str = "",
                 subscribe_path: str | None = None, switch_prefix: str | None = None):
        """Served by the web app, the menu also links to ``subscribe_path`` and to the same page in
        the other language (``switch_prefix`` + the page's path); ``root`` is where the site's own
        pages are, seen from the pages rendered here."""
        self.language = language
        self.words = words(language)
        self.title = title or self.words["site_title"]
        self.base_url = base_url
        self.root = root
        self.subscribe_path = subscribe_path
        self.switch_prefix = switch_prefix

    def day(self, day: dt.date) -> str:
        return day_label(day, self.language)

    def render(self, template: str, *, here: str, section: str, page_title: str, **context) -> bytes:
        """One page at site path ``here``; ``section`` marks the current menu entry."""
        menu = {"root": self.root, "subscribe_path": self.subscribe_path,
                "switch_path": None if self.switch_prefix is None else self.switch_prefix + here}
        html = _environment().get_template(template).render(
            **{**menu, **context}, language=self.language, w=self.words, site_title=self.title, page_title=page_title,
            section=section, canonical=urljoin(self.base_url, here) if self.base_url else None,
            link=lambda path: paths.relative(here, path), day=self.day, short_title=letter_title,
            letter_page=paths.letter_page, agenda_page=paths.agenda_page, topic_page=paths.topic_page,
            original_url=original_url, redline=_redline,
        )
        return html.encode("utf-8")
