"""Eligibility API: CNOPS sends batches and reads verdicts; ANAM's system (or the platform's
registry) reads the batch and answers; the registry takes files. CNOPS central office only."""

import datetime as dt
import tempfile
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from amo.accounts.actors import actor_for, signed_in
from amo.common.apitypes import DbId, ErrorOut, LimitOffsetPagination, QueryText
from amo.common.downloads import download
from amo.common.errors import DomainError
from amo.common.readers import CSV_KINDS, TABLE_KINDS
from amo.common.textrules import COMMENT
from amo.common.validators import ApiText, upload_check
from amo.eligibility import access, contract, registry, rules, selectors, services
from amo.eligibility.errors import EligibilityError as E
from amo.eligibility.models import CheckBatch, CheckEntry, RegistryLoad, Verdict
from amo.referentials.selectors import academic_year_get, coverage_scheme_codes

router = Router(tags=["eligibility"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class BatchIn(Schema):
    academic_year: QueryText


class BatchOut(Schema):
    id: int
    number: str
    academic_year: str
    reference_date: dt.date
    age_limit: int
    status: str
    sent_count: int
    accepted: int
    refused: int
    sent_at: dt.datetime
    answered_at: dt.datetime | None
    answered_by: str

    @staticmethod
    def resolve_academic_year(obj: CheckBatch) -> str:
        return obj.academic_year.code


class EntryOut(Schema):
    entry: int = Field(..., alias="id")
    id_type: str
    id_number: str
    birth_date: dt.date
    age_exempt: bool
    age_reference_date: dt.date


class VerdictIn(Schema):
    entry: DbId
    outcome: QueryText
    reason: QueryText = ""
    scheme: QueryText = ""


class VerdictOut(Schema):
    entry: int = Field(..., alias="entry_id")
    request_id: int = Field(..., alias="entry.request_id")
    outcome: str
    reason: str
    scheme: str


class LoadOut(Schema):
    id: int
    kind: str
    filename: str
    applied_ok: bool
    lines: int
    applied: int
    ended: int
    rejected: int
    notices: int
    errors: list[list[int | str]]


class RecheckIn(Schema):
    comment: Annotated[str, ApiText(COMMENT)] = ""


@router.post("/batches", response={201: BatchOut, **ERRORS}, summary="Send the students ready for the check")
def batch_send(request: HttpRequest, payload: BatchIn) -> Status[CheckBatch]:
    access.access_send(actor_for(request.user))
    year = academic_year_get(code=payload.academic_year)
    return Status(201, services.batch_send(actor=signed_in(request), academic_year=year))


@router.get("/batches", response=list[BatchOut], summary="Batches sent to ANAM")
@paginate(LimitOffsetPagination)
def batches(request: HttpRequest) -> QuerySet[CheckBatch]:
    access.access_exchange(actor_for(request.user))
    return selectors.batches()


@router.get("/batches/{batch_id}", response={200: BatchOut, **ERRORS}, summary="One batch and its status")
def batch(request: HttpRequest, batch_id: int) -> CheckBatch:
    access.access_exchange(actor_for(request.user))
    return get_object_or_404(selectors.batches(), pk=batch_id)


@router.get("/batches/{batch_id}/entries", response=list[EntryOut], summary="The students of a batch (for ANAM)")
@paginate(LimitOffsetPagination)
def entries(request: HttpRequest, batch_id: int) -> QuerySet[CheckEntry]:
    access.access_exchange(actor_for(request.user))
    get_object_or_404(CheckBatch, pk=batch_id)
    return selectors.batch_entries(batch_id)


@router.get("/batches/{batch_id}/exchange.csv", summary="The batch as the exchange file")
def exchange_file(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    access.access_exchange(actor_for(request.user))
    found = get_object_or_404(CheckBatch, pk=batch_id)
    return download(contract.exchange_csv(selectors.exchange_rows(found)), f"{found.number}-students.csv", "text/csv")


@router.post(
    "/batches/{batch_id}/verdicts",
    response={200: BatchOut, **ERRORS},
    summary="ANAM's answer for the whole batch (every student once; applied whole or not at all)",
)
def verdicts_post(request: HttpRequest, batch_id: int, payload: list[VerdictIn]) -> CheckBatch:
    access.access_answer(actor_for(request.user))
    found = get_object_or_404(CheckBatch, pk=batch_id)
    rows, errors = [], []
    schemes = coverage_scheme_codes(found.reference_date)
    for line, v in enumerate(payload, start=1):
        outcome, reason, scheme = v.outcome.lower(), v.reason.lower(), v.scheme.lower()
        if problem := rules.verdict_problem(outcome, reason, scheme, schemes):
            errors.append((line, problem))
        else:
            rows.append(contract.VerdictRow(v.entry, outcome, reason, scheme, line))
    services.verdicts_receive(actor=signed_in(request), batch=found, rows=rows, errors=errors)
    found.refresh_from_db()
    return found


@router.post("/batches/{batch_id}/verdicts.csv", response={200: BatchOut, **ERRORS}, summary="ANAM's verdict file")
def verdicts_file(request: HttpRequest, batch_id: int, file: File[UploadedFile]) -> CheckBatch:
    access.access_answer(actor_for(request.user))
    upload_check(file.name or "", CSV_KINDS)
    found = get_object_or_404(CheckBatch, pk=batch_id)
    services.verdicts_receive_file(actor=signed_in(request), batch=found, content=file.read())
    found.refresh_from_db()
    return found


@router.get("/batches/{batch_id}/verdicts", response=list[VerdictOut], summary="Verdicts of a batch")
@paginate(LimitOffsetPagination)
def verdicts_get(request: HttpRequest, batch_id: int) -> QuerySet[Verdict]:
    access.access_exchange(actor_for(request.user))
    return selectors.batch_verdicts(batch_id)


@router.post(
    "/registry",
    response={201: LoadOut, 400: LoadOut | ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Load a registry file",
)
def registry_file(
    request: HttpRequest, file: File[UploadedFile], kind: Form[str] = "incremental"
) -> Status[RegistryLoad]:
    access.access_answer(actor_for(request.user))
    if kind not in ("full", "incremental"):
        raise DomainError(E.LOAD_KIND, fields={"kind": [E.LOAD_KIND]})
    upload_check(file.name or "", TABLE_KINDS)
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        for chunk in file.chunks():
            handle.write(chunk)
        handle.flush()
        load = registry.registry_load(
            actor=signed_in(request), path=handle.name, filename=file.name or "registry.csv", kind=kind
        )
    return Status(201 if load.applied_ok else 400, load)


@router.get("/registry/loads", response=list[LoadOut], summary="Registry files loaded")
@paginate(LimitOffsetPagination)
def loads(request: HttpRequest) -> QuerySet[RegistryLoad]:
    access.access_exchange(actor_for(request.user))
    return selectors.registry_loads()


@router.post("/requests/{request_id}/recheck", response={200: dict, **ERRORS}, summary="Send a refused student again")
def recheck(request: HttpRequest, request_id: int, payload: RecheckIn) -> dict[str, object]:
    req = access.access_recheck_request(actor_for(request.user), request_id)
    done = services.recheck_request(actor=signed_in(request), request=req, comment=payload.comment)
    return {"id": done.pk, "status": done.status}
