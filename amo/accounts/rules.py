"""Pure rules of accounts: which organisation each role belongs to, what each role may do."""

from enum import StrEnum

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


class Job(StrEnum):
    """The work a role of CNOPS or of a care provider does (DOMAIN.md, "Actors"). Every access
    helper asks for a job, never for "any CNOPS role": being staff of a CNOPS office gives no
    power by itself."""

    # Registrations received, affiliations, contributions and statements, the ANAM check,
    # publication lists, the organisations: the nation from the central office, its regions
    # from a delegation.
    BACK_OFFICE = "back_office"
    # Referentials and parameters, the outbox, the hand-over export, relaying ANAM's files.
    ADMINISTRATION = "administration"
    # Prior approvals, ALD exemptions, costly drugs and PEC requests: the queue of the office the
    # controller belongs to (approvals app), and the care providers of its perimeter.
    MEDICAL_CONTROL = "medical_control"
    # Whether a CIN is covered on a date.
    RIGHTS_LOOKUP = "rights_lookup"
    # A student's whole file on one page, to answer students and institutions.
    STUDENT_FILE = "student_file"
    # A care provider's PEC requests: sending them, answering medical control, reading decisions.
    PEC_REQUESTS = "pec_requests"


ROLE_JOBS: dict[Role, frozenset[Job]] = {
    Role.CNOPS_AGENT: frozenset({Job.BACK_OFFICE, Job.RIGHTS_LOOKUP}),
    Role.CNOPS_ADMIN: frozenset({Job.BACK_OFFICE, Job.ADMINISTRATION, Job.RIGHTS_LOOKUP}),
    Role.MEDICAL_CONTROLLER: frozenset({Job.MEDICAL_CONTROL, Job.RIGHTS_LOOKUP}),
    Role.CALL_CENTRE_AGENT: frozenset({Job.RIGHTS_LOOKUP, Job.STUDENT_FILE}),
    Role.PROVIDER_AGENT: frozenset({Job.RIGHTS_LOOKUP, Job.PEC_REQUESTS}),
}


def roles_doing(job: Job) -> frozenset[Role]:
    """The roles whose work includes the job."""
    return frozenset(role for role, jobs in ROLE_JOBS.items() if job in jobs)


# The roles of CNOPS's back office (agents and administrators; not medical control, not the
# call centre).
BACK_OFFICE_ROLES = roles_doing(Job.BACK_OFFICE)


def membership_problem(role: Role, set_fields: set[str]) -> str | None:
    """None when exactly the role's organisation field is set, else an error code."""
    expected = ROLE_ORGANISATION_FIELD[role]
    wanted = {expected} if expected else set()
    if set_fields != wanted:
        return "membership_organisation_mismatch"
    return None
