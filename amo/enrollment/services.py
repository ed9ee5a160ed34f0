"""Writes of registration: submit, correct, decide, close and send lists, certify.

Every change of a request's status writes its timeline event and audit row, and e-mails the
student after commit.
"""

import copy
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any, NoReturn

from django.db import connection, transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.expressions import Combinable
from django.utils import translation
from django.utils.translation import gettext as _

from amo.accounts.actors import ActingUser
from amo.accounts.models import User
from amo.common import clock, transitions
from amo.common.apitypes import MAX_ID
from amo.common.errors import DomainError, ErrorCode, NotFound
from amo.common.identifiers import (
    InvalidIdentifier,
    normalise_massar,
    normalise_phone,
    normalise_rib,
)
from amo.common.services import audit_record, audit_record_set
from amo.documents.errors import DocumentError
from amo.documents.services import both_languages, document_issue
from amo.enrollment import claims, duplicates, ribs, rules, selectors, signals
from amo.enrollment.errors import EnrollmentError, EnrollmentMoreError
from amo.enrollment.models import (
    AggregationList,
    AggregationStatus,
    Certification,
    ConsentText,
    DuplicateDecision,
    ProbableDuplicate,
    RegistrationEvent,
    RegistrationRequest,
    RegistrationSource,
    RegistrationStatus,
    RejectReason,
    Student,
)
from amo.notifications.services import email_queue
from amo.organisations.models import Aggregator, ContributionRegime, Institution, LegalEntity
from amo.organisations.selectors import contribution_regimes_on
from amo.referentials.models import AcademicYear
from amo.referentials.selectors import parameter_int, parameter_text, regime_end, regime_refuse_after_end


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
        minimum_age=parameter_int("minimum_age_years", year.starts_on),
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
        regime_ends_on=regime_end(clock.today()),
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


def notify_student(request: RegistrationRequest, detail: Any = "", attachment: Any = None) -> None:
    """E-mail the student the request's new status; `detail` (a lazy text: translated in the
    student's language) says why, for statuses set by CNOPS; `attachment`: the signed form."""
    student = request.student
    if not student.email:
        return
    language = getattr(student.user, "preferred_language", None) or "fr"
    email_queue(
        to=student.email,
        template="enrollment/email/status_changed",
        context={"request": request, "student": student, "detail": detail, "attached": attachment is not None},
        language=language,
        attachment=attachment,
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
        _refuse(field_errors, rules.registration_problems(facts, today), details=age_details(facts, year))
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
    facts = registration_facts(data, entry_channel=entry_channel, institution=institution, year=year, existing=existing)
    problems = rules.registration_problems(facts, today)
    if problems:
        # A request's reference is named only to the student it belongs to: for any other
        # account, it would tell which institution registered someone else's document.
        _refuse(
            {},
            problems,
            existing if student is not None and student.user_id == actor.pk else None,
            details=age_details(facts, year),
        )
    values = {name: getattr(data, name) for name in STUDENT_FIELDS}
    if student is None:
        student = Student.objects.create(user=actor, id_type=data.id_type, id_number=data.id_number, **values)
    else:
        held_rib = _hold_rib(student, values)
        for name, value in values.items():
            setattr(student, name, value)
        student.user = actor
        student.save(update_fields=[*STUDENT_FIELDS, "user", "updated_at"])
        if held_rib:
            ribs.rib_change_queue(actor=actor, student=student, rib=held_rib)
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
    timeline_event(request, RegistrationStatus.SUBMITTED, actor)
    audit_record(
        actor=actor,
        action="registration_submit",
        obj=request,
        after={"status": request.status, "institution": institution},
    )
    _signed_form_after_commit(request)  # the PDF and the e-mail that carries it: by the worker
    duplicates.duplicates_flag(requests=RegistrationRequest.objects.filter(pk=request.pk))
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


def age_details(facts: rules.RegistrationFacts, year: AcademicYear) -> dict[str, dict[str, object]]:
    """What the age limit's message names: the limit, the date it is measured on and the year."""
    return {
        EnrollmentError.AGE_LIMIT: {
            "limit": facts.age_limit,
            "date": rules.age_reference_date(facts),
            "year": year.code,
        }
    }


def _refuse(
    field_errors: dict[str, list[str]],
    problems: list[str],
    existing: str | None = None,
    *,
    details: dict[str, dict[str, object]] | None = None,
) -> NoReturn:
    """Every problem of the form at once, each on its field: the identifiers that do not parse
    and the rules of the scheme (dates, age, consent, institution); the age limit with its figures."""
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
    raise DomainError(first, message=message, fields=fields, details=details)


@transaction.atomic
def _hold_rib(student: Student, values: dict[str, Any]) -> str:
    """A RIB already on the record changes only through the link e-mailed to the account
    (decision 0015): another one typed in a new registration or a correction is kept pending
    (returned, for `ribs.rib_change_queue`) and the record keeps its own; a blank one does not
    remove it. The first RIB declared is taken with the registration it is signed with."""
    new = values.get("rib", "")
    if not student.rib or new == student.rib:
        return ""
    values["rib"] = student.rib
    return str(new)


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
    facts = registration_facts(data, entry_channel="", institution=request.institution, year=year, existing=None)
    problems = [
        p for p in rules.registration_problems(facts, clock.today()) if p != EnrollmentError.REGISTRATION_CLOSED
    ]
    if field_errors or problems:
        _refuse(field_errors, problems, details=age_details(facts, year))
    student = request.student
    # The identity document is corrected like every other field the form shows; a number that
    # another record holds is refused (the two records are the same person's only with a proof).
    before_identity = {"id_type": student.id_type, "id_number": student.id_number}
    identity = {"id_type": data.id_type, "id_number": data.id_number}
    if identity != before_identity:
        if Student.objects.filter(**identity).exclude(pk=student.pk).exists():
            taken = EnrollmentMoreError.IDENTITY_TAKEN
            raise DomainError(taken, fields={"id_number": [taken]})
        student.id_type, student.id_number = data.id_type, data.id_number
    values = {name: getattr(data, name) for name in STUDENT_FIELDS}
    held_rib = _hold_rib(student, values)
    for name, value in values.items():
        setattr(student, name, value)
    student.save(update_fields=["id_type", "id_number", *STUDENT_FIELDS, "updated_at"])
    if held_rib:
        ribs.rib_change_queue(actor=actor, student=student, rib=held_rib)
    request.track, request.fee_paying, request.registered_on = (
        data.track,
        data.fee_paying,
        data.registered_on,
    )
    request.status = RegistrationStatus.SUBMITTED
    request.acknowledged_at = clock.now()
    request.signed_form = None  # the corrected form is rendered by the worker; the old one stays verifiable
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
        before={"status": "to_correct", **(before_identity if identity != before_identity else {})},
        after={"status": request.status, **(identity if identity != before_identity else {})},
    )
    _signed_form_after_commit(request)
    duplicates.duplicates_flag(requests=RegistrationRequest.objects.filter(pk=request.pk))  # names may have changed
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
    if target != RegistrationStatus.REJECTED:  # law 54.23: a rejection only, once the regime has ended
        regime_refuse_after_end(clock.today())
    before = request.status
    request.status = target
    request.decided_at = clock.now()
    request.reject_reason = reason if target == RegistrationStatus.REJECTED else ""
    request.comment = comment.strip()
    request.save(update_fields=["status", "decided_at", "reject_reason", "comment"])
    timeline_event(request, target, actor, reason=request.reject_reason, comment=request.comment)
    if target == RegistrationStatus.VALIDATED:
        signals.registration_validated.send(sender=RegistrationRequest, request_ids=[request.pk])
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


@transaction.atomic
def duplicate_decide(*, actor: ActingUser, duplicate: ProbableDuplicate, decision: str) -> ProbableDuplicate:
    """The institution of the later request decides a probable duplicate: not the same person
    (both kept), or the same (the later request rejected with the reason "duplicate", while it
    still waits for the institution's decision). Never merged; audited."""
    found = ProbableDuplicate.objects.select_for_update().select_related("request").get(pk=duplicate.pk)
    if found.decision != DuplicateDecision.PENDING:
        raise DomainError(EnrollmentMoreError.DUPLICATE_DECIDED)
    if decision not in (DuplicateDecision.DISTINCT, DuplicateDecision.DUPLICATE):
        raise DomainError(ErrorCode.INVALID_INPUT, fields={"decision": [ErrorCode.INVALID_INPUT]})
    if decision == DuplicateDecision.DUPLICATE:
        if not rules.can_transition(found.request.status, RegistrationStatus.REJECTED):
            raise DomainError(EnrollmentMoreError.DUPLICATE_TOO_LATE)
        registration_decide(
            actor=actor, request=found.request, target=RegistrationStatus.REJECTED, reason=RejectReason.DUPLICATE
        )
    found.decision = decision
    found.decided_by = actor if getattr(actor, "pk", None) else None
    found.decided_at = clock.now()
    found.save(update_fields=["decision", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="probable_duplicate_decide",
        obj=found,
        before={"decision": DuplicateDecision.PENDING},
        after={"decision": decision, "other": found.other_id},
    )
    duplicate.decision = decision
    return found


# ----------------------------------------------------------------------------------------------
# The request's status beyond the institution's decision: enrollment alone writes it, through
# rules.TRANSITIONS; eligibility and coverage ask here (decision record 0013).


@transaction.atomic
def registration_move(
    *,
    actor: ActingUser,
    request: RegistrationRequest,
    target: str,
    action: str = "",
    reason: str = "",
    comment: str = "",
    detail: Any = "",
) -> RegistrationRequest:
    """Move one request to `target` if the table allows it (else a coded refusal): its status, its
    timeline event, its audit row, and the e-mail to the student (`detail`: why, lazily
    translated). The caller's object is brought up to date too."""
    locked = (
        RegistrationRequest.objects.select_for_update(of=("self",)).select_related("student__user").get(pk=request.pk)
    )
    if not rules.can_transition(locked.status, target):
        raise DomainError(ErrorCode.INVALID_TRANSITION)
    before = locked.status
    locked.status = request.status = target
    locked.save(update_fields=["status"])
    timeline_event(locked, target, actor, reason=reason, comment=comment[:2000])
    audit_record(
        actor=actor,
        action=action or f"registration_{target}",
        obj=locked,
        before={"status": before},
        after={"status": target},
        reason=f"{reason} {comment}".strip(),
    )
    notify_student(locked, detail=detail)
    return locked


def registrations_move(
    *,
    actor: ActingUser,
    requests: QuerySet[RegistrationRequest],
    target: str,
    action: str,
    reason: str | Combinable = "",
    comment: str | Combinable = "",
    also: dict[str, Any] | None = None,
) -> int:
    """Move a set of requests to `target` in SQL, whatever its size: the requests of the set whose
    status may reach `target` (rules.TRANSITIONS) move, the others are left as they are. One
    INSERT … SELECT of timeline events, one of audit rows (one per request, as a bulk decision
    writes), one UPDATE (with the fields of `also`). `reason` and `comment` are texts or
    expressions of each request's row (e.g. a verdict's reason). E-mails are the caller's: a set
    is announced by a task. Returns how many moved. Run it inside the caller's transaction."""
    if target not in RegistrationStatus.values:
        raise ValueError(target)
    movable = requests.filter(status__in=rules.sources_of(target)).order_by()
    rows = movable.annotate(
        event_reason=reason if isinstance(reason, Combinable) else Value(reason, output_field=CharField()),
        event_comment=comment if isinstance(comment, Combinable) else Value(comment, output_field=CharField()),
    ).values_list("id", "event_reason", "event_comment")
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RegistrationEvent._meta.db_table} (request_id, status, at, actor_id, reason, comment) "
            f"SELECT t.id, %s, %s, %s, t.event_reason, t.event_comment FROM ({sql}) t",
            [target, clock.now(), actor.pk if actor is not None else None, *params],
        )
    audit_record_set(
        actor=actor,
        action=action,
        objects=movable,
        before={"status": "status"},
        after={"status": target},
        reason=reason,
    )
    return movable.update(status=target, **(also or {}))


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
    regime_refuse_after_end(clock.today())  # law 54.23: no list after the regime's end
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
    registrations_move(
        actor=actor,
        requests=pending,
        target=RegistrationStatus.IN_LIST,
        action="registration_in_list",
        also={"aggregation_list": aggregation_list},
    )
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
    if not transitions.allowed(rules.AGGREGATION_TRANSITIONS, aggregation_list.status, AggregationStatus.SENT):
        raise DomainError(EnrollmentError.LIST_ALREADY_SENT)
    regime_refuse_after_end(clock.today())  # law 54.23: no list after the regime's end
    aggregation_list.status = AggregationStatus.SENT
    aggregation_list.sent_at = clock.now()
    aggregation_list.save(update_fields=["status", "sent_at"])
    registrations_move(
        actor=actor,
        requests=RegistrationRequest.objects.filter(aggregation_list=aggregation_list),
        target=RegistrationStatus.SENT_TO_CNOPS,
        action="registration_sent_to_cnops",
    )
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
    regimes = contribution_regimes_on(academic_year.starts_on)  # dated data (issue 13, rule 6)
    collected = [pk for pk, regime in regimes.items() if regime == ContributionRegime.COLLECTED_BY_INSTITUTION]
    contribution_due = (
        rows.filter(fee_paying=True).exists() or rows.filter(institution__category_id__in=collected).exists()
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


def _signed_form_after_commit(request: RegistrationRequest) -> None:
    """The signed form is rendered by the worker once the submit is committed: no PDF inside the
    request or its transaction (the page and the API say "being prepared" until it exists)."""
    from amo.enrollment.tasks import signed_form_render

    request_id = request.pk
    transaction.on_commit(lambda: signed_form_render.enqueue(request_id))


def signed_form_render_now(*, request_id: int) -> Any:
    """The worker's job after a submit or a correction: the signed form, then the e-mail that
    says the request is submitted and carries the form. Run twice, it does nothing more."""
    with transaction.atomic():
        request = (
            RegistrationRequest.objects.select_for_update(of=("self",))
            .select_related("student__user", "academic_year", "institution")
            .filter(pk=request_id)
            .first()
        )
        if request is None or request.signed_form_id is not None:
            return None
        request.signed_form = signed_form_issue(request=request)
        request.save(update_fields=["signed_form"])
        # The e-mail reports the submission, even if the institution has decided meanwhile (its
        # decision has its own e-mail).
        submitted = copy.copy(request)
        submitted.status = RegistrationStatus.SUBMITTED
        notify_student(submitted, attachment=request.signed_form)
        return request.signed_form


def signed_form_state(request: RegistrationRequest) -> str:
    """ "ready", "being_prepared" (acknowledged by the student: the worker renders it) or "none"
    (a request an institution uploaded, never acknowledged, has no signed form)."""
    if request.signed_form_id is not None:
        return "ready"
    return "being_prepared" if request.acknowledged_at is not None else "none"


def signed_form_document(request: RegistrationRequest) -> Any:
    """The signed form to download; 202 while the worker prepares it, 404 if there is none."""
    state = signed_form_state(request)
    if state == "being_prepared":
        raise DomainError(DocumentError.PENDING)
    if state == "none":
        raise NotFound()
    return request.signed_form


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
