from amo.organisations.rules import (
    InstitutionFacts,
    affiliation_request_problems,
    can_transition,
    legal_entity_problems,
)


def facts(entity: int = 1, eligible: bool = True, affiliated: bool = False, pending: bool = False) -> InstitutionFacts:
    return InstitutionFacts(legal_entity_id=entity, on_eligible_list=eligible, affiliated=affiliated, pending=pending)


def test_a_request_of_own_listed_unaffiliated_institutions_has_no_problem() -> None:
    assert affiliation_request_problems(1, [facts(), facts()]) == []


def test_every_problem_of_a_request_is_reported_with_its_code() -> None:
    assert affiliation_request_problems(1, []) == ["affiliation_no_institution"]
    assert affiliation_request_problems(1, [facts(entity=2)]) == ["affiliation_not_owned"]
    assert affiliation_request_problems(1, [facts(eligible=False), facts(affiliated=True)]) == [
        "affiliation_not_eligible",
        "affiliation_already_affiliated",
    ]
    assert affiliation_request_problems(1, [facts(pending=True)]) == ["affiliation_already_pending"]


def test_only_a_submitted_request_can_be_decided() -> None:
    assert can_transition("submitted", "approved")
    assert can_transition("submitted", "rejected")
    assert not can_transition("approved", "rejected")
    assert not can_transition("rejected", "approved")


def test_a_private_legal_entity_needs_an_ice() -> None:
    assert legal_entity_problems("private", "") == ["legal_entity_ice_required"]
    assert legal_entity_problems("public", "") == []


def test_the_affiliation_table_covers_every_status() -> None:
    from amo.common.tests.transition_tables import assert_complete
    from amo.organisations.models import AffiliationStatus
    from amo.organisations.rules import AFFILIATION_TRANSITIONS

    assert_complete(AFFILIATION_TRANSITIONS, AffiliationStatus.values)
    assert not can_transition("approved", "rejected") and not can_transition("rejected", "approved")
