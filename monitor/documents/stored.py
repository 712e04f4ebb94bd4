"""A stored version as people name it (``kst-28676-474``, ``kst-28676-474@2``), and its text.

The command line's ``diff`` and the web API's ``/compare`` take the same names and read
them the same way, so both compare exactly the same documents.

>>> VersionRef.parse("kst-28676-474@2"), VersionRef.parse("kst-28676-187-n1")
(VersionRef(identifier='kst-28676-474', version=2), VersionRef(identifier='kst-28676-187-n1', version=None))
>>> VersionRef.parse("kst-28676-474@latest") is None, VersionRef.parse("agenda.xml") is None
(True, True)
>>> str(VersionRef("kst-28676-474", 2)), str(VersionRef("kst-28676-474"))
('kst-28676-474@2', 'kst-28676-474')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.documents import read_snapshot
from monitor.model import Document

if TYPE_CHECKING:
    from monitor.store import Store

# kst-28676-474, kst-28676-187-n1, optionally @VERSION
_VERSION_REF = re.compile(r"(kst-\d+-\d+(?:-n\d+)?)(?:@(\d+))?")


@dataclass(frozen=True)
class VersionRef:
    identifier: str
    version: int | None = None  # None: the latest

    @classmethod
    def parse(cls, text: str) -> VersionRef | None:
        """``ID`` or ``ID@VERSION``; None for anything else."""
        m = _VERSION_REF.fullmatch(text)
        return cls(m.group(1), int(m.group(2)) if m.group(2) else None) if m else None

    def __str__(self) -> str:
        return self.identifier if self.version is None else f"{self.identifier}@{self.version}"


def read_stored(store: Store, ref: VersionRef) -> Document:
    """The text of a stored version, read the way the pipeline read it (``BadInput`` for an unknown one)."""
    return read_snapshot(*store.read_version(ref.identifier, ref.version))
