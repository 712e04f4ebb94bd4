"""A letter page of zoek.officielebekendmakingen.nl (or any HTML page holding a letter) into blocks.

The site puts the letter in ``<div id="broodtekst" class="stuk">`` inside its own chrome
(header, menus, search, footer). Other HTML is read from ``<body>`` minus the chrome, and
must then show the marks of a letter, so an error page or a search result never passes for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from monitor.documents.assemble import Block, Hints
from monitor.documents.dates import LETTER_DATE
from monitor.documents.letterhead import KST_ID
from monitor.errors import NotAnAgenda

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_CLASSES = frozenset({"kop", "tussenkop", "stuktitel"})
_PARAGRAPH_TAGS = frozenset({"p", "li", "dd", "dt", "blockquote", "pre", "td", "th", "caption", "address"})
_SKIPPED_TAGS = frozenset(
    {"script", "style", "nav", "header", "footer", "form", "button", "noscript", "aside", "template", "svg",
     "iframe", "select", "input", "head", "title", "img", "figure"}
)
# Letterhead, signature and footnotes by the site's class names: fixed text, never compared.
_SKIPPED_CLASSES = frozenset(
    {"kamerstukkop", "kamerstuknummer", "dossiertitel", "dossiernummer", "stuknummer", "ondertekening",
     "voetnoot", "voetnoten", "noten", "noot", "nootnum", "sluiting", "skiplink", "breadcrumb", "metadata", "tabs"}
)
_INLINE_TAGS = frozenset(
    {"a", "em", "strong", "b", "i", "u", "span", "sup", "sub", "abbr", "br", "small", "mark", "q", "cite", "code", "time"}
)
_INLINE_BREAK = frozenset({"br"})
_LETTER_MARK = re.compile(r"geannoteerde agenda|aan de voorzitter van de (?:tweede|eerste) kamer", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml[^>]*\?>")
_META = {"dc.identifier": "identifier", "overheidop.dossiernummer": "dossier", "overheidop.ondernummer": "number",
         "dc.title": "title"}


def read_html(text: str, source: str) -> tuple[list[Block], Hints]:
    """Blocks and meta-tag hints of an HTML page that holds one letter."""
    # The site serves XHTML with an XML declaration; decoded already, the declaration only makes
    # bs4 warn on stderr that XML is being parsed as HTML, so it goes.
    soup = BeautifulSoup(_XML_DECLARATION.sub("", text, count=1), "lxml")
    container = soup.find(id="broodtekst") or soup.find(class_="stuk")
    is_letter_page = container is not None
    if container is None:
        container = soup.body or soup
    blocks = [b for b in _walk(container) if b.text.strip()]
    if not is_letter_page and not any(_is_letter_mark(b.text) for b in blocks):
        raise NotAnAgenda(f"{source}: HTML page holds no letter (no #broodtekst, no letter date or kst number)")
    return blocks, _hints(soup)


def _is_letter_mark(text: str) -> bool:
    text = text.strip()
    return bool(LETTER_DATE.match(text) or KST_ID.search(text) or _LETTER_MARK.search(text))


def _walk(element: Tag) -> Iterator[Block]:
    inline: list[str] = []
    for child in element.children:
        if isinstance(child, Tag) and not _is_inline(child):
            if inline:
                yield Block("paragraph", "".join(inline))
                inline = []
            if _skipped(child):
                continue
            if child.name in _HEADING_TAGS or _HEADING_CLASSES.intersection(child.get("class") or ()):
                yield Block("heading", _text(child))
            elif child.name in _PARAGRAPH_TAGS:
                yield Block("paragraph", _text(child))
            else:
                yield from _walk(child)
        else:
            inline.append(_text(child))
    if inline:
        yield Block("paragraph", "".join(inline))


def _is_inline(tag: Tag) -> bool:
    return tag.name in _INLINE_TAGS and not _HEADING_CLASSES.intersection(tag.get("class") or ())


def _skipped(tag: Tag) -> bool:
    return tag.name in _SKIPPED_TAGS or bool(_SKIPPED_CLASSES.intersection(tag.get("class") or ()))


def _text(node: object) -> str:
    """Text of a node without footnote markers, scripts or comments; ``<br>`` is a line break."""
    if isinstance(node, NavigableString):
        return "" if isinstance(node, PreformattedString) else str(node)
    if not isinstance(node, Tag) or _skipped(node):
        return ""
    if node.name in _INLINE_BREAK:
        return "\n"
    return "".join(_text(child) for child in node.children)


def _hints(soup: BeautifulSoup) -> Hints:
    found: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        field = _META.get(str(meta.get("name", "")).lower())
        content = str(meta.get("content", "")).strip()
        if field and content and field not in found:
            found[field] = content
    identifier = found.get("identifier")
    if identifier and not KST_ID.fullmatch(identifier):
        identifier = None
    title = found.get("title")
    return Hints(
        identifier=identifier.lower() if identifier else None,
        dossier=found.get("dossier"),
        number=found.get("number"),
        title=title.rsplit(";", 1)[-1].strip() if title else None,
    )
