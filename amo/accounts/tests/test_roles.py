"""Each role does its own job and no other: CNOPS's medical controller (prior approvals and
PEC), call-centre agent (rights and a student's file) and administrator are not its back office."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amo.accounts.tests.roles import add_personas
from amo.enrollment.models import RegistrationRequest
from amo.enrollment.tests.factories import open_year
from amo.imports.models import ImportJob

pytestmark = pytest.mark.django_db

NATIONAL_LIST = (
    "institution_code;id_number;massar;last_name;first_name;birth_date;sex;registered_on;no_other_coverage;email\n"
    "{code};AB123456;R130000001;Bennani;Salma;2005-03-14;F;2026-09-20;oui;salma@example.ma\n"
)


@pytest.fixture
def roles_world(world):
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    return add_personas(world)


@pytest.mark.parametrize("persona", ["controller_central", "call_centre"])
def test_a_medical_controller_or_call_centre_cannot_upload_a_national_list(roles_world, persona: str) -> None:
    client = roles_world.client(persona)
    content = NATIONAL_LIST.format(code=roles_world.mine.institution.code).encode()
    page = client.post(
        "/imports/",
        {"academic_year_id": open_year().pk, "file": SimpleUploadedFile("liste.csv", content)},
    )
    api = client.post(
        "/api/registration/imports",
        {"academic_year": open_year().code, "file": SimpleUploadedFile("liste.csv", content)},
    )
    assert (page.status_code, api.status_code) == (403, 403)
    assert client.get("/imports/").status_code == 403
    assert not ImportJob.objects.exists() and not RegistrationRequest.objects.exists()


@pytest.mark.parametrize("persona", ["controller_central", "call_centre"])
def test_a_medical_controller_or_call_centre_reads_no_statements_transfers_or_receipts(
    roles_world, private, persona: str
) -> None:
    from amo.contributions.tests.test_services import declare

    entity, dues = private
    transfer = declare(roles_world, entity, dues)
    client = roles_world.client(persona)
    assert client.get("/contributions/cnops/").status_code == 403
    assert client.get("/api/contributions/statements").status_code == 403
    assert client.get("/api/contributions/credits/review").status_code == 403
    assert client.get("/api/contributions/transfers").json()["items"] == []
    # the back office sees the transfer: an empty list above means a perimeter, not an empty table
    seen = roles_world.client("cnops").get("/api/contributions/transfers").json()["items"]
    assert [t["id"] for t in seen] == [transfer.pk]
    # receipts: the role matrix reads a real one (accounts/tests/test_role_matrix.py)
    assert client.get("/api/contributions/dues").json()["items"] == []
    assert transfer.bank_reference not in client.get("/api/contributions/totals").content.decode()


def _menu(client) -> set[str]:
    html = client.get("/dashboard/").content.decode()
    nav = html.split('<nav class="main"', 1)[1].split("</nav>", 1)[0]
    return set(re.findall(r'href="(/[^"#]*)"', nav))


BACK_OFFICE_MENUS = {
    "/contributions/cnops/",
    "/registration/cnops/",
    "/eligibility/",
    "/coverage/publications/",
    "/imports/",
    "/organisations/institutions/",
    "/organisations/legal-entities/",
    "/organisations/affiliations/",
    "/organisations/deposit-points/",
    "/coverage/outbox/",
    "/coverage/handover/",
}


def test_the_medical_controller_is_offered_providers_and_the_rights_lookup_not_the_back_office(roles_world) -> None:
    for persona in ("controller_central", "controller"):
        menu = _menu(roles_world.client(persona))
        assert {"/organisations/providers/", "/coverage/lookup/"} <= menu, persona
        assert menu & BACK_OFFICE_MENUS == set(), persona


def test_the_call_centre_is_offered_the_rights_lookup_not_the_back_office(roles_world) -> None:
    menu = _menu(roles_world.client("call_centre"))
    assert "/coverage/lookup/" in menu
    assert menu & (BACK_OFFICE_MENUS | {"/organisations/providers/"}) == set()


def test_the_central_back_office_is_offered_its_menus(roles_world) -> None:
    assert BACK_OFFICE_MENUS - {"/coverage/outbox/", "/coverage/handover/"} <= _menu(roles_world.client("cnops"))
    assert _menu(roles_world.client("admin")) >= BACK_OFFICE_MENUS
