"""Positions: which sentences state the Dutch government's position, and what they say.

Pure, rule-based and fast: the rules are in ``analysis``, the words they look for in
``monitor/data/cues.toml`` and ``monitor/data/topics.toml`` (read once).

- ``analyse(text) -> Position | None``: actor, stance, strength, hedges, conditions,
  commitments, negation, figures, topics of one sentence.
- ``quantities_of(text)``: the figures of any sentence; ``topics_of(text)``: its topics;
  ``topic_named(text)``: the lexicon's name for a topic however it is typed.
- ``compare_positions(old, new)``: which aspects of a position changed; ``direction(old, new)``:
  whether its stance moved up ("stronger") or down ("weaker") the register; ``figures(quantities)``:
  the figures by value, to tell a changed figure from a respelled one.
"""

from monitor.positions.analysis import analyse
from monitor.positions.changes import compare_positions, direction, figures
from monitor.positions.quantities import quantities_of
from monitor.positions.topics import topic_key, topic_named, topics_of

__all__ = ["analyse", "compare_positions", "direction", "figures", "quantities_of", "topic_key", "topic_named", "topics_of"]
