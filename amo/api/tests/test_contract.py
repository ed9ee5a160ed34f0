"""The API's contract under bad input: bounded numbers, unreadable uploads, routes that reach their
endpoint, coded and translated errors, and every answered status declared in the schema."""

import csv
import io
from typing import Any

import pytest
from django.test import Client

from amo.accounts.services import api_token_create
from amo.common import clock
from amo.enrollment.models import RegistrationRequest, RegistrationStatus
from amo.enrollment.services import registration_submit
from amo.enrollment.tests.factories import open_year, registration_input
from amo.imports.models import ImportJob

pytestmark = pytest.mark.django_db

ARABIC = ("\u0600", "\u06ff")
HUGE = str(2**64)


def is_arabic(text: str) -> bool:
    return any(ARABIC[0] <= ch <= ARABIC[1] for ch in text)


def paginated_lists() -> list[str]:
    """Every list endpoint that takes limit/offset, read from the schema itself."""
    schema = Client().get("/api/openapi.json").json()
    return [
        path
        for path, operations in schema["paths"].items()
        if "get" in operations and {p["name"] for p in operations["get"].get("parameters", [])} >= {"limit", "offset"}
    ]


def test_every_list_bounds_limit_and_offset_in_its_schema(db) -> None:
    schema = Client().get("/api/openapi.json").json()
    paths = paginated_lists()
    assert len(paths) >= 9
    for path in paths:
        for parameter in schema["paths"][path]["get"]["parameters"]:
            if parameter["name"] in ("limit", "offset"):
                assert parameter["schema"]["maximum"] < 2**63, (path, parameter)


@pytest.mark.parametrize("name", ["limit", "offset"])
def test_pagination_numbers_above_2_63_answer_422_not_500_on_every_list(world, name: str) -> None:
    client = world.client("admin")
    for path in paginated_lists():
        url = path.replace("{batch_id}", "1").replace("{pk}", "1")
        response = client.get(url, {name: HUGE}, headers={"Accept-Language": "ar"})
        assert response.status_code == 422, (url, response.status_code)
        body = response.json()
        assert body["code"] == "invalid_input" and name in body["fields"], url
        assert is_arabic(body["fields"][name][0]), body


def test_a_huge_id_in_a_bulk_decision_answers_422_not_500(world) -> None:
    response = world.client("institution").post(
        "/api/registration/requests/decisions",
        {"ids": [2**70], "action": "validated"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "ids.0" in response.json()["fields"]


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("institution", "/api/registration/imports"),
        ("cnops", "/api/contributions/statements"),
        ("cnops", "/api/eligibility/registry"),
        ("cnops", "/api/eligibility/batches/1/verdicts.csv"),
    ],
)
def test_a_multipart_body_without_boundary_answers_400_coded_and_translated(world, persona: str, url: str) -> None:
    response = world.client(persona).generic(
        "POST", url, b"--x\r\nnothing\r\n", content_type="multipart/form-data", headers={"Accept-Language": "ar"}
    )
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid_multipart" and is_arabic(body["message"])


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("cnops", "/api/eligibility/batches"),
        ("student", "/api/registration/claims"),
        ("institution", "/api/registration/requests/decisions"),
        ("admin", "/api/referentials/parameters"),
    ],
)
@pytest.mark.parametrize(
    "body",
    [b"garbage", b'--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--zz--\r\n'],
    ids=["garbage", "a_form_part"],
)
def test_a_multipart_body_to_a_json_operation_by_session_answers_400_not_500(
    world, persona: str, url: str, body: bytes
) -> None:
    """The probe: with a session login, the CSRF check reads the multipart form, after which the
    JSON body cannot be read any more (RawPostDataException, a 500). Now a coded, translated 400."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[persona])
    token = "k" * 32
    client.cookies["csrftoken"] = token
    response = client.generic(
        "POST",
        url,
        body,
        content_type="multipart/form-data; boundary=zz",
        headers={"X-CSRFToken": token, "Accept-Language": "ar"},
    )
    assert response.status_code == 400, response.content[:300]
    answer = response.json()
    assert answer["code"] == "json_body_required" and is_arabic(answer["message"])


def test_the_bulk_decision_post_reaches_its_endpoint_instead_of_405(world) -> None:
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    student = world.users["student"]
    student.email_verified_at = clock.now()
    student.save(update_fields=["email_verified_at"])
    submitted = registration_submit(
        actor=student, entry_channel="higher_education", data=registration_input(world.mine.institution)
    )
    response = world.client("institution").post(
        "/api/registration/requests/decisions",
        {"ids": [submitted.pk], "action": "validated"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json()["done"] == 1
    assert RegistrationRequest.objects.get(pk=submitted.pk).status == RegistrationStatus.VALIDATED


def test_field_messages_of_a_422_are_translated_and_keep_their_location(world) -> None:
    client = world.client("legal_entity")
    body = {"legal_entity_id": "abc", "institution_ids": "all"}
    ar = client.post(
        "/api/organisations/affiliations", body, content_type="application/json", headers={"Accept-Language": "ar"}
    ).json()
    fr = client.post(
        "/api/organisations/affiliations", body, content_type="application/json", headers={"Accept-Language": "fr"}
    ).json()
    assert ar["code"] == fr["code"] == "invalid_input"
    assert set(ar["fields"]) == set(fr["fields"]) == {"legal_entity_id", "institution_ids"}
    for name in ar["fields"]:
        assert is_arabic(ar["fields"][name][0]), ar
        assert not is_arabic(fr["fields"][name][0]) and "Input should" not in fr["fields"][name][0], fr
    missing = client.post(
        "/api/organisations/affiliations", {}, content_type="application/json", headers={"Accept-Language": "fr"}
    ).json()
    assert missing["fields"]["legal_entity_id"] == ["Ce champ est obligatoire."]


def test_a_choice_outside_the_list_names_the_choices_without_english(world) -> None:
    response = world.client("legal_entity").post(
        "/api/referentials/parameters",
        {"key": "nope", "value": "1", "valid_from": "2027-01-01"},
        content_type="application/json",
        headers={"Accept-Language": "ar"},
    )
    message = response.json()["fields"]["key"][0]
    assert response.status_code == 422 and is_arabic(message) and " or " not in message, message


def test_an_unknown_academic_year_answers_a_coded_translated_404(world) -> None:
    for persona, url in [
        ("aggregator", "/api/registration/totals?year=1999-2000"),
        ("admin", "/api/contributions/totals?year=1999-2000"),
        ("legal_entity", "/api/contributions/reference?year=1999-2000"),
    ]:
        response = world.client(persona).get(url, headers={"Accept-Language": "ar"})
        assert response.status_code == 404, (url, response.status_code)
        body = response.json()
        assert body["code"] == "not_found" and is_arabic(body["message"]), body
        assert "AcademicYear" not in response.content.decode()


def _upload(client: Client, header: list[str], rows: list[list[str]], **headers: str) -> dict[str, Any]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    file = io.BytesIO(buffer.getvalue().encode())
    file.name = "liste.csv"
    response = client.post(
        "/api/registration/imports", {"academic_year": open_year().code, "file": file}, headers=headers
    )
    assert response.status_code == 201, response.content[:300]
    body: dict[str, Any] = response.json()
    return body


def test_the_import_job_answer_names_the_missing_columns_and_links_its_report(
    world, django_capture_on_commit_callbacks
) -> None:
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    _token, key = api_token_create(user=world.users["institution"], name="ERP")
    client = Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "fr"})
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(client, ["id_number", "last_name"], [["AB123456", "Bennani"]])
    refused = client.get(f"/api/registration/imports/{job['id']}").json()
    assert refused["file_error"] == "missing_columns"
    assert "first_name" in refused["missing_columns"] and "birth_date" in refused["missing_columns"]
    assert "first_name" in refused["file_error_message"] and refused["report_url"] is None

    header = ["id_number", "massar", "last_name", "first_name", "birth_date", "sex", "registered_on"]
    header += ["no_other_coverage", "email", "phone", "rib"]
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(
            client,
            header,
            [["AB123456", "R130000001", "Bennani", "Salma", "pas une date", "F", "2026-09-20", "oui", "", "", ""]],
        )
    done = client.get(f"/api/registration/imports/{job['id']}").json()
    assert done["status"] == "done" and done["rows_error"] == 1 and done["report_url"]
    report = client.get(done["report_url"])
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    assert b"Bennani" in report.getvalue()
    assert ImportJob.objects.count() == 2
    other = world.client("aggregator").get(done["report_url"])
    assert other.status_code in (403, 404) and other.json()["code"] in ("forbidden", "not_found")


def test_every_operation_declares_the_errors_its_shape_allows(db) -> None:
    schema = Client().get("/api/openapi.json").json()
    error_ref = "#/components/schemas/ErrorOut"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            label = f"{method.upper()} {path}"
            if operation.get("security"):
                assert {"401", "403"} <= set(responses), label
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in responses, label
            if operation.get("requestBody"):
                assert "400" in responses, label
            if "{" in path:
                assert "404" in responses, label
            for status in ("401", "403", "404", "422"):
                if status in responses:
                    content = responses[status]["content"]["application/json"]["schema"]
                    assert error_ref in str(content), (label, status)
