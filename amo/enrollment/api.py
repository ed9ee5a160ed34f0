"""Registration API: every step, with the same perimeters as the pages."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from amo.accounts.actors import actor_for, signed_in
from amo.common.apitypes import ErrorOut, LimitOffsetPagination, QueryText
from amo.common.downloads import download
from amo.common.errors import DomainError, Forbidden
from amo.common.identifiers import mask_rib
from amo.enrollment import access, claims, ribs, selectors, services
from amo.enrollment.errors import EnrollmentError
from amo.enrollment.models import AggregationList, Certification, RegistrationRequest, Student
from amo.enrollment.schemas import (
    BulkDecisionIn,
    BulkDecisionOut,
    CertificationIn,
    CertificationOut,
    ClaimConfirmIn,
    ClaimIn,
    ClaimLinkIn,
    ClaimOut,
    DecisionIn,
    ListCloseIn,
    ListOut,
    RegistrationIn,
    RequestDetailOut,
    RequestOut,
    RibConfirmIn,
    RibIn,
    RibOut,
    TotalsOut,
)
from amo.referentials.models import AcademicYear
from amo.referentials.selectors import academic_year_chosen, academic_year_get

router = Router(tags=["registration"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _year(code: str) -> AcademicYear:
    return academic_year_get(code=code)


def _verified_student(request: HttpRequest) -> None:
    if not actor_for(request.user).has_role("student"):
        raise Forbidden()
    if signed_in(request).email_verified_at is None:
        raise DomainError(EnrollmentError.EMAIL_NOT_VERIFIED)


@router.post(
    "/entries/{channel}/requests", response={201: RequestDetailOut, **ERRORS}, summary="A student submits their request"
)
def submit(request: HttpRequest, channel: QueryText, payload: RegistrationIn) -> Status[RegistrationRequest]:
    _verified_student(request)
    values = payload.dict()
    values["academic_year_id"] = _year(values.pop("academic_year")).pk
    values["id_type"] = payload.id_type.value
    values["sex"] = payload.sex.value
    created = services.registration_submit(
        actor=signed_in(request), entry_channel=channel, data=services.registration_input(**values)
    )
    return Status(201, created)


@router.post(
    "/claims",
    response={202: ClaimOut, 429: ErrorOut, **ERRORS},
    summary="A student asks for a link, at the address the institution declared, to take the record it uploaded",
)
def claim_request(request: HttpRequest, payload: ClaimIn) -> Status[dict[str, object]]:
    _verified_student(request)
    student = claims.student_claim_request(
        actor=signed_in(request), id_type=payload.id_type.value, id_number=payload.id_number
    )
    message = _("A link was sent to the e-mail address your institution declared. Open it while signed in.")
    return Status(
        202, {"id_type": student.id_type, "id_number": student.id_number, "linked": False, "message": message}
    )


@router.post(
    "/claims/confirm",
    response={200: ClaimOut, **ERRORS},
    summary="The student confirms with the token of the e-mailed link: the record is linked to their account",
)
def claim_confirm(request: HttpRequest, payload: ClaimConfirmIn) -> dict[str, object]:
    _verified_student(request)
    student = claims.student_claim_confirm(actor=signed_in(request), token=payload.token)
    message = _("Your student record is now linked to your account: you can register.")
    return {"id_type": student.id_type, "id_number": student.id_number, "linked": True, "message": message}


@router.post(
    "/claims/links",
    response={200: ClaimOut, **ERRORS},
    summary="The institution links a student's record to their account, having seen their identity document",
)
def claim_link(request: HttpRequest, payload: ClaimLinkIn) -> dict[str, object]:
    institution = access.access_institution_agent(actor_for(request.user))
    student = claims.student_claim_link(
        actor=signed_in(request),
        institution=institution,
        id_type=payload.id_type.value,
        id_number=payload.id_number,
        account_email=payload.email,
    )
    message = _("The record is linked to the account; the student is told by e-mail.")
    return {"id_type": student.id_type, "id_number": student.id_number, "linked": True, "message": message}


def _rib_out(student: Student, message: str = "") -> dict[str, object]:
    pending = selectors.rib_change_pending(student)
    return {
        "rib": mask_rib(student.rib),
        "pending_rib": mask_rib(pending.rib) if pending else "",
        "pending_sent_to": pending.sent_to if pending else "",
        "message": message,
    }


@router.get("/me/rib", response={200: RibOut, **ERRORS}, summary="The student's RIB for reimbursements (masked)")
def my_rib(request: HttpRequest) -> dict[str, object]:
    _verified_student(request)
    return _rib_out(ribs.own_student(signed_in(request)))


@router.post(
    "/me/rib",
    response={202: RibOut, 429: ErrorOut, **ERRORS},
    summary="The student asks for a new RIB: applied when the link e-mailed to their account's address is opened",
)
def rib_change(request: HttpRequest, payload: RibIn) -> Status[dict[str, object]]:
    _verified_student(request)
    change = ribs.student_rib_change_request(actor=signed_in(request), rib=payload.rib)
    message = _("Your RIB will be changed when you open the link we sent to %(email)s (valid three days).") % {
        "email": change.sent_to
    }
    return Status(202, _rib_out(change.student, message))


@router.post(
    "/me/rib/confirm",
    response={200: RibOut, **ERRORS},
    summary="The student confirms a RIB change with the token of the e-mailed link",
)
def rib_confirm(request: HttpRequest, payload: RibConfirmIn) -> dict[str, object]:
    _verified_student(request)
    student = ribs.student_rib_change_confirm(actor=signed_in(request), token=payload.token)
    return _rib_out(student, _("Your RIB is changed: the next reimbursements will be paid to it."))


@router.get("/requests", response=list[RequestOut], summary="Requests in my perimeter (a student: their own)")
@paginate(LimitOffsetPagination)
def requests(
    request: HttpRequest, q: QueryText = "", status: QueryText = "", institution: QueryText = "", year: QueryText = ""
) -> QuerySet[RegistrationRequest]:
    return selectors.request_list_for_actor(
        actor_for(request.user), search=q, status=status, institution=institution, year=year
    )


# Before "/requests/{pk}": a path parameter is text in the URL, so that route would take "decisions".
@router.post(
    "/requests/decisions",
    response={200: BulkDecisionOut, **ERRORS},
    summary="The institution decides many requests at once",
)
def decide_many(request: HttpRequest, payload: BulkDecisionIn) -> dict[str, object]:
    institution = access.access_institution_agent(actor_for(request.user))
    targets = selectors.bulk_decision_targets(institution, payload.ids)
    done, refused = services.registration_decide_many(
        actor=signed_in(request),
        requests=targets,
        target=payload.action,
        reason=payload.reason.value if payload.reason else "",
        comment=payload.comment,
    )
    return {"done": done, "refused": [{"reference": services.request_reference(r), "message": m} for r, m in refused]}


@router.get("/requests/{pk}", response={200: RequestDetailOut, **ERRORS}, summary="One request with its timeline")
def request_detail(request: HttpRequest, pk: int) -> RegistrationRequest:
    return access.access_request(actor_for(request.user), pk)


@router.get(
    "/requests/{pk}/form.pdf",
    response={202: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="The signed registration form (PDF); 202 while it is being prepared (ask again in a few seconds)",
)
def request_form_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    target = access.access_request(actor_for(request.user), pk)
    document = services.signed_form_document(target)
    return download(document.file.open("rb"), f"{services.request_reference(target)}.pdf")


@router.post(
    "/requests/{pk}/decision",
    response={200: RequestDetailOut, **ERRORS},
    summary="The institution validates, rejects or sends back",
)
def decide(request: HttpRequest, pk: int, payload: DecisionIn) -> RegistrationRequest:
    target = access.access_request_decide(actor_for(request.user), pk)
    return services.registration_decide(
        actor=signed_in(request),
        request=target,
        target=payload.action,
        reason=payload.reason.value if payload.reason else "",
        comment=payload.comment,
    )


@router.post("/lists", response={201: ListOut, **ERRORS}, summary="The aggregator closes a dated list")
def close_list(request: HttpRequest, payload: ListCloseIn) -> Status[AggregationList]:
    aggregator = access.access_aggregator(actor_for(request.user))
    return Status(
        201,
        services.aggregation_close(
            actor=signed_in(request), aggregator=aggregator, academic_year=_year(payload.academic_year)
        ),
    )


@router.get("/lists", response=list[ListOut])
@paginate(LimitOffsetPagination)
def lists(request: HttpRequest) -> QuerySet[AggregationList]:
    return selectors.lists_for_actor(actor_for(request.user))


@router.get("/lists/{pk}", response={200: ListOut, **ERRORS})
def list_detail(request: HttpRequest, pk: int) -> AggregationList:
    return access.access_list(actor_for(request.user), pk)


@router.get("/lists/{pk}/requests", response=list[RequestOut], summary="The rows of a list")
@paginate(LimitOffsetPagination)
def list_requests(request: HttpRequest, pk: int) -> QuerySet[RegistrationRequest]:
    return selectors.list_rows(access.access_list(actor_for(request.user), pk)).select_related("academic_year")


@router.post("/lists/{pk}/send", response={200: ListOut, **ERRORS}, summary="The aggregator sends the list to CNOPS")
def send_list(request: HttpRequest, pk: int) -> AggregationList:
    target = access.access_list_send(actor_for(request.user), pk)
    return services.aggregation_send(actor=signed_in(request), aggregation_list=target)


@router.post(
    "/certifications", response={201: CertificationOut, **ERRORS}, summary="The legal entity certifies its list"
)
def certify(request: HttpRequest, payload: CertificationIn) -> Status[Certification]:
    entity = access.access_legal_entity_agent(actor_for(request.user))
    return Status(
        201,
        services.certification_sign(
            actor=signed_in(request),
            legal_entity=entity,
            academic_year=_year(payload.academic_year),
            payment_references=payload.payment_references,
        ),
    )


@router.get(
    "/certifications/pending",
    response={200: list[RequestOut], **ERRORS},
    summary="The students the legal entity is asked to certify (in its lists, not certified yet)",
)
@paginate(LimitOffsetPagination)
def to_certify(request: HttpRequest, year: QueryText = "") -> QuerySet[RegistrationRequest]:
    entity = access.access_legal_entity_agent(actor_for(request.user))
    return selectors.requests_to_certify(entity, _year(year) if year else academic_year_chosen())


@router.get(
    "/totals", response={200: TotalsOut, **ERRORS}, summary="Totals per status, channel and institution in my perimeter"
)
def totals(request: HttpRequest, year: QueryText = "") -> dict[str, list[dict[str, Any]]]:
    actor = actor_for(request.user)
    if not (actor.is_cnops or actor.roles & {"legal_entity_agent", "aggregator_agent", "institution_agent"}):
        raise Forbidden()
    return selectors.totals(actor, _year(year) if year else None)
