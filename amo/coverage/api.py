"""Coverage API: rights lookup by document number (providers, call centre, CNOPS), the student's
own rights and certificate, reports that change rights, publication lists."""

import datetime as dt
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from amo.accounts.actors import actor_for, signed_in
from amo.accounts.models import User
from amo.common import clock
from amo.common.apitypes import ErrorOut, LimitOffsetPagination, QueryText
from amo.common.downloads import download
from amo.common.errors import DomainError, NotFound
from amo.common.textrules import COMMENT
from amo.common.validators import ApiText
from amo.coverage import access, selectors, services
from amo.coverage.errors import CoverageError
from amo.coverage.models import HandoverExport, LookupChannel, LookupLog, Publication, RightsPeriod
from amo.enrollment.selectors import student_for_user
from amo.notifications.models import OutboxMessage
from amo.notifications.selectors import outbox_list

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
    reason: str = Field(
        "",
        description='"regime_ended": the student regime ended (law 54.23) on `ended_on`, or the rights end with it.',
    )
    ended_on: dt.date | None = None


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
    def resolve_insured_number(obj: RightsPeriod) -> str:
        return obj.insured.number

    @staticmethod
    def resolve_academic_year(obj: RightsPeriod) -> str:
        return obj.academic_year.code

    @staticmethod
    def resolve_institution_code(obj: RightsPeriod) -> str:
        return obj.institution.code

    @staticmethod
    def resolve_certificate_code(obj: RightsPeriod) -> str | None:
        doc = obj.certificate
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
    comment: Annotated[str, ApiText(COMMENT)] = ""


@router.get(
    "/lookup",
    response={200: LookupOut, 429: ErrorOut, **ERRORS},
    summary="Is this document number covered on a date?",
    description=(
        "Covered or not; since, until and the institution only when covered. Each lookup is logged "
        "(who, which number, when, the answer); an account may make a limited number per minute (429)."
    ),
)
def lookup(request: HttpRequest, id_number: QueryText, on: dt.date | None = None) -> dict[str, object]:
    access.access_lookup(actor_for(request.user))
    number = "".join(id_number.split()).upper()
    if not 5 <= len(number) <= 20 or not number.isalnum():
        raise DomainError(CoverageError.LOOKUP_ID, fields={"id_number": [CoverageError.LOOKUP_ID]})
    found = services.rights_lookup_logged(
        actor=signed_in(request), id_number=number, on=on or clock.today(), channel=LookupChannel.API
    )
    return {
        "id_number": found.id_number,
        "on": found.on,
        "covered": found.covered,
        "since": found.since,
        "until": found.until,
        "institution": found.institution_fr if found.covered else "",
        "institution_ar": found.institution_ar if found.covered else "",
        "reason": found.reason,
        "ended_on": found.ended_on,
    }


@router.get("/mine", response=list[PeriodOut], summary="My rights, every academic year")
def mine(request: HttpRequest) -> list[RightsPeriod]:
    student = student_for_user(request.user) if isinstance(request.user, User) else None
    return list(selectors.periods_of(student)) if student is not None else []


@router.get(
    "/rights/{period_id}/certificate.pdf",
    response={202: ErrorOut},
    summary="The coverage certificate (PDF); 202 while it is being prepared (ask again in a few seconds)",
)
def certificate(request: HttpRequest, period_id: int) -> HttpResponseBase:
    period = access.access_period(actor_for(request.user), period_id)
    document = services.certificate_document(period=period)  # 202 until the worker has issued it; a GET never writes
    return download(document.file.open("rb"), f"certificat-{period.insured.number}.pdf")


@router.post(
    "/rights/{period_id}/other-coverage", response={200: PeriodOut, **ERRORS}, summary="I have another coverage"
)
def report_coverage(request: HttpRequest, period_id: int) -> RightsPeriod:
    period = access.access_period(actor_for(request.user), period_id, action="report_coverage")
    return services.rights_student_reports_coverage(actor=signed_in(request), period=period)


@router.post(
    "/rights/{period_id}/studies-stopped", response={200: PeriodOut, **ERRORS}, summary="The student stopped studying"
)
def studies_stopped(request: HttpRequest, period_id: int, payload: CommentIn) -> RightsPeriod:
    period = access.access_period(actor_for(request.user), period_id, action="studies_stopped")
    return services.rights_studies_stopped(actor=signed_in(request), period=period, comment=payload.comment)


@router.post(
    "/rights/{period_id}/proof", response={200: PeriodOut, **ERRORS}, summary="Proof received: lift the notice"
)
def proof(request: HttpRequest, period_id: int, payload: CommentIn) -> RightsPeriod:
    period = access.access_period(actor_for(request.user), period_id, action="proof")
    return services.rights_proof_received(actor=signed_in(request), period=period, comment=payload.comment)


@router.get("/publications", response=list[PublicationOut], summary="Publication lists in my perimeter")
@paginate(LimitOffsetPagination)
def publications(request: HttpRequest) -> QuerySet[Publication]:
    entities = access.publications_for(actor_for(request.user))
    return selectors.publications(entities).order_by("-created_at")


@router.get("/publications/{publication_id}.csv", summary="A publication list as CSV (CIN masked)")
def publication_csv(request: HttpRequest, publication_id: int, institution: int | None = None) -> HttpResponseBase:
    publication, only = access.access_publication(actor_for(request.user), publication_id)
    rows = selectors.publication_csv(publication, only if only is not None else institution)
    return download(rows, f"{publication.number}.csv", "text/csv")


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
def outbox(request: HttpRequest, status: QueryText = "") -> QuerySet[OutboxMessage]:
    access.access_cnops_admin(actor_for(request.user))
    return outbox_list(status=status)


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
def lookup_log(request: HttpRequest, id_number: QueryText = "") -> QuerySet[LookupLog]:
    access.access_cnops_admin(actor_for(request.user))
    return selectors.lookup_log(id_number)


class HandoverOut(Schema):
    id: int
    rows: int
    sha256: str
    created_at: dt.datetime


@router.get("/handover", response={200: list[HandoverOut], **ERRORS}, summary="Hand-over exports (law 54.23)")
def handover_list(request: HttpRequest) -> list[HandoverExport]:
    access.access_cnops_admin(actor_for(request.user))
    return list(selectors.handover_exports())


@router.post("/handover", response={202: dict, **ERRORS}, summary="Prepare a hand-over export now (on the worker)")
def handover_create(request: HttpRequest) -> Status[dict[str, bool]]:
    from amo.coverage.tasks import handover_task

    access.access_cnops_admin(actor_for(request.user))
    handover_task.enqueue(request.user.pk)
    return Status(202, {"queued": True})


@router.get("/handover/{export_id}", summary="Download a hand-over export (CSV, gzip)")
def handover_file(request: HttpRequest, export_id: int) -> HttpResponseBase:
    access.access_cnops_admin(actor_for(request.user))
    export = selectors.handover_exports().filter(pk=export_id).first()
    if export is None:
        raise NotFound()
    return download(export.file.open("rb"), export.file.name.rsplit("/", 1)[-1], None)


class LettersOut(Schema):
    institution_id: int
    code: str
    name_fr: str
    name_ar: str
    waiting: int
    rights_opened: int
    closure_notices: int
    in_pdf: int


class LettersSentOut(Schema):
    marked: int


class LettersPreparedOut(Schema):
    added: int  # letters the worker adds to the institution's PDF (0: it already holds them all)


@router.get(
    "/letters",
    response={200: list[LettersOut], **ERRORS},
    summary="Letters waiting for students without e-mail, per institution (CNOPS)",
)
def letters(request: HttpRequest) -> list[selectors.LettersOfInstitution]:
    access.access_letters(actor_for(request.user))
    return selectors.letters_by_institution()


@router.post(
    "/letters/{institution_id}/prepare",
    response={200: LettersPreparedOut, **ERRORS},
    summary="Ask for the PDF of an institution's waiting letters (made by the worker)",
)
def letters_prepare(request: HttpRequest, institution_id: int) -> dict[str, int]:
    institution = access.letters_institution(actor_for(request.user), institution_id)
    return {"added": services.letters_prepare(institution=institution)}


@router.get(
    "/letters/{institution_id}.pdf",
    response={202: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="The PDF of an institution's waiting letters; 202 while it is being prepared",
)
def letters_pdf(request: HttpRequest, institution_id: int) -> HttpResponseBase:
    institution = access.letters_institution(actor_for(request.user), institution_id)
    document = services.letters_document(institution=institution)
    return download(document.file.open("rb"), f"lettres-{institution.code}.pdf")


@router.post(
    "/letters/{institution_id}/sent",
    response={200: LettersSentOut, **ERRORS},
    summary="Mark the letters of the institution's PDF as printed and sent (idempotent)",
)
def letters_sent(request: HttpRequest, institution_id: int) -> dict[str, int]:
    institution = access.letters_institution(actor_for(request.user), institution_id)
    return {"marked": services.letters_mark_sent(actor=signed_in(request), institution=institution)}
