"""Optimal one-to-one matching: which old item goes with which new item.

Greedy first-match pairs the first plausible candidate and can steal the partner a
later item needed; the Hungarian method maximises the total weight of all pairs at
once. Candidate edges are sparse (most sentence pairs are too different to match), so
the bipartite graph is split into connected components and each is solved on its own
small dense matrix.

>>> sorted(best_pairs({(0, 0): 0.9, (0, 1): 0.8, (1, 0): 0.7}))
[(0, 1), (1, 0)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

Edge = tuple[int, int]

# weight taken off per unit of place_distance: between two equally good candidates the one
# at the nearer place wins, whichever version is called old
TIEBREAK = 1e-3


def place_distance(i: int, old_count: int, j: int, new_count: int) -> float:
    """How far apart item ``i`` of the old list and item ``j`` of the new one stand, as shares
    of their lists (0: the same relative place, 1: first against last).

    >>> place_distance(0, 3, 2, 5), place_distance(2, 3, 0, 5)
    (0.5, 1.0)
    """
    return abs(i / max(old_count - 1, 1) - j / max(new_count - 1, 1))


def min_cost_assignment(cost: list[list[float]]) -> list[Edge]:
    """Rows matched to columns with the least total cost; every row of the smaller side is used.

    Shortest-augmenting-path Hungarian method with potentials, O(n²·m).

    >>> min_cost_assignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]])
    [(0, 1), (1, 0), (2, 2)]
    """
    if not cost or not cost[0]:
        return []
    transposed = len(cost) > len(cost[0])
    if transposed:
        cost = [list(col) for col in zip(*cost)]
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j] = row (1-based) assigned to column j; column 0 is the free root
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            row = cost[i0 - 1]
            ui0 = u[i0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - ui0 - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = [(owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j]]
    if transposed:
        pairs = [(b, a) for a, b in pairs]
    return sorted(pairs)


def best_pairs(weights: Mapping[Edge, float]) -> list[Edge]:
    """The matching of candidate edges ``(old, new) -> weight > 0`` with the greatest total weight.

    Items without a candidate edge stay unmatched; an edge not in ``weights`` is never chosen.
    """
    if not weights:
        return []
    # union-find over "o<i>" and "n<j>" nodes to split the graph into independent parts
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in weights:
        a, b = find(("o", i)), find(("n", j))
        if a != b:
            parent[max(a, b)] = min(a, b)
    components: dict[tuple[str, int], list[Edge]] = defaultdict(list)
    for edge in sorted(weights):
        components[find(("o", edge[0]))].append(edge)
    chosen: list[Edge] = []
    for edges in components.values():
        if len(edges) == 1:
            chosen.extend(edges)
            continue
        rows = sorted({i for i, _ in edges})
        cols = sorted({j for _, j in edges})
        r_at = {i: k for k, i in enumerate(rows)}
        c_at = {j: k for k, j in enumerate(cols)}
        cost = [[0.0] * len(cols) for _ in rows]
        for i, j in edges:
            cost[r_at[i]][c_at[j]] = -weights[(i, j)]
        for r, c in min_cost_assignment(cost):
            edge = (rows[r], cols[c])
            if edge in weights:
                chosen.append(edge)
    return sorted(chosen)
