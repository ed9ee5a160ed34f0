"""Contributions API: dues, references, transfers, statements, reconciliation queue, receipts."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from amo.accounts.actors import actor_for, signed_in
from amo.common import clock
from amo.common.apitypes import DbId, ErrorOut, LimitOffsetPagination, QueryText
from amo.common.downloads import download
from amo.common.identifiers import iban_from_rib
from amo.common.validators import ApiText, upload_check
from amo.contributions import access, selectors, services
from amo.contributions.forms import BANK_REFERENCE, DISMISS_COMMENT
from amo.contributions.models import Credit, Due, Receipt, Statement, Transfer
from amo.contributions.statements import STATEMENT_KINDS
from amo.referentials.models import AcademicYear
from amo.referentials.selectors import academic_year_get, parameter_text

router = Router(tags=["contributions"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ReferenceOut(Schema):
    reference: str
    academic_year: str
    rib: str
    iban: str


class DueOut(Schema):
    id: int
    request_id: int
    document_number: str = Field(..., alias="request.student.id_number")
    institution_code: str = Field(..., alias="request.institution.code")
    kind: str
    amount: Decimal
    periods: int
    exemption: str
    due_on: dt.date | None
    status: str

    @staticmethod
    def resolve_status(obj: Due) -> str:
        return selectors.status_of(obj, clock.today())


class TransferIn(Schema):
    academic_year: QueryText
    bank_reference: Annotated[str, ApiText(BANK_REFERENCE)]
    amount: Decimal = Field(..., max_digits=12, decimal_places=2)
    transferred_on: dt.date
    due_ids: list[DbId] = []
    document_numbers: list[QueryText] = []


class TransferOut(Schema):
    id: int
    bank_reference: str
    payment_reference: str = Field(..., alias="payment_reference.reference")
    amount: Decimal
    transferred_on: dt.date
    status: str
    received_amount: Decimal | None


class StatementOut(Schema):
    id: int
    filename: str
    layout: str
    credits: int
    matched: int
    to_review: int
    duplicates: int


class CreditOut(Schema):
    id: int
    booked_on: dt.date
    amount: Decimal
    label: str
    payment_reference: str
    outcome: str
    transfer_id: int | None


class MatchIn(Schema):
    transfer_id: DbId


class DismissIn(Schema):
    comment: Annotated[str, ApiText(DISMISS_COMMENT)]


class ReceiptOut(Schema):
    id: int
    number: str
    amount: Decimal
    issued_at: dt.datetime
    transfer_id: int


def _year(code: str) -> AcademicYear:
    return academic_year_get(code=code)


@router.get("/reference", response={200: ReferenceOut, **ERRORS}, summary="My payment reference and CNOPS's account")
def reference(request: HttpRequest, year: QueryText) -> dict[str, str]:
    entity = access.access_entity_agent(actor_for(request.user))
    found = selectors.payment_reference_of(legal_entity=entity, academic_year=_year(year))
    rib = parameter_text("cnops_rib", clock.today())
    return {"reference": found, "academic_year": year, "rib": rib, "iban": iban_from_rib(rib)}


@router.get("/dues", response=list[DueOut], summary="Dues in my perimeter")
@paginate(LimitOffsetPagination)
def dues(request: HttpRequest, year: QueryText = "") -> QuerySet[Due]:
    qs = Due.objects.filter(access.entity_scope(actor_for(request.user))).select_related(
        "request__student", "request__institution", "line__transfer"
    )
    if year:
        qs = qs.filter(academic_year__code=year)
    return qs.order_by("pk")


@router.post(
    "/transfers", response={201: TransferOut, **ERRORS}, summary="Declare a transfer and the students it pays for"
)
def declare(request: HttpRequest, payload: TransferIn) -> Status[Transfer]:
    entity = access.access_entity_agent(actor_for(request.user))
    year = _year(payload.academic_year)
    due_ids = list(payload.due_ids)
    if payload.document_numbers:
        due_ids += services.dues_by_document_numbers(
            legal_entity=entity, academic_year=year, numbers=payload.document_numbers
        )
    return Status(
        201,
        services.transfer_declare(
            actor=signed_in(request),
            legal_entity=entity,
            academic_year=year,
            bank_reference=payload.bank_reference,
            amount=payload.amount,
            transferred_on=payload.transferred_on,
            due_ids=due_ids,
        ),
    )


@router.get("/transfers", response=list[TransferOut])
@paginate(LimitOffsetPagination)
def transfers(request: HttpRequest) -> QuerySet[Transfer]:
    from amo.contributions.models import Transfer

    return Transfer.objects.filter(access.entity_scope(actor_for(request.user))).select_related("payment_reference")


@router.post("/statements", response={201: StatementOut, **ERRORS}, summary="Import a bank statement (CNOPS central)")
def import_statement(request: HttpRequest, file: File[UploadedFile]) -> Status[Statement]:
    access.access_cnops_central(actor_for(request.user))
    upload_check(file.name or "", STATEMENT_KINDS)
    return Status(
        201, services.statement_import(actor=signed_in(request), content=file.read(), filename=file.name or "statement")
    )


@router.get("/statements", response={200: list[StatementOut], **ERRORS})
def statements(request: HttpRequest) -> list[Statement]:
    access.access_cnops_central(actor_for(request.user))
    return list(selectors.statements()[:100])


@router.get("/credits/review", response={200: list[CreditOut], **ERRORS}, summary="Credits waiting for a person")
def review(request: HttpRequest) -> list[Credit]:
    access.access_cnops_central(actor_for(request.user))
    return list(selectors.review_queue()[:500])


@router.post("/credits/{pk}/match", response={200: CreditOut, **ERRORS})
def match(request: HttpRequest, pk: int, payload: MatchIn) -> Credit:
    actor = actor_for(request.user)
    credit = access.access_credit(actor, pk)
    return services.credit_match(
        actor=signed_in(request), credit=credit, transfer=access.access_transfer(actor, payload.transfer_id)
    )


@router.post("/credits/{pk}/dismiss", response={200: CreditOut, **ERRORS})
def dismiss(request: HttpRequest, pk: int, payload: DismissIn) -> Credit:
    credit = access.access_credit(actor_for(request.user), pk)
    return services.credit_dismiss(actor=signed_in(request), credit=credit, comment=payload.comment)


@router.get("/receipts", response=list[ReceiptOut])
@paginate(LimitOffsetPagination)
def receipts(request: HttpRequest) -> QuerySet[Receipt]:
    from amo.contributions.models import Receipt

    return Receipt.objects.filter(access.entity_scope(actor_for(request.user))).order_by("-issued_at")


@router.get(
    "/receipts/{pk}/pdf",
    response={202: ErrorOut, 404: ErrorOut},
    summary="A receipt's PDF; 202 while it is being prepared (ask again in a few seconds)",
)
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    receipt = access.access_receipt(actor_for(request.user), pk)
    document = services.receipt_document(receipt=receipt)
    return download(document.file.open("rb"), f"{receipt.number}.pdf")


class TotalOut(Schema):
    legal_entity: str = Field(..., alias="legal_entity__name_fr")
    institution_code: str = Field(..., alias="request__institution__code")
    students: int
    exempt: int
    due: Decimal | None
    received: Decimal | None


@router.get(
    "/totals", response={200: list[TotalOut], **ERRORS}, summary="Totals per legal entity and institution for a year"
)
def totals(request: HttpRequest, year: QueryText = "") -> list[dict[str, Any]]:
    return selectors.totals_by_institution(access.entity_scope(actor_for(request.user)), _year(year) if year else None)
