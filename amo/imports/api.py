"""Import API: upload a list of students, read its result and its refused rows.

Mounted under /registration beside the registration router, at the paths and with the operation
ids these endpoints had when they lived in enrollment's API (clients keep working)."""

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from amo.accounts.actors import actor_for, signed_in
from amo.common.apitypes import ErrorOut, QueryText
from amo.common.downloads import CSV, download
from amo.common.errors import NotFound
from amo.imports.access import access_job, access_upload
from amo.imports.models import ImportJob
from amo.imports.schemas import ImportJobOut
from amo.imports.services import import_job_create
from amo.referentials.selectors import academic_year_get

router = Router(tags=["registration"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.post(
    "/imports",
    response={201: ImportJobOut, **ERRORS},
    summary="Upload a list of students (CSV or XLSX)",
    operation_id="amo_enrollment_api_upload",
)
def upload(request: HttpRequest, academic_year: Form[QueryText], file: File[UploadedFile]) -> Status[ImportJob]:
    institution = access_upload(actor_for(request.user))
    year = academic_year_get(code=academic_year)
    return Status(
        201, import_job_create(actor=signed_in(request), upload=file, academic_year=year, institution=institution)
    )


@router.get(
    "/imports/{pk}",
    response={200: ImportJobOut, **ERRORS},
    summary="The result of an upload",
    operation_id="amo_enrollment_api_import_job",
)
def import_job(request: HttpRequest, pk: int) -> ImportJob:
    return access_job(actor_for(request.user), pk)


@router.get(
    "/imports/{pk}/errors.csv",
    response={200: None, **ERRORS},
    url_name="import_job_report",
    summary="The refused rows of an upload, with their reasons (CSV)",
    operation_id="amo_enrollment_api_import_job_report",
)
def import_job_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = access_job(actor_for(request.user), pk)
    if not job.error_report:
        raise NotFound()
    return download(job.error_report.open("rb"), f"erreurs-{job.pk}.csv", CSV)
