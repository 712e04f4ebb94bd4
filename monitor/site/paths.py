"""Where each page lives in the site, as a path relative to the site root.

Every link in the site is relative (``../letters/…``), so the same files work from
``file://``, in a sub-folder of any web server, and when the folder moves. Identifiers
are checked publisher ids (``kst-28676-474``), safe as file names.

>>> letter_page("kst-28676-474"), letter_page("kst-28676-474", 1)
('letters/kst-28676-474.html', 'letters/kst-28676-474-v1.html')
>>> topic_page("EU–NAVO"), topic_page("Oekraïne")
('topics/eu-navo.html', 'topics/oekraine.html')
>>> relative("agendas/kst-28676-474.html", "topics/oekraine.html")
'../topics/oekraine.html'
>>> relative("index.html", "letters/kst-28676-474.html")
'letters/kst-28676-474.html'
"""

from __future__ import annotations

import re
import unicodedata
from posixpath import dirname, relpath

INDEX = "index.html"
STYLE = "style.css"
AGENDAS = "agendas/index.html"
TOPICS = "topics/index.html"


def letter_page(identifier: str, version: int | None = None) -> str:
    """The latest version at ``letters/<id>.html``; an older one at ``letters/<id>-v<N>.html``."""
    return f"letters/{identifier}.html" if version is None else f"letters/{identifier}-v{version}.html"


def agenda_page(identifier: str) -> str:
    return f"agendas/{identifier}.html"


def comparison_page(old: str, new: str) -> str:
    """The report comparing two agendas (latest versions), or two versions (``id-vN``) of a letter."""
    return f"compare/{old}--{new}.html"


def topic_slug(topic: str) -> str:
    # accents go (ï -> i), every other non-letter becomes a hyphen (the dash of EU–NAVO too)
    folded = "".join(c for c in unicodedata.normalize("NFKD", topic) if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "onderwerp"


def topic_page(topic: str) -> str:
    return f"topics/{topic_slug(topic)}.html"


def relative(from_page: str, to_path: str) -> str:
    """The link from one page of the site to another path in it."""
    return relpath(to_path, dirname(from_page) or ".")
