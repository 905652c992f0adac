"""Which compositions a run builds: the covering designs of ``make test`` and the sweep.

Compositions that must synthesize and compositions the library refuses on purpose are
drawn apart, as combinatorial testing does with invalid values: a row refused for one
reason tests nothing else, so a pair covered only by refused rows would be covered in
name only.

- ``valid``: a covering design (``covering``) over every dimension, with the
  combinations the API cannot write (``dimensions.excluded``) and every fault
  (``dimensions.FAULTS``) left out. Each of its rows must synthesize and rehearse clean.
- ``faulty``: for each fault, rows that hold exactly that fault, the other dimensions
  drawn at random (seeded) among the values that add no second fault. Each must be
  refused, naming one of the fault's props.

``make test`` runs ``TEST`` (two pairwise designs, seeds 1 and 2, so every pair of values
is built at least twice, with different companions; and two faulty rows per fault and
form); ``make rehearse-all`` runs ``FULL`` (the 3-wise design: every three values of any
three dimensions; three faulty rows per fault, form and place). ``quick()`` is the handful
``make quick`` builds.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from compositions.covering import covering_rows
from compositions.dimensions import DIMENSIONS, FAULTS, excluded, fault, faults

Composition = dict[str, str]


@dataclass(frozen=True)
class Plan:
    """How many of what: the designs' strength and seeds, and faulty rows per fault."""

    name: str
    strength: int
    seeds: tuple[int, ...]
    #: Faulty rows per fault, for each value of these dimensions (crossed).
    fault_spread: tuple[str, ...]
    faulty_per_cell: int


QUICK_SIZE = 14
TEST = Plan("test", strength=2, seeds=(1, 2), fault_spread=("form",), faulty_per_cell=2)
FULL = Plan("full", strength=3, seeds=(1,), fault_spread=("form", "place"), faulty_per_cell=3)


def space() -> dict[str, list[str]]:
    """Dimension -> its values."""
    return {name: list(values) for name, values in DIMENSIONS.items()}


def _not_valid(assignment: Mapping[str, str]) -> str | None:
    found = fault(assignment)
    return excluded(assignment) or (f"refused on purpose: {found[2]}" if found else None)


@cache
def valid(strength: int, seed: int) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The covering design of compositions that must synthesize (cached per process)."""
    rows = covering_rows(space(), strength=strength, seed=seed, excluded=_not_valid)
    return tuple(tuple(row.items()) for row in rows)


def _complete(start: Mapping[str, str], rng: random.Random) -> Composition | None:
    row = dict(start)
    allowed = faults(start)
    for name, options in space().items():
        if name in row:
            continue
        choices = list(options)
        rng.shuffle(choices)
        for value in choices:
            trial = {**row, name: value}
            if excluded(trial) is None and faults(trial) == allowed:
                row[name] = value
                break
        else:
            return None
    return row


def faulty(plan: Plan, seed: int = 1) -> list[Composition]:
    """Rows holding exactly one fault each, spread over ``plan.fault_spread``."""
    rng = random.Random(seed)
    cells: list[dict[str, str]] = [{}]
    for name in plan.fault_spread:
        cells = [{**cell, name: value} for cell in cells for value in DIMENSIONS[name]]
    rows: list[Composition] = []
    for values, _props, _why in FAULTS:
        for cell in cells:
            start = {**cell, **values}
            if excluded(start) is not None or any(cell.get(k, v) != v for k, v in values.items()):
                continue
            for _ in range(plan.faulty_per_cell):
                row = _complete(start, rng)
                if row is not None and row not in rows:
                    rows.append(row)
    return rows


def compositions(plan: Plan) -> list[Composition]:
    """Every composition of a plan: its valid designs, then its faulty rows."""
    rows: list[Composition] = []
    for seed in plan.seeds:
        for row in valid(plan.strength, seed):
            if dict(row) not in rows:
                rows.append(dict(row))
    return rows + faulty(plan)


def quick() -> list[Composition]:
    """A few rows of the first pairwise design that hold every place, partition and form,
    and two faulty rows: what ``make quick`` builds."""
    wanted = {
        (name, value) for name in ("place", "partition", "form") for value in DIMENSIONS[name]
    }
    rows: list[Composition] = []
    for items in valid(TEST.strength, TEST.seeds[0]):
        row = dict(items)
        if len(rows) >= QUICK_SIZE - 2 and not wanted:
            break
        if wanted & set(row.items()) or len(rows) < QUICK_SIZE - 2:
            rows.append(row)
            wanted -= set(row.items())
    return rows + faulty(TEST)[:2]
