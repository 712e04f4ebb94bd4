"""Length-preserving folding of case and accents, so rules can match OCR'd and typeset text alike.

``monitor.documents.normalise.match_key`` folds further (it drops and merges characters), which
loses the offsets the rules need to quote a figure exactly as it was written. Here every
character maps to exactly one character, so a match in the folded text is a slice of the original.

>>> fold("Oekraïne, Jordanié en ISRAËL – à")
'oekraine, jordanie en israel - a'
>>> len(fold("ﬁnanciële İ")) == len("ﬁnanciële İ")
True
"""

from __future__ import annotations

import unicodedata

# Dashes and quotes that rules should read as their plain ASCII forms.
_PLAIN = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
}


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that works out (and remembers) each character on first sight."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _PLAIN.get(char)
        if folded is None:
            if char.isspace():
                folded = " "
            else:
                base = unicodedata.normalize("NFD", char)[0].lower()
                folded = base if len(base) == 1 else char
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case, no accents, plain dashes, quotes and spaces; ``len(fold(t)) == len(t)``."""
    return text.translate(_TABLE)
