"""An institution's list goes into a closed academic year no more than a student's form does:
the same rule (enrollment.rules.year_closed_problem), the same message, on the page, the API and
the import itself."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from amo.common.errors import DomainError
from amo.enrollment.errors import EnrollmentError
from amo.enrollment.models import RegistrationRequest, Student
from amo.enrollment.services import registration_submit
from amo.enrollment.tests.factories import open_year, registration_input
from amo.imports import services
from amo.imports.models import ImportJob, ImportStatus
from amo.imports.tests.test_imports import GOOD, HEADER, csv_bytes
from amo.referentials.models import AcademicYear

pytestmark = pytest.mark.django_db

CLOSED = "2025-2026"  # last year: its registration is closed


@pytest.fixture
def institution(world: Any) -> Any:
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    return world.mine.institution


def closed_year() -> AcademicYear:
    year = AcademicYear.objects.get(code=CLOSED)
    assert not year.registration_open
    return year


def last_year_row() -> list[str]:
    row = list(GOOD)
    row[HEADER.index("registered_on")] = "2025-09-20"  # within the closed year: only the closing refuses it
    return row


def the_students_message() -> str:
    """What the student's own form answers for a closed year."""
    with translation.override("fr"):
        return str(EnrollmentError.REGISTRATION_CLOSED.label)


def test_the_student_form_and_the_list_are_refused_a_closed_year_with_the_same_code(world, institution) -> None:
    data = registration_input(institution, academic_year_id=closed_year().pk)
    with pytest.raises(DomainError) as student:
        registration_submit(actor=world.users["student"], entry_channel="", data=data)
    with pytest.raises(DomainError) as upload:
        services.import_job_create(
            actor=world.users["institution"],
            upload=SimpleUploadedFile("liste.csv", csv_bytes([last_year_row()])),
            academic_year=closed_year(),
            institution=institution,
        )
    assert student.value.code == upload.value.code == EnrollmentError.REGISTRATION_CLOSED
    assert upload.value.fields == {"academic_year_id": [EnrollmentError.REGISTRATION_CLOSED]}
    assert not ImportJob.objects.exists() and not Student.objects.exists()


def test_the_upload_page_refuses_a_closed_year_with_the_students_message(world, institution) -> None:
    page = world.client("institution").post(
        "/imports/",
        {
            "academic_year_id": closed_year().pk,
            "file": SimpleUploadedFile("liste.csv", csv_bytes([last_year_row()])),
        },
    )
    assert page.status_code == 200
    assert the_students_message() in page.content.decode()
    assert not ImportJob.objects.exists() and not RegistrationRequest.objects.exists()


def test_the_upload_api_refuses_a_closed_year_with_a_coded_error(world, institution) -> None:
    answer = world.client("institution").post(
        "/api/registration/imports",
        {"academic_year": CLOSED, "file": SimpleUploadedFile("liste.csv", csv_bytes([last_year_row()]))},
        headers={"accept-language": "fr"},
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == EnrollmentError.REGISTRATION_CLOSED
    assert answer.json()["message"] == the_students_message()
    assert not ImportJob.objects.exists() and not RegistrationRequest.objects.exists()


def test_a_list_waiting_while_its_year_closes_creates_no_request(world, institution) -> None:
    year = open_year()
    job = services.import_job_create(
        actor=world.users["institution"],
        upload=SimpleUploadedFile("liste.csv", csv_bytes([GOOD])),
        academic_year=year,
        institution=institution,
    )
    AcademicYear.objects.filter(pk=year.pk).update(registration_open=False)
    services.import_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.file_error) == (ImportStatus.FAILED, EnrollmentError.REGISTRATION_CLOSED)
    assert not RegistrationRequest.objects.exists() and not Student.objects.exists()
