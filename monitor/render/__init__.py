"""Comparisons for people and programs, one module per form, each imported only where it is used:

* ``monitor.render.text``: ``render_text``, the terminal report;
* ``monitor.render.html_page``: ``render_html``, one self-contained page (Jinja);
* ``monitor.render.json_doc``: ``render_json``, ``to_json`` and the ``SCHEMA`` they follow;
* ``monitor.render.redline``: ``redline_text``, ``redline_html``, which mail uses on their own.

A `diff` to the terminal loads neither the templates nor the JSON encoder.
"""
