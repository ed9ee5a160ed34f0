"""Medical control's API: a provider's PEC requests (send, list, answer, withdraw, the decision's
PDF), the controller's queue and decisions (take, release, agree, refuse, ask, confirm), a
student's decisions, the figures. Same perimeters as the pages (access.py); the medicine
(diagnosis, planned acts, attachments) only to the provider and medical control."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from amo.accounts.actors import actor_for, signed_in
from amo.accounts.models import Role
from amo.approvals import access, rules, selectors, services
from amo.approvals.models import ApprovalRequest
from amo.common import clock
from amo.common.apitypes import ErrorOut, LimitOffsetPagination, QueryText
from amo.common.downloads import download
from amo.common.errors import Forbidden, NotFound
from amo.common.textrules import COMMENT
from amo.common.validators import ApiText
from amo.enrollment.selectors import student_for_user

router = Router(tags=["approvals"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}

Comment = Annotated[str, ApiText(COMMENT)]


class ApprovalRequestIn(Schema):
    id_number: Annotated[str, Field(max_length=20)]
    kind: Annotated[str, Field(max_length=32)]
    planned_from: dt.date
    planned_to: dt.date | None = None
    diagnosis: Annotated[str, Field(max_length=10, description="ICD-10 code, e.g. N18.5")]
    planned_acts: Annotated[str, Field(max_length=2000, description="One act a line: a code and its quantity (K 50)")]
    quote: Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
    urgent: bool = False


class ApprovalOut(Schema):
    """A request as everyone of its perimeter reads it; `medical` is null unless the reader is
    the provider or medical control."""

    id: int
    number: str
    status: str
    kind: str
    urgent: bool
    id_number: str
    provider: str
    office: str
    submitted_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    held_by: str | None
    question: str
    answer: str
    decided_at: dt.datetime | None
    ceiling: Decimal | None
    sessions: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    partial: bool
    refusal_reason: str | None
    comment: str
    decision_code: str | None
    medical: dict[str, Any] | None


class ApprovalAgreeIn(Schema):
    ceiling: Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
    sessions: Annotated[int, Field(ge=1, le=1000)] | None = None
    valid_from: dt.date
    valid_to: dt.date
    comment: Comment = ""


class ApprovalRefuseIn(Schema):
    reason: Annotated[str, Field(max_length=32)]
    comment: Comment = ""


class ApprovalQuestionIn(Schema):
    question: Comment


class ApprovalConfirmIn(Schema):
    confirm: bool = True
    comment: Comment = ""


class ApprovalAnswerIn(Schema):
    answer: Annotated[str, Field(max_length=2000)] = ""


class ApprovalFigureOut(Schema):
    office: str
    month: str
    total: int
    by_status: dict[str, int]
    by_kind: dict[str, int]
    refusals: dict[str, int]
    decided: int
    median_hours: float | None
    p90_hours: float | None
    within_share: float | None
    agreed_amount: Decimal


def _out(reach: access.Reach) -> dict[str, Any]:
    r = reach.request
    medical = None
    if reach.medical:
        medical = {
            "diagnosis": r.diagnosis.code,
            "diagnosis_title": r.diagnosis.title,
            "planned_from": r.planned_from,
            "planned_to": r.planned_to,
            "planned_acts": r.planned_acts,
            "quote": r.quote,
            "attachments": [
                {
                    "id": a.pk,
                    "name": a.name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "with_answer": a.with_answer,
                }
                for a in selectors.attachments_of(r)
            ],
        }
    return {
        "id": r.pk,
        "number": r.number or "",
        "status": r.status,
        "kind": r.kind.code,
        "urgent": r.urgent,
        "id_number": r.insured.id_number,
        "provider": r.provider.name if r.provider else "",
        "office": r.office.code,
        "submitted_at": r.submitted_at,
        "due_at": r.due_at,
        "overdue": rules.is_overdue(r.status, r.due_at, clock.now()),
        "held_by": r.held_by.email if r.held_by and reach.as_controller else None,
        "question": r.question if reach.medical else "",
        "answer": r.answer if reach.medical else "",
        "decided_at": r.decided_at if r.status in rules.DECIDED else None,
        "ceiling": r.ceiling if r.status in rules.DECIDED else None,
        "sessions": r.sessions if r.status in rules.DECIDED else None,
        "valid_from": r.valid_from if r.status in rules.DECIDED else None,
        "valid_to": r.valid_to if r.status in rules.DECIDED else None,
        "partial": r.partial and r.status == rules.AGREED,
        "refusal_reason": r.refusal_reason.code if r.refusal_reason else None,
        "comment": r.comment if reach.medical and r.status in rules.DECIDED else "",
        "decision_code": r.document.code if r.document else None,
        "medical": medical,
    }


def _reach(request: HttpRequest, pk: int) -> access.Reach:
    return access.access_request(actor_for(request.user), pk)


def _list_out(requests: QuerySet[ApprovalRequest], *, medical: bool, controller: bool) -> list[dict[str, Any]]:
    return [_out(access.Reach(r, as_provider=medical and not controller, as_controller=controller)) for r in requests]


@router.post("/requests", response={201: ApprovalOut, **ERRORS}, summary="A care provider sends a PEC request")
def submit(
    request: HttpRequest, data: Form[ApprovalRequestIn], attachments: File[list[UploadedFile]] | None = None
) -> Status[dict[str, Any]]:
    actor = actor_for(request.user)
    providers = access.provider_ids(actor)
    if not providers:
        raise Forbidden()
    membership = next(m for m in actor.memberships if m.role == Role.PROVIDER_AGENT and m.provider_id)
    assert membership.provider is not None
    created = services.approval_request_submit(
        actor=signed_in(request),
        provider=membership.provider,
        id_number=data.id_number,
        kind_code=data.kind,
        planned_from=data.planned_from,
        planned_to=data.planned_to,
        diagnosis=data.diagnosis,
        planned_acts=data.planned_acts,
        quote=data.quote,
        urgent=data.urgent,
        files=list(attachments or []),
    )
    return Status(201, _out(_reach(request, created.pk)))


@router.get("/requests", response={200: list[ApprovalOut], **ERRORS}, summary="The provider's own requests")
@paginate(LimitOffsetPagination)
def provider_list(request: HttpRequest, status: QueryText = "", q: QueryText = "") -> list[dict[str, Any]]:
    providers = access.provider_ids(actor_for(request.user))
    rows = selectors.requests_for_providers(providers, status=status, q=q).select_related(
        "diagnosis", "refusal_reason", "document"
    )
    return _Lazy(rows, medical=True, controller=False)  # type: ignore[return-value]


@router.get("/queue", response={200: list[ApprovalOut], **ERRORS}, summary="The medical controller's queue")
@paginate(LimitOffsetPagination)
def queue(
    request: HttpRequest, status: QueryText = "", kind: QueryText = "", urgent: bool | None = None, q: QueryText = ""
) -> list[dict[str, Any]]:
    offices = access.controller_office_ids(actor_for(request.user))
    rows = selectors.queue_for_offices(offices, status=status, kind=kind, urgent=urgent, q=q).select_related(
        "diagnosis", "refusal_reason", "document"
    )
    return _Lazy(rows, medical=True, controller=True)  # type: ignore[return-value]


class _Lazy:
    """A page of requests turned into answers only for the rows the pagination slices."""

    def __init__(self, rows: QuerySet[ApprovalRequest], *, medical: bool, controller: bool) -> None:
        self.rows, self.medical, self.controller = rows, medical, controller

    def __len__(self) -> int:
        return self.rows.count()

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return _list_out(self.rows[key], medical=self.medical, controller=self.controller)


@router.get("/mine", response={200: list[ApprovalOut], **ERRORS}, summary="A student's decisions (no medical detail)")
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    student = student_for_user(signed_in(request))
    if student is None:
        return []
    return [_out(access.Reach(r, False, False)) for r in selectors.requests_of_student(student.pk)]


@router.get("/requests/{pk}", response={200: ApprovalOut, **ERRORS}, summary="One request, as its reader may see it")
def detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(_reach(request, pk))


def _controller_request(request: HttpRequest, pk: int) -> ApprovalRequest:
    return access.access_as_controller(actor_for(request.user), pk)


@router.post("/requests/{pk}/take", response={200: ApprovalOut, **ERRORS}, summary="The controller takes the request")
def take(request: HttpRequest, pk: int) -> dict[str, Any]:
    services.approval_take(actor=signed_in(request), request=_controller_request(request, pk))
    return _out(_reach(request, pk))


@router.post("/requests/{pk}/release", response={200: ApprovalOut, **ERRORS}, summary="The controller releases it")
def release(request: HttpRequest, pk: int) -> dict[str, Any]:
    services.approval_release(actor=signed_in(request), request=_controller_request(request, pk))
    return _out(_reach(request, pk))


@router.post("/requests/{pk}/agree", response={200: ApprovalOut, **ERRORS}, summary="Agreement, total or partial")
def agree(request: HttpRequest, pk: int, data: ApprovalAgreeIn) -> dict[str, Any]:
    services.approval_agree(
        actor=signed_in(request),
        request=_controller_request(request, pk),
        ceiling=data.ceiling,
        sessions=data.sessions,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        comment=data.comment,
    )
    return _out(_reach(request, pk))


@router.post("/requests/{pk}/refuse", response={200: ApprovalOut, **ERRORS}, summary="Refusal with a coded reason")
def refuse(request: HttpRequest, pk: int, data: ApprovalRefuseIn) -> dict[str, Any]:
    services.approval_refuse(
        actor=signed_in(request),
        request=_controller_request(request, pk),
        reason_code=data.reason,
        comment=data.comment,
    )
    return _out(_reach(request, pk))


@router.post(
    "/requests/{pk}/information", response={200: ApprovalOut, **ERRORS}, summary="Ask the provider for information"
)
def information(request: HttpRequest, pk: int, data: ApprovalQuestionIn) -> dict[str, Any]:
    services.approval_information_request(
        actor=signed_in(request), request=_controller_request(request, pk), question=data.question
    )
    return _out(_reach(request, pk))


@router.post(
    "/requests/{pk}/information/withdraw", response={200: ApprovalOut, **ERRORS}, summary="Withdraw the question"
)
def information_withdraw(request: HttpRequest, pk: int) -> dict[str, Any]:
    services.approval_information_withdraw(actor=signed_in(request), request=_controller_request(request, pk))
    return _out(_reach(request, pk))


@router.post(
    "/requests/{pk}/confirm", response={200: ApprovalOut, **ERRORS}, summary="A second controller confirms (or not)"
)
def confirm(request: HttpRequest, pk: int, data: ApprovalConfirmIn) -> dict[str, Any]:
    services.approval_confirm(
        actor=signed_in(request), request=_controller_request(request, pk), confirm=data.confirm, comment=data.comment
    )
    return _out(_reach(request, pk))


@router.post("/requests/{pk}/answer", response={200: ApprovalOut, **ERRORS}, summary="The provider answers")
def answer(
    request: HttpRequest, pk: int, data: Form[ApprovalAnswerIn], attachments: File[list[UploadedFile]] | None = None
) -> dict[str, Any]:
    target = access.access_as_provider(actor_for(request.user), pk)
    services.approval_answer(
        actor=signed_in(request), request=target, answer=data.answer, files=list(attachments or [])
    )
    return _out(_reach(request, pk))


@router.post("/requests/{pk}/withdraw", response={200: ApprovalOut, **ERRORS}, summary="The provider withdraws it")
def withdraw(request: HttpRequest, pk: int) -> dict[str, Any]:
    target = access.access_as_provider(actor_for(request.user), pk)
    services.approval_withdraw(actor=signed_in(request), request=target)
    return _out(_reach(request, pk))


@router.get(
    "/requests/{pk}/decision.pdf",
    response={202: ErrorOut, **ERRORS},
    summary="The decision (PDF); 202 while it is being prepared",
)
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    reach = _reach(request, pk)
    document = services.decision_document(request=reach.request)
    return download(document.file.open("rb"), f"decision-{reach.request.number}.pdf")


@router.get(
    "/requests/{pk}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    summary="An attachment (the provider and medical control only)",
)
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    target = access.access_medical(actor_for(request.user), pk)
    found = selectors.attachments_of(target).filter(pk=attachment_id).first()
    if found is None:
        raise NotFound()
    return download(found.file.open("rb"), found.name, found.content_type)


@router.get(
    "/figures",
    response={200: list[ApprovalFigureOut], **ERRORS},
    summary="Medical control's figures per office and month",
)
def figures(request: HttpRequest, since: dt.date | None = None, until: dt.date | None = None) -> list[dict[str, Any]]:
    offices = access.figures_office_ids(actor_for(request.user))
    today = clock.today()
    rows = selectors.figures(offices, since=since or today.replace(day=1, month=1), until=until or today)
    return [
        {
            "office": f.office,
            "month": f.month,
            "total": f.total,
            "by_status": dict(f.by_status),
            "by_kind": dict(f.by_kind),
            "refusals": dict(f.refusals),
            "decided": f.decided,
            "median_hours": f.median_hours,
            "p90_hours": f.p90_hours,
            "within_share": f.within_share,
            "agreed_amount": f.agreed_amount,
        }
        for f in rows
    ]
