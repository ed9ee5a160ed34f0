"""Pure rules of accounts: which organisation each role belongs to, what each role may do."""

from amo.accounts.models import Role

# The one organisation field a membership of each role must set (None: no organisation).
ROLE_ORGANISATION_FIELD: dict[Role, str | None] = {
    Role.STUDENT: None,
    Role.INSTITUTION_AGENT: "institution",
    Role.LEGAL_ENTITY_AGENT: "legal_entity",
    Role.AGGREGATOR_AGENT: "aggregator",
    Role.CNOPS_AGENT: "cnops_office",
    Role.MEDICAL_CONTROLLER: "cnops_office",
    Role.DEPOSIT_POINT_AGENT: "deposit_point",
    Role.PROVIDER_AGENT: "provider",
    Role.CNOPS_ADMIN: "cnops_office",
    Role.CALL_CENTRE_AGENT: "cnops_office",
}

ORGANISATION_FIELDS = (
    "institution",
    "legal_entity",
    "aggregator",
    "cnops_office",
    "deposit_point",
    "provider",
)

CNOPS_ROLES = frozenset({Role.CNOPS_AGENT, Role.MEDICAL_CONTROLLER, Role.CNOPS_ADMIN})


def membership_problem(role: Role, set_fields: set[str]) -> str | None:
    """None when exactly the role's organisation field is set, else an error code."""
    expected = ROLE_ORGANISATION_FIELD[role]
    wanted = {expected} if expected else set()
    if set_fields != wanted:
        return "membership_organisation_mismatch"
    return None
