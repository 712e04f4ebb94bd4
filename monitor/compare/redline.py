"""Word-level redline of one aligned sentence pair, with diff-match-patch.

diff-match-patch diffs characters. A character diff of two sentences splits words
(``steunt`` → ``st[-e-]unt``) and is unreadable, so every token (a word, a run of
whitespace, one punctuation mark) is first mapped to one private character, the
token strings are diffed and semantically cleaned up as a whole, and the characters
are mapped back to their tokens. ``Diff_Timeout = 0`` turns off the time limit:
a timeout would silently degrade the diff to "delete all, insert all" on a slow machine.

>>> [(s.op, s.text) for s in word_redline("Nederland steunt dit.", "Nederland steunt dit niet.")]
[('equal', 'Nederland steunt dit'), ('insert', ' niet'), ('equal', '.')]
"""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

from monitor.model import RedlineOp, RedlineSegment

# a figure ("3,5", "45.000") is one token, so a changed figure reads [-2-]{+3,5+}, not [-2-]{+3,+}5
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+|\s+|[^\w\s]", re.UNICODE)
_OPS: dict[int, RedlineOp] = {
    diff_match_patch.DIFF_EQUAL: "equal",
    diff_match_patch.DIFF_DELETE: "delete",
    diff_match_patch.DIFF_INSERT: "insert",
}
# Token codes start above ASCII and skip the surrogate block, which is not valid text.
_FIRST_CODE = 0x100
_SURROGATES = range(0xD800, 0xE000)


def tokens(text: str) -> list[str]:
    """Words, whitespace runs and single punctuation marks; joined they give ``text`` back.

    >>> tokens("3,5% van het bbp.")
    ['3,5', '%', ' ', 'van', ' ', 'het', ' ', 'bbp', '.']
    """
    return _TOKEN.findall(text)


def _encode(words: list[str], codes: dict[str, str], table: list[str]) -> str:
    out = []
    for word in words:
        code = codes.get(word)
        if code is None:
            n = _FIRST_CODE + len(table)
            if n >= _SURROGATES.start:
                n += len(_SURROGATES)
            code = chr(n)
            codes[word] = code
            table.append(word)
        out.append(code)
    return "".join(out)


def word_redline(old: str, new: str) -> tuple[RedlineSegment, ...]:
    """Segments whose equal+delete texts rebuild ``old`` and equal+insert texts rebuild ``new``.

    Deletions come before insertions at the same place; adjacent segments never share an op.

    >>> [(s.op, s.text) for s in word_redline("2% van het bbp", "3,5% van het bbp")]
    [('delete', '2'), ('insert', '3,5'), ('equal', '% van het bbp')]
    """
    if old == new or not old or not new:  # nothing to diff word by word
        parts = [("equal", old)] if old == new else [("delete", old), ("insert", new)]
        return tuple(RedlineSegment(op, text) for op, text in parts if text)
    codes: dict[str, str] = {}
    table: list[str] = []
    a = _encode(tokens(old), codes, table)
    b = _encode(tokens(new), codes, table)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(a, b, checklines=False)
    dmp.diff_cleanupSemantic(diffs)
    decode = {code: word for word, code in codes.items()}
    segments: list[RedlineSegment] = []
    for op, chars in diffs:
        text = "".join(decode[c] for c in chars)
        if not text:
            continue
        kind = _OPS[op]
        if segments and segments[-1].op == kind:
            segments[-1] = RedlineSegment(kind, segments[-1].text + text)
        else:
            segments.append(RedlineSegment(kind, text))
    return tuple(segments)


def rebuild(segments: tuple[RedlineSegment, ...], side: str) -> str:
    """The old (``side="old"``) or new sentence text the segments describe.

    >>> segs = word_redline("een twee", "een drie")
    >>> rebuild(segs, "old"), rebuild(segs, "new")
    ('een twee', 'een drie')
    """
    skip = "insert" if side == "old" else "delete"
    return "".join(s.text for s in segments if s.op != skip)
