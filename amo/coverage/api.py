"""Coverage API: rights lookup by document number (providers, call centre, CNOPS), the student's
own rights and certificate, reports that change rights, publication lists."""

import datetime as dt

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from amo.accounts.actors import actor_for
from amo.api.schemas import ErrorOut
from amo.common import clock
from amo.common.apitypes import LimitOffsetPagination, QueryText
from amo.common.downloads import download
from amo.common.errors import DomainError
from amo.common.textrules import COMMENT
from amo.common.validators import api_text
from amo.coverage import access, selectors, services
from amo.coverage.errors import CoverageError
from amo.coverage.models import LookupChannel
from amo.enrollment.selectors import student_for_user

router = Router(tags=["coverage"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class LookupOut(Schema):
    id_number: str
    on: dt.date
    covered: bool
    since: dt.date | None
    until: dt.date | None
    institution: str
    institution_ar: str


class PeriodOut(Schema):
    id: int
    insured_number: str
    academic_year: str
    institution_code: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    maintained_until: dt.date | None
    certificate_code: str | None

    @staticmethod
    def resolve_insured_number(obj: object) -> str:
        return obj.insured.number  # type: ignore[attr-defined]

    @staticmethod
    def resolve_academic_year(obj: object) -> str:
        return obj.academic_year.code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_institution_code(obj: object) -> str:
        return obj.institution.code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_certificate_code(obj: object) -> str | None:
        doc = obj.certificate  # type: ignore[attr-defined]
        return doc.code if doc else None


class PublicationOut(Schema):
    id: int
    number: str
    legal_entity_id: int
    batch_id: int
    registered: int
    refused: int
    created_at: dt.datetime


class CommentIn(Schema):
    comment: api_text(COMMENT) = ""  # type: ignore[valid-type]


@router.get(
    "/lookup",
    response={200: LookupOut, 429: ErrorOut, **ERRORS},
    summary="Is this document number covered on a date?",
    description=(
        "Covered or not; since, until and the institution only when covered. Each lookup is logged "
        "(who, which number, when, the answer); an account may make a limited number per minute (429)."
    ),
)
def lookup(request: HttpRequest, id_number: QueryText, on: dt.date | None = None):
    access.access_lookup(actor_for(request.user))
    number = "".join(id_number.split()).upper()
    if not 5 <= len(number) <= 20 or not number.isalnum():
        raise DomainError(CoverageError.LOOKUP_ID, fields={"id_number": [CoverageError.LOOKUP_ID]})
    found = services.rights_lookup_logged(
        actor=request.user, id_number=number, on=on or clock.today(), channel=LookupChannel.API
    )
    return {
        "id_number": found.id_number,
        "on": found.on,
        "covered": found.covered,
        "since": found.since,
        "until": found.until,
        "institution": found.institution_fr if found.covered else "",
        "institution_ar": found.institution_ar if found.covered else "",
    }


@router.get("/mine", response=list[PeriodOut], summary="My rights, every academic year")
def mine(request: HttpRequest):
    student = student_for_user(request.user) if request.user.is_authenticated else None
    return list(selectors.periods_of(student)) if student is not None else []


@router.get("/rights/{period_id}/certificate.pdf", summary="The coverage certificate (PDF)")
def certificate(request: HttpRequest, period_id: int) -> HttpResponseBase:
    period = access.access_period(actor_for(request.user), period_id)
    document = services.certificate_issue(period=period)
    return download(document.file.open("rb"), f"certificat-{period.insured.number}.pdf")


@router.post(
    "/rights/{period_id}/other-coverage", response={200: PeriodOut, **ERRORS}, summary="I have another coverage"
)
def report_coverage(request: HttpRequest, period_id: int):
    period = access.access_period(actor_for(request.user), period_id, action="report_coverage")
    return services.rights_student_reports_coverage(actor=request.user, period=period)


@router.post(
    "/rights/{period_id}/studies-stopped", response={200: PeriodOut, **ERRORS}, summary="The student stopped studying"
)
def studies_stopped(request: HttpRequest, period_id: int, payload: CommentIn):
    period = access.access_period(actor_for(request.user), period_id, action="studies_stopped")
    return services.rights_studies_stopped(actor=request.user, period=period, comment=payload.comment)


@router.post(
    "/rights/{period_id}/proof", response={200: PeriodOut, **ERRORS}, summary="Proof received: lift the notice"
)
def proof(request: HttpRequest, period_id: int, payload: CommentIn):
    period = access.access_period(actor_for(request.user), period_id, action="proof")
    return services.rights_proof_received(actor=request.user, period=period, comment=payload.comment)


@router.get("/publications", response=list[PublicationOut], summary="Publication lists in my perimeter")
@paginate(LimitOffsetPagination)
def publications(request: HttpRequest):
    entities = access.publications_for(actor_for(request.user))
    return selectors.publications(entities).order_by("-created_at")


@router.get("/publications/{publication_id}.csv", summary="A publication list as CSV (CIN masked)")
def publication_csv(request: HttpRequest, publication_id: int, institution: int | None = None):
    publication, only = access.access_publication(actor_for(request.user), publication_id)
    response = StreamingHttpResponse(
        selectors.publication_csv(publication, only if only is not None else institution), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{publication.number}.csv"'
    return response


@router.get("/publications/{publication_id}.pdf", summary="A publication list as PDF (CIN masked)")
def publication_pdf(request: HttpRequest, publication_id: int, institution: int | None = None) -> HttpResponseBase:
    publication, only = access.access_publication(actor_for(request.user), publication_id)
    pdf = selectors.publication_pdf(publication, only if only is not None else institution)
    return download(pdf, f"{publication.number}.pdf")


class OutboxOut(Schema):
    id: int
    to: str
    subject: str
    status: str
    attempts: int
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    next_attempt_at: dt.datetime | None


@router.get("/outbox", response={200: list[OutboxOut], **ERRORS}, summary="The outbox (CNOPS administrators)")
@paginate(LimitOffsetPagination)
def outbox(request: HttpRequest, status: QueryText = ""):
    from amo.notifications.models import OutboxMessage

    access.access_cnops_admin(actor_for(request.user))
    qs = OutboxMessage.objects.all()
    return qs.filter(status=status) if status else qs


class LookupLogOut(Schema):
    at: dt.datetime
    user_email: str
    id_number: str
    on: dt.date
    covered: bool
    channel: str


@router.get(
    "/lookup/log",
    response={200: list[LookupLogOut], **ERRORS},
    summary="Who looked up which document number, when, and the answer (CNOPS administrators)",
)
@paginate(LimitOffsetPagination)
def lookup_log(request: HttpRequest, id_number: QueryText = ""):
    access.access_cnops_admin(actor_for(request.user))
    return selectors.lookup_log(id_number)


class HandoverOut(Schema):
    id: int
    rows: int
    sha256: str
    created_at: dt.datetime


@router.get("/handover", response={200: list[HandoverOut], **ERRORS}, summary="Hand-over exports (law 54.23)")
def handover_list(request: HttpRequest):
    access.access_cnops_admin(actor_for(request.user))
    return list(selectors.handover_exports())


@router.post("/handover", response={202: dict, **ERRORS}, summary="Prepare a hand-over export now (on the worker)")
def handover_create(request: HttpRequest):
    from amo.coverage.tasks import handover_task

    access.access_cnops_admin(actor_for(request.user))
    handover_task.enqueue(request.user.pk)
    return Status(202, {"queued": True})


@router.get("/handover/{export_id}", summary="Download a hand-over export (CSV, gzip)")
def handover_file(request: HttpRequest, export_id: int) -> FileResponse:
    access.access_cnops_admin(actor_for(request.user))
    export = selectors.handover_exports().filter(pk=export_id).first()
    if export is None:
        from amo.common.errors import NotFound

        raise NotFound()
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])
