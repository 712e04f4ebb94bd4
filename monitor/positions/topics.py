"""Which subjects a sentence touches, from the lexicon in ``monitor/data/topics.toml``.

>>> topics_of("De Russische agressie tegen Oekraine (OCR, zonder trema).")
('Rusland', 'Oekraïne')
>>> topics_of("Het weer was goed.")
()
>>> topic_named("oekraine"), topic_named("EU-NAVO"), topic_named("het weer")
('Oekraïne', 'EU–NAVO', None)
"""

from __future__ import annotations

import unicodedata

from monitor.positions.folding import fold
from monitor.positions.lexicon import topics
from monitor.positions.patterns import Words


def topics_of(text: str) -> tuple[str, ...]:
    """Topic names in lexicon order; accents and case do not matter."""
    return topics_in(Words(fold(unicodedata.normalize("NFC", text))))


def topic_key(name: str) -> str:
    """What two spellings of one topic name share: no case, accents or dash variants."""
    return " ".join(fold(unicodedata.normalize("NFC", name)).split())


def topic_named(text: str) -> str | None:
    """The lexicon's name for the topic ``text`` names however it is typed, else ``None``."""
    key = topic_key(text)
    return next((name for name in topics().names if topic_key(name) == key), None)


def topics_in(words: Words) -> tuple[str, ...]:
    """``topics_of`` for a sentence already folded and split into words."""
    lex = topics()
    found = {lex.topic_of_term[index] for index, _ in lex.terms.finditer(words)}
    return tuple(lex.names[i] for i in sorted(found))
