"""The student's RIB for reimbursements (DOMAIN.md §7: payment to the RIB, otherwise postal
order): changed by the student, confirmed by a link e-mailed to their account's address, and the
notice the payment batches send when a bank rejected a transfer to it.

A change is asked for (its new RIB checked: 24 digits and key, or an IBAN; DOMAIN.md §9),
kept as a `RibChange`, and applied only when the student opens the signed link, signed in to the
account that asked (the pattern of decision 0009's claim link): someone who has a session but
not the mailbox cannot send the reimbursements elsewhere. Both steps are audited with the old
and new RIB masked (`mask_rib`).
"""

import datetime as dt

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.functional import lazy

from amo.accounts.models import User
from amo.common import clock
from amo.common.errors import DomainError
from amo.common.identifiers import InvalidIdentifier, mask_rib, normalise_rib
from amo.common.payments.reasons import reason_label, rib_to_correct
from amo.common.services import audit_record
from amo.enrollment import rules, selectors
from amo.enrollment.errors import RibChangeError as R
from amo.enrollment.models import RibChange, Student
from amo.notifications.models import OutboxMessage
from amo.notifications.services import email_queue

RIB_SALT = "amo.enrollment.student-rib"


def rib_token(change: RibChange) -> str:
    """Signed for this change and the account that asked; the RIB itself is not in the link."""
    return signing.dumps({"c": change.pk, "u": change.requested_by_id}, salt=RIB_SALT)


def own_student(user: User) -> Student:
    student = selectors.student_for_user(user)
    if student is None:
        raise DomainError(R.NO_RECORD)
    return student


@transaction.atomic
def student_rib_change_request(*, actor: User, rib: str) -> RibChange:
    """Check the new RIB, keep it as pending, e-mail the link to the account's address."""
    Student.objects.select_for_update().filter(user_id=actor.pk).first()  # one account's requests one at a time
    student = own_student(actor)
    try:
        new = normalise_rib(rib)
    except InvalidIdentifier as exc:
        raise DomainError(exc.code, fields={"rib": [exc.code]}) from exc
    if new == student.rib:
        raise DomainError(R.UNCHANGED, fields={"rib": [R.UNCHANGED]})
    since = clock.now() - dt.timedelta(days=1)
    if problem := rules.rib_change_problem(
        asked_today=RibChange.objects.filter(student=student, requested_at__gte=since).count()
    ):
        raise DomainError(problem)
    return rib_change_queue(actor=actor, student=student, rib=new)


def rib_change_queue(*, actor: User, student: Student, rib: str) -> RibChange:
    """Keep `rib` (already checked) pending for the student's record and e-mail the link to the
    account's address, in the caller's transaction; audited. Also called by a registration or a
    correction that brings another RIB than the record's: it waits for the link too."""
    change = RibChange.objects.create(
        student=student, rib=rib, sent_to=actor.email, requested_by=actor, requested_at=clock.now()
    )
    email_queue(
        to=actor.email,
        template="enrollment/email/rib_change",
        context={
            "student": student,
            "new_rib": mask_rib(rib),
            "days": rules.RIB_LINK_DAYS,
            "path": reverse("enrollment:rib_confirm", args=[rib_token(change)]),
        },
        language=actor.preferred_language or "fr",
    )
    audit_record(
        actor=actor,
        action="student_rib_change_request",
        obj=student,
        before={"rib": mask_rib(student.rib)},
        after={"rib": mask_rib(rib), "sent_to": actor.email},
    )
    return change


@transaction.atomic
def student_rib_change_confirm(*, actor: User, token: str) -> Student:
    """The link, opened while signed in to the account that asked: the RIB is changed."""
    try:
        data = signing.loads(token, salt=RIB_SALT, max_age=rules.RIB_LINK_DAYS * 24 * 3600)
    except signing.BadSignature as exc:
        raise DomainError(R.LINK_INVALID) from exc
    if data.get("u") != actor.pk:
        raise DomainError(R.LINK_INVALID)
    student = Student.objects.select_for_update().filter(user_id=actor.pk).first()
    pending = selectors.rib_change_pending(student) if student is not None else None
    if student is None or pending is None or pending.pk != data.get("c"):
        raise DomainError(R.LINK_INVALID)
    old = student.rib
    student.rib = pending.rib
    student.save(update_fields=["rib", "updated_at"])
    pending.confirmed_at = clock.now()
    pending.save(update_fields=["confirmed_at"])
    audit_record(
        actor=actor,
        action="student_rib_change",
        obj=student,
        before={"rib": mask_rib(old)},
        after={"rib": mask_rib(student.rib), "proof": "emailed_link"},
    )
    return student


_lazy_reason = lazy(reason_label, str)


def student_rib_rejected_notify(*, student: Student, reason_code: str) -> OutboxMessage | None:
    """Tell the student that the bank rejected a transfer to their RIB, why (the bank's reason,
    in both languages, theirs first), and where to give another one. Called by the payment
    batches (claims) when a status report or a statement rejects a transfer; inside the caller's
    transaction, so the e-mail leaves only if the rejection is recorded. None when the student has
    no address to write to."""
    address = (student.user.email if student.user_id and student.user else "") or student.email
    if not address:
        return None
    message = email_queue(
        to=address,
        template="enrollment/email/rib_rejected",
        context={
            "student": student,
            "rib": mask_rib(student.rib),
            "reason_code": reason_code,
            # Rendered in each language of the e-mail in turn.
            "reason": _lazy_reason(reason_code),
            "rib_to_correct": rib_to_correct(reason_code),
        },
        language=(student.user.preferred_language if student.user_id and student.user else "") or "fr",
    )
    audit_record(
        actor=None,
        action="student_rib_rejected_notice",
        obj=student,
        after={"rib": mask_rib(student.rib), "reason": reason_code, "sent_to": address},
    )
    return message
