"""Pure rules of rights (DOMAIN.md §6: no waiting period, coverage = the academic year, 12 months
at most; closure 30 days after the notice; rights maintained 6 months, law 65-00 art. 34)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amo.coverage import rules


def _valid(number: str) -> bool:
    """The key check a reader of the number does (ISO 7064 mod 97-10 over the nine digits)."""
    return len(number) == 13 and number[:2] == "AE" and int(number[2:11] + "00") % 97 == (98 - int(number[11:])) % 97


def test_insured_number_has_a_key_that_catches_a_typo() -> None:
    number = rules.insured_number(1234)
    assert number == "AE000001234" + number[-2:] and _valid(number)
    assert not _valid(number[:-1] + str((int(number[-1]) + 1) % 10))


@given(st.integers(min_value=1, max_value=999_999_999))
def test_every_insured_number_is_valid_and_unique_to_its_student(student_id: int) -> None:
    number = rules.insured_number(student_id)
    assert _valid(number) and int(number[2:11]) == student_id


def test_period_starts_when_opened_and_ends_with_the_year() -> None:
    year = (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    assert rules.period_bounds(*year, dt.date(2026, 11, 25), 12) == (dt.date(2026, 11, 25), dt.date(2027, 8, 31))
    assert rules.period_bounds(*year, dt.date(2026, 7, 1), 12) == (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    # a longer year is cut at 12 months
    assert rules.period_bounds(dt.date(2026, 9, 1), dt.date(2027, 10, 31), dt.date(2026, 9, 1), 12)[1] == dt.date(
        2027, 8, 31
    )


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(0, 400), st.integers(1, 24))
def test_period_is_never_longer_than_the_maximum(start: dt.date, opened_after: int, months: int) -> None:
    end = start + dt.timedelta(days=364)
    starts, ends = rules.period_bounds(start, end, start + dt.timedelta(days=opened_after), months)
    assert start <= starts <= ends <= rules.add_months(start, months)


def test_suspension_interrupts_coverage_then_resumes() -> None:
    text = rules.suspend("", dt.date(2026, 12, 1))
    assert rules.suspend(text, dt.date(2026, 12, 5)) == text  # already suspended
    text = rules.resume(text, dt.date(2026, 12, 20))
    facts = rules.PeriodFacts(dt.date(2026, 10, 1), dt.date(2027, 8, 31), "open", text, None, None)
    assert rules.covered_on(facts, dt.date(2026, 11, 30))
    assert not rules.covered_on(facts, dt.date(2026, 12, 1)) and not rules.covered_on(facts, dt.date(2026, 12, 19))
    assert rules.covered_on(facts, dt.date(2026, 12, 20))
    assert not rules.covered_on(facts, dt.date(2027, 9, 1))


def test_closed_rights_are_maintained_six_months() -> None:
    closed = dt.date(2027, 6, 15)
    until = rules.maintenance_end(closed, 6)
    assert until == dt.date(2027, 12, 15)
    facts = rules.PeriodFacts(dt.date(2026, 10, 1), dt.date(2027, 8, 31), "closed", "", closed, until)
    assert rules.covered_on(facts, dt.date(2027, 12, 15)) and not rules.covered_on(facts, dt.date(2027, 12, 16))


def test_closure_thirty_days_after_the_notice() -> None:
    assert rules.notice_deadline(dt.date(2026, 11, 1), 30) == dt.date(2026, 12, 1)


def test_contribution_decides_suspension() -> None:
    assert rules.follow_contribution("open", "overdue") == "suspended"
    assert rules.follow_contribution("open", "declared") == "suspended"
    assert rules.follow_contribution("open", "paid") is None
    assert rules.follow_contribution("suspended", "exempt") == "open"
    assert rules.follow_contribution("closed", "overdue") is None


def test_published_lists_mask_the_document_number() -> None:
    assert rules.mask_id("AB123456") == "AB****56"
    assert rules.mask_id("X1234") == "X1*34"
    assert rules.mask_id("AB1") == "***"


def test_covered_since_goes_back_through_renewals_but_not_through_a_break() -> None:
    first = rules.PeriodFacts(dt.date(2026, 9, 1), dt.date(2027, 8, 31), "expired", "2026-11-01:2026-11-30", None, None)
    second = rules.PeriodFacts(dt.date(2027, 9, 1), dt.date(2028, 8, 31), "open", "", None, None)
    periods = [first, second]
    assert rules.covered_since(periods, dt.date(2026, 10, 15)) == dt.date(2026, 9, 1)
    assert rules.covered_since(periods, dt.date(2026, 11, 15)) is None  # suspended that day
    assert rules.covered_since(periods, dt.date(2026, 12, 15)) == dt.date(2026, 12, 1)  # after the suspension
    assert rules.covered_since(periods, dt.date(2027, 10, 1)) == dt.date(2026, 12, 1)  # renewal without a gap
    late = rules.PeriodFacts(dt.date(2027, 10, 5), dt.date(2028, 8, 31), "open", "", None, None)
    assert rules.covered_since([first, late], dt.date(2027, 11, 1)) == dt.date(2027, 10, 5)  # a gap in between


def test_every_rights_status_has_its_request_status() -> None:
    from amo.coverage.models import RightsStatus
    from amo.enrollment.models import RegistrationStatus

    assert set(rules.REQUEST_STATUS) == set(RightsStatus.values)
    assert set(rules.REQUEST_STATUS.values()) <= set(RegistrationStatus.values)


def test_the_rights_table_covers_every_status_and_agrees_with_the_request_s() -> None:
    from amo.common.tests.transition_tables import assert_complete
    from amo.coverage.models import RightsStatus
    from amo.enrollment import rules as enrollment_rules

    assert_complete(rules.TRANSITIONS, RightsStatus.values)
    assert set(rules.EXPIRABLE) == rules.sources_of(rules.EXPIRED)
    assert rules.sources_of(rules.NOTICE) == {rules.OPEN, rules.SUSPENDED}
    assert not rules.can_transition(rules.CLOSED, rules.OPEN) and not rules.can_transition(rules.EXPIRED, rules.CLOSED)
    assert not rules.can_transition(rules.OPEN, rules.OPEN)
    # Each move of a period moves its request: the request's table allows every one of them.
    for current, targets in rules.TRANSITIONS.items():
        for target in targets:
            assert enrollment_rules.can_transition(rules.REQUEST_STATUS[current], rules.REQUEST_STATUS[target])


# Law 54.23 (SOURCES.md §0: https://lematin.ma/nation/amo-trois-evolutions-majeures-apres-la-promulgation-de-la-loi-5423/328133/amp ;
# https://www.belpresse.com/social/539014.html): dependants up to 30, traditional education without
# an age limit, AMO-Tadamon for the students the State paid for.
END = dt.date(2027, 2, 1)


def test_a_period_never_ends_after_the_regimes_last_day() -> None:
    year = (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    assert rules.period_bounds(*year, dt.date(2026, 11, 25), 12, END) == (dt.date(2026, 11, 25), END)
    assert rules.period_bounds(*year, dt.date(2026, 11, 25), 12, dt.date(2028, 1, 1))[1] == dt.date(2027, 8, 31)


@pytest.mark.parametrize(
    ("birth", "state_paid", "no_age_limit", "expected"),
    [
        (dt.date(2005, 3, 14), True, False, (rules.TADAMON, rules.STATE_PAID)),
        (dt.date(1990, 1, 1), True, False, (rules.TADAMON, rules.STATE_PAID)),
        (dt.date(2005, 3, 14), False, False, (rules.PARENT, rules.UNDER_AGE_LIMIT)),
        (dt.date(1996, 2, 2), False, False, (rules.PARENT, rules.UNDER_AGE_LIMIT)),  # still 30 on the last day
        (dt.date(1996, 2, 1), False, False, (rules.UNDECIDED, rules.OVER_AGE_LIMIT)),  # 31 on the last day
        (dt.date(1980, 1, 1), False, True, (rules.PARENT, rules.NO_AGE_LIMIT)),
    ],
)
def test_where_each_student_goes_when_the_regime_ends(
    birth: dt.date, state_paid: bool, no_age_limit: bool, expected: tuple[str, str]
) -> None:
    facts = rules.HandoverFacts(birth_date=birth, state_paid=state_paid, age_limit_exempt=no_age_limit)
    going = rules.destination_after_regime(facts, END, 30)
    assert (going.destination, going.reason) == expected
