"""Which matched items kept their relative order, and which moved.

Of a set of old→new pairs, the largest subset whose old order agrees with the new order
(a longest increasing subsequence) stayed put; every other pair moved. Counting
"moved" as pairs outside that subset gives the same number whichever version is
called old, which keeps ``compare(a, b)`` and ``compare(b, a)`` mirror images.

>>> sorted(kept_in_order([0, 1, 5, 2, 3, 4]))
[0, 1, 3, 4, 5]
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence


def kept_in_order(values: Sequence[int]) -> set[int]:
    """Positions in ``values`` that form a longest strictly increasing subsequence."""
    tails: list[int] = []  # tails[k] = smallest last value of an increasing run of length k+1
    tail_at: list[int] = []  # position in ``values`` of tails[k]
    previous = [-1] * len(values)
    for pos, value in enumerate(values):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(pos)
        else:
            tails[k] = value
            tail_at[k] = pos
        previous[pos] = tail_at[k - 1] if k else -1
    kept: set[int] = set()
    pos = tail_at[-1] if tail_at else -1
    while pos != -1:
        kept.add(pos)
        pos = previous[pos]
    return kept
