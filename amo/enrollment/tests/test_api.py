"""The registration path through the API, each step by its actor, with perimeters."""

import pytest

from amo.enrollment.models import RegistrationRequest

pytestmark = pytest.mark.django_db

BODY = {
    "id_number": "AB123456",
    "massar": "R130000001",
    "last_name": "Bennani",
    "first_name": "Salma",
    "birth_date": "2005-03-14",
    "birth_place": "Rabat",
    "sex": "F",
    "address": "Agdal",
    "email": "salma@example.ma",
    "phone": "0612345678",
    "academic_year": "2026-2027",
    "track": "SMI",
    "registered_on": "2026-09-20",
    "no_other_coverage": True,
    "consent": True,
    "acknowledged": True,
}


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_whole_path_through_the_api(ready) -> None:
    w = ready
    created = post(
        w.client("student"),
        "/api/registration/entries/higher_education/requests",
        {**BODY, "institution_id": w.mine.institution.pk},
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["events"][0]["status"] == "submitted"
    decided = post(w.client("institution"), f"/api/registration/requests/{pk}/decision", {"action": "validated"})
    assert decided.status_code == 200 and decided.json()["status"] == "validated"
    closed = post(w.client("aggregator"), "/api/registration/lists", {"academic_year": "2026-2027"})
    assert closed.status_code == 201 and closed.json()["row_count"] == 1
    list_id = closed.json()["id"]
    rows = w.client("cnops").get(f"/api/registration/lists/{list_id}/requests").json()
    assert [r["id"] for r in rows["items"]] == [pk]
    assert post(w.client("aggregator"), f"/api/registration/lists/{list_id}/send", {}).json()["status"] == "sent"
    pending = w.client("legal_entity").get("/api/registration/certifications/pending").json()
    assert [r["id"] for r in pending["items"]] == [pk]  # what the legal entity is asked to certify
    assert w.client("student").get("/api/registration/certifications/pending").status_code in (403, 404)
    signed = post(w.client("legal_entity"), "/api/registration/certifications", {"academic_year": "2026-2027"})
    assert signed.status_code == 201 and signed.json()["row_count"] == 1
    assert w.client("legal_entity").get("/api/registration/certifications/pending").json()["items"] == []
    mine = w.client("student").get(f"/api/registration/requests/{pk}").json()
    assert [e["status"] for e in mine["events"]] == ["submitted", "validated", "in_list", "sent_to_cnops", "certified"]
    totals = w.client("cnops").get("/api/registration/totals?year=2026-2027").json()
    assert totals["by_status"] == [{"status": "sent_to_cnops", "count": 1}]


def test_an_unverified_email_cannot_submit(world) -> None:
    response = post(
        world.client("student"),
        "/api/registration/entries/higher_education/requests",
        {**BODY, "institution_id": world.mine.institution.pk},
    )
    assert response.status_code == 403 and response.json()["code"] == "email_not_verified"


def test_pre_check_failures_come_back_as_codes(ready) -> None:
    body = {**BODY, "institution_id": ready.mine.institution.pk, "no_other_coverage": False}
    response = post(ready.client("student"), "/api/registration/entries/higher_education/requests", body)
    assert response.status_code == 400 and response.json()["code"] == "other_coverage_declared"
    bad = post(
        ready.client("student"),
        "/api/registration/entries/higher_education/requests",
        {**BODY, "institution_id": ready.mine.institution.pk, "birth_date": "14/03/2005"},
    )
    assert bad.status_code == 422 and "birth_date" in bad.json()["fields"]
    assert not RegistrationRequest.objects.exists()


@pytest.mark.parametrize("persona", ["student", "legal_entity", "aggregator", "cnops", "provider", "delegation"])
def test_only_the_institution_decides(ready, persona: str) -> None:
    created = post(
        ready.client("student"),
        "/api/registration/entries/higher_education/requests",
        {**BODY, "institution_id": ready.mine.institution.pk},
    )
    pk = created.json()["id"]
    response = post(ready.client(persona), f"/api/registration/requests/{pk}/decision", {"action": "validated"})
    assert response.status_code in (403, 404)
    assert RegistrationRequest.objects.get(pk=pk).status == "submitted"


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("student", True),
        ("institution", True),
        ("legal_entity", True),
        ("aggregator", True),
        ("cnops", True),
        ("delegation", True),
        ("provider", False),
        ("deposit_point", False),
        ("nobody", False),
    ],
)
def test_requests_are_read_within_the_perimeter(ready, persona: str, visible: bool) -> None:
    created = post(
        ready.client("student"),
        "/api/registration/entries/higher_education/requests",
        {**BODY, "institution_id": ready.mine.institution.pk},
    )
    pk = created.json()["id"]
    assert (ready.client(persona).get(f"/api/registration/requests/{pk}").status_code == 200) == visible
    ids = [r["id"] for r in ready.client(persona).get("/api/registration/requests").json()["items"]]
    assert (pk in ids) == visible


@pytest.mark.parametrize("field", ["phone", "address", "birth_place", "nationality"])
@pytest.mark.parametrize("blank", ["", "   "])
def test_a_field_the_page_requires_cannot_be_sent_blank_through_the_api(ready, field: str, blank: str) -> None:
    url = "/api/registration/entries/higher_education/requests"
    body = {**BODY, "nationality": "Marocaine", "institution_id": ready.mine.institution.pk}
    client = ready.client("student")
    response = post(client, url, {**body, field: blank})
    assert response.status_code in (400, 422), response.json()
    assert response.json()["fields"][field] == ["Ce champ est obligatoire."]  # the page's words
    if field != "nationality":  # left out, it is as missing (the nationality alone has a default)
        del body[field]
        left_out = post(client, url, body)
        assert left_out.status_code == 422 and left_out.json()["fields"][field] == ["Ce champ est obligatoire."]
    assert not RegistrationRequest.objects.exists()


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\u2060", "\ufeff"])
def test_a_name_made_of_an_invisible_character_is_refused_by_the_api(ready, invisible: str) -> None:
    url = "/api/registration/entries/higher_education/requests"
    body = {**BODY, "institution_id": ready.mine.institution.pk}
    client = ready.client("student")
    alone = post(client, url, {**body, "last_name": invisible})
    assert alone.status_code == 422 and list(alone.json()["fields"]) == ["last_name"], alone.json()
    inside = post(client, url, {**body, "first_name": f"Sal{invisible}ma", "address": f"Agdal{invisible}"})
    assert inside.status_code == 422 and set(inside.json()["fields"]) == {"first_name", "address"}
    assert not RegistrationRequest.objects.exists()
