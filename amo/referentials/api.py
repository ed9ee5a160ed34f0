import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from amo.accounts.actors import actor_for, signed_in
from amo.common.apitypes import ONE_LINE
from amo.common.clock import today
from amo.common.errors import Forbidden
from amo.referentials import selectors
from amo.referentials.models import ParameterKey
from amo.referentials.services import parameter_set

router = Router(tags=["referentials"])


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
