"""The probe's bad-input corpus (issue 11, item 5) on the registration page and the API: both
refuse the same values, each beside its field, with a translated message; nothing is written."""

import pytest
from django.utils import translation

from amo.common import clock
from amo.enrollment.models import RegistrationRequest, Student
from amo.enrollment.tests.factories import open_year
from amo.enrollment.tests.test_api import BODY
from amo.enrollment.tests.test_views import FORM

pytestmark = pytest.mark.django_db

URL_PAGE = "/registration/entry/higher_education/"
URL_API = "/api/registration/entries/higher_education/requests"

# (field, value, the field that must be refused)
CORPUS = [
    ("email", "not-an-email", "email"),
    ("email", "salma@example", "email"),
    ("last_name", "B" * 10_000, "last_name"),
    ("first_name", "S" * 81, "first_name"),
    ("address", "A" * 251, "address"),
    ("track", "T" * 121, "track"),
    ("nationality", "N" * 61, "nationality"),
    ("last_name", "   ", "last_name"),
    ("first_name", "\t", "first_name"),
    ("last_name", "Ben\x00nani", "last_name"),
    ("birth_place", "Ra\x00bat", "birth_place"),
    ("address", "Agdal\x1b[2J", "address"),
    ("first_name", "\u202eamlaS", "first_name"),
    ("last_name_ar", "بنا\u2067ني", "last_name_ar"),
    ("last_name", "بناني", "last_name"),
    ("first_name", "Salma سلمى", "first_name"),
    ("last_name_ar", "Bennani", "last_name_ar"),
]
IDS = [f"{field}-{value[:12]!r}" for field, value, _ in CORPUS]


@pytest.fixture
def student(world):
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    user = world.users["student"]
    user.email_verified_at = clock.now()
    user.save(update_fields=["email_verified_at"])
    return world


@pytest.mark.parametrize(("field", "value", "refused"), CORPUS, ids=IDS)
def test_the_api_refuses_what_the_page_refuses(student, field: str, value: str, refused: str) -> None:
    body = {**BODY, "last_name_ar": "بناني", "institution_id": student.mine.institution.pk, field: value}
    response = student.client("student").post(URL_API, body, content_type="application/json")
    assert response.status_code in (400, 422), response.json()
    assert refused in response.json()["fields"], response.json()
    assert not Student.objects.exists() and not RegistrationRequest.objects.exists()


@pytest.mark.parametrize(("field", "value", "refused"), CORPUS, ids=IDS)
def test_the_page_refuses_it_beside_its_field_and_keeps_the_rest(student, field: str, value: str, refused: str) -> None:
    data = {**FORM, "institution_id": student.mine.institution.pk, "academic_year_id": open_year().pk, field: value}
    response = student.client("student").post(URL_PAGE, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {refused}
    assert 'value="Agdal"' in response.content.decode() or field == "address"
    assert not Student.objects.exists() and not RegistrationRequest.objects.exists()


def test_the_apis_messages_are_those_of_the_page_in_arabic_too(student) -> None:
    body = {**BODY, "institution_id": student.mine.institution.pk, "last_name": "Ben\u202enani", "first_name": "x" * 81}
    response = student.client("student").post(URL_API, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ar")
    fields = response.json()["fields"]
    with translation.override("ar"):
        from amo.common.errors import label_for

        assert fields["last_name"] == [str(label_for("text_control"))]
    assert "80" in fields["first_name"][0]
    assert all(any("\u0600" <= c <= "\u06ff" for c in m) for m in fields["last_name"] + fields["first_name"])


def test_names_are_kept_without_their_surrounding_spaces_and_apostrophes_and_accents_pass(student) -> None:
    body = {
        **BODY,
        "institution_id": student.mine.institution.pk,
        "last_name": "  N'Diaye-Aït ",
        "first_name": "Élise ",
        "last_name_ar": " بناني ",
    }
    response = student.client("student").post(URL_API, body, content_type="application/json")
    assert response.status_code == 201, response.json()
    saved = Student.objects.get()
    assert (saved.last_name, saved.first_name, saved.last_name_ar) == ("N'Diaye-Aït", "Élise", "بناني")


def test_the_openapi_schema_gives_the_lengths_of_the_models(student) -> None:
    schema = student.client("student").get("/api/openapi.json").json()
    fields = schema["components"]["schemas"]["RegistrationIn"]["properties"]
    assert (fields["last_name"]["maxLength"], fields["address"]["maxLength"], fields["email"]["maxLength"]) == (
        80,
        250,
        254,
    )


def test_a_decision_comment_with_control_characters_is_refused_on_the_page_and_the_api(student) -> None:
    from amo.enrollment.services import registration_submit
    from amo.enrollment.tests.factories import registration_input

    request = registration_submit(
        actor=student.users["student"], entry_channel="", data=registration_input(student.mine.institution)
    )
    client = student.client("institution")
    bad = "Pièce\x00 manquante \u202e"
    api = client.post(
        f"/api/registration/requests/{request.pk}/decision",
        {"action": "to_correct", "comment": bad},
        content_type="application/json",
    )
    assert api.status_code == 422 and "comment" in api.json()["fields"]
    page = client.post(f"/registration/requests/{request.pk}/decide/", {"action": "to_correct", "comment": bad})
    assert page.status_code == 400 and "comment" in page.context["form"].errors
    request.refresh_from_db()
    assert request.status == "submitted"


def test_the_text_lengths_are_those_of_the_models() -> None:
    from amo.enrollment.forms import RegistrationForm
    from amo.enrollment.models import RegistrationRequest as Request
    from amo.enrollment.rules import STUDENT_TEXTS

    for name, rule in STUDENT_TEXTS.items():
        model = Request if name == "track" else Student
        assert rule.max_length == getattr(model._meta.get_field(name), "max_length", None), name
        assert RegistrationForm.base_fields[name].widget.attrs["maxlength"] == str(rule.max_length), name


@pytest.mark.today("2026-11-25")
def test_the_age_refusal_names_the_limit_and_the_reference_date_on_the_page_and_the_api(student) -> None:
    """DOMAIN.md §6 ("aged 30 or less") and decision 0004 (the age measured on the academic
    year's first day): born on 31 August 1995, the student is 31 on 1 September 2026; the message
    says so, in French and in Arabic (Morocco's month names), beside the birth date."""
    institution = student.mine.institution.pk
    body = {**BODY, "institution_id": institution, "birth_date": "1995-08-31"}
    said = {}
    for language in ("fr", "ar"):
        response = student.client("student").post(
            URL_API, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 400 and response.json()["code"] == "age_limit", response.json()
        [said[language]] = response.json()["fields"]["birth_date"]
        assert response.json()["message"] == said[language]
    assert "30" in said["fr"] and "1 septembre 2026" in said["fr"] and "2026-2027" in said["fr"], said
    assert "شتنبر" in said["ar"] and "2026-2027" in said["ar"], said
    data = {**FORM, "institution_id": institution, "academic_year_id": open_year().pk, "birth_date": "1995-08-31"}
    page = student.client("student").post(URL_PAGE, data)
    assert page.context["form"].errors["birth_date"] == [said["fr"]]
    assert not RegistrationRequest.objects.exists()
    # Born the day after, 30 on 1 September 2026 (and 31 on 1 September 2027): accepted.
    body["birth_date"] = "1995-09-02"
    assert student.client("student").post(URL_API, body, content_type="application/json").status_code == 201
