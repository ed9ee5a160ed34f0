import datetime as dt

import pytest

from amo.common.identifiers import InvalidIdentifier
from amo.enrollment import rules
from amo.enrollment.rules import (
    RegistrationFacts,
    can_transition,
    decision_problem,
    list_hash,
    normalise_identity,
    registration_problems,
)

D = dt.date
TODAY = D(2026, 10, 1)


def facts(**overrides: object) -> RegistrationFacts:
    values: dict[str, object] = {
        "birth_date": D(2005, 1, 1),
        "registered_on": D(2026, 9, 20),
        "year_starts_on": D(2026, 9, 1),
        "year_ends_on": D(2027, 8, 31),
        "registration_open": True,
        "age_limit": 30,
        "minimum_age": 14,
        "age_reference": "academic_year_start",
        "age_limit_exempt": False,
        "institution_on_list": True,
        "institution_affiliated": True,
        "entry_channel": "higher_education",
        "institution_channel": "higher_education",
        "existing_request": None,
        "no_other_coverage": True,
        "consent": True,
        "acknowledged": True,
    }
    values.update(overrides)
    return RegistrationFacts(**values)  # type: ignore[arg-type]  # overrides of any type, checked by the dataclass


def test_a_complete_request_has_no_problem() -> None:
    assert registration_problems(facts(), TODAY) == []


def test_declaring_another_coverage_ends_the_request_whatever_else() -> None:
    assert registration_problems(facts(no_other_coverage=False, consent=False), TODAY) == ["other_coverage_declared"]


def test_the_age_limit_is_checked_at_the_reference_date() -> None:
    thirty_on_start = D(1996, 9, 1)  # exactly 30 on 1 September 2026: allowed
    thirty_one = D(1995, 8, 31)
    assert registration_problems(facts(birth_date=thirty_on_start), TODAY) == []
    assert registration_problems(facts(birth_date=thirty_one), TODAY) == ["age_limit"]
    assert registration_problems(facts(birth_date=thirty_one, age_limit_exempt=True), TODAY) == []


def test_the_reference_date_is_data() -> None:
    born = D(1996, 8, 15)  # 30 on 1 September 2026, 31 at the end of the academic year
    assert registration_problems(facts(birth_date=born, age_reference="academic_year_end"), TODAY) == ["age_limit"]
    assert registration_problems(facts(birth_date=born), TODAY) == []


def test_the_youngest_plausible_age_is_data() -> None:
    """The minimum age is the dated parameter minimum_age_years (issue 13, rule 6), not a 14 in the rule."""
    born = D(2011, 1, 1)  # 15 on 1 October 2026
    assert registration_problems(facts(birth_date=born), TODAY) == []
    assert registration_problems(facts(birth_date=born, minimum_age=16), TODAY) == ["birth_date_invalid"]


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"existing_request": "REG-00000001"}, "already_registered"),
        ({"registration_open": False}, "registration_closed"),
        ({"entry_channel": "public_vocational"}, "wrong_channel"),
        ({"institution_on_list": False}, "institution_not_eligible"),
        ({"institution_affiliated": False}, "institution_not_affiliated"),
        ({"registered_on": D(2026, 8, 31)}, "registration_date_outside_year"),
        ({"birth_date": D(2027, 1, 1)}, "birth_date_invalid"),
        ({"consent": False}, "consent_required"),
        ({"acknowledged": False}, "acknowledgement_required"),
    ],
)
def test_each_pre_check_gives_its_code(override: dict[str, object], code: str) -> None:
    assert registration_problems(facts(**override), TODAY) == [code]


def test_transitions_follow_the_table() -> None:
    assert can_transition("submitted", "validated")
    assert can_transition("to_correct", "submitted")
    assert can_transition("validated", "in_list") and can_transition("in_list", "sent_to_cnops")
    assert not can_transition("rejected", "validated")
    assert not can_transition("sent_to_cnops", "in_list")
    assert not can_transition("submitted", "in_list")


def test_decisions_need_reasons_and_comments() -> None:
    reasons = ["not_enrolled", "other"]
    assert decision_problem("rejected", "", "", reasons) == "reject_reason_required"
    assert decision_problem("rejected", "other", "  ", reasons) == "reject_reason_required"
    assert decision_problem("rejected", "not_enrolled", "", reasons) is None
    assert decision_problem("to_correct", "", "", reasons) == "correction_comment_required"
    assert decision_problem("validated", "", "", reasons) is None


def test_identity_documents() -> None:
    assert normalise_identity("cin", "ab 123456") == "AB123456"
    assert normalise_identity("passport", "x-1234567") == "X1234567"
    with pytest.raises(InvalidIdentifier):
        normalise_identity("residence_card", "AB1")


def test_the_list_hash_depends_on_content_and_order() -> None:
    a, n = list_hash([(1, "AB1"), (2, "CD2")])
    b, _ = list_hash([(2, "CD2"), (1, "AB1")])
    assert n == 2 and a != b and len(a) == 64
    assert list_hash([(1, "AB1"), (2, "CD2")])[0] == a


def test_the_request_table_covers_every_status_and_refuses_the_rest() -> None:
    from amo.common.tests.transition_tables import assert_complete
    from amo.enrollment.models import AggregationStatus, RegistrationStatus

    assert_complete(rules.TRANSITIONS, RegistrationStatus.values)
    assert_complete(rules.AGGREGATION_TRANSITIONS, AggregationStatus.values)
    assert set(rules.RECEIVED) | {"submitted", "to_correct", "validated", "rejected", "in_list"} == set(
        RegistrationStatus.values
    )
    for refused in [
        ("submitted", "insured"),
        ("validated", "sent_to_cnops"),
        ("sent_to_cnops", "insured"),
        ("pending_anam", "sent_to_cnops"),
        ("insured", "refused_anam"),
        ("closed", "insured"),
        ("expired", "insured"),
        ("rejected", "submitted"),
    ]:
        assert not rules.can_transition(*refused), refused
    assert rules.sources_of("sent_to_cnops") == {"in_list", "refused_anam"}
    assert rules.sources_of("submitted") == {"to_correct"}
    assert rules.AGGREGATION_TRANSITIONS["sent"] == frozenset()


def test_after_the_regimes_last_day_nothing_else_is_checked() -> None:
    """Law 54.23 (SOURCES.md §0, lematin.ma 4 Feb 2026): the regime's last day still registers."""
    end = D(2027, 2, 1)
    assert registration_problems(facts(regime_ends_on=end), end) == []
    assert registration_problems(facts(regime_ends_on=end, consent=False), end + dt.timedelta(days=1)) == [
        "regime_ended"
    ]
