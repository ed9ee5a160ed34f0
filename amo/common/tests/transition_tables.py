"""What every transition table must hold (decision record 0013), shared by each app's tests."""

from collections.abc import Iterable, Mapping


def assert_complete(table: Mapping[str, frozenset[str]], values: Iterable[str]) -> None:
    """Every value of the status is a key, and no key or target names anything else."""
    values = set(values)
    assert set(table) == values, f"keys {sorted(set(table) ^ values)}"
    for current, targets in table.items():
        assert targets <= values, f"{current} -> {sorted(targets - values)}"
        assert isinstance(targets, frozenset)
