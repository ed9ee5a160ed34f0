"""Writes that link a student record an institution uploaded to the account of its student.

A record no account holds is taken by an account only with a proof that it is its owner's
(rules.claim_problem), one of:

- at submission, the e-mail address the institution declared is the account's verified address;
- a link e-mailed to that declared address, opened while signed in to the account (a signed
  token, like the account's own e-mail verification);
- the institution confirms the link, having seen the student's identity document.

Until then the record is left as it is. Every link is audited ("student_claim", with its proof).
"""

import datetime as dt

from django.core import signing
from django.db import transaction
from django.urls import reverse

from amo.accounts.actors import ActingUser
from amo.accounts.models import Role, User
from amo.common import clock
from amo.common.errors import DomainError
from amo.common.identifiers import InvalidIdentifier
from amo.common.models import AuditEvent
from amo.common.services import audit_record
from amo.enrollment import rules
from amo.enrollment.errors import EnrollmentMoreError as M
from amo.enrollment.models import Student
from amo.notifications.services import email_queue
from amo.organisations.models import Institution

CLAIM_SALT = "amo.enrollment.student-claim"
CLAIM_MAX_AGE = 3 * 24 * 3600

PROOF_DECLARED_EMAIL = "declared_email"
PROOF_EMAILED_LINK = "emailed_link"
PROOF_INSTITUTION = "institution"


def claim_token(student: Student, user: User) -> str:
    """Signed for this record, this account and the address it is sent to: a link asked for by
    another account, or sent before the institution changed the address, is worth nothing."""
    return signing.dumps({"s": student.pk, "u": user.pk, "e": student.email}, salt=CLAIM_SALT)


def account_record_problem(user: ActingUser, id_type: str, id_number: str) -> str | None:
    """One student record per account: an account already linked to another identity document
    cannot take a second one."""
    if user is None or not user.pk:
        return None
    other = Student.objects.filter(user_id=user.pk).exclude(id_type=id_type, id_number=id_number)
    return M.ACCOUNT_HAS_STUDENT if other.exists() else None


def student_link(*, actor: ActingUser, student: Student, user: User, proof: str) -> Student:
    """Link the record to the account (inside the caller's transaction), with its audit row."""
    student.user = user
    student.save(update_fields=["user", "updated_at"])
    audit_record(
        actor=actor,
        action="student_claim",
        obj=student,
        before={"account": None},
        after={"account": user.email, "proof": proof},
    )
    return student


def _identity(id_type: str, id_number: str) -> str:
    try:
        return rules.normalise_identity(id_type, id_number)
    except InvalidIdentifier as exc:
        raise DomainError(exc.code, fields={"id_number": [exc.code]}) from exc


def _refuse_if_account_taken(user: ActingUser, id_type: str, id_number: str, field: str) -> None:
    if problem := account_record_problem(user, id_type, id_number):
        raise DomainError(problem, fields={field: [problem]})


def student_claim_request(*, actor: User, id_type: str, id_number: str) -> Student:
    """The student asks for a link at the address their institution declared for the record.

    Every request of the account counts toward its daily limit, answered or refused: the answer
    tells whether a record with this identity document waits for an account. The attempt is
    recorded in its own transaction, before the record is looked up, so that a refusal (whose
    DomainError rolls back the request's transaction) still counts."""
    number = _identity(id_type, id_number)
    _claim_attempt_record(actor=actor, id_type=id_type, id_number=number)
    return _claim_request(actor=actor, id_type=id_type, number=number)


@transaction.atomic
def _claim_attempt_record(*, actor: User, id_type: str, id_number: str) -> None:
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one account's attempts one at a time
    since = clock.now() - dt.timedelta(days=1)
    attempts = AuditEvent.objects.filter(
        action="student_claim_attempt", actor_id=actor.pk, created_at__gte=since
    ).count()
    if problem := rules.claim_attempt_problem(attempts_by_account=attempts):
        raise DomainError(problem)
    audit_record(
        actor=actor, action="student_claim_attempt", obj=actor, after={"id_type": id_type, "id_number": id_number}
    )


@transaction.atomic
def _claim_request(*, actor: User, id_type: str, number: str) -> Student:
    _refuse_if_account_taken(actor, id_type, number, "id_number")
    student = Student.objects.filter(id_type=id_type, id_number=number, user__isnull=True).first()
    if student is None:
        raise DomainError(M.CLAIM_NOTHING_TO_CLAIM, fields={"id_number": [M.CLAIM_NOTHING_TO_CLAIM]})
    if not student.email:
        raise DomainError(M.CLAIM_NO_DECLARED_EMAIL)
    since = clock.now() - dt.timedelta(days=1)
    asked = AuditEvent.objects.filter(action="student_claim_request", created_at__gte=since)
    if problem := rules.claim_link_problem(
        asked_by_account=asked.filter(actor_id=actor.pk).count(),
        asked_for_record=asked.filter(object_type=Student._meta.label_lower, object_id=str(student.pk)).count(),
    ):
        raise DomainError(problem)
    email_queue(
        to=student.email,
        template="enrollment/email/claim",
        context={
            "student": student,
            "account": actor.email,
            "path": reverse("enrollment:claim_confirm", args=[claim_token(student, actor)]),
        },
        language=getattr(actor, "preferred_language", None) or "fr",
    )
    audit_record(actor=actor, action="student_claim_request", obj=student, after={"account": actor.email})
    return student


@transaction.atomic
def student_claim_confirm(*, actor: User, token: str) -> Student:
    """The link e-mailed to the declared address, opened while signed in to the account that asked."""
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_MAX_AGE)
    except signing.BadSignature as exc:
        raise DomainError(M.CLAIM_LINK_INVALID) from exc
    if data.get("u") != actor.pk:
        raise DomainError(M.CLAIM_LINK_INVALID)
    student = (
        Student.objects.select_for_update()
        .filter(pk=data.get("s"), user__isnull=True, email=data.get("e") or "-")
        .exclude(email="")
        .first()
    )
    if student is None:
        raise DomainError(M.CLAIM_LINK_INVALID)
    _refuse_if_account_taken(actor, student.id_type, student.id_number, "__all__")
    return student_link(actor=actor, student=student, user=actor, proof=PROOF_EMAILED_LINK)


@transaction.atomic
def student_claim_link(
    *, actor: ActingUser, institution: Institution, id_type: str, id_number: str, account_email: str
) -> Student:
    """The institution links one of its students' records to the account the student names,
    having checked their identity document in person."""
    number = _identity(id_type, id_number)
    ours = Student.objects.filter(
        id_type=id_type, id_number=number, user__isnull=True, requests__institution=institution
    ).values("pk")[:1]
    student = Student.objects.select_for_update().filter(pk__in=ours).first()
    if student is None:
        raise DomainError(M.CLAIM_STUDENT_UNKNOWN, fields={"id_number": [M.CLAIM_STUDENT_UNKNOWN]})
    user = (
        User.objects.filter(
            email__iexact=account_email.strip(),
            is_active=True,
            email_verified_at__isnull=False,
            memberships__role=Role.STUDENT,
            memberships__is_active=True,
        )
        .distinct()
        .first()
    )
    if user is None:
        raise DomainError(M.CLAIM_ACCOUNT_UNKNOWN, fields={"email": [M.CLAIM_ACCOUNT_UNKNOWN]})
    _refuse_if_account_taken(user, id_type, number, "email")
    student_link(actor=actor, student=student, user=user, proof=PROOF_INSTITUTION)
    email_queue(
        to=user.email,
        template="enrollment/email/claim_linked",
        context={"student": student, "institution": institution, "user": user},
        language=user.preferred_language or "fr",
    )
    return student
