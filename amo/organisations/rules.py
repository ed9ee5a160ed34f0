"""Pure decisions about affiliation: allowed transitions and the pre-checks of a request."""

from collections.abc import Callable
from dataclasses import dataclass

from amo.organisations.errors import OrganisationError

SUBMITTED, APPROVED, REJECTED = "submitted", "approved", "rejected"

AFFILIATION_TRANSITIONS: dict[str, frozenset[str]] = {
    SUBMITTED: frozenset({APPROVED, REJECTED}),
    APPROVED: frozenset(),
    REJECTED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in AFFILIATION_TRANSITIONS.get(current, frozenset())


@dataclass(frozen=True)
class InstitutionFacts:
    legal_entity_id: int
    on_eligible_list: bool
    affiliated: bool
    pending: bool


def affiliation_request_problems(legal_entity_id: int, institutions: list[InstitutionFacts]) -> list[str]:
    """Every reason (stable codes) why these institutions cannot be put in a request."""
    if not institutions:
        return [OrganisationError.NO_INSTITUTION]
    problems: list[str] = []
    checks: list[tuple[Callable[[InstitutionFacts], bool], str]] = [
        (lambda i: i.legal_entity_id != legal_entity_id, OrganisationError.NOT_OWNED),
        (lambda i: not i.on_eligible_list, OrganisationError.NOT_ELIGIBLE),
        (lambda i: i.affiliated, OrganisationError.ALREADY_AFFILIATED),
        (lambda i: i.pending, OrganisationError.ALREADY_PENDING),
    ]
    for failed, code in checks:
        if any(failed(i) for i in institutions):
            problems.append(code)
    return problems


def legal_entity_problems(law: str, ice: str) -> list[str]:
    if law == "private" and not ice:
        return [OrganisationError.ICE_REQUIRED]
    return []
