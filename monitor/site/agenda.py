"""The government's positions in one annotated agenda, by working session and topic. Pure.

>>> from monitor.model import Document, Paragraph, Section, Sentence
>>> doc = Document((Section("Werksessie Oekraïne", (Paragraph((
...     Sentence("De ministers spreken over Oekraïne.", "a"),
...     Sentence("Nederland zal Oekraïne blijven steunen.", "b"))),)),), source="example")
>>> [(s.heading, [(p.sentence.text, p.position.stance) for p in s.positions]) for s in sessions_of(doc)]
[('Werksessie Oekraïne', [('Nederland zal Oekraïne blijven steunen.', 'support')])]
>>> [(topic, len(lines)) for topic, lines in by_topic(sessions_of(doc)[0])]
[('Oekraïne', 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monitor.model import Document, Position, Sentence
from monitor.positions import analyse


@dataclass(frozen=True)
class PositionLine:
    """One sentence that states a position, with what the analysis made of it."""

    sentence: Sentence
    position: Position
    section: str | None

    @property
    def topics(self) -> tuple[str, ...]:
        return self.position.topics


@dataclass(frozen=True)
class Session:
    """A section of the agenda (a working session, mostly) and the positions it states."""

    heading: str | None
    positions: tuple[PositionLine, ...]


def sessions_of(doc: Document) -> tuple[Session, ...]:
    """The sections that state at least one position, in the order of the letter."""
    sessions = []
    for section in doc.sections:
        lines = []
        for sentence in section.sentences:
            position = analyse(sentence.text)
            if position is not None:
                lines.append(PositionLine(sentence, position, section.heading))
        if lines:
            sessions.append(Session(section.heading, tuple(lines)))
    return tuple(sessions)


def by_topic(session: Session) -> list[tuple[str | None, list[PositionLine]]]:
    """The session's positions grouped under their first topic; ``None`` collects those without one.

    A position on several topics is listed once, under the topic it names first, so the
    page does not repeat it; its other topics are shown beside it.
    """
    groups: dict[str | None, list[PositionLine]] = {}
    for line in session.positions:
        groups.setdefault(line.topics[0] if line.topics else None, []).append(line)
    return sorted(groups.items(), key=lambda item: item[0] is None)


def positions_on(topic: str, sessions: Sequence[Session]) -> tuple[PositionLine, ...]:
    return tuple(line for s in sessions for line in s.positions if topic in line.topics)
