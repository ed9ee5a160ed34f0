"""Every write of medical control: a request sent (by a provider, or from a student's care
file), routed, held, decided (agreement, refusal, request for information), confirmed, answered,
withdrawn; the decision's document and e-mails. Each is atomic, checks the transition table and
writes its audit row; e-mails and the document go after the commit."""

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from amo.accounts.actors import ActingUser
from amo.accounts.models import Membership, Role
from amo.approvals import rules, selectors
from amo.approvals.errors import ApprovalError
from amo.approvals.models import ApprovalRequest, ApprovalSource, ApprovalStatus, Attachment
from amo.common import clock
from amo.common.errors import DomainError, ErrorCode
from amo.common.services import audit_record
from amo.coverage import selectors as coverage
from amo.documents.errors import DocumentError
from amo.documents.models import DocumentKind
from amo.documents.services import both_languages, document_issue
from amo.notifications.services import email_queue
from amo.organisations.models import CareProvider
from amo.referentials.selectors import parameter_decimal, parameter_int


class Upload(Protocol):
    """A file sent by a page or the API (Django's UploadedFile)."""

    name: str | None
    size: int | None

    def read(self, size: int = -1, /) -> bytes: ...


def _refuse(code: str, field: str) -> DomainError:
    return DomainError(code, fields={field: [str(DomainError(code).message)]})


def _read_upload(upload: Upload) -> tuple[str, bytes, str]:
    """(name, content, content type) of a valid attachment; a coded refusal otherwise."""
    name = (upload.name or "")[-200:]
    size = int(upload.size or 0)
    if size > rules.MAX_ATTACHMENT_BYTES:  # refused before it is read
        raise _refuse(ApprovalError.FILE_TOO_BIG, "attachments")
    content = upload.read(rules.MAX_ATTACHMENT_BYTES + 1)
    try:
        content_type = rules.attachment_type(name, content[:16], len(content))
    except ValueError as exc:
        raise _refuse(str(exc), "attachments") from exc
    return name, content, content_type


def _store(request: ApprovalRequest, files: Sequence[tuple[str, bytes, str]], *, with_answer: bool) -> None:
    now = clock.now()
    for name, content, content_type in files:
        attachment = Attachment(
            request=request,
            name=name,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            with_answer=with_answer,
            uploaded_at=now,
        )
        attachment.file.save("attachment", ContentFile(content), save=False)
        attachment.save()


def _locked(request: ApprovalRequest) -> ApprovalRequest:
    return ApprovalRequest.objects.select_for_update(of=("self",)).select_related("kind").get(pk=request.pk)


def _move(request: ApprovalRequest, target: str, *, already_decided: bool = True) -> None:
    if not rules.can_transition(request.status, target):
        code = ApprovalError.ALREADY_DECIDED if request.status in rules.DECIDED and already_decided else None
        raise DomainError(code or ErrorCode.INVALID_TRANSITION)
    request.status = target


def _audit(
    actor: ActingUser, action: str, request: ApprovalRequest, before: str, reason: str = "", **after: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=request,
        before={"status": before},
        after={"status": request.status, **after},
        reason=reason,
    )


# ----------------------------------------------------------------------------------------------
# A request sent.


def _checked_request(
    *,
    id_number: str,
    kind_code: str,
    planned_from: dt.date,
    planned_to: dt.date | None,
    diagnosis: str,
    planned_acts: str,
    quote: Decimal,
    for_providers: bool,
) -> dict[str, Any]:
    today = clock.today()
    problems: dict[str, list[str]] = {}

    def problem(code: str, field: str) -> None:
        problems.setdefault(field, []).append(str(DomainError(code).message))

    kind = selectors.kind_get(kind_code, today)
    if kind is None or (for_providers and not kind.for_providers):
        problem(ApprovalError.UNKNOWN_KIND, "kind")
    dates = rules.planned_dates_problem(planned_from, planned_to, today)
    if dates:
        problem(dates, "planned_to" if dates == ApprovalError.DATES_REVERSED else "planned_from")
    code = selectors.icd10_get(diagnosis, today)
    if code is None:
        problem(ApprovalError.UNKNOWN_ICD10, "diagnosis")
    try:
        rules.parse_acts(planned_acts)
    except ValueError:
        problem(ApprovalError.ACTS_FORMAT, "planned_acts")
    if quote is None or quote <= 0:
        problem(ApprovalError.AMOUNT, "quote")
    insured = coverage.insured_by_document(id_number)
    if insured is None:
        problem(ApprovalError.NOT_INSURED, "id_number")
    elif not dates and not coverage.rights_lookup(id_number=id_number, on=planned_from).covered:
        problem(ApprovalError.NOT_COVERED, "id_number")
    if problems:
        first = next(iter(problems.values()))[0]
        codes = [c for c in ApprovalError if str(c.label) == first]
        raise DomainError(codes[0] if codes else ErrorCode.INVALID_INPUT, message=first, fields=problems)
    return {"kind": kind, "diagnosis": code, "insured": insured}


def _route(*, region_id: int, kind_code: str, amount: Decimal) -> int:
    today = clock.today()
    central = selectors.central_office()
    office_id = rules.route(
        selectors.routes_in_force(today),
        region_id=region_id,
        kind=kind_code,
        amount=amount,
        delegation_of_region=selectors.delegation_of_region(region_id),
        central_id=central.pk,
    )
    if office_id is None:
        raise DomainError(ApprovalError.NO_ROUTE)
    return office_id


def _service_hours(urgent: bool) -> int:
    key = "approval_urgent_service_hours" if urgent else "approval_service_hours"
    return parameter_int(key, clock.today())


def _create(*, actor: ActingUser, values: dict[str, Any], region_id: int, **fields: Any) -> ApprovalRequest:
    now = clock.now()
    request = ApprovalRequest(
        **fields,
        kind=values["kind"],
        diagnosis=values["diagnosis"],
        insured=values["insured"],
        office_id=_route(region_id=region_id, kind_code=values["kind"].code, amount=fields["quote"]),
        status=rules.SUBMITTED,
        submitted_at=now,
        due_at=rules.due_at(now, _service_hours(fields["urgent"])),
        created_by=actor,
    )
    request.save()
    request.number = f"PEC{clock.date_of(now).year}{request.pk:08d}"
    request.save(update_fields=["number"])
    audit_record(
        actor=actor,
        action="approval_submit",
        obj=request,
        after={"status": request.status, "office": request.office_id, "number": request.number},
    )
    return request


def approval_request_submit(
    *,
    actor: ActingUser,
    provider: CareProvider,
    id_number: str,
    kind_code: str,
    planned_from: dt.date,
    planned_to: dt.date | None,
    diagnosis: str,
    planned_acts: str,
    quote: Decimal,
    urgent: bool,
    files: Sequence[Upload] = (),
) -> ApprovalRequest:
    """A care provider's PEC request: the student covered on the planned date, routed to the
    office that decides it, its clock started against the service level."""
    values = _checked_request(
        id_number=id_number,
        kind_code=kind_code,
        planned_from=planned_from,
        planned_to=planned_to,
        diagnosis=diagnosis,
        planned_acts=planned_acts,
        quote=quote,
        for_providers=True,
    )
    if len(files) > rules.MAX_ATTACHMENTS:
        raise _refuse(ApprovalError.FILE_TOO_MANY, "attachments")
    read = [_read_upload(f) for f in files]
    with transaction.atomic():
        request = _create(
            actor=actor,
            values=values,
            region_id=provider.region_id,
            source=ApprovalSource.PROVIDER,
            provider=provider,
            planned_from=planned_from,
            planned_to=planned_to,
            planned_acts=planned_acts.strip().upper(),
            quote=quote,
            urgent=urgent,
        )
        _store(request, read, with_answer=False)
    return request


def approval_request_from_care_file(
    *,
    actor: ActingUser,
    care_file_ref: str,
    id_number: str,
    region_id: int,
    kind_code: str,
    planned_from: dt.date,
    planned_to: dt.date | None,
    diagnosis: str,
    planned_acts: str,
    quote: Decimal,
    urgent: bool = False,
) -> ApprovalRequest:
    """A student's prior-approval, ALD-exemption or costly-drug request deposited as a care file
    (claims calls this with plain values): the same checks, the same routing (by the region of
    the deposit point), the same queue. Idempotent on the care file's reference."""
    existing = ApprovalRequest.objects.filter(source=ApprovalSource.CARE_FILE, care_file_ref=care_file_ref).first()
    if existing is not None:
        return existing
    values = _checked_request(
        id_number=id_number,
        kind_code=kind_code,
        planned_from=planned_from,
        planned_to=planned_to,
        diagnosis=diagnosis,
        planned_acts=planned_acts,
        quote=quote,
        for_providers=False,
    )
    with transaction.atomic():
        return _create(
            actor=actor,
            values=values,
            region_id=region_id,
            source=ApprovalSource.CARE_FILE,
            care_file_ref=care_file_ref,
            planned_from=planned_from,
            planned_to=planned_to,
            planned_acts=planned_acts.strip().upper(),
            quote=quote,
            urgent=urgent,
        )


# ----------------------------------------------------------------------------------------------
# The controller's hold.


def _hold(actor: ActingUser, request: ApprovalRequest) -> None:
    """The controller holds the request (taking it when nobody does); another's hold refuses."""
    if request.held_by_id is not None and (actor is None or request.held_by_id != actor.pk):
        raise DomainError(ApprovalError.HELD_BY_OTHER)
    request.held_by = actor


def approval_take(*, actor: ActingUser, request: ApprovalRequest) -> ApprovalRequest:
    with transaction.atomic():
        request = _locked(request)
        if request.status not in rules.OPEN:
            raise DomainError(ApprovalError.ALREADY_DECIDED)
        _hold(actor, request)
        request.save(update_fields=["held_by"])
        audit_record(actor=actor, action="approval_take", obj=request, after={"held_by": request.held_by_id})
    return request


def approval_release(*, actor: ActingUser, request: ApprovalRequest) -> ApprovalRequest:
    with transaction.atomic():
        request = _locked(request)
        if request.held_by_id is None or actor is None or request.held_by_id != actor.pk:
            raise DomainError(ApprovalError.NOT_HELD)
        request.held_by = None
        request.save(update_fields=["held_by"])
        audit_record(actor=actor, action="approval_release", obj=request, before={"held_by": actor.pk})
    return request


# ----------------------------------------------------------------------------------------------
# Decisions.


def approval_agree(
    *,
    actor: ActingUser,
    request: ApprovalRequest,
    ceiling: Decimal,
    sessions: int | None,
    valid_from: dt.date,
    valid_to: dt.date,
    comment: str = "",
) -> ApprovalRequest:
    """An agreement, total (the quote) or partial (a lower ceiling, a number of sessions, a
    validity period). Above the threshold it waits for a second controller's confirmation."""
    problem = rules.agreement_problem(ceiling, valid_from, valid_to)
    if problem:
        raise _refuse(problem, "ceiling" if problem == ApprovalError.CEILING else "valid_to")
    with transaction.atomic():
        request = _locked(request)
        before = request.status
        _hold(actor, request)
        threshold = parameter_decimal("approval_confirmation_amount", clock.today())
        target = rules.CONFIRMATION if rules.needs_confirmation(ceiling, threshold) else rules.AGREED
        _move(request, target)
        request.ceiling, request.sessions = ceiling, sessions
        request.valid_from, request.valid_to = valid_from, valid_to
        request.partial = rules.is_partial(ceiling, request.quote) or sessions is not None
        request.comment = comment
        request.decided_by, request.decided_at = actor, clock.now()
        request.held_by = None if target == rules.AGREED else request.held_by
        request.save(
            update_fields=[
                "status",
                "ceiling",
                "sessions",
                "valid_from",
                "valid_to",
                "partial",
                "comment",
                "decided_by",
                "decided_at",
                "held_by",
            ]
        )
        _audit(actor, "approval_agree", request, before, comment, ceiling=str(ceiling), sessions=sessions)
        if target == rules.AGREED:
            _after_decision(request)
    return request


def approval_confirm(
    *, actor: ActingUser, request: ApprovalRequest, confirm: bool, comment: str = ""
) -> ApprovalRequest:
    """The second controller confirms an agreement above the threshold, or sends it back to the
    queue (the first decision undone, the clock running on)."""
    with transaction.atomic():
        request = _locked(request)
        before = request.status
        if request.status != rules.CONFIRMATION:
            raise DomainError(
                ApprovalError.ALREADY_DECIDED if request.status in rules.DECIDED else ErrorCode.INVALID_TRANSITION
            )
        if actor is None or request.decided_by_id == actor.pk:
            raise DomainError(ApprovalError.SAME_CONTROLLER)
        if confirm:
            _move(request, rules.AGREED)
            request.confirmed_by = actor
            request.decided_at = clock.now()
        else:
            _move(request, rules.SUBMITTED)
            request.ceiling = request.sessions = request.valid_from = request.valid_to = None
            request.decided_by = request.decided_at = None
            request.partial = False
        request.held_by = None
        request.save(
            update_fields=[
                "status",
                "confirmed_by",
                "decided_at",
                "decided_by",
                "ceiling",
                "sessions",
                "valid_from",
                "valid_to",
                "partial",
                "held_by",
            ]
        )
        _audit(actor, "approval_confirm" if confirm else "approval_confirmation_declined", request, before, comment)
        if confirm:
            _after_decision(request)
    return request


def approval_refuse(
    *, actor: ActingUser, request: ApprovalRequest, reason_code: str, comment: str = ""
) -> ApprovalRequest:
    reason = selectors.reason_get(reason_code, clock.today())
    if reason is None:
        raise _refuse(ApprovalError.REASON_REQUIRED, "reason")
    with transaction.atomic():
        request = _locked(request)
        before = request.status
        _hold(actor, request)
        _move(request, rules.REFUSED)
        _resume_clock(request)  # refused while waiting for an answer: the wait is over
        request.refusal_reason, request.comment = reason, comment
        request.decided_by, request.decided_at = actor, clock.now()
        request.held_by = None
        request.save(
            update_fields=[
                "status",
                "due_at",
                "waiting_since",
                "waiting",
                "refusal_reason",
                "comment",
                "decided_by",
                "decided_at",
                "held_by",
            ]
        )
        _audit(actor, "approval_refuse", request, before, comment, refusal_reason=reason.code)
        _after_decision(request)
    return request


def approval_information_request(*, actor: ActingUser, request: ApprovalRequest, question: str) -> ApprovalRequest:
    """Ask the provider for information: the clock stops until the answer."""
    if not question.strip():
        raise _refuse(ApprovalError.QUESTION_REQUIRED, "question")
    with transaction.atomic():
        request = _locked(request)
        before = request.status
        _hold(actor, request)
        _move(request, rules.INFORMATION)
        request.question, request.question_withdrawn, request.answer = question.strip(), False, ""
        request.waiting_since, request.waiting = clock.now(), True
        request.held_by = None
        request.save(
            update_fields=["status", "question", "question_withdrawn", "answer", "waiting_since", "waiting", "held_by"]
        )
        _audit(actor, "approval_information_request", request, before, question.strip())
        _email_provider(request, "approvals/email/information_requested")
    return request


def _resume_clock(request: ApprovalRequest) -> None:
    if request.waiting_since is not None:
        request.due_at = rules.due_after_wait(request.due_at, request.waiting_since, clock.now())
        request.waiting_since = None
    request.waiting = False


def approval_information_withdraw(*, actor: ActingUser, request: ApprovalRequest) -> ApprovalRequest:
    """The controller withdraws its question (it decides without the answer): the request is back
    in the queue, its clock running again, and an answer sent later is refused."""
    with transaction.atomic():
        request = _locked(request)
        before = request.status
        if request.status != rules.INFORMATION:
            raise DomainError(ErrorCode.INVALID_TRANSITION)
        _move(request, rules.SUBMITTED)
        _resume_clock(request)
        request.question_withdrawn = True
        request.save(update_fields=["status", "due_at", "waiting_since", "waiting", "question_withdrawn"])
        _audit(actor, "approval_information_withdraw", request, before)
    return request


def approval_answer(
    *, actor: ActingUser, request: ApprovalRequest, answer: str, files: Sequence[Upload] = ()
) -> ApprovalRequest:
    """The provider's answer: back in the queue, the clock running again from where it stopped."""
    if not answer.strip() and not files:
        raise _refuse(ApprovalError.ANSWER_REQUIRED, "answer")
    read = [_read_upload(f) for f in files]
    with transaction.atomic():
        request = _locked(request)
        before = request.status
        if request.question_withdrawn or (request.status != rules.INFORMATION and request.question):
            raise DomainError(ApprovalError.INFORMATION_WITHDRAWN)
        _move(request, rules.SUBMITTED)
        if request.attachments.count() + len(read) > rules.MAX_ATTACHMENTS:
            raise _refuse(ApprovalError.FILE_TOO_MANY, "attachments")
        _resume_clock(request)
        request.answer = answer.strip()
        request.save(update_fields=["status", "due_at", "waiting_since", "waiting", "answer"])
        _store(request, read, with_answer=True)
        _audit(actor, "approval_answer", request, before)
    return request


def approval_withdraw(*, actor: ActingUser, request: ApprovalRequest) -> ApprovalRequest:
    """The provider withdraws its request before a decision."""
    with transaction.atomic():
        request = _locked(request)
        before = request.status
        _move(request, rules.WITHDRAWN)
        _resume_clock(request)
        request.held_by = None
        request.save(update_fields=["status", "due_at", "waiting_since", "waiting", "held_by"])
        _audit(actor, "approval_withdraw", request, before)
    return request


# ----------------------------------------------------------------------------------------------
# After a decision: the document (by the worker) and the e-mails (no medical details).


def _after_decision(request: ApprovalRequest) -> None:
    from amo.approvals.tasks import decision_document  # the tasks module imports these services

    transaction.on_commit(lambda: decision_document.enqueue(request.pk))
    _email_provider(request, "approvals/email/decided")
    student = request.insured.student
    if student.email:
        language = getattr(student.user, "preferred_language", None) or "fr"
        email_queue(
            to=student.email,
            template="approvals/email/decided_student",
            context={"request": request, "student": student},
            language=language,
        )


def _email_provider(request: ApprovalRequest, template: str) -> None:
    if request.provider_id is None:
        return
    members = Membership.objects.filter(
        provider_id=request.provider_id, role=Role.PROVIDER_AGENT, is_active=True
    ).select_related("user")
    for member in members:
        email_queue(
            to=member.user.email,
            template=template,
            context={"request": request},
            language=member.user.preferred_language or "fr",
        )


def _title(number: str, status: str) -> str:
    return f"{gettext('Medical control decision')} {number} ({ApprovalStatus(status).label})"


def decision_document(*, request: ApprovalRequest) -> Any:
    """The decision's PDF to download: issued by the worker after the decision (202 until then)."""
    if request.status not in rules.DECIDED:
        raise DomainError(ErrorCode.INVALID_TRANSITION)
    if request.document_id:
        return request.document
    raise DomainError(DocumentError.PENDING)


def decision_document_issue(*, request_id: int) -> Any:
    """The bilingual decision (no diagnosis, no acts: the decision only) with its verification
    code; issued once."""
    with transaction.atomic():
        request = (
            ApprovalRequest.objects.select_for_update(of=("self",))
            .select_related("kind", "office", "provider", "insured__student", "refusal_reason", "document")
            .get(pk=request_id)
        )
        if request.document_id or request.status not in rules.DECIDED:
            return request.document
        student = request.insured.student
        number = request.number or ""
        with translation.override("fr"):
            request.document = document_issue(
                kind=DocumentKind.APPROVAL_DECISION,
                template="approvals/decision.html",
                context={"request": request, "student": student},
                title=both_languages(lambda: _title(number, request.status)),
                holder=request.provider.name if request.provider else f"{student.last_name} {student.first_name}",
                obj=request,
            )
        request.save(update_fields=["document"])
        return request.document
