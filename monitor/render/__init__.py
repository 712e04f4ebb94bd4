"""Comparisons for people and programs: a terminal report, an HTML page, the JSON schema.

The redline formatting helpers (``redline_text``, ``redline_html``) live in
``monitor.render.redline`` so that mail can use them on their own.
"""

from monitor.render.html_page import render_html
from monitor.render.json_doc import SCHEMA, render_json, to_json
from monitor.render.redline import redline_html, redline_text
from monitor.render.text import render_text

__all__ = ["SCHEMA", "redline_html", "redline_text", "render_html", "render_json", "render_text", "to_json"]
