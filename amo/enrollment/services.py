"""Writes of registration: submit, correct, decide, close and send lists, certify.

Every change of a request's status writes its timeline event and audit row, and e-mails the
student after commit.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any, NoReturn

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from amo.accounts.actors import ActingUser
from amo.accounts.models import User
from amo.common import clock
from amo.common.apitypes import MAX_ID
from amo.common.errors import DomainError, ErrorCode
from amo.common.identifiers import (
    InvalidIdentifier,
    normalise_massar,
    normalise_phone,
    normalise_rib,
)
from amo.common.services import audit_record
from amo.documents.services import both_languages, document_issue
from amo.enrollment import claims, rules, selectors
from amo.enrollment.errors import EnrollmentError, EnrollmentMoreError
from amo.enrollment.models import (
    AggregationList,
    AggregationStatus,
    Certification,
    ConsentText,
    RegistrationEvent,
    RegistrationRequest,
    RegistrationSource,
    RegistrationStatus,
    RejectReason,
    Student,
)
from amo.notifications.services import email_queue
from amo.organisations.models import Aggregator, Institution, LegalEntity
from amo.referentials.models import AcademicYear
from amo.referentials.selectors import parameter_int, parameter_text


@dataclass
class RegistrationInput:
    """What the student declares on the form (DOMAIN.md §4)."""

    id_type: str
    id_number: str
    massar: str
    last_name: str
    first_name: str
    last_name_ar: str
    first_name_ar: str
    birth_date: dt.date
    birth_place: str
    sex: str
    nationality: str
    address: str
    email: str
    phone: str
    rib: str
    institution_id: int
    academic_year_id: int
    track: str
    fee_paying: bool
    registered_on: dt.date
    no_other_coverage: bool
    consent: bool
    acknowledged: bool


STUDENT_FIELDS = (
    "massar",
    "last_name",
    "first_name",
    "last_name_ar",
    "first_name_ar",
    "birth_date",
    "birth_place",
    "sex",
    "nationality",
    "address",
    "email",
    "phone",
    "rib",
)


def clean_identity_fields(data: RegistrationInput) -> dict[str, list[str]]:
    """Normalise identifiers and texts in place; field -> error codes for those that do not
    parse or break the text rules (the same rules as the form's and the list import's), and for
    those the student's request requires (rules.STUDENT_REQUIRED) left blank."""
    texts = (*rules.STUDENT_TEXTS, "email", "phone")
    for name in texts:
        setattr(data, name, str(getattr(data, name) or "").strip())
    values = {name: getattr(data, name) for name in texts}
    problems = {**rules.text_problems(values), **rules.missing_problems(values)}
    errors: dict[str, list[str]] = {name: [code] for name, code in problems.items()}
    checks: list[tuple[str, Callable[[str], str], bool]] = [
        ("id_number", lambda v: rules.normalise_identity(data.id_type, v), True),
        ("massar", normalise_massar, False),
        ("phone", normalise_phone, False),
        ("rib", normalise_rib, False),
    ]
    for name, normalise, required in checks:
        value = getattr(data, name)
        if (not value and not required) or name in errors:
            continue
        try:
            setattr(data, name, normalise(value))
        except InvalidIdentifier as exc:
            errors[name] = [exc.code]
    return errors


def registration_facts(
    data: RegistrationInput,
    *,
    entry_channel: str,
    institution: Institution,
    year: AcademicYear,
    existing: str | None,
) -> rules.RegistrationFacts:
    return rules.RegistrationFacts(
        birth_date=data.birth_date,
        registered_on=data.registered_on,
        year_starts_on=year.starts_on,
        year_ends_on=year.ends_on,
        registration_open=year.registration_open,
        age_limit=parameter_int("age_limit_years", year.starts_on),
        age_reference=parameter_text("age_reference", year.starts_on),
        age_limit_exempt=institution.category.age_limit_exempt,
        institution_on_list=institution.on_eligible_list,
        institution_affiliated=institution.affiliated_on is not None,
        entry_channel=entry_channel,
        institution_channel=institution.category.channel.code,
        existing_request=existing,
        no_other_coverage=data.no_other_coverage,
        consent=data.consent,
        acknowledged=data.acknowledged,
    )


def timeline_event(
    request: RegistrationRequest, status: str, actor: ActingUser, reason: str = "", comment: str = ""
) -> None:
    """One step on the student's timeline (every app that changes a request's status writes it)."""
    RegistrationEvent.objects.create(
        request=request,
        status=status,
        at=clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason,
        comment=comment,
    )


def notify_student(request: RegistrationRequest, detail: Any = "") -> None:
    """E-mail the student the request's new status; `detail` (a lazy text: translated in the
    student's language) says why, for statuses set by CNOPS."""
    student = request.student
    if not student.email:
        return
    language = getattr(student.user, "preferred_language", None) or "fr"
    email_queue(
        to=student.email,
        template="enrollment/email/status_changed",
        context={"request": request, "student": student, "detail": detail},
        language=language,
    )


# The largest primary key the databases hold (a signed 64-bit integer).


def _institution(pk: int) -> Institution:
    """The institution chosen, or a coded refusal on its field (an API client may send any number)."""
    found = None
    if isinstance(pk, int) and 0 < pk <= MAX_ID:
        found = Institution.objects.select_related("category__channel__aggregator").filter(pk=pk).first()
    if found is None:
        code = EnrollmentMoreError.INSTITUTION_UNKNOWN
        raise DomainError(code, fields={"institution_id": [code]})
    return found


def request_reference(request: RegistrationRequest) -> str:
    return f"REG-{request.pk:08d}"


@transaction.atomic
def registration_submit(
    *, actor: User, entry_channel: str, data: RegistrationInput, today: dt.date | None = None
) -> RegistrationRequest:
    """The student's own request, from the portal entry of their channel."""
    today = today or clock.today()
    field_errors = clean_identity_fields(data)
    institution = _institution(data.institution_id)
    year = AcademicYear.objects.get(pk=data.academic_year_id)
    if field_errors:  # reported with every other problem of the form, in one answer
        facts = registration_facts(data, entry_channel=entry_channel, institution=institution, year=year, existing=None)
        _refuse(field_errors, rules.registration_problems(facts, today))
    if taken := claims.account_record_problem(actor, data.id_type, data.id_number):
        raise DomainError(taken, fields={"id_number": [taken]})
    student = Student.objects.select_for_update().filter(id_type=data.id_type, id_number=data.id_number).first()
    if student is not None:
        # A record another account holds is never taken; one an institution uploaded, only with
        # a proof that it is this account's owner's (claims.py): until then nothing is changed.
        problem = rules.claim_problem(
            linked_to=student.user_id,
            account=actor.pk,
            declared_email=student.email,
            account_email=actor.email,
            account_verified=actor.email_verified_at is not None,
        )
        if problem:
            raise DomainError(
                problem,
                fields={"id_number": [problem]},
            )
        if student.user_id is None:
            claims.student_link(actor=actor, student=student, user=actor, proof=claims.PROOF_DECLARED_EMAIL)
    existing = None
    if student is not None:
        previous = RegistrationRequest.objects.filter(student=student, academic_year=year).first()
        existing = request_reference(previous) if previous else None
    problems = rules.registration_problems(
        registration_facts(data, entry_channel=entry_channel, institution=institution, year=year, existing=existing),
        today,
    )
    if problems:
        # A request's reference is named only to the student it belongs to: for any other
        # account, it would tell which institution registered someone else's document.
        _refuse({}, problems, existing if student is not None and student.user_id == actor.pk else None)
    values = {name: getattr(data, name) for name in STUDENT_FIELDS}
    if student is None:
        student = Student.objects.create(user=actor, id_type=data.id_type, id_number=data.id_number, **values)
    else:
        for name, value in values.items():
            setattr(student, name, value)
        student.user = actor
        student.save(update_fields=[*STUDENT_FIELDS, "user", "updated_at"])
    now = clock.now()
    request = RegistrationRequest.objects.create(
        student=student,
        academic_year=year,
        institution=institution,
        aggregator=institution.category.channel.aggregator,
        track=data.track,
        fee_paying=data.fee_paying,
        registered_on=data.registered_on,
        source=RegistrationSource.PORTAL,
        no_other_coverage=True,
        consent=ConsentText.objects.order_by("-valid_from").first(),
        consented_at=now,
        acknowledged_at=now,
        submitted_at=now,
    )
    request.signed_form = signed_form_issue(request=request)
    request.save(update_fields=["signed_form"])
    timeline_event(request, RegistrationStatus.SUBMITTED, actor)
    audit_record(
        actor=actor,
        action="registration_submit",
        obj=request,
        after={"status": request.status, "institution": institution},
    )
    notify_student(request)
    return request


# The field a problem of the form belongs to; the others (another coverage, a request already
# made, registration closed) concern the whole request and are shown above the form.
PROBLEM_FIELDS: dict[str, str] = {
    EnrollmentError.DATE_OUTSIDE_YEAR: "registered_on",
    EnrollmentError.BIRTH_DATE_INVALID: "birth_date",
    EnrollmentError.AGE_LIMIT: "birth_date",
    EnrollmentError.CONSENT_REQUIRED: "consent",
    EnrollmentError.ACKNOWLEDGEMENT_REQUIRED: "acknowledged",
    EnrollmentError.WRONG_CHANNEL: "institution_id",
    EnrollmentError.INSTITUTION_NOT_ELIGIBLE: "institution_id",
    EnrollmentError.INSTITUTION_NOT_AFFILIATED: "institution_id",
}


def _refuse(field_errors: dict[str, list[str]], problems: list[str], existing: str | None = None) -> NoReturn:
    """Every problem of the form at once, each on its field: the identifiers that do not parse
    and the rules of the scheme (dates, age, consent, institution)."""
    fields = {name: list(codes) for name, codes in field_errors.items()}
    for problem in problems:
        fields.setdefault(PROBLEM_FIELDS.get(problem, "__all__"), []).append(problem)
    whole = [p for p in problems if p not in PROBLEM_FIELDS]
    first = whole[0] if whole else (problems[0] if problems else next(iter(field_errors.values()))[0])
    message = None
    if first == EnrollmentError.ALREADY_REGISTERED:
        message = (
            _("%(message)s (%(reference)s)") % {"message": DomainError(first).message, "reference": existing}
            if existing
            else _("This student is already registered elsewhere this academic year.")
        )
    raise DomainError(first, message=message, fields=fields)


@transaction.atomic
def registration_correct(*, actor: User, request: RegistrationRequest, data: RegistrationInput) -> RegistrationRequest:
    """The student corrects a request sent back by the institution; it goes back to the queue."""
    request = (
        RegistrationRequest.objects.select_for_update(of=("self",))
        .select_related("student", "institution__category__channel")
        .get(pk=request.pk)
    )
    if not rules.can_transition(request.status, RegistrationStatus.SUBMITTED):
        raise DomainError(ErrorCode.INVALID_TRANSITION)
    field_errors = clean_identity_fields(data)
    year = request.academic_year
    problems = [
        p
        for p in rules.registration_problems(
            registration_facts(data, entry_channel="", institution=request.institution, year=year, existing=None),
            clock.today(),
        )
        if p != EnrollmentError.REGISTRATION_CLOSED
    ]
    if field_errors or problems:
        _refuse(field_errors, problems)
    student = request.student
    for name in STUDENT_FIELDS:
        setattr(student, name, getattr(data, name))
    student.save(update_fields=[*STUDENT_FIELDS, "updated_at"])
    request.track, request.fee_paying, request.registered_on = (
        data.track,
        data.fee_paying,
        data.registered_on,
    )
    request.status = RegistrationStatus.SUBMITTED
    request.acknowledged_at = clock.now()
    request.signed_form = signed_form_issue(request=request)
    request.save(
        update_fields=[
            "track",
            "fee_paying",
            "registered_on",
            "status",
            "acknowledged_at",
            "signed_form",
        ]
    )
    timeline_event(request, RegistrationStatus.SUBMITTED, actor, comment=_("Corrected by the student"))
    audit_record(
        actor=actor,
        action="registration_correct",
        obj=request,
        before={"status": "to_correct"},
        after={"status": request.status},
    )
    notify_student(request)
    return request


@transaction.atomic
def registration_decide(
    *, actor: ActingUser, request: RegistrationRequest, target: str, reason: str = "", comment: str = ""
) -> RegistrationRequest:
    """The institution validates, rejects with a reason, or sends back for correction."""
    request = (
        RegistrationRequest.objects.select_for_update(of=("self",)).select_related("student__user").get(pk=request.pk)
    )
    if target not in (
        RegistrationStatus.VALIDATED,
        RegistrationStatus.REJECTED,
        RegistrationStatus.TO_CORRECT,
    ) or not rules.can_transition(request.status, target):
        raise DomainError(ErrorCode.INVALID_TRANSITION)
    problem = rules.decision_problem(target, reason, comment, RejectReason.values)
    if problem:
        raise DomainError(problem, fields={"reason": [problem]})
    before = request.status
    request.status = target
    request.decided_at = clock.now()
    request.reject_reason = reason if target == RegistrationStatus.REJECTED else ""
    request.comment = comment.strip()
    request.save(update_fields=["status", "decided_at", "reject_reason", "comment"])
    timeline_event(request, target, actor, reason=request.reject_reason, comment=request.comment)
    if target == RegistrationStatus.VALIDATED:
        from amo.contributions.services import dues_refresh

        dues_refresh(request_ids=[request.pk])
    audit_record(
        actor=actor,
        action=f"registration_{target}",
        obj=request,
        before={"status": before},
        after={"status": target},
        reason=f"{reason} {comment}".strip(),
    )
    notify_student(request)
    return request


def registration_decide_many(
    *,
    actor: ActingUser,
    requests: Iterable[RegistrationRequest],
    target: str,
    reason: str = "",
    comment: str = "",
) -> tuple[int, list[tuple[RegistrationRequest, str]]]:
    """Bulk decision: each request on its own; returns the count done and those refused, with why."""
    done, refused = 0, []
    for request in requests:
        try:
            registration_decide(actor=actor, request=request, target=target, reason=reason, comment=comment)
            done += 1
        except DomainError as exc:
            refused.append((request, exc.message))
    return done, refused


def bulk_timeline_events(where_sql: str, params: list[Any], status: str, actor: ActingUser) -> None:
    """One timeline row per request matched, written by the database in one statement."""
    table = RegistrationRequest._meta.db_table
    events = RegistrationEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {events} (request_id, status, at, actor_id, reason, comment) "
            f"SELECT id, %s, %s, %s, '', '' FROM {table} WHERE {where_sql}",
            [status, clock.now(), actor.pk if actor is not None else None, *params],
        )


def _list_rows(aggregation_list: AggregationList) -> QuerySet[Any]:
    return (
        RegistrationRequest.objects.filter(aggregation_list=aggregation_list)
        .order_by("id")
        .values_list(
            "id",
            "student__id_type",
            "student__id_number",
            "student__massar",
            "student__last_name",
            "student__first_name",
            "student__birth_date",
            "institution__code",
            "track",
            "fee_paying",
            "registered_on",
        )
    )


@transaction.atomic
def aggregation_close(*, actor: User, aggregator: Aggregator, academic_year: AcademicYear) -> AggregationList:
    """Freeze every validated request of the channel not yet listed into a numbered, hashed list.

    Set-based: one UPDATE and one INSERT of timeline rows, whatever the list's size. A request
    validated afterwards waits for the next list.
    """
    Aggregator.objects.select_for_update().get(pk=aggregator.pk)  # one closing at a time per aggregator
    pending = RegistrationRequest.objects.filter(
        aggregator=aggregator,
        academic_year=academic_year,
        status=RegistrationStatus.VALIDATED,
        aggregation_list__isnull=True,
    )
    if not pending.exists():
        raise DomainError(EnrollmentError.NOTHING_TO_CLOSE)
    sequence = AggregationList.objects.filter(aggregator=aggregator, academic_year=academic_year).count() + 1
    now = clock.now()
    aggregation_list = AggregationList.objects.create(
        number=rules.list_number(aggregator.code, academic_year.code, sequence),
        aggregator=aggregator,
        academic_year=academic_year,
        closed_at=now,
        closed_by=actor,
        row_count=0,
        content_hash="",
    )
    pending.update(aggregation_list=aggregation_list, status=RegistrationStatus.IN_LIST)
    bulk_timeline_events("aggregation_list_id = %s", [aggregation_list.pk], RegistrationStatus.IN_LIST, actor)
    aggregation_list.content_hash, aggregation_list.row_count = rules.list_hash(
        _list_rows(aggregation_list).iterator(chunk_size=20000)
    )
    aggregation_list.save(update_fields=["content_hash", "row_count"])
    audit_record(
        actor=actor,
        action="aggregation_close",
        obj=aggregation_list,
        after={"rows": aggregation_list.row_count, "hash": aggregation_list.content_hash},
    )
    _notify_list(aggregation_list, RegistrationStatus.IN_LIST)
    return aggregation_list


@transaction.atomic
def aggregation_send(*, actor: ActingUser, aggregation_list: AggregationList) -> AggregationList:
    aggregation_list = AggregationList.objects.select_for_update().get(pk=aggregation_list.pk)
    if aggregation_list.status == AggregationStatus.SENT:
        raise DomainError(EnrollmentError.LIST_ALREADY_SENT)
    aggregation_list.status = AggregationStatus.SENT
    aggregation_list.sent_at = clock.now()
    aggregation_list.save(update_fields=["status", "sent_at"])
    RegistrationRequest.objects.filter(aggregation_list=aggregation_list).update(
        status=RegistrationStatus.SENT_TO_CNOPS
    )
    bulk_timeline_events("aggregation_list_id = %s", [aggregation_list.pk], RegistrationStatus.SENT_TO_CNOPS, actor)
    audit_record(
        actor=actor,
        action="aggregation_send",
        obj=aggregation_list,
        after={"status": aggregation_list.status},
    )
    _notify_list(aggregation_list, RegistrationStatus.SENT_TO_CNOPS)
    return aggregation_list


def _notify_list(aggregation_list: AggregationList, status: str) -> None:
    from amo.enrollment.tasks import notify_list_students

    list_id = aggregation_list.pk
    transaction.on_commit(lambda: notify_list_students.enqueue(list_id, status))


def notify_list_students_now(*, list_id: int, status: str = "", batch: int = 500) -> int:
    """E-mail the students of a list the step it just made (run by the worker, in batches). A
    student whose request has already moved on when the worker runs gets no stale e-mail: the
    later step sends its own."""
    sent = 0
    qs = (
        RegistrationRequest.objects.filter(aggregation_list_id=list_id, **({"status": status} if status else {}))
        .exclude(student__email="")
        .select_related("student__user", "institution", "academic_year")
    )
    for request in qs.iterator(chunk_size=batch):
        with transaction.atomic():
            notify_student(request)
        sent += 1
    return sent


@transaction.atomic
def certification_sign(
    *, actor: User, legal_entity: LegalEntity, academic_year: AcademicYear, payment_references: str
) -> Certification:
    """The legal entity signs its list: who, when, the content's hash, the payment references."""
    rows = selectors.certification_rows(legal_entity, academic_year)
    if not rows.exists():
        raise DomainError(EnrollmentError.NOTHING_TO_CERTIFY)
    if not rows.filter(certification__isnull=True).exists():  # the same list signed twice
        raise DomainError(EnrollmentError.ALREADY_CERTIFIED)
    contribution_due = (
        rows.filter(fee_paying=True).exists()
        or rows.filter(institution__category__contribution_regime="collected").exists()
    )
    if contribution_due and not payment_references.strip():
        raise DomainError(
            EnrollmentError.PAYMENT_REFERENCE_REQUIRED,
            fields={"payment_references": [EnrollmentError.PAYMENT_REFERENCE_REQUIRED]},
        )
    content_hash, count = rules.list_hash(
        rows.order_by("id")
        .values_list("id", "student__id_number", "institution__code", "fee_paying")
        .iterator(chunk_size=20000)
    )
    certification = Certification.objects.create(
        legal_entity=legal_entity,
        academic_year=academic_year,
        certified_by=actor,
        certified_at=clock.now(),
        row_count=count,
        content_hash=content_hash,
        payment_references=payment_references.strip(),
    )
    rows.update(certification=certification)
    audit_record(
        actor=actor,
        action="certification_sign",
        obj=certification,
        after={"rows": count, "hash": content_hash},
    )
    return certification


def signed_form_issue(*, request: RegistrationRequest) -> Any:
    """The bilingual registration form with its electronic acknowledgement, as a verifiable PDF."""
    with translation.override("fr"):
        return document_issue(
            kind="registration_form",
            template="enrollment/registration_form.html",
            context={
                "request": request,
                "student": request.student,
                "reference": request_reference(request),
            },
            title=both_languages(
                lambda: _("Registration form %(reference)s") % {"reference": request_reference(request)}
            ),
            holder=f"{request.student.last_name} {request.student.first_name}",
            obj=request,
        )


def input_from_request(request: RegistrationRequest) -> dict[str, Any]:
    """The form's initial values from a previous request (re-registration, correction)."""
    student = request.student
    initial = {name: getattr(student, name) for name in STUDENT_FIELDS}
    initial.update(
        id_type=student.id_type,
        id_number=student.id_number,
        institution_id=request.institution_id,
        track=request.track,
        fee_paying=request.fee_paying,
    )
    return initial


def registration_input(**values: Any) -> RegistrationInput:
    names = {f.name for f in fields(RegistrationInput)}
    return RegistrationInput(**{k: v for k, v in values.items() if k in names})
