"""Registration pages, each actor doing their step; bad input keeps what was valid."""

import re

import pytest
from django.core import mail
from django.test import Client

from amo.common import clock
from amo.enrollment.models import RegistrationRequest
from amo.enrollment.tests.factories import open_year

pytestmark = pytest.mark.django_db

FORM = {
    "id_type": "cin",
    "id_number": "AB123456",
    "massar": "R130000001",
    "last_name": "Bennani",
    "first_name": "Salma",
    "last_name_ar": "بناني",
    "first_name_ar": "سلمى",
    "birth_date": "2005-03-14",
    "birth_place": "Rabat",
    "sex": "F",
    "nationality": "Marocaine",
    "address": "Agdal",
    "email": "salma@example.ma",
    "phone": "0612345678",
    "track": "SMI",
    "registered_on": "2026-09-20",
    "rib": "",
    "no_other_coverage": "1",
    "consent": "on",
    "acknowledged": "on",
}


@pytest.fixture
def ready(world):
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    return world


def test_a_student_signs_up_verifies_and_registers(ready, django_capture_on_commit_callbacks) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "full_name": "Salma Bennani",
                "email": "new@example.ma",
                "password1": "Un-Mot-De-Passe-42",
                "password2": "Un-Mot-De-Passe-42",
                "language": "fr",
            },
        )
    assert len(mail.outbox) == 1
    client.post("/accounts/login/", {"username": "new@example.ma", "password": "Un-Mot-De-Passe-42"})
    page = client.get("/registration/entry/higher_education/").content.decode()
    assert 'data-testid="verify-first"' in page
    link = re.search(r"(/accounts/verify/[^/\s]+/)", str(mail.outbox[0].body))
    assert link is not None
    client.get(link.group(1))
    data = {
        **FORM,
        "institution_id": ready.mine.institution.pk,
        "academic_year_id": open_year().pk,
        "email": "new@example.ma",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/registration/entry/higher_education/", data, follow=True)
    assert response.redirect_chain[-1][0] == "/registration/my/"
    html = response.content.decode()
    assert 'data-testid="timeline"' in html and "REG-" in html
    student_user = RegistrationRequest.objects.get().student.user
    assert student_user is not None and student_user.email == "new@example.ma"
    assert client.get(f"/registration/requests/{RegistrationRequest.objects.get().pk}/form.pdf").status_code == 200


def verified_student(world):
    user = world.users["student"]
    user.email_verified_at = clock.now()
    user.save(update_fields=["email_verified_at"])
    return world.client("student")


def test_bad_identifiers_are_shown_on_their_fields_and_the_rest_is_kept(ready) -> None:
    client = verified_student(ready)
    data = {
        **FORM,
        "institution_id": ready.mine.institution.pk,
        "academic_year_id": open_year().pk,
        "id_number": "12AB",
        "rib": "123",
    }
    html = client.post("/registration/entry/higher_education/", data).content.decode()
    assert "errorlist" in html and 'value="Bennani"' in html and 'value="Agdal"' in html
    assert not RegistrationRequest.objects.exists()


def test_every_problem_of_the_form_is_shown_in_one_answer(ready) -> None:
    client = verified_student(ready)
    base = {**FORM, "institution_id": ready.mine.institution.pk, "academic_year_id": open_year().pk}
    # Fields Django refuses (e-mail, the coverage answer) and identifiers the service refuses.
    data = {**base, "email": "x@", "id_number": "12-34", "massar": "ABC", "phone": "12ab", "rib": "1234"}
    del data["no_other_coverage"]
    response = client.post("/registration/entry/higher_education/", data)
    assert {"email", "no_other_coverage", "id_number", "massar", "phone", "rib"} <= set(response.context["form"].errors)
    # A complete form: a RIB with a wrong key, a date outside the year, no signature, together,
    # each beside its field.
    data = {**base, "rib": "011780000012345678901299", "registered_on": "2031-01-01"}
    del data["acknowledged"]
    response = client.post("/registration/entry/higher_education/", data)
    assert {"rib", "registered_on", "acknowledged"} <= set(response.context["form"].errors)
    assert "exactitude des informations pour signer" in response.content.decode()  # shown, not only kept
    assert 'value="Bennani"' in response.content.decode() and not RegistrationRequest.objects.exists()


def test_a_name_in_arabic_script_has_no_latin_letter(ready) -> None:
    client = verified_student(ready)
    data = {**FORM, "institution_id": ready.mine.institution.pk, "academic_year_id": open_year().pk}
    response = client.post("/registration/entry/higher_education/", {**data, "last_name_ar": "Alaoui"})
    assert set(response.context["form"].errors) == {"last_name_ar"}
    assert not RegistrationRequest.objects.exists()
    client.post("/registration/entry/higher_education/", {**data, "last_name_ar": "العلوي", "first_name_ar": ""})
    assert RegistrationRequest.objects.get().student.last_name_ar == "العلوي"


def test_another_coverage_gets_the_clear_message(ready) -> None:
    client = verified_student(ready)
    data = {
        **FORM,
        "institution_id": ready.mine.institution.pk,
        "academic_year_id": open_year().pk,
        "no_other_coverage": "0",
    }
    html = client.post("/registration/entry/higher_education/", data).content.decode()
    assert 'data-testid="form-errors"' in html and "couverture" in html


def test_the_wrong_entry_does_not_offer_the_institution(ready) -> None:
    client = verified_student(ready)
    html = client.get("/registration/entry/public_vocational/").content.decode()
    assert ready.mine.institution.name_fr not in html
    assert ready.mine.institution.name_fr in client.get("/registration/entry/higher_education/").content.decode()


def test_the_institution_queue_bulk_validates_and_filters(ready) -> None:
    from amo.enrollment.services import registration_submit
    from amo.enrollment.tests.factories import registration_input

    request = registration_submit(
        actor=ready.users["student"], entry_channel="", data=registration_input(ready.mine.institution)
    )
    client = ready.client("institution")
    html = client.get("/registration/institution/?q=AB123456").content.decode()
    assert f"REG-{request.pk:08d}" in html
    client.post(
        "/registration/institution/bulk/", {"ids": [request.pk], "action": "validated", "reason": "", "comment": ""}
    )
    request.refresh_from_db()
    assert request.status == "validated"
    assert f"REG-{request.pk:08d}" not in client.get("/registration/institution/?status=submitted").content.decode()


def test_a_refused_decision_keeps_what_the_agent_chose_and_changes_nothing(ready) -> None:
    from amo.enrollment.services import registration_submit
    from amo.enrollment.tests.factories import registration_input

    request = registration_submit(
        actor=ready.users["student"], entry_channel="", data=registration_input(ready.mine.institution)
    )
    client = ready.client("institution")
    url = f"/registration/requests/{request.pk}/decide/"
    response = client.post(url, {"action": "rejected", "reason": "other", "comment": ""})
    html = response.content.decode()
    assert response.status_code == 400
    # The rejection and its reason are still chosen: saving again cannot validate by mistake.
    assert '<option value="rejected" selected>' in html and '<option value="other" selected>' in html
    assert "errorlist" in html
    request.refresh_from_db()
    assert request.status == "submitted"
    client.post(url, {"action": "rejected", "reason": "other", "comment": "Inscription annulée"})
    request.refresh_from_db()
    assert (request.status, request.reject_reason) == ("rejected", "other")


def test_a_refused_bulk_decision_keeps_the_ticked_requests(ready) -> None:
    from amo.enrollment.services import registration_submit
    from amo.enrollment.tests.factories import registration_input

    request = registration_submit(
        actor=ready.users["student"], entry_channel="", data=registration_input(ready.mine.institution)
    )
    client = ready.client("institution")
    response = client.post(
        "/registration/institution/bulk/",
        {
            "ids": [request.pk],
            "action": "to_correct",
            "reason": "",
            "comment": "",
            "next": "/registration/institution/?status=submitted",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f'value="{request.pk}" aria-label="REG-{request.pk:08d}" checked' in html
    assert '<option value="to_correct" selected>' in html and "décidée" not in html
    # Shown at the bulk form's address, the page still leads back to the queue and its filter.
    assert 'name="next" value="/registration/institution/?status=submitted"' in html
    assert 'action="/registration/institution/"' in html
    request.refresh_from_db()
    assert request.status == "submitted"
    outside = client.post(
        "/registration/institution/bulk/",
        {"ids": [request.pk], "action": "validated", "next": "https://elsewhere.example/"},
    )
    assert outside["Location"] == "/registration/institution/"  # never sent off the site


def test_a_student_is_found_by_full_name_in_either_order(ready) -> None:
    from amo.enrollment.services import registration_submit
    from amo.enrollment.tests.factories import registration_input

    request = registration_submit(
        actor=ready.users["student"],
        entry_channel="",
        data=registration_input(ready.mine.institution, last_name="El Amrani", first_name="Omar"),
    )
    client = ready.client("cnops")
    for text in ("El Amrani Omar", "el amrani  omar", "Omar El Amrani", "El Amrani O"):
        assert (
            f"/registration/requests/{request.pk}/" in client.get("/registration/cnops/", {"q": text}).content.decode()
        )
    assert (
        f"/registration/requests/{request.pk}/"
        not in client.get("/registration/cnops/", {"q": "Omar Bennani"}).content.decode()
    )


def test_the_aggregator_closes_exports_and_sends(ready) -> None:
    from amo.enrollment.services import registration_decide, registration_submit
    from amo.enrollment.tests.factories import registration_input

    request = registration_submit(
        actor=ready.users["student"],
        entry_channel="",
        data=registration_input(ready.mine.institution, last_name="=cmd|' /C calc'!A0"),
    )
    registration_decide(actor=ready.users["institution"], request=request, target="validated")
    client = ready.client("aggregator")
    response = client.post("/registration/aggregator/close/", {"academic_year_id": open_year().pk}, follow=True)
    url = response.redirect_chain[-1][0]
    csv_text = b"".join(client.get(url + "export.csv").streaming_content).decode("utf-8-sig")
    assert "'=cmd" in csv_text and "\n=cmd" not in csv_text and ";=cmd" not in csv_text
    from openpyxl import load_workbook

    xlsx = client.get(url + "export.xlsx")
    import io

    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet is not None and sheet.cell(row=2, column=5).value.startswith("'=")
    assert client.get(url + "export.pdf").content.startswith(b"%PDF")
    client.post(url + "send/")
    request.refresh_from_db()
    assert request.status == "sent_to_cnops"


def test_the_legal_entity_sees_and_downloads_whom_it_certifies_and_signs_once(ready) -> None:
    from amo.enrollment.services import aggregation_close, registration_decide, registration_submit
    from amo.enrollment.tests.factories import registration_input

    request = registration_submit(
        actor=ready.users["student"], entry_channel="", data=registration_input(ready.mine.institution)
    )
    registration_decide(actor=ready.users["institution"], request=request, target="validated")
    aggregation_close(actor=ready.users["aggregator"], aggregator=ready.mine.aggregator, academic_year=open_year())
    client = ready.client("legal_entity")
    html = client.get("/registration/legal-entity/").content.decode()
    assert 'data-testid="to-certify-list"' in html and "Bennani Salma" in html and "AB123456" in html
    exported = b"".join(client.get("/registration/legal-entity/to-certify.csv").streaming_content).decode("utf-8-sig")
    assert "AB123456" in exported and "Carte nationale" in exported and ";Féminin;" in exported
    client.post("/registration/legal-entity/", {"academic_year_id": open_year().pk, "confirm": "on"})
    html = client.get("/registration/legal-entity/").content.decode()
    assert 'data-testid="to-certify-list"' not in html and html.count('data-testid="certification"') == 1
    again = client.post("/registration/legal-entity/", {"academic_year_id": open_year().pk, "confirm": "on"})
    assert "déjà certifiés" in again.content.decode()  # the same list is not signed twice
    assert client.get("/registration/legal-entity/").content.decode().count('data-testid="certification"') == 1
    # The student sees the certification as a step of their request.
    mine = ready.client("student").get("/registration/my/").content.decode()
    assert 'data-status="certified"' in mine and "Certifiée par la personne morale" in mine
    assert ready.client("student").get("/registration/legal-entity/to-certify.csv").status_code in (403, 404)


def test_cnops_sees_totals_and_drills_down(ready) -> None:
    from amo.enrollment.services import registration_submit
    from amo.enrollment.tests.factories import registration_input

    request = registration_submit(
        actor=ready.users["student"], entry_channel="", data=registration_input(ready.mine.institution)
    )
    client = ready.client("cnops")
    html = client.get("/registration/cnops/?q=AB123456").content.decode()
    assert 'data-testid="total-submitted"' in html and f"/registration/requests/{request.pk}/" in html
    # A request still at its institution is in the pipeline, not among those received.
    assert html.count("Rien de reçu pour l'instant.") == 2
    year = open_year().code
    drilled = client.get(f"/registration/cnops/?year={year}&status=submitted").content.decode()
    assert f"/registration/requests/{request.pk}/" in drilled
    received = client.get(f"/registration/cnops/?year={year}&channel=higher_education").content.decode()
    assert 'data-testid="found"' in received and f"/registration/requests/{request.pk}/" not in received
    assert ready.client("provider").get("/registration/cnops/").status_code == 403


def test_the_form_offers_only_institutions_where_one_can_register(ready) -> None:
    from amo.organisations.tests.factories import InstitutionFactory

    waiting = InstitutionFactory.create(name_fr="Établissement pas encore affilié")
    html = verified_student(ready).get("/registration/entry/higher_education/").content.decode()
    assert ready.mine.institution.name_fr in html and waiting.name_fr not in html


def test_a_name_made_of_a_zero_width_space_is_refused_by_the_page(ready) -> None:
    client = verified_student(ready)
    data = {**FORM, "institution_id": ready.mine.institution.pk, "academic_year_id": open_year().pk}
    response = client.post("/registration/entry/higher_education/", {**data, "last_name": "\u200b"})
    assert set(response.context["form"].errors) == {"last_name"}
    assert "caractères invisibles" in response.context["form"].errors["last_name"][0]
    response = client.post(
        "/registration/entry/higher_education/", {**data, "first_name_ar": "سل\u200dمى", "birth_place": "\u200fRabat"}
    )
    assert set(response.context["form"].errors) == {"first_name_ar", "birth_place"}
    assert not RegistrationRequest.objects.exists()


@pytest.mark.parametrize(("language", "shown"), [("fr", "Marocaine"), ("ar", "مغربية")])
def test_the_nationality_is_prefilled_in_the_readers_language(language: str, shown: str) -> None:
    # Issue 13, item 12: "Marocaine" was prefilled on the Arabic form.
    from django.utils import translation

    from amo.enrollment.forms import RegistrationForm

    with translation.override(language):
        assert str(RegistrationForm.base_fields["nationality"].initial) == shown


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_correction_form_is_the_registration_form_and_keeps_the_input_after_an_error(ready, language) -> None:
    """Issue 13, item 10: the same sections as the registration form, the consent text shown, and a
    correction refused for a bad field keeps what the student typed."""
    from django.conf import settings

    from amo.enrollment.services import registration_decide, registration_submit
    from amo.enrollment.tests.factories import registration_input

    request = registration_submit(
        actor=ready.users["student"], entry_channel="higher_education", data=registration_input(ready.mine.institution)
    )
    registration_decide(actor=ready.users["institution"], request=request, target="to_correct", comment="Massar erroné")
    student = ready.users["student"]
    student.email_verified_at = clock.now()
    student.save(update_fields=["email_verified_at"])
    client = ready.client("student")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    register = client.get("/registration/entry/higher_education/").content.decode()
    correct = client.get(f"/registration/my/{request.pk}/correct/").content.decode()

    def sections(html: str) -> list[str]:
        form = re.split(r'data-testid="(?:registration|correction)-form"', html, maxsplit=1)[1]
        return re.findall(r"<h2>([^<]+)</h2>", form.split("</form>", 1)[0])

    assert sections(correct) == sections(register) and len(sections(register)) == 6
    consent = re.search(r'<blockquote class="muted">([^<]+)</blockquote>', correct)
    assert consent and len(consent.group(1).strip()) > 50
    assert "Massar erroné" in correct
    data = {
        **FORM,
        "institution_id": ready.mine.institution.pk,
        "academic_year_id": request.academic_year_id,
        "massar": "R130000777",
        "phone": "12",
    }
    html = client.post(f"/registration/my/{request.pk}/correct/", data).content.decode()
    assert 'value="R130000777"' in html and 'value="Bennani"' in html  # what was typed is kept
    assert 'name="phone"' in html and "errorlist" in html
    request.refresh_from_db()
    assert request.status == "to_correct"
