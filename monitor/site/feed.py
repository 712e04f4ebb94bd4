"""``feed.atom``: one entry per new letter (and new version) and per comparison.

Ids are ``tag:`` URIs made from what the entry is about (identifier, version), never from
where the site is hosted, so a feed reader keeps recognising entries when the site moves
or ``base_url`` is set later. Dates are the moment we fetched the version, so rebuilding
the feed without news gives the same bytes.

>>> import datetime as dt
>>> item = FeedItem(entry_id("letter", "kst-28676-474", 1), "Nieuwe brief", "letters/kst-28676-474.html",
...                 dt.datetime(2024, 11, 22, 12, tzinfo=dt.UTC), "kst-28676-474")
>>> item.id
'tag:dossier-monitor,2024:letter/kst-28676-474/v1'
>>> xml = atom_feed([item], title="NAVO", language="nl", base_url="https://example.org/navo/")
>>> b'<link href="https://example.org/navo/letters/kst-28676-474.html"/>' in xml
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

# the tagging entity: a name plus the year it was first used (RFC 4151); never changes
TAG_AUTHORITY = "tag:dossier-monitor,2024:"
FEED_FILE = "feed.atom"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class FeedItem:
    id: str
    title: str
    href: str  # relative to the site root
    updated: dt.datetime
    summary: str


def entry_id(kind: str, *parts: str | int) -> str:
    """A stable ``tag:`` URI for an entry: its kind and the identifiers/versions it is about.

    >>> entry_id("comparison", "kst-28676-466", 1, "kst-28676-474", 2)
    'tag:dossier-monitor,2024:comparison/kst-28676-466/v1/kst-28676-474/v2'
    """
    path = []
    for part in parts:
        path.append(f"v{part}" if isinstance(part, int) else part)
    return TAG_AUTHORITY + "/".join([kind, *path])


def atom_feed(items: Sequence[FeedItem], *, title: str, language: str, base_url: str = "") -> bytes:
    """The Atom document, newest entry first; links are absolute when ``base_url`` is known."""

    def href(path: str) -> str:
        # without a base URL, links stay relative: they resolve against the feed's own location
        return urljoin(base_url, path) if base_url else path

    ordered = sorted(items, key=lambda i: (i.updated, i.id), reverse=True)
    fg = FeedGenerator()
    fg.id(TAG_AUTHORITY + "feed")
    fg.title(title)
    fg.language(language)
    fg.author({"name": "dossier-monitor"})
    fg.generator("dossier-monitor")
    fg.link(href=href(FEED_FILE), rel="self", type="application/atom+xml")
    fg.link(href=href("index.html"), rel="alternate", type="text/html")
    fg.updated(ordered[0].updated if ordered else _EPOCH)
    for item in ordered:
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.updated(item.updated)
        entry.link(href=href(item.href), rel="alternate")
        entry.summary(item.summary)
    return fg.atom_str(pretty=True)
