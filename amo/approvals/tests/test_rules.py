"""The pure rules of medical control, without a database (DOMAIN.md §8: agreement possibly
partial with an amount and a validity period, refusal with a reason, request for information)."""

import datetime as dt
from decimal import Decimal

import pytest

from amo.approvals import rules
from amo.approvals.models import ApprovalStatus
from amo.common.tests.transition_tables import assert_complete

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def test_the_transition_table_covers_every_status_and_decisions_are_final() -> None:
    assert_complete(rules.TRANSITIONS, ApprovalStatus.values)
    for final in (rules.AGREED, rules.REFUSED, rules.WITHDRAWN):
        assert rules.TRANSITIONS[final] == frozenset()
    assert not rules.can_transition(rules.AGREED, rules.REFUSED)  # no second decision
    assert not rules.can_transition(rules.INFORMATION, rules.AGREED)  # decide after the answer
    assert rules.can_transition(rules.CONFIRMATION, rules.AGREED)


ROUTES = [
    rules.Route(10, None, "costly_drug", None, 1),
    rules.Route(20, None, None, Decimal("200000"), 1),
    rules.Route(100, None, None, None, None),
]


@pytest.mark.parametrize(
    ("kind", "amount", "delegation", "office"),
    [
        ("dialysis_series", Decimal("12000"), 6, 6),  # the delegation serving the region
        ("dialysis_series", Decimal("12000"), None, 1),  # no delegation there: the central office
        ("costly_drug", Decimal("10"), 6, 1),  # costly drugs are decided centrally
        ("surgery", Decimal("200000"), 6, 1),  # a large quote too
        ("surgery", Decimal("199999.99"), 6, 6),
    ],
)
def test_routing_follows_the_first_rule_that_matches(
    kind: str, amount: Decimal, delegation: int | None, office: int
) -> None:
    assert (
        rules.route(ROUTES, region_id=6, kind=kind, amount=amount, delegation_of_region=delegation, central_id=1)
        == office
    )


def test_a_region_rule_applies_to_its_region_only_and_no_rule_is_no_route() -> None:
    routes = [rules.Route(5, 4, None, None, 9)]
    assert rules.route(routes, region_id=4, kind="x", amount=Decimal(1), delegation_of_region=None, central_id=1) == 9
    assert (
        rules.route(routes, region_id=6, kind="x", amount=Decimal(1), delegation_of_region=None, central_id=1) is None
    )


def test_the_clock_stops_while_waiting_for_information() -> None:
    due = rules.due_at(NOW, 72)
    assert due == NOW + dt.timedelta(hours=72)
    answered = NOW + dt.timedelta(hours=30)
    assert rules.due_after_wait(due, NOW + dt.timedelta(hours=6), answered) == due + dt.timedelta(hours=24)
    assert rules.is_overdue(rules.SUBMITTED, due, due + dt.timedelta(seconds=1))
    assert not rules.is_overdue(rules.INFORMATION, due, due + dt.timedelta(days=9))  # the clock is stopped
    assert not rules.is_overdue(rules.AGREED, due, due + dt.timedelta(days=9))


def test_planned_dates_may_not_be_past_nor_reversed() -> None:
    today = dt.date(2026, 12, 1)
    assert rules.planned_dates_problem(today, today, today) is None
    assert rules.planned_dates_problem(today - dt.timedelta(days=1), None, today) == "approval_dates_past"
    assert rules.planned_dates_problem(today, today - dt.timedelta(days=1), today) == "approval_dates_reversed"


@pytest.mark.parametrize(
    ("text", "code"), [("n185", "N18.5"), (" N18.5 ", "N18.5"), ("c50", "C50"), ("N1", None), ("18.5", None)]
)
def test_icd10_codes_are_normalised(text: str, code: str | None) -> None:
    assert rules.normalise_icd10(text) == code


def test_planned_acts_are_one_code_and_quantity_a_line() -> None:
    assert rules.parse_acts("k 50\n\nCS 2,5") == (
        rules.PlannedAct("K", Decimal("50")),
        rules.PlannedAct("CS", Decimal("2.5")),
    )
    for bad in ("", "K", "K fifty", "K 0", "50 K"):
        with pytest.raises(ValueError, match="approval_acts_format"):
            rules.parse_acts(bad)


def test_an_attachment_is_what_its_first_bytes_say_and_its_name_agrees() -> None:
    assert rules.attachment_type("cr.PDF", b"%PDF-1.7", 100) == "application/pdf"
    assert rules.attachment_type("radio.jpeg", b"\xff\xd8\xff\xe0", 100) == "image/jpeg"
    assert rules.attachment_type("scan.png", b"\x89PNG\r\n\x1a\n", 100) == "image/png"
    cases = [
        ("cr.pdf", b"MZ\x90\x00", 100, "approval_file_mismatch"),  # an executable named .pdf
        ("cr.png", b"%PDF-1.7", 100, "approval_file_mismatch"),  # a PDF named .png
        ("cr.pdf", b"", 0, "approval_file_empty"),
        ("cr.pdf", b"%PDF-", rules.MAX_ATTACHMENT_BYTES + 1, "approval_file_too_big"),
    ]
    for name, head, size, code in cases:
        with pytest.raises(ValueError, match=code):
            rules.attachment_type(name, head, size)


def test_an_agreement_needs_a_ceiling_and_an_ordered_validity_and_above_the_threshold_a_second_controller() -> None:
    day = dt.date(2026, 12, 1)
    assert rules.agreement_problem(Decimal("0"), day, day) == "approval_ceiling"
    assert rules.agreement_problem(Decimal("10"), day, day - dt.timedelta(days=1)) == "approval_validity"
    assert rules.agreement_problem(Decimal("10"), day, day) is None
    assert rules.needs_confirmation(Decimal("50000.01"), Decimal("50000"))
    assert not rules.needs_confirmation(Decimal("50000"), Decimal("50000"))


def test_an_agreement_counts_its_sessions_left_and_its_validity() -> None:
    agreement = rules.Agreement(
        "PEC1",
        "dialysis_series",
        "N18.5",
        Decimal("100"),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
        12,
        5,
        (rules.PlannedAct("K", Decimal("50")),),
    )
    assert agreement.sessions_left == 7
    assert agreement.in_force_on(dt.date(2026, 12, 31)) and not agreement.in_force_on(dt.date(2027, 1, 1))
    assert agreement.covers_act("k") and not agreement.covers_act("Z")


def test_an_exemption_for_a_category_covers_its_subcategories_only_downwards() -> None:
    assert rules.diagnosis_matches("E10", "E10.9") and rules.diagnosis_matches("E10", "E10")
    assert not rules.diagnosis_matches("E10.9", "E10") and not rules.diagnosis_matches("E10", "E11")


def test_percentiles_are_nearest_rank() -> None:
    assert rules.percentile([], 0.5) is None
    assert rules.percentile([3, 1, 2], 0.5) == 2
    assert rules.percentile(list(range(1, 11)), 0.9) == 9
    assert rules.percentile(list(range(1, 11)), 0.5) == 5
