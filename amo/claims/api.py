"""Care files' API: the student's files and pre-declaration; the deposit point's deposit and
slips; CNOPS's reception, entry, liquidation, confirmation and national run; the call centre's
lookup. Same perimeters as the pages (claims/access.py)."""

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Router, Status

from amo.accounts.actors import actor_for, signed_in
from amo.accounts.models import Role
from amo.claims import access, batch, selectors, services, statements
from amo.claims.errors import ClaimError
from amo.claims.models import CareFile, TransmittalSlip
from amo.claims.schemas import (
    DepositIn,
    FileDetailOut,
    FileOut,
    LineIn,
    LineOut,
    PreDeclareIn,
    ReceiveIn,
    RunOut,
    SlipIn,
    SlipOut,
)
from amo.common.apitypes import ErrorOut
from amo.common.downloads import download
from amo.common.errors import DomainError, Forbidden
from amo.enrollment.selectors import student_for_user

router = Router(tags=["claims"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _file(f: CareFile, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": f.pk,
        "number": f.number,
        "kind": f.kind,
        "status": f.status,
        "first_act_on": f.first_act_on,
        "declared_amount": f.declared_amount,
        "deposited_on": f.deposited_on,
        "received_on": f.received_on,
        "total_paid": f.total_paid,
        "total_reimbursed": f.total_reimbursed,
        "needs_confirmation": f.needs_confirmation,
        "student_id_number": f.student.id_number,
        "deposit_point": f.deposit_point.code if f.deposit_point else None,
    }
    if detail:
        out["timeline"] = [{"status": s.status, "label": s.label, "reached": s.reached} for s in selectors.timeline(f)]
        out["lines"] = list(selectors.lines_of(f))
    return out


def _slip(s: TransmittalSlip) -> dict[str, Any]:
    return {
        **{k: getattr(s, k) for k in ("number", "status", "file_count", "total_declared")},
        "id": s.pk,
        "received_count": s.received_count,
        "missing_count": s.missing_count,
        "extra_count": s.extra_count,
        "files": [{"number": e.care_file.number, "outcome": e.outcome} for e in selectors.slip_entries(s)],
    }


@router.get("/files", response={200: list[FileOut], **ERRORS}, summary="The student's own care files")
def my_files(request: HttpRequest) -> list[dict[str, Any]]:
    if not actor_for(request.user).has_role(Role.STUDENT):
        raise Forbidden()
    return [_file(f) for f in selectors.files_of_user(request.user)]


@router.post("/files", response={201: FileOut, **ERRORS}, summary="Pre-declare a care file (student)")
def predeclare(request: HttpRequest, payload: PreDeclareIn) -> Status[dict[str, Any]]:
    if not actor_for(request.user).has_role(Role.STUDENT):
        raise Forbidden()
    student = student_for_user(signed_in(request))
    if student is None:
        raise DomainError(ClaimError.NOT_STUDENT)
    care_file = services.care_file_predeclare(
        actor=signed_in(request),
        student=student,
        kind=payload.kind.value,
        first_act_on=payload.first_act_on,
        declared_amount=payload.declared_amount,
    )
    return Status(201, _file(care_file))


@router.get("/files/{file_id}", response={200: FileDetailOut, **ERRORS}, summary="A care file, its timeline and lines")
def file_read(request: HttpRequest, file_id: int) -> dict[str, Any]:
    return _file(access.access_file(actor_for(request.user), file_id), detail=True)


@router.get(
    "/files/{file_id}/statement.pdf",
    response={202: ErrorOut, **ERRORS},
    summary="The statement (PDF); 202 while it is being prepared",
)
def statement(request: HttpRequest, file_id: int) -> HttpResponseBase:
    care_file = access.access_file(actor_for(request.user), file_id, action="statement")
    document = statements.statement_document(care_file=care_file)
    return download(document.file.open("rb"), f"decompte-{care_file.number}.pdf")


@router.get("/lookup", response={200: list[FileOut], **ERRORS}, summary="Where is a file? By CIN or file number")
def lookup(request: HttpRequest, q: str) -> list[dict[str, Any]]:
    access.access_lookup(actor_for(request.user))
    return [_file(f) for f in selectors.file_find(q[:40])[:50]]


@router.post("/deposits", response={201: FileOut, **ERRORS}, summary="Deposit a file at the agent's deposit point")
def deposit(request: HttpRequest, payload: DepositIn) -> Status[dict[str, Any]]:
    point = access.deposit_point_of(actor_for(request.user))
    if payload.number:
        found = selectors.file_find(payload.number).filter(deposit_point__isnull=True).first()
        if found is None:
            raise DomainError(ClaimError.FILE_NOT_FOUND, fields={"number": [ClaimError.FILE_NOT_FOUND]})
        care_file = services.care_file_deposit(actor=signed_in(request), care_file=found, deposit_point=point)
        return Status(201, _file(care_file))
    student = selectors.student_for_deposit(payload.id_number)
    if student is None:
        raise DomainError(ClaimError.STUDENT_NOT_FOUND, fields={"id_number": [ClaimError.STUDENT_NOT_FOUND]})
    if payload.first_act_on is None or payload.declared_amount is None:
        raise DomainError(ClaimError.AMOUNT, fields={"declared_amount": [ClaimError.AMOUNT]})
    care_file = services.care_file_create_at_deposit(
        actor=signed_in(request),
        deposit_point=point,
        student=student,
        kind=payload.kind.value,
        first_act_on=payload.first_act_on,
        declared_amount=payload.declared_amount,
    )
    return Status(201, _file(care_file))


@router.get(
    "/deposits", response={200: list[FileOut], **ERRORS}, summary="The deposit point's files waiting for a slip"
)
def deposit_queue(request: HttpRequest) -> list[dict[str, Any]]:
    point = access.deposit_point_of(actor_for(request.user))
    return [_file(f) for f in selectors.deposit_queue(point.pk).select_related("deposit_point")]


@router.post("/slips", response={201: SlipOut, **ERRORS}, summary="Put deposited files on a transmittal slip")
def slip_create(request: HttpRequest, payload: SlipIn) -> Status[dict[str, Any]]:
    point = access.deposit_point_of(actor_for(request.user))
    numbers = [n.strip().upper() for n in payload.files]
    found = CareFile.objects.filter(number__in=numbers, deposit_point=point)
    if found.count() != len(set(numbers)):
        raise DomainError(
            ClaimError.FILE_NOT_FOUND,
            fields={"files": sorted(set(numbers) - set(found.values_list("number", flat=True)))},
        )
    slip = services.slip_prepare(actor=signed_in(request), deposit_point=point, files=found)
    return Status(201, _slip(slip))


@router.get("/slips/{slip_id}", response={200: SlipOut, **ERRORS}, summary="A slip and each file's outcome")
def slip_read(request: HttpRequest, slip_id: int) -> dict[str, Any]:
    return _slip(access.access_slip(actor_for(request.user), slip_id))


@router.post("/slips/{slip_id}/send", response={200: SlipOut, **ERRORS}, summary="Send a slip to CNOPS (deposit point)")
def slip_send(request: HttpRequest, slip_id: int) -> dict[str, Any]:
    actor = actor_for(request.user)
    slip = access.access_slip(actor, slip_id)
    if not actor.has_role(Role.DEPOSIT_POINT_AGENT):
        raise Forbidden()
    return _slip(services.slip_send(actor=signed_in(request), slip=slip))


@router.post(
    "/slips/{slip_id}/receive",
    response={200: SlipOut, **ERRORS},
    summary="Receive a slip at CNOPS: files missing and extra; twice changes nothing",
)
def slip_receive(request: HttpRequest, slip_id: int, payload: ReceiveIn) -> dict[str, Any]:
    actor = actor_for(request.user)
    access.access_back_office(actor)
    slip = access.access_slip(actor, slip_id)
    return _slip(
        services.slip_receive(actor=signed_in(request), slip=slip, missing=payload.missing, extra=payload.extra)
    )


@router.post("/files/{file_id}/lines", response={201: LineOut, **ERRORS}, summary="Enter a line of a received file")
def line_add(request: HttpRequest, file_id: int, payload: LineIn) -> Status[Any]:
    care_file = access.access_file(actor_for(request.user), file_id, action="back_office")
    data = payload.dict()
    data["kind"] = payload.kind.value
    data["sector"] = payload.sector.value
    data["category"] = payload.category.value if payload.category else ""
    line = services.care_line_add(actor=signed_in(request), care_file=care_file, **data)
    return Status(201, line)


@router.post(
    "/files/{file_id}/liquidate",
    response={200: FileDetailOut, **ERRORS},
    summary="Liquidate a file (again, until paid)",
)
def liquidate(request: HttpRequest, file_id: int) -> dict[str, Any]:
    care_file = access.access_file(actor_for(request.user), file_id, action="back_office")
    return _file(services.care_file_liquidate(actor=signed_in(request), care_file=care_file), detail=True)


@router.post(
    "/files/{file_id}/confirm", response={200: FileDetailOut, **ERRORS}, summary="Confirm a liquidation (second agent)"
)
def confirm(request: HttpRequest, file_id: int) -> dict[str, Any]:
    care_file = access.access_file(actor_for(request.user), file_id, action="back_office")
    return _file(services.care_file_confirm(actor=signed_in(request), care_file=care_file), detail=True)


@router.post("/runs", response={202: RunOut, **ERRORS}, summary="Start a national liquidation (on the worker)")
def run_start(request: HttpRequest) -> Status[Any]:
    access.access_back_office(actor_for(request.user))
    return Status(202, batch.liquidation_run_start(actor=signed_in(request)))


@router.get("/runs/{run_id}", response={200: RunOut, **ERRORS}, summary="A national liquidation's progress")
def run_read(request: HttpRequest, run_id: int) -> Any:
    access.access_back_office(actor_for(request.user))
    run = selectors.run_get(run_id)
    if run is None:
        raise DomainError("not_found")
    return run
