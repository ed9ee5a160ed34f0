"""API contract: authentication by session and token, stable error codes, translated messages."""

import pytest

from amo.accounts.services import api_token_create
from amo.organisations.models import AffiliationRequest

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_and_the_docs_page_are_served(client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "/api/organisations/affiliations" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_an_anonymous_call_is_refused_with_a_code(client) -> None:
    response = client.get("/api/organisations/institutions")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_a_bearer_token_authenticates_and_a_revoked_or_wrong_one_does_not(world, client) -> None:
    token, key = api_token_create(user=world.users["legal_entity"], name="ERP")
    ok = client.get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"})
    assert ok.status_code == 200 and ok.json()["memberships"][0]["role"] == "legal_entity_agent"
    assert client.get("/api/accounts/me", headers={"Authorization": "Bearer amo_wrong"}).status_code == 401
    token.revoked_at = token.created_at
    token.save(update_fields=["revoked_at"])
    assert client.get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_a_token_call_needs_no_csrf_but_a_session_post_does(world) -> None:
    from django.test import Client

    _token, key = api_token_create(user=world.users["legal_entity"], name="ERP")
    body = {
        "legal_entity_id": world.mine.legal_entity.pk,
        "institution_ids": [world.mine.institution.pk],
    }
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["legal_entity"])
    refused = strict.post("/api/organisations/affiliations", body, content_type="application/json")
    assert refused.status_code in (401, 403)
    created = Client(enforce_csrf_checks=True).post(
        "/api/organisations/affiliations",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert created.status_code == 201 and created.json()["number"].startswith("AFF-")


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        {"legal_entity_id": "abc", "institution_ids": [1]},
        {"institution_ids": "all"},
        [],
    ],
)
def test_a_malformed_body_gets_invalid_input_and_changes_nothing(world, body) -> None:
    client = world.client("legal_entity")
    response = client.post("/api/organisations/affiliations", body, content_type="application/json")
    assert response.status_code in (400, 422)
    payload = response.json()
    assert payload["code"] in ("invalid_input", "invalid_body")
    assert payload["message"]
    assert not AffiliationRequest.objects.exists()


def test_errors_are_translated_in_the_callers_language(world) -> None:
    client = world.client("legal_entity")
    body = {
        "legal_entity_id": world.mine.legal_entity.pk,
        "institution_ids": [world.other.institution.pk],
    }
    fr = client.post(
        "/api/organisations/affiliations",
        body,
        content_type="application/json",
        headers={"Accept-Language": "fr"},
    )
    ar = client.post(
        "/api/organisations/affiliations",
        body,
        content_type="application/json",
        headers={"Accept-Language": "ar"},
    )
    assert fr.json()["code"] == ar.json()["code"] == "affiliation_not_owned"
    assert fr.json()["message"] == "Un établissement choisi n'appartient pas à cette personne morale."
    assert any("\u0600" <= ch <= "\u06ff" for ch in ar.json()["message"])


def test_bad_contact_details_get_field_errors_by_code(world) -> None:
    client = world.client("legal_entity")
    response = client.put(
        f"/api/organisations/legal-entities/{world.mine.legal_entity.pk}/contact",
        {"email": "not-an-email", "phone": "06", "ice": ""},
        content_type="application/json",
    )
    # the e-mail rule of every entry, in the schema: a 422 naming the field, as registration does
    assert response.status_code == 422 and "email" in response.json()["fields"]
    response = client.put(
        f"/api/organisations/legal-entities/{world.mine.legal_entity.pk}/contact",
        {"email": "ok@example.ma", "phone": "06", "ice": ""},
        content_type="application/json",
    )
    assert response.status_code == 400 and "phone" in response.json()["fields"]
    world.mine.legal_entity.refresh_from_db()
    assert world.mine.legal_entity.phone == ""


def test_the_parameters_endpoint_is_read_by_all_and_written_by_the_admin_only(world) -> None:
    body = {"key": "payment_deadline_days", "value": "30", "valid_from": "2027-09-01"}
    assert (
        world.client("cnops").post("/api/referentials/parameters", body, content_type="application/json").status_code
        == 403
    )
    created = world.client("admin").post("/api/referentials/parameters", body, content_type="application/json")
    assert created.status_code == 201
    values = {
        p["key"]: p["value"] for p in world.client("student").get("/api/referentials/parameters?on=2027-09-02").json()
    }
    assert values["payment_deadline_days"] == "30"
    bad = world.client("admin").post(
        "/api/referentials/parameters",
        {**body, "value": "x", "valid_from": "2028-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "parameter_invalid"


def test_the_token_cache_forgets_a_user_whose_memberships_change_and_survives_logins(world) -> None:
    from django.contrib.auth.models import update_last_login
    from django.test import Client

    from amo.accounts.services import api_token_create
    from amo.api import auth

    auth.token_cache_clear()
    provider, other = world.users["provider"], world.users["institution"]
    keys = {u.pk: api_token_create(user=u, name="t")[1] for u in (provider, other)}
    for user in (provider, other):
        assert Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {keys[user.pk]}"}).status_code == 200
    assert len(auth._cache) == 2
    update_last_login(type(provider), provider)  # a web login
    assert len(auth._cache) == 2
    membership = provider.memberships.get()
    membership.is_active = False
    membership.save()
    assert {user.pk for _until, user in auth._cache.values()} == {other.pk}
    assert (
        Client()
        .get("/api/coverage/lookup?id_number=AB100001", headers={"Authorization": f"Bearer {keys[provider.pk]}"})
        .status_code
        == 403
    )
