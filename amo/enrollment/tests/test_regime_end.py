"""Law 54.23 ends the student regime on `regime_end_date` (2027-02-01 as loaded; SOURCES.md §0:
https://lematin.ma/nation/amo-trois-evolutions-majeures-apres-la-promulgation-de-la-loi-5423/328133/amp).
From the next day no registration, validation or list enters it, on the page, the API and the
list import alike (one rule: referentials.rules.regime_ended_problem), each refusal saying why and
where the student now goes."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from amo.common.errors import DomainError
from amo.enrollment.models import RegistrationRequest
from amo.enrollment.services import aggregation_close, registration_decide
from amo.enrollment.tests.factories import open_year
from amo.enrollment.tests.test_api import BODY, post
from amo.enrollment.tests.test_views import FORM, verified_student
from amo.imports import services as imports
from amo.imports.models import ImportJob
from amo.imports.tests.test_imports import GOOD, csv_bytes
from amo.referentials.errors import ReferentialError

pytestmark = pytest.mark.django_db

ENDED = "regime_ended"


def on(day: str) -> Any:
    """The clock on that day, 10:00 in Casablanca (as @pytest.mark.today does)."""
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T10:00+01:00"), tick=True)


def the_message() -> str:
    with translation.override("fr"):
        return str(ReferentialError.REGIME_ENDED.label)


def form(ready: Any) -> dict[str, Any]:
    return {**FORM, "institution_id": ready.mine.institution.pk, "academic_year_id": open_year().pk}


@pytest.mark.today("2027-02-02")
def test_the_form_the_day_after_the_end_is_refused_with_why_and_where_and_keeps_the_input(ready: Any) -> None:
    page = verified_student(ready).post("/registration/entry/higher_education/", form(ready))
    html = page.content.decode()
    assert "loi n° 54.23" in the_message() and "AMO-Tadamon" in the_message()  # why, and where the student goes
    assert the_message().replace("'", "&#x27;") in html
    assert 'value="Bennani"' in html and 'value="Agdal"' in html
    assert not RegistrationRequest.objects.exists()


@pytest.mark.today("2027-02-02")
def test_the_api_the_day_after_the_end_answers_a_coded_409(ready: Any) -> None:
    answer = post(
        ready.client("student"),
        "/api/registration/entries/higher_education/requests",
        {**BODY, "institution_id": ready.mine.institution.pk},
    )
    assert answer.status_code == 409, answer.content
    assert answer.json()["code"] == ENDED
    assert not RegistrationRequest.objects.exists()


@pytest.mark.parametrize("today", ["2027-01-31", "2027-02-01"])  # the day before, and the last day itself
def test_a_registration_up_to_the_last_day_is_accepted(ready: Any, today: str) -> None:
    with on(today):
        answer = post(
            ready.client("student"),
            "/api/registration/entries/higher_education/requests",
            {**BODY, "institution_id": ready.mine.institution.pk},
        )
    assert answer.status_code == 201, answer.content


@pytest.mark.today("2027-02-02")
def test_an_institution_list_after_the_end_is_refused_on_upload(ready: Any) -> None:
    with pytest.raises(DomainError) as upload:
        imports.import_job_create(
            actor=ready.users["institution"],
            upload=SimpleUploadedFile("liste.csv", csv_bytes([GOOD])),
            academic_year=open_year(),
            institution=ready.mine.institution,
        )
    assert upload.value.code == ENDED and upload.value.fields == {"academic_year_id": [ENDED]}
    assert not ImportJob.objects.exists()


def test_a_request_waiting_at_the_end_is_neither_validated_nor_listed(ready: Any) -> None:
    with on("2027-01-20"):
        created = post(
            ready.client("student"),
            "/api/registration/entries/higher_education/requests",
            {**BODY, "institution_id": ready.mine.institution.pk},
        )
    assert created.status_code == 201, created.content
    request = RegistrationRequest.objects.get()
    with on("2027-02-02"):
        with pytest.raises(DomainError) as validate:
            registration_decide(actor=ready.users["institution"], request=request, target="validated")
        assert validate.value.code == ENDED
        # A rejection stays possible: it ends the request.
        registration_decide(
            actor=ready.users["institution"], request=request, target="rejected", reason="other", comment="x"
        )
        request.refresh_from_db()
        assert request.status == "rejected"
        with pytest.raises(DomainError) as listed:
            aggregation_close(
                actor=ready.users["aggregator"], aggregator=ready.mine.aggregator, academic_year=open_year()
            )
        assert listed.value.code == ENDED
