"""How the positions on one topic moved from agenda to agenda. Pure.

Each agenda contributes the position sentences on the topic, kept under their working
session; consecutive agendas are compared with ``compare()`` on just those sentences,
so a step's redline shows how the wording of that topic's positions changed, and a
sentence that moved to another session is a move, not a drop plus a new one.

>>> from monitor.model import Document, Paragraph, Section, Sentence
>>> from monitor.site.agenda import sessions_of
>>> def agenda(*texts):
...     sentences = tuple(Sentence(t, t.casefold()) for t in texts)
...     return sessions_of(Document((Section("Werksessie", (Paragraph(sentences),)),), source="x"))
>>> steps = topic_timeline("defensie-uitgaven", [
...     ("voorjaar", agenda("Het kabinet steunt de norm van minimaal 2% van het bbp voor defensie.")),
...     ("najaar", agenda("Het kabinet steunt de norm van minimaal 3,5% van het bbp voor defensie.")),
... ])
>>> [(s.agenda, len(s.positions), s.comparison is None) for s in steps]
[('voorjaar', 1, True), ('najaar', 1, False)]
>>> change = steps[1].comparison.changes[0]
>>> change.status, [(seg.op, seg.text) for seg in change.redline if seg.op != "equal"]
('changed', [('delete', '2'), ('insert', '3,5')])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from monitor.compare import compare
from monitor.model import Comparison, Document, Paragraph, Section
from monitor.site.agenda import PositionLine, Session, positions_on

A = TypeVar("A")


@dataclass(frozen=True)
class Step(Generic[A]):
    """One agenda in a topic's timeline."""

    agenda: A
    positions: tuple[PositionLine, ...]
    comparison: Comparison | None  # with the step before; None for the first step

    def stances(self) -> Counter[str]:
        return Counter(line.position.stance for line in self.positions)


def topic_document(topic: str, sessions: Sequence[Session], source: str) -> Document:
    """The agenda reduced to its positions on ``topic``, still grouped by session."""
    sections = []
    for session in sessions:
        sentences = tuple(line.sentence for line in session.positions if topic in line.topics)
        if sentences:
            sections.append(Section(session.heading, (Paragraph(sentences),)))
    return Document(tuple(sections), source=source)


def topic_timeline(topic: str, agendas: Sequence[tuple[A, Sequence[Session]]]) -> tuple[Step[A], ...]:
    """One step per agenda, oldest first, each compared with the one before."""
    steps: list[Step[A]] = []
    previous: Document | None = None
    for index, (agenda, sessions) in enumerate(agendas):
        doc = topic_document(topic, sessions, source=f"{topic}#{index}")
        positions = positions_on(topic, sessions)
        steps.append(Step(agenda, positions, compare(previous, doc) if previous is not None else None))
        previous = doc
    return tuple(steps)
