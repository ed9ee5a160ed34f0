import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl")])
def test_the_home_page_explains_the_three_channels_in_both_languages(language: str, direction: str) -> None:
    client = Client()
    client.cookies["amo_language"] = language
    html = client.get("/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    for code in ("higher_education", "public_vocational", "private_vocational"):
        assert f'data-testid="channel-{code}"' in html
    assert (
        "Office National des Œuvres Universitaires" if language == "fr" else "المكتب الوطني للأعمال الجامعية"
    ) in html


def test_the_language_switch_remembers_the_choice() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert 'dir="rtl"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "persona",
    [
        "student",
        "institution",
        "legal_entity",
        "aggregator",
        "delegation",
        "controller",
        "deposit_point",
        "provider",
        "cnops",
        "admin",
    ],
)
def test_every_role_has_a_dashboard_section(world, persona: str) -> None:
    html = world.client(persona).get("/dashboard/").content.decode()
    role = world.users[persona].memberships.get().role
    assert f'data-testid="section-{role}"' in html


def test_a_user_without_role_is_told_so(world) -> None:
    html = world.client("nobody").get("/dashboard/").content.decode()
    assert "pas encore de rôle" in html


def test_pages_need_a_login() -> None:
    response = Client().get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_affiliation_pages_walk_from_request_to_certificate(world, django_capture_on_commit_callbacks) -> None:
    entity = world.client("legal_entity")
    response = entity.post(
        f"/organisations/legal-entities/{world.mine.legal_entity.pk}/affiliation/new/",
        {"institutions": [world.mine.institution.pk]},
        follow=True,
    )
    detail_url = response.redirect_chain[-1][0]
    assert 'data-testid="status"' in response.content.decode()
    cnops = world.client("cnops")
    assert 'data-testid="approve"' in cnops.get(detail_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the worker renders it after the commit
        cnops.post(detail_url + "approve/")
    pdf = entity.get(detail_url + "certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_an_empty_affiliation_form_is_refused_with_a_message(world) -> None:
    response = world.client("legal_entity").post(
        f"/organisations/legal-entities/{world.mine.legal_entity.pk}/affiliation/new/", {}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_the_contact_form_keeps_valid_fields_and_shows_errors(world) -> None:
    url = f"/organisations/legal-entities/{world.mine.legal_entity.pk}/"
    response = world.client("legal_entity").post(
        url, {"email": "new@example.ma", "phone": "0612", "address": "Agdal", "ice": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "errorlist" in html and 'value="Agdal"' in html
    world.mine.legal_entity.refresh_from_db()
    assert world.mine.legal_entity.email != "new@example.ma"


def test_only_the_admin_can_change_a_parameter_on_the_page(world) -> None:
    data = {"key": "age_limit_years", "value": "31", "valid_from": "2027-09-01", "source": "test"}
    assert world.client("cnops").post("/referentials/parameters/", data).status_code == 403
    assert world.client("admin").post("/referentials/parameters/", data).status_code == 302
    bad = world.client("admin").post("/referentials/parameters/", {**data, "value": "abc", "valid_from": "2028-09-01"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


@pytest.mark.parametrize(
    ("language", "source", "value"),
    [
        ("fr", "Loi n° 65.00, article 34", "premier jour de l&#x27;année universitaire"),
        ("ar", "القانون رقم 65.00، المادة 34", "اليوم الأول من السنة الجامعية"),
    ],
)
def test_the_rules_page_gives_sources_and_values_in_the_readers_language(world, language, source, value) -> None:
    # Issue 13, items 12 and 14: the rules page every actor reads had French-only sources with
    # internal notes, and a coded value (academic_year_start) shown raw.
    client = world.client("student")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/referentials/parameters/").content.decode()
    assert source in html and value in html
    for internal in ("décision 0004", "une page CNOPS indique", "academic_year_start", "décision 0006"):
        assert internal not in html


def test_the_demo_mailbox_shows_caught_emails(settings) -> None:
    from amo.notifications.models import MailboxMessage

    MailboxMessage.objects.create(to="a@example.ma", subject="Hello", body_text="Body")
    html = Client().get("/demo/mailbox/").content.decode()
    assert "Hello" in html


def test_the_admin_is_open_to_cnops_administrators_only(world) -> None:
    assert world.client("admin").get("/admin/").status_code == 200
    assert world.client("cnops").get("/admin/").status_code == 302


def test_arabic_pages_write_law_numbers_so_that_they_display_in_the_right_order() -> None:
    """In right-to-left text the bidi algorithm shows "116-12" as "12-116" (measured in Chromium
    and WeasyPrint). Morocco's Arabic texts write the number with a dot, "116.12", which the bidi
    algorithm keeps as one number in its order (issue 13, item 12)."""
    client = Client()
    client.cookies["amo_language"] = "ar"
    html = client.get("/").content.decode()
    assert "القانون رقم 116.12" in html and "116-12" not in html and "12-116" not in html


def test_an_academic_year_is_isolated_in_arabic_headings(world) -> None:

    from amo.enrollment.services import registration_submit
    from amo.enrollment.tests.factories import open_year, registration_input

    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    registration_submit(actor=world.users["student"], entry_channel="", data=registration_input(world.mine.institution))
    client = world.client("student")
    client.cookies["amo_language"] = "ar"
    assert '<bdi dir="ltr">2026-2027</bdi>' in client.get("/registration/my/").content.decode()


def test_the_students_menu_offers_no_api_tokens_page(world) -> None:
    # Issue 13, item 14: a student has no API client to give a token to; other roles keep the page.
    token_page = reverse("accounts:api_tokens")
    assert f'href="{token_page}"' not in world.client("student").get("/").content.decode()
    assert f'href="{token_page}"' in world.client("provider").get("/").content.decode()


def test_the_home_page_quotes_the_contribution_in_force_not_a_figure_of_its_own(world) -> None:
    # Issue 13, item 6: "400 MAD ... twelve months" was written in the page.
    from amo.common.clock import today
    from amo.referentials.services import parameter_set

    assert "400 MAD" in Client().get("/").content.decode()
    parameter_set(actor=world.users["admin"], key="contribution_amount", value="450.00", valid_from=today())
    parameter_set(actor=world.users["admin"], key="contribution_period_months", value="10", valid_from=today())
    html = Client().get("/").content.decode()
    assert "450 MAD" in html and "10 mois" in html and "400 MAD" not in html


@pytest.mark.parametrize(
    ("language", "address", "hours"),
    [
        ("fr", "8 rue Al Khalil, BP 209, Rabat", 'du lundi au vendredi, de <bdi dir="ltr">8:30</bdi> à'),
        ("ar", "8، زنقة الخليل، ص.ب 209، الرباط", 'من الاثنين إلى الجمعة، من <bdi dir="ltr">8:30</bdi> إلى'),
    ],
)
def test_cnops_address_and_call_centre_hours_are_dated_parameters(world, language, address, hours) -> None:
    # Issue 13, rule 6: the address was an enum label, the hours a sentence (the brochure: Monday to
    # Friday, 8:30 to 16:30; 8 rue Al Khalil, BP 209, Rabat).
    from amo.common.clock import today
    from amo.referentials.services import parameter_set

    client = Client()
    client.cookies["amo_language"] = language
    html = client.get("/").content.decode()
    deposit = html.split('data-testid="deposit-private_vocational"', 1)[1].split("</dd>", 1)[0]
    assert address in deposit
    assert hours in html
    key = "cnops_postal_address_ar" if language == "ar" else "cnops_postal_address"
    parameter_set(actor=world.users["admin"], key=key, value="1 av. Nouvelle, Rabat", valid_from=today())
    parameter_set(actor=world.users["admin"], key="call_centre_opens", value="09:00", valid_from=today())
    html = client.get("/").content.decode()
    deposit = html.split('data-testid="deposit-private_vocational"', 1)[1].split("</dd>", 1)[0]
    assert "1 av. Nouvelle, Rabat" in deposit and address not in html
    assert '<bdi dir="ltr">9:00</bdi>' in html and "8:30" not in html
