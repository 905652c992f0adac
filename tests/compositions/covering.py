"""A seeded covering design: every t values of every t dimensions in some composition.

Why our own: the option space is 16 dimensions of 2 to 11 values, about 8 x 10^9 compositions;
a test suite can synthesize a few hundred. A covering array of strength t holds every
combination of t values (of any t dimensions) at least once, which is where most
interaction bugs live (two props that each work alone). No dependency is added for it: the
greedy algorithm below is the classic AETG one (Cohen et al., 1997), short enough to read.

The algorithm, for strength t:

1. List every t-tuple (t dimensions, one value each) that ``excluded`` allows: the
   uncovered set.
2. Build a few candidate rows. Each starts from one uncovered tuple (so every row covers
   something new), then fixes the remaining dimensions one at a time, in a random order,
   each to the allowed value that covers the most uncovered tuples together with the
   values already fixed (ties broken at random).
3. Keep the candidate that covers the most uncovered tuples; repeat until none is left.

Constraints are checked on every partial row, so a row never holds an excluded
combination. A tuple each of whose pairs is allowed may still have no allowed row (two
constraints meeting); when the greedy fill meets a dead end, a depth-first search
completes the row, and a tuple no row can hold is dropped (``infeasible`` lists them).

Every choice draws from ``random.Random(seed)``, so a seed gives the same rows on every
machine and Python version; another seed gives another design of the same strength.
``strength=len(dimensions)`` is the full product (less what ``excluded`` rules out).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Mapping, Sequence

Row = dict[str, str]
#: (dimension, value) pairs, sorted by dimension index.
Tuple = tuple[tuple[int, str], ...]


def _allowed(
    dimensions: Sequence[str],
    items: Sequence[tuple[int, str]],
    excluded: Callable[[Mapping[str, str]], str | None],
) -> bool:
    return excluded({dimensions[i]: v for i, v in items}) is None


def covering_rows(
    space: Mapping[str, Sequence[str]],
    *,
    strength: int,
    seed: int,
    excluded: Callable[[Mapping[str, str]], str | None] = lambda _: None,
    candidates: int = 12,
) -> list[Row]:
    """Rows (dimension -> value) covering every allowed ``strength``-tuple of ``space``."""
    dimensions = list(space)
    if strength >= len(dimensions):
        return _product(space, excluded)
    rng = random.Random(seed)
    uncovered: set[Tuple] = set()
    for group in itertools.combinations(range(len(dimensions)), strength):
        for chosen in itertools.product(*(space[dimensions[i]] for i in group)):
            items = tuple(zip(group, chosen, strict=True))
            if _allowed(dimensions, items, excluded):
                uncovered.add(items)
    rows: list[Row] = []
    while uncovered:
        # Sorted, so the seed alone decides which tuple starts a candidate.
        pool = sorted(uncovered)
        best: dict[int, str] | None = None
        best_gain = -1
        for _ in range(candidates):
            start = rng.choice(pool)
            row = _candidate(dimensions, space, strength, start, uncovered, rng, excluded)
            if row is None:
                row = _search(dimensions, space, dict(start), excluded)
                if row is None:
                    # No allowed row holds this tuple: it cannot be covered.
                    uncovered.discard(start)
                    pool.remove(start)
                    if not pool:
                        break
                    continue
            gain = sum(1 for t in _tuples(row, strength) if t in uncovered)
            if gain > best_gain:
                best, best_gain = row, gain
        if best is None:
            continue
        uncovered.difference_update(_tuples(best, strength))
        rows.append({dimensions[i]: v for i, v in sorted(best.items())})
    return rows


#: How many partial rows ``_search`` tries before it takes a tuple for one no row holds.
SEARCH_BUDGET = 5000


def _search(
    dimensions: list[str],
    space: Mapping[str, Sequence[str]],
    row: dict[int, str],
    excluded: Callable[[Mapping[str, str]], str | None],
) -> dict[int, str] | None:
    """An allowed completion of ``row`` (depth first, values in order), or None."""
    budget = [SEARCH_BUDGET]

    def search(row: dict[int, str]) -> dict[int, str] | None:
        rest = [i for i in range(len(dimensions)) if i not in row]
        if not rest:
            return row
        for value in space[dimensions[rest[0]]]:
            budget[0] -= 1
            if budget[0] < 0:
                return None
            trial = {**row, rest[0]: value}
            if _allowed(dimensions, sorted(trial.items()), excluded):
                found = search(trial)
                if found is not None:
                    return found
        return None

    return search(row)


def _tuples(row: Mapping[int, str], strength: int) -> list[Tuple]:
    return [
        tuple((i, row[i]) for i in group) for group in itertools.combinations(sorted(row), strength)
    ]


def _candidate(
    dimensions: list[str],
    space: Mapping[str, Sequence[str]],
    strength: int,
    start: Tuple,
    uncovered: set[Tuple],
    rng: random.Random,
    excluded: Callable[[Mapping[str, str]], str | None],
) -> dict[int, str] | None:
    row: dict[int, str] = dict(start)
    rest = [i for i in range(len(dimensions)) if i not in row]
    rng.shuffle(rest)
    for index in rest:
        scored: list[tuple[int, float, str]] = []
        for value in space[dimensions[index]]:
            trial = {**row, index: value}
            if not _allowed(dimensions, sorted(trial.items()), excluded):
                continue
            gain = 0
            # Only the tuples that hold the new value and t-1 values fixed before it.
            for others in itertools.combinations(sorted(row), strength - 1):
                items = tuple(sorted([(index, value), *((i, row[i]) for i in others)]))
                gain += items in uncovered
            scored.append((gain, rng.random(), value))
        if not scored:
            return None
        row[index] = max(scored)[2]
    return row


def _product(
    space: Mapping[str, Sequence[str]], excluded: Callable[[Mapping[str, str]], str | None]
) -> list[Row]:
    dimensions = list(space)
    rows = []
    for chosen in itertools.product(*(space[d] for d in dimensions)):
        row = dict(zip(dimensions, chosen, strict=True))
        if excluded(row) is None:
            rows.append(row)
    return rows


def uncovered_tuples(
    space: Mapping[str, Sequence[str]],
    rows: Sequence[Mapping[str, str]],
    *,
    strength: int,
    excluded: Callable[[Mapping[str, str]], str | None] = lambda _: None,
) -> list[dict[str, str]]:
    """The allowed ``strength``-tuples no row holds (a covering design has none)."""
    dimensions = list(space)
    seen = {
        tuple((d, row[d]) for d in group)
        for row in rows
        for group in itertools.combinations(dimensions, strength)
    }
    missing = []
    for group in itertools.combinations(dimensions, strength):
        for chosen in itertools.product(*(space[d] for d in group)):
            items = tuple(zip(group, chosen, strict=True))
            if excluded(dict(items)) is None and items not in seen:
                missing.append(dict(items))
    return missing
