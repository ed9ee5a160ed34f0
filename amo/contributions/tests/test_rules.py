"""Contribution rules without the database (DOMAIN.md §5; SOURCES.md for law 116-12's 400 MAD)."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from amo.contributions.rules import (
    DueFacts,
    check_digits,
    contribution_status,
    due_for,
    find_reference,
    months_between,
    outcome,
    payment_reference,
    pick_transfer,
    reminder,
)

D = dt.date


def facts(**overrides: object) -> DueFacts:
    values: dict[str, object] = {
        "contribution_regime": "collected",
        "fee_paying": False,
        "amount_per_period": Decimal("400.00"),
        "period_months": 12,
        "coverage_months": 12,
        "registered_on": D(2026, 9, 20),
        "deadline_days": 15,
    }
    values.update(overrides)
    return DueFacts(**values)  # type: ignore[arg-type]  # overrides of any type, checked by the dataclass


def test_a_private_student_owes_400_within_15_days() -> None:
    decision = due_for(facts())
    assert (decision.kind, decision.amount, decision.periods, decision.due_on) == (
        "due",
        Decimal("400.00"),
        1,
        D(2026, 10, 5),
    )


def test_the_state_pays_for_public_students_except_fee_paying_tracks() -> None:
    assert due_for(facts(contribution_regime="state_funded")).kind == "exempt"
    assert due_for(facts(contribution_regime="state_funded", fee_paying=True)).amount == Decimal("400.00")


def test_a_period_longer_than_12_months_counts_twice() -> None:
    assert due_for(facts(coverage_months=18)).amount == Decimal("800.00")


@given(
    months=st.integers(min_value=1, max_value=48),
    period=st.integers(min_value=1, max_value=24),
    cents=st.integers(min_value=0, max_value=10_000_00),
    deadline=st.integers(min_value=1, max_value=90),
)
def test_the_amount_is_the_started_periods_times_the_rate_and_the_deadline_follows_the_date(
    months: int, period: int, cents: int, deadline: int
) -> None:
    rate = Decimal(cents) / 100
    decision = due_for(
        facts(coverage_months=months, period_months=period, amount_per_period=rate, deadline_days=deadline)
    )
    assert decision.periods == -(-months // period)
    assert decision.amount == (rate * decision.periods).quantize(Decimal("0.01"))
    assert decision.due_on == D(2026, 9, 20) + dt.timedelta(days=deadline)


def test_an_academic_year_is_twelve_months() -> None:
    assert months_between(D(2026, 9, 1), D(2027, 8, 31)) == 12
    assert months_between(D(2026, 9, 1), D(2028, 2, 29)) == 18


@given(st.integers(min_value=1, max_value=999_999))
def test_a_payment_reference_carries_its_check_digits(entity: int) -> None:
    reference = payment_reference("2026-2027", entity)
    assert reference.startswith("AMO2627") and len(reference) == 15
    assert find_reference(f"VIR {reference} UNIV") == (reference, True)
    wrong = reference[:-1] + str((int(reference[-1]) + 1) % 10)
    assert find_reference(f"VIREMENT {wrong}") == (wrong, False)


def test_references_are_found_with_spaces_or_dashes_and_not_invented() -> None:
    body = "2627000123"
    reference = f"AMO{body}{check_digits(body)}"
    assert find_reference(f"amo-2627-000123-{check_digits(body)} cotisations") == (reference, True)
    assert find_reference("VIREMENT SALAIRES") == (None, False)


def test_outcomes() -> None:
    assert outcome(Decimal("800.00"), Decimal("800.00")) == "exact"
    assert outcome(Decimal("400.00"), Decimal("800.00")) == "underpaid"
    assert outcome(Decimal("900.00"), Decimal("800.00")) == "overpaid"


def test_reminders_before_and_after_the_deadline_once_each() -> None:
    due = D(2026, 10, 5)
    assert reminder(due, D(2026, 9, 29), 5, False, False) is None
    assert reminder(due, D(2026, 9, 30), 5, False, False) == "before"
    assert reminder(due, D(2026, 10, 1), 5, True, False) is None
    assert reminder(due, D(2026, 10, 6), 5, True, False) == "after"
    assert reminder(due, D(2026, 10, 7), 5, True, True) is None


def test_what_the_student_sees() -> None:
    today = D(2026, 10, 10)
    assert contribution_status("exempt", None, None, today) == "exempt"
    assert contribution_status("due", "received", D(2026, 10, 5), today) == "paid"
    assert contribution_status("due", "declared", D(2026, 10, 5), today) == "declared"
    assert contribution_status("due", None, D(2026, 10, 5), today) == "overdue"
    assert contribution_status("due", None, D(2026, 10, 15), today) == "awaited"


def test_the_transfer_picked_for_a_credit() -> None:
    from dataclasses import dataclass

    @dataclass
    class Open:
        bank_reference: str
        amount: Decimal

    oldest, same_amount, named = (
        Open("VIR-1", Decimal("400")),
        Open("VIR-2", Decimal("800")),
        Open("VIR-3", Decimal("1200")),
    )
    candidates = [oldest, same_amount, named]
    assert pick_transfer(candidates, Decimal("1"), "virement vir-3 amo") is named
    assert pick_transfer(candidates, Decimal("800"), "VIREMENT") is same_amount
    assert pick_transfer(candidates, Decimal("5"), "VIREMENT") is oldest
