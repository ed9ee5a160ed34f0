import datetime as dt
import tempfile
from pathlib import Path

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from amo.accounts.actors import actor_for, signed_in
from amo.common.apitypes import ONE_LINE, ErrorOut
from amo.common.clock import today
from amo.common.errors import Forbidden
from amo.common.readers import DATA_KINDS
from amo.common.validators import upload_check
from amo.referentials import selectors
from amo.referentials.models import DrugList, ParameterKey
from amo.referentials.services import drug_list_import, parameter_set

router = Router(tags=["referentials"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ParameterOut(Schema):
    key: str
    label: str
    value: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None


class ParameterIn(Schema):
    key: ParameterKey
    value: str = Field(..., max_length=200, pattern=ONE_LINE)
    valid_from: dt.date
    source: str = Field("", max_length=250, pattern=ONE_LINE)
    source_ar: str = Field("", max_length=250, pattern=ONE_LINE)


class AcademicYearOut(Schema):
    code: str
    starts_on: dt.date
    ends_on: dt.date
    registration_open: bool


@router.get("/parameters", response=list[ParameterOut], summary="Regime parameters in force on a date")
def parameters(request: HttpRequest, on: dt.date | None = None) -> list[dict[str, object]]:
    return [
        {
            "key": key,
            "label": label,
            "value": row.value if row else None,
            "valid_from": row.valid_from if row else None,
            "valid_to": row.valid_to if row else None,
        }
        for key, label, row in selectors.parameters_in_force(on or today())
    ]


@router.post(
    "/parameters",
    response={201: ParameterOut},
    summary="Start a new value of a parameter (CNOPS administrator)",
)
def parameter_create(request: HttpRequest, payload: ParameterIn) -> Status[dict[str, object]]:
    if not actor_for(request.user).is_cnops_admin:
        raise Forbidden()
    row = parameter_set(
        actor=signed_in(request),
        key=payload.key.value,
        value=payload.value,
        valid_from=payload.valid_from,
        source=payload.source,
        source_ar=payload.source_ar,
    )
    return Status(
        201,
        {
            "key": row.key,
            "label": str(ParameterKey(row.key).label),
            "value": row.value,
            "valid_from": row.valid_from,
            "valid_to": row.valid_to,
        },
    )


@router.get("/academic-years", response=list[AcademicYearOut], auth=None)
def academic_years(request: HttpRequest) -> list[object]:
    return list(selectors.academic_year_list())


class DrugListOut(Schema):
    id: int
    filename: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    rows_read: int
    rows_loaded: int
    rows_refused: int


class DrugListIssueOut(Schema):
    row_number: int
    code: str
    reason: str


class DrugListReportOut(DrugListOut):
    issues: list[DrugListIssueOut]


def _admin_only(request: HttpRequest) -> None:
    if not actor_for(request.user).is_cnops_admin:
        raise Forbidden()


@router.get("/drug-lists", response={200: list[DrugListOut], **ERRORS}, summary="Versions of the drug list")
def drug_lists(request: HttpRequest) -> list[DrugList]:
    _admin_only(request)
    return list(selectors.drug_lists())


@router.post(
    "/drug-lists",
    response={201: DrugListReportOut, **ERRORS},
    summary="Load a new version of the drug list (CSV, XLSX or JSON), with its per-row report",
)
def drug_list_create(
    request: HttpRequest,
    file: File[UploadedFile],
    valid_from: Form[dt.date],
    source: Form[str] = "",
) -> Status[dict[str, object]]:
    _admin_only(request)
    upload_check(file.name or "", DATA_KINDS)
    with tempfile.NamedTemporaryFile(suffix=Path(file.name or "").suffix.lower()) as handle:
        for chunk in file.chunks():
            handle.write(chunk)
        handle.flush()
        version = drug_list_import(
            actor=signed_in(request),
            path=handle.name,
            filename=file.name or "drugs",
            valid_from=valid_from,
            source=source[:250],
        )
    return Status(201, _report(version))


@router.get("/drug-lists/{list_id}", response={200: DrugListReportOut, **ERRORS}, summary="A drug list and its report")
def drug_list_read(request: HttpRequest, list_id: int) -> dict[str, object]:
    _admin_only(request)
    return _report(selectors.drug_list_get(list_id))


def _report(version: DrugList) -> dict[str, object]:
    return {
        **{field: getattr(version, field) for field in DrugListOut.model_fields if field != "id"},
        "id": version.pk,
        "issues": list(selectors.drug_list_issues(version).values("row_number", "code", "reason")),
    }
