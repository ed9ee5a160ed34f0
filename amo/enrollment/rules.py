"""Pure rules of registration: pre-checks, transitions, identity formats, list hashing."""

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from amo.common import transitions
from amo.common.identifiers import InvalidIdentifier, normalise_cin
from amo.common.textrules import ARABIC, LATIN, TextRule, email_problem, text_problem
from amo.enrollment.errors import EnrollmentError as E
from amo.enrollment.errors import EnrollmentMoreError as M
from amo.enrollment.errors import RibChangeError
from amo.referentials.rules import age_on, over_age_limit, regime_ended_problem
from amo.referentials.rules import age_reference_date as reference_date_of

SUBMITTED, TO_CORRECT, VALIDATED, REJECTED = "submitted", "to_correct", "validated", "rejected"
IN_LIST, SENT_TO_CNOPS = "in_list", "sent_to_cnops"
PENDING_ANAM, REFUSED_ANAM = "pending_anam", "refused_anam"
INSURED, SUSPENDED, CLOSURE_NOTICE, CLOSED, EXPIRED = "insured", "suspended", "closure_notice", "closed", "expired"

# Every status of a registration request and where it may go. enrollment alone applies it
# (services.registration_move / registrations_move): the institution decides, the aggregator
# lists and sends, eligibility asks for the check's steps, coverage for the rights' steps.
TRANSITIONS: dict[str, frozenset[str]] = {
    SUBMITTED: frozenset({VALIDATED, REJECTED, TO_CORRECT}),
    TO_CORRECT: frozenset({SUBMITTED, REJECTED}),
    VALIDATED: frozenset({IN_LIST}),
    IN_LIST: frozenset({SENT_TO_CNOPS}),
    REJECTED: frozenset(),
    SENT_TO_CNOPS: frozenset({PENDING_ANAM}),
    PENDING_ANAM: frozenset({REFUSED_ANAM, INSURED}),
    REFUSED_ANAM: frozenset({SENT_TO_CNOPS}),  # sent again once the student's situation is corrected
    INSURED: frozenset({SUSPENDED, CLOSURE_NOTICE, CLOSED, EXPIRED}),
    SUSPENDED: frozenset({INSURED, CLOSURE_NOTICE, CLOSED, EXPIRED}),
    CLOSURE_NOTICE: frozenset({INSURED, SUSPENDED, CLOSED, EXPIRED}),
    CLOSED: frozenset(),
    EXPIRED: frozenset(),
}

LIST_CLOSED, LIST_SENT = "closed", "sent"
AGGREGATION_TRANSITIONS: dict[str, frozenset[str]] = {
    LIST_CLOSED: frozenset({LIST_SENT}),
    LIST_SENT: frozenset(),
}

# Statuses an institution acts on, and the order the student's timeline shows.
INSTITUTION_PENDING = (SUBMITTED, TO_CORRECT)
# A request CNOPS has received: sent by its aggregator, then the ANAM check and the rights.
RECEIVED = (SENT_TO_CNOPS, PENDING_ANAM, REFUSED_ANAM, INSURED, SUSPENDED, CLOSURE_NOTICE, CLOSED, EXPIRED)
TIMELINE = (SUBMITTED, TO_CORRECT, VALIDATED, REJECTED, IN_LIST, SENT_TO_CNOPS)

_DOCUMENT = re.compile(r"^[A-Z0-9]{5,20}$")


# The texts of a registration, as the page, the API and the list import take them; the lengths
# are the columns' (a test holds them to the models).
STUDENT_TEXTS: dict[str, TextRule] = {
    "last_name": TextRule(80, required=True, script=LATIN),
    "first_name": TextRule(80, required=True, script=LATIN),
    "last_name_ar": TextRule(80, script=ARABIC),
    "first_name_ar": TextRule(80, script=ARABIC),
    "birth_place": TextRule(80),
    "nationality": TextRule(60),
    "address": TextRule(250),
    "track": TextRule(120),
}


# What the student's own request (page and API alike) requires besides the names, identity and
# e-mail: a list import may leave these empty (docs/formats/registration-list.md), a student may not.
STUDENT_REQUIRED = ("birth_place", "nationality", "address", "phone")


def missing_problems(values: dict[str, str]) -> dict[str, str]:
    """Field -> "text_required" for the fields of STUDENT_REQUIRED left blank (surrounding spaces
    dropped)."""
    return {name: "text_required" for name in STUDENT_REQUIRED if not str(values.get(name) or "").strip()}


def text_problems(values: dict[str, str]) -> dict[str, str]:
    """Field -> code of the registration's texts (and e-mail) that break their rule; the values
    are taken without their surrounding spaces."""
    problems = {
        name: code
        for name, rule in STUDENT_TEXTS.items()
        if (code := text_problem(str(values.get(name) or "").strip(), rule))
    }
    if code := email_problem(str(values.get("email") or "").strip()):
        problems["email"] = code
    return problems


def can_transition(current: str, target: str) -> bool:
    return transitions.allowed(TRANSITIONS, current, target)


def sources_of(target: str) -> frozenset[str]:
    """The statuses a request may reach `target` from (a set move filters on them)."""
    return transitions.sources(TRANSITIONS, target)


def normalise_identity(id_type: str, number: str) -> str:
    """CIN by its own rule; a residence card or passport: 5-20 letters and digits."""
    if id_type == "cin":
        return normalise_cin(number)
    clean = re.sub(r"[\s\-.]", "", number or "").upper()
    if not _DOCUMENT.fullmatch(clean):
        raise InvalidIdentifier(E.ID_FORMAT)
    return clean


@dataclass(frozen=True)
class RegistrationFacts:
    birth_date: dt.date
    registered_on: dt.date
    year_starts_on: dt.date
    year_ends_on: dt.date
    registration_open: bool
    age_limit: int
    minimum_age: int
    age_reference: str
    age_limit_exempt: bool
    institution_on_list: bool
    institution_affiliated: bool
    entry_channel: str
    institution_channel: str
    existing_request: str | None
    no_other_coverage: bool
    consent: bool
    acknowledged: bool
    # The regime's last day (law 54.23); None: no end known.
    regime_ends_on: dt.date | None = None


def age_reference_date(facts: RegistrationFacts) -> dt.date:
    """The date this request's age is measured on: referentials' one rule (decision 0004)."""
    return reference_date_of(
        facts.age_reference,
        year_starts_on=facts.year_starts_on,
        year_ends_on=facts.year_ends_on,
        registered_on=facts.registered_on,
    )


def year_closed_problem(registration_open: bool) -> str | None:
    """No request enters an academic year whose registration is closed, whatever the entry: the
    student's form, the API, or a list an institution uploads. One rule, one message."""
    return None if registration_open else E.REGISTRATION_CLOSED


def claim_problem(
    *,
    linked_to: int | None,
    account: int,
    declared_email: str,
    account_email: str,
    account_verified: bool,
) -> str | None:
    """May this account take the student record it names? Its own record, yes; a record another
    account holds, never; a record no account holds (an institution uploaded it) only with a proof
    that it is the account owner's: here, the e-mail address the institution declared is the
    account's verified address. Otherwise another proof is needed (a link e-mailed to the
    declared address, or the institution's confirmation)."""
    if linked_to == account:
        return None
    if linked_to is not None:
        return M.IDENTITY_TAKEN
    same = bool(declared_email) and declared_email.strip().casefold() == account_email.strip().casefold()
    if account_verified and same:
        return None
    return M.CLAIM_REQUIRED


# Links e-mailed to declared addresses, per day: enough for a student who mistypes, too few to
# flood a stranger's mailbox.
CLAIM_LINKS_PER_ACCOUNT = 5
CLAIM_LINKS_PER_RECORD = 3
# Requests of one account per day, whatever their answer: each one tells whether a record with
# that identity document waits for an account, so an account cannot test CINs without bound.
CLAIM_ATTEMPTS_PER_ACCOUNT = 10


def claim_link_problem(*, asked_by_account: int, asked_for_record: int) -> str | None:
    """A link to the declared address may be asked again, but not without bound (counts over a day)."""
    if asked_by_account >= CLAIM_LINKS_PER_ACCOUNT or asked_for_record >= CLAIM_LINKS_PER_RECORD:
        return M.CLAIM_TOO_MANY
    return None


def claim_attempt_problem(*, attempts_by_account: int) -> str | None:
    """An account may ask for a link a few times a day (counts every request, answered or refused)."""
    if attempts_by_account >= CLAIM_ATTEMPTS_PER_ACCOUNT:
        return M.CLAIM_TOO_MANY_ATTEMPTS
    return None


# RIB changes asked for by one account per day (each sends an e-mail), and how long a link holds.
RIB_CHANGES_PER_DAY = 5
RIB_LINK_DAYS = 3


def rib_change_problem(*, asked_today: int) -> str | None:
    """A student may ask again after a typo, but not send mail without bound."""
    return RibChangeError.TOO_MANY if asked_today >= RIB_CHANGES_PER_DAY else None


def registration_problems(facts: RegistrationFacts, today: dt.date) -> list[str]:
    """Every reason, as stable codes, why this request cannot be submitted. [] means it can.

    Once the regime has ended (law 54.23), and with another coverage, the request ends at once:
    nothing else matters then.
    """
    if facts.regime_ends_on and (ended := regime_ended_problem(today, facts.regime_ends_on)):
        return [ended]
    if not facts.no_other_coverage:
        return [E.OTHER_COVERAGE]
    problems: list[str] = []
    if facts.existing_request:
        problems.append(E.ALREADY_REGISTERED)
    if closed := year_closed_problem(facts.registration_open):
        problems.append(closed)
    if facts.entry_channel and facts.entry_channel != facts.institution_channel:
        problems.append(E.WRONG_CHANNEL)
    if not facts.institution_on_list:
        problems.append(E.INSTITUTION_NOT_ELIGIBLE)
    elif not facts.institution_affiliated:
        problems.append(E.INSTITUTION_NOT_AFFILIATED)
    if not facts.year_starts_on <= facts.registered_on <= facts.year_ends_on:
        problems.append(E.DATE_OUTSIDE_YEAR)
    if facts.birth_date >= today or age_on(facts.birth_date, today) < facts.minimum_age:
        problems.append(E.BIRTH_DATE_INVALID)
    elif over_age_limit(
        facts.birth_date, on=age_reference_date(facts), limit=facts.age_limit, exempt=facts.age_limit_exempt
    ):
        problems.append(E.AGE_LIMIT)
    if not facts.consent:
        problems.append(E.CONSENT_REQUIRED)
    if not facts.acknowledged:
        problems.append(E.ACKNOWLEDGEMENT_REQUIRED)
    return problems


def decision_problem(target: str, reason: str, comment: str, reasons: Iterable[str]) -> str | None:
    """A rejection needs a known reason (a comment for 'other'); a correction needs a comment."""
    if target == REJECTED and (reason not in set(reasons) or (reason == "other" and not comment.strip())):
        return E.REASON_REQUIRED
    if target == TO_CORRECT and not comment.strip():
        return E.COMMENT_REQUIRED
    return None


def list_hash(rows: Iterable[tuple[object, ...]]) -> tuple[str, int]:
    """SHA-256 over the list's rows in order, one tab-separated line each, and the row count."""
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(("\t".join("" if v is None else str(v) for v in row) + "\n").encode())
        count += 1
    return digest.hexdigest(), count


def list_number(aggregator: str, year: str, sequence: int) -> str:
    return f"{aggregator}-{year}-{sequence:04d}"
