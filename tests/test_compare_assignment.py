"""The optimal assignment and the "kept in order" rule, checked against brute force."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.compare.assignment import best_pairs, min_cost_assignment
from monitor.compare.order import kept_in_order

costs = st.integers(1, 4).flatmap(
    lambda n: st.integers(1, 4).flatmap(
        lambda m: st.lists(st.lists(st.integers(-9, 9), min_size=m, max_size=m), min_size=n, max_size=n)))


def brute_force_cost(cost: list[list[int]]) -> int:
    n, m = len(cost), len(cost[0])
    if n <= m:
        return min(sum(cost[i][c] for i, c in enumerate(cols)) for cols in itertools.permutations(range(m), n))
    return min(sum(cost[r][j] for j, r in enumerate(rows)) for rows in itertools.permutations(range(n), m))


@settings(max_examples=200, deadline=None)
@given(costs)
def test_hungarian_finds_the_least_total_cost(cost):
    pairs = min_cost_assignment(cost)
    assert len(pairs) == min(len(cost), len(cost[0]))
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    assert sum(cost[i][j] for i, j in pairs) == brute_force_cost(cost)


edges = st.dictionaries(st.tuples(st.integers(0, 4), st.integers(0, 4)), st.integers(1, 20), max_size=10)


def brute_force_weight(weights: dict) -> int:
    best = 0
    items = list(weights.items())
    for r in range(len(items) + 1):
        for subset in itertools.combinations(items, r):
            rows = [e[0][0] for e in subset]
            cols = [e[0][1] for e in subset]
            if len(set(rows)) == len(rows) and len(set(cols)) == len(cols):
                best = max(best, sum(w for _, w in subset))
    return best


@settings(max_examples=200, deadline=None)
@given(edges)
def test_best_pairs_maximises_weight_using_only_candidate_edges(weights):
    pairs = best_pairs(weights)
    assert all(p in weights for p in pairs)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    assert sum(weights[p] for p in pairs) == brute_force_weight(weights)


def test_best_pairs_beats_greedy_first_match():
    # greedy takes (0, 0) for 10 and leaves item 1 without a partner; together 9 + 8 is better
    assert best_pairs({(0, 0): 10, (0, 1): 9, (1, 0): 8}) == [(0, 1), (1, 0)]


@given(st.lists(st.integers(0, 30), unique=True, max_size=9))
def test_kept_in_order_is_a_longest_increasing_subsequence(values):
    kept = sorted(kept_in_order(values))
    chosen = [values[k] for k in kept]
    assert chosen == sorted(chosen)
    longest = max((r for r in range(len(values) + 1)
                   for combo in itertools.combinations(values, r) if list(combo) == sorted(combo)), default=0)
    assert len(kept) == longest
