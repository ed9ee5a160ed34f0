"""Transition tables: the shape every status's table has, and how it is read (pure, no Django).

A table maps each value of a status to the values it may move to; every value is a key (a value
nothing leaves maps to an empty set). Only the owner app's services apply its table
(decision record 0013)."""

from collections.abc import Mapping

Table = Mapping[str, frozenset[str]]


def allowed(table: Table, current: str, target: str) -> bool:
    """Whether `current` may move to `target` (an unknown current value may move nowhere)."""
    return target in table.get(current, frozenset())


def sources(table: Table, target: str) -> frozenset[str]:
    """The values that may move to `target`: what a set operation filters on, in SQL."""
    return frozenset(current for current, targets in table.items() if target in targets)
