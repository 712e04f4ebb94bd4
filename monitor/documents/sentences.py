"""Dutch sentence splitting for official letters.

A full stop ends a sentence unless the word it ends is an abbreviation (``o.a.``, ``nr.``),
a run of initials before a name (``C.C.J. Veldkamp``), or the next word starts in lower case
(``Washington D.C. van 9 tot 11 juli``). Splits happen only at whitespace, so joining the
sentences with spaces gives back every word.
"""

from __future__ import annotations

import re

# Abbreviations that never end a Dutch sentence: a word or number always follows them.
_NEVER_FINAL = frozenset(
    """
    o.a. bijv. bv. b.v. d.w.z. dwz. nr. nrs. ca. m.b.t. t.a.v. i.p.v. i.v.m. t.b.v. t.o.v. n.a.v.
    m.u.v. o.b.v. v.w.b. c.q. z.g. zgn. art. artt. blz. p. pag. par. hfst. dhr. mevr. mw. drs.
    dr. prof. mr. ir. ing. st. vs. incl. excl. min. max. ong. resp. vnl.
    a.s. j.l. jl. z.s.m. e.e.a. d.d. m.i.v. t/m.
    """.split()
)
# Abbreviations that may also close a sentence ("EUR 150 mln.", "op 3 dec."): they end it
# when a capital follows; a figure or a lower-case word after them continues it.
_MAYBE_FINAL = frozenset(
    "enz. etc. e.d. e.a. e.v. ev. mln. mld. mrd. sr. jr. jan. feb. apr. aug. sept. okt. nov. dec.".split()
)

# A candidate boundary: terminal punctuation (an ellipsis is a run of stops), closing
# quotes/brackets, whitespace, next char. Starting with a plain character set lets the regex
# engine skip ahead to the next stop.
_BOUNDARY = re.compile(r"""([.!?]+)(["')\]]*)\s+(?=(\S))""")
# "C.", "C.C.J.", "Th.", "H.G.J.": not "Ja." or "Zo." (words that can end a sentence)
_INITIALS = re.compile(r"(?:[A-Z]\.)+|(?:[A-Z][a-z]?\.){2,}|(?:Th|Ch|Chr|Ph|Fr|Jac|Joh|Wm)\.")
_OPENERS = "\"'(["


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences.

    >>> split_sentences("Nederland steunt dit. Het kabinet ook.")
    ['Nederland steunt dit.', 'Het kabinet ook.']
    >>> split_sentences("Het gaat o.a. om Noord-Korea. Zie bijv. Kamerstuk nr. 474.")
    ['Het gaat o.a. om Noord-Korea.', 'Zie bijv. Kamerstuk nr. 474.']
    >>> split_sentences("De Minister, C.C.J. Veldkamp schrijft. W.B. Hoekstra ook.")
    ['De Minister, C.C.J. Veldkamp schrijft.', 'W.B. Hoekstra ook.']
    >>> split_sentences("De top in Washington D.C. van 9 tot 11 juli 2024. Er zijn circa 45.000 militairen getraind.")
    ['De top in Washington D.C. van 9 tot 11 juli 2024.', 'Er zijn circa 45.000 militairen getraind.']
    >>> split_sentences("Kosten: EUR 5 miljoen, d.w.z. ca. 3,5% meer. Klaar? Ja! \\"Zeker.\\" (Dat is zo.) En dan...")
    ['Kosten: EUR 5 miljoen, d.w.z. ca. 3,5% meer.', 'Klaar?', 'Ja!', '"Zeker."', '(Dat is zo.)', 'En dan...']
    >>> split_sentences("Sancties, steun e.d. Daarna volgt meer.")
    ['Sancties, steun e.d.', 'Daarna volgt meer.']
    >>> split_sentences("Dit kost EUR 150 mln. Nederland steunt het besluit van de VS. Dat is op 3 dec. 2024 genomen.")
    ['Dit kost EUR 150 mln.', 'Nederland steunt het besluit van de VS.', 'Dat is op 3 dec. 2024 genomen.']
    """
    sentences: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if _ends_sentence(text, start, m):
            sentences.append(text[start : m.end(2)].strip())
            start = m.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return [s for s in sentences if s]


def _ends_sentence(text: str, start: int, m: re.Match[str]) -> bool:
    punct, following = m.group(1), m.group(3)
    if following.islower():
        return False  # a sentence never starts in lower case; "D.C. van", "o.a. de"
    if punct != ".":
        return punct != "..." or following.isupper() or following in _OPENERS
    word = text[start : m.end(1)].rsplit(None, 1)[-1].lstrip(_OPENERS)
    # "VS." (the United States) is not "vs." (versus): capitals are never one of these abbreviations
    lowered = word if word.isupper() else word.lower()
    if lowered in _NEVER_FINAL:
        return False
    if lowered in _MAYBE_FINAL:
        return following.isupper()
    if m.group(2):
        return True  # the stop sits inside a closing quote or bracket: the sentence is done
    if _INITIALS.fullmatch(word) and following.isupper():
        return False  # "C.C.J. Veldkamp", "W.B. Hoekstra"
    return True
