"""Compare two versions of a letter: ``compare(old, new) -> Comparison``, a pure function.

Sections are aligned first (heading and body), then sentences (identical, similar in
the matching section, similar anywhere), and every pair and leftover is classified.
Whether a sentence changed is decided on its matching key, which is made from the same
normalised text that is shown, so reflow, hyphenation and OCR accents are no change
and a reported change always has a visible redline.

>>> from monitor.model import Document, Paragraph, Section, Sentence
>>> def doc(*texts):
...     return Document((Section("Werksessie Oekraïne", (Paragraph(tuple(
...         Sentence(t, t.casefold()) for t in texts)),)),), source="example")
>>> cmp = compare(doc("Het kabinet steunt Oekraïne.", "De FMM is in Brussel."),
...               doc("De FMM is in Brussel.", "Het kabinet steunt Oekraïne niet."))
>>> cmp.summary
Summary(added=0, removed=0, changed=1, moved=0, unchanged=1, restated=0)
>>> change = cmp.changes[0]
>>> change.status, change.kinds, change.severity
('changed', ('stance',), 3)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import NamedTuple

from monitor.compare.classify import change_kinds, severity
from monitor.compare.order import kept_in_order
from monitor.compare.redline import word_redline
from monitor.compare.restated import Link, restated_links
from monitor.compare.sections import SectionAlignment, align_sections
from monitor.compare.sentences import Placed, align_sentences, placed
from monitor.model import (
    Change, ChangeStatus, Comparison, Document, DocumentInfo, Position, SentenceRef, Summary,
)
from monitor.positions import analyse, direction, topics_of

__all__ = ["Alignment", "compare", "sentence_links"]


class Alignment(NamedTuple):
    sections: SectionAlignment
    old: list[Placed]
    new: list[Placed]
    links: list[Link]  # one to one, or one to two where a sentence was split or two merged
    position_of: Callable[[str], Position | None]  # the analysis, worked out once per text


def _info(doc: Document) -> DocumentInfo:
    return DocumentInfo(id=doc.identifier, title=doc.title, date=doc.date, source=doc.source)


def sentence_links(old: Document, new: Document) -> Alignment:
    """Which sections and which sentences of ``old`` became which of ``new``: what ``compare``
    reports on, and what ``bench/pairing_eval.py`` scores against labelled pairs."""
    sections = align_sections(old.sections, new.sections)
    old_s = placed([s.sentences for s in old.sections])
    new_s = placed([s.sentences for s in new.sections])
    analysis: dict[str, Position | None] = {}

    def position_of(text: str) -> Position | None:
        if text not in analysis:
            analysis[text] = analyse(text)
        return analysis[text]

    pairs = align_sentences(old_s, new_s, sections.pairs)
    links = restated_links(old_s, new_s, pairs, sections.pairs, position_of)
    return Alignment(sections, old_s, new_s, links, position_of)


def compare(old: Document, new: Document) -> Comparison:
    """Everything that was added, removed, changed or moved between ``old`` and ``new``."""
    alignment = sentence_links(old, new)
    sections, old_s, new_s, links, position_of = alignment
    pairs = [(link.old[0], link.new[0]) for link in links if len(link.old) == len(link.new) == 1]
    moved = _moved(pairs, old_s, new_s, sections.pairs)

    def ref(ps: tuple[Placed, ...], doc: Document) -> SentenceRef:
        return SentenceRef(_joined(ps), doc.sections[ps[0].section].heading)

    changes: list[tuple[tuple[int, int, int], Change]] = []  # (place, change)
    counts: Counter[str] = Counter()

    def add(status: ChangeStatus, place: tuple[int, int, int], o: tuple[Placed, ...], n: tuple[Placed, ...]) -> None:
        counts[status] += 1
        old_text, new_text = _joined(o), _joined(n)
        old_pos = position_of(old_text) if o else None
        new_pos = position_of(new_text) if n else None
        is_position = old_pos is not None or new_pos is not None
        kinds = change_kinds(old_text, new_text, old_pos, new_pos) if o and n and status == "changed" else ()
        if kinds == ("restated",):
            counts["restated"] += 1
        topics = dict.fromkeys([*_topics(old_text, old_pos), *_topics(new_text, new_pos)])
        # added and removed sentences get one insert or delete segment, so every change rebuilds
        redline = word_redline(old_text, new_text)
        changes.append((place, Change(
            status=status,
            position=is_position,
            kinds=kinds,
            severity=severity(status, kinds, position=is_position),
            topics=tuple(topics),
            old=ref(o, old) if o else None,
            new=ref(n, new) if n else None,
            redline=redline,
            old_position=old_pos,
            new_position=new_pos,
            direction=direction(old_pos, new_pos) if "stance" in kinds else None,
        )))

    new_of_old: dict[int, int] = {}
    for link in links:
        o = tuple(old_s[i] for i in link.old)
        n = tuple(new_s[j] for j in link.new)
        i, j = link.old[0], link.new[0]
        new_of_old.update((k, j) for k in link.old)
        if len(o) > 1 or len(n) > 1 or o[0].sentence.key != n[0].sentence.key:
            add("changed", (j, 0, i), o, n)
        elif (i, j) in moved:
            add("moved", (j, 0, i), o, n)
        else:
            counts["unchanged"] += 1
    anchor = -1
    for i, p in enumerate(old_s):
        if i in new_of_old:
            anchor = new_of_old[i]
        else:  # a removed sentence sits where its old predecessor went
            add("removed", (anchor, 1, i), (p,), ())
    paired_new = {j for link in links for j in link.new}
    for j, p in enumerate(new_s):
        if j not in paired_new:
            add("added", (j, 0, -1), (), (p,))

    # the government's positions first, then the text around them, each by severity and place;
    # calendar changes (severity 0) come last, as one group after every real change
    changes.sort(key=lambda pc: (pc[1].is_calendar, not pc[1].position, -pc[1].severity, pc[0]))
    return Comparison(
        old=_info(old),
        new=_info(new),
        summary=Summary(
            added=counts["added"], removed=counts["removed"], changed=counts["changed"],
            moved=counts["moved"], unchanged=counts["unchanged"], restated=counts["restated"],
        ),
        sections=sections.matches,
        changes=tuple(c for _, c in changes),
    )


def _joined(ps: tuple[Placed, ...]) -> str:
    """The text of one sentence, or of the two that a split or merge made of one."""
    return " ".join(p.sentence.text for p in ps)


def _topics(text: str, position: Position | None) -> tuple[str, ...]:
    if not text:
        return ()
    return position.topics if position is not None else topics_of(text)


def _moved(
    pairs: list[tuple[int, int]], old_s: list[Placed], new_s: list[Placed], section_pairs: dict[int, int]
) -> set[tuple[int, int]]:
    """Unchanged pairs that changed section, or left their order inside a matched section."""
    moved: set[tuple[int, int]] = set()
    within: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, j in pairs:
        if old_s[i].sentence.key != new_s[j].sentence.key:
            continue
        if section_pairs.get(old_s[i].section) != new_s[j].section:
            moved.add((i, j))
        else:
            within[new_s[j].section].append((i, j))
    for group in within.values():
        group.sort(key=lambda p: p[1])
        stayed = kept_in_order([i for i, _ in group])
        moved.update(p for k, p in enumerate(group) if k not in stayed)
    return moved
