"""The liquidation of one line, pure (DOMAIN.md §7: the base is the TNR or the PBR, not the
amount paid; rates 80 % / 70 % of PBR; 60 days after the first act; SOURCES.md §3, "Claim
deadlines")."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amo.claims import rules
from amo.claims.models import CareFileStatus, SlipStatus
from amo.common.tests.transition_tables import assert_complete

D = dt.date
FIRST = D(2026, 11, 2)

CONSULTATION = rules.LineFacts(
    kind="act",
    act_on=FIRST,
    paid=Decimal("200.00"),
    first_act_on=FIRST,
    deposited_on=D(2026, 11, 20),
    deadline_days=60,
    covered=True,
    duplicate=False,
    care_form_present=True,
    prescription_present=True,
    category="consultation",
    rate=Decimal("0.80"),
    key_value=Decimal("150.00"),
    coefficient=Decimal("1"),
    coefficient_min=Decimal("1"),
    coefficient_max=Decimal("2"),
)
DRUG = replace(
    CONSULTATION,
    kind="drug",
    category="drugs",
    rate=Decimal("0.70"),
    key_value=None,
    coefficient=None,
    drug_known=True,
    drug_reimbursable=True,
    pbr=Decimal("18.35"),
    quantity=3,
    paid=Decimal("60.00"),
)


def test_the_tables_cover_every_status() -> None:
    assert_complete(rules.FILE_TRANSITIONS, CareFileStatus.values)
    assert_complete(rules.SLIP_TRANSITIONS, SlipStatus.values)


def test_paid_is_final_and_a_rerun_is_allowed_only_before_payment() -> None:
    assert rules.FILE_TRANSITIONS["paid"] == frozenset()
    assert rules.sources_of("liquidated") == {"received", "liquidated", "confirmed"}


def test_a_specialist_consultation_is_reimbursed_80_percent_of_the_tariff_not_of_the_amount_paid() -> None:
    # CS 150 MAD (TNR), 80 %: 120.00, though the student paid 200.
    decision = rules.liquidate_line(CONSULTATION)
    assert decision == rules.LineDecision(Decimal("150.00"), Decimal("0.80"), Decimal("120.00"), "")


def test_a_drug_is_reimbursed_70_percent_of_its_base_rounded_half_up_to_the_cent() -> None:
    # 18.35 × 3 = 55.05; × 0.70 = 38.535 -> 38.54 (half up).
    assert rules.liquidate_line(DRUG).reimbursed == Decimal("38.54")


def test_never_more_than_what_was_paid() -> None:
    assert rules.liquidate_line(replace(CONSULTATION, paid=Decimal("100.00"))).reimbursed == Decimal("100.00")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"deposited_on": FIRST + dt.timedelta(days=61)}, "time_barred"),
        ({"covered": False}, "no_rights_on_act_date"),
        ({"duplicate": True}, "duplicate_line"),
        ({"key_value": None}, "unknown_key"),
        ({"coefficient": Decimal("3")}, "coefficient_out_of_range"),
        ({"coefficient": Decimal("0.5")}, "coefficient_out_of_range"),
        ({"care_form_present": False}, "missing_document"),
        ({"agreement_needed": True}, "agreement_required"),
        ({"category": "ald"}, "ald_exemption_required"),
        ({"rate": None}, "no_rate"),
    ],
)
def test_each_refusal_of_an_act_has_its_reason_and_reimburses_nothing(change: dict[str, object], reason: str) -> None:
    decision = rules.liquidate_line(replace(CONSULTATION, **change))  # type: ignore[arg-type]
    assert (decision.reason, decision.reimbursed) == (reason, Decimal("0.00"))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"drug_known": False, "pbr": None}, "unknown_drug"),
        ({"drug_reimbursable": False}, "drug_not_reimbursable"),
        ({"prescription_present": False}, "missing_prescription"),
    ],
)
def test_each_refusal_of_a_drug_has_its_reason(change: dict[str, object], reason: str) -> None:
    assert rules.liquidate_line(replace(DRUG, **change)).reason == reason  # type: ignore[arg-type]


def test_an_agreement_known_lets_the_line_through_the_hook_approvals_will_feed() -> None:
    facts = replace(CONSULTATION, agreement_needed=True, agreement_known="AP-1")
    assert rules.liquidate_line(facts).reason == ""
    assert rules.liquidate_line(replace(CONSULTATION, category="ald", exemption_known="EX-1")).reason == ""


def test_day_60_is_in_time_and_day_61_is_time_barred() -> None:
    # SOURCES.md §3, "Claim deadlines": within 60 days following the first act.
    assert not rules.time_barred(FIRST, FIRST + dt.timedelta(days=60), 60)
    assert rules.time_barred(FIRST, FIRST + dt.timedelta(days=61), 60)


def test_entry_refuses_a_future_act_and_absurd_values() -> None:
    today = D(2026, 12, 1)
    ok = {
        "kind": "act",
        "act_on": FIRST,
        "first_act_on": FIRST,
        "today": today,
        "paid": Decimal("80"),
        "coefficient": Decimal("1"),
        "quantity": None,
        "letter": "C",
        "drug_code": "",
    }
    assert rules.entry_problem(**ok) == ""  # type: ignore[arg-type]
    assert rules.entry_problem(**{**ok, "act_on": D(2026, 12, 2)}) == "act_in_future"  # type: ignore[arg-type]
    assert rules.entry_problem(**{**ok, "paid": Decimal("0")}) == "amount_out_of_bounds"  # type: ignore[arg-type]
    assert rules.entry_problem(**{**ok, "paid": Decimal("-5")}) == "amount_out_of_bounds"  # type: ignore[arg-type]
    assert rules.entry_problem(**{**ok, "paid": Decimal("900000")}) == "amount_out_of_bounds"  # type: ignore[arg-type]
    assert rules.entry_problem(**{**ok, "coefficient": Decimal("0")}) == "coefficient_invalid"  # type: ignore[arg-type]
    assert rules.entry_problem(**{**ok, "coefficient": Decimal("5000")}) == "coefficient_invalid"  # type: ignore[arg-type]
    assert (
        rules.declaration_problem(first_act_on=D(2026, 12, 2), today=today, amount=Decimal("1"))
        == "first_act_in_future"
    )
    assert rules.declaration_problem(first_act_on=FIRST, today=today, amount=Decimal("0")) == "amount_out_of_bounds"


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=4)
coefficients = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("600"), places=2)


@settings(deadline=None)  # a loaded machine (two cores, six test runs) is no reason to fail
@given(paid=money, value=money, coefficient=coefficients, rate=rates)
def test_never_above_paid_never_negative_and_the_rate_times_the_base(
    paid: Decimal, value: Decimal, coefficient: Decimal, rate: Decimal
) -> None:
    facts = replace(
        CONSULTATION,
        paid=paid,
        key_value=value,
        coefficient=coefficient,
        rate=rate,
        coefficient_min=Decimal("0.01"),
        coefficient_max=Decimal("600"),
    )
    decision = rules.liquidate_line(facts)
    assert Decimal("0") <= decision.reimbursed <= paid
    assert decision.base == rules.cents(value * coefficient)
    assert decision.reimbursed == min(paid, rules.cents(decision.base * rate))
    assert decision.reimbursed == decision.reimbursed.quantize(Decimal("0.01"))


@settings(deadline=None)
@given(days=st.integers(min_value=0, max_value=400), deadline=st.integers(min_value=1, max_value=200))
def test_the_deadline_boundary_whatever_the_parameter(days: int, deadline: int) -> None:
    facts = replace(CONSULTATION, deposited_on=FIRST + dt.timedelta(days=days), deadline_days=deadline)
    assert (rules.liquidate_line(facts).reason == "time_barred") == (days > deadline)
