"""Issue 11: free text from every entry, not only the registration, refuses NUL bytes, control
characters and bidirectional overrides, and keeps to its column's length, on the page and the
API alike (the same rule: amo.common.textrules)."""

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

BAD = ["Re\x00fus", "Pi\u00e8ce \u202emanquante", "x\x1b[31m", "\ud800"]


@pytest.mark.parametrize("value", BAD, ids=["nul", "bidi", "escape", "surrogate"])
@pytest.mark.parametrize(
    ("persona", "method", "url", "body", "field"),
    [
        (
            "legal_entity",
            "post",
            "/api/contributions/transfers",
            {"academic_year": "2026-2027", "amount": "400", "transferred_on": "2026-10-02"},
            "bank_reference",
        ),
        ("cnops", "post", "/api/contributions/credits/1/dismiss", {}, "comment"),
        ("student", "post", "/api/eligibility/requests/1/recheck", {}, "comment"),
        ("cnops", "post", "/api/coverage/rights/1/studies-stopped", {}, "comment"),
        ("cnops", "post", "/api/organisations/affiliations/1/reject", {"reason": "other"}, "comment"),
        ("legal_entity", "put", "/api/organisations/legal-entities/1/contact", {}, "address"),
    ],
    ids=["transfer", "dismiss", "recheck", "studies-stopped", "affiliation-reject", "contact"],
)
def test_the_api_refuses_control_characters_in_free_text(
    world: Any, persona: str, method: str, url: str, body: dict[str, Any], field: str, value: str
) -> None:
    client = world.client(persona)
    response = getattr(client, method)(url, {**body, field: value}, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]


def test_the_api_refuses_a_text_longer_than_its_column(world: Any) -> None:
    body = {"academic_year": "2026-2027", "amount": "400", "transferred_on": "2026-10-02", "bank_reference": "V" * 41}
    response = world.client("legal_entity").post("/api/contributions/transfers", body, content_type="application/json")
    assert response.status_code == 422 and "40" in response.json()["fields"]["bank_reference"][0]


def test_sign_up_refuses_a_name_with_a_nul_byte_and_keeps_the_rest(client: Any) -> None:
    data = {
        "full_name": "Salma\x00 Bennani",
        "email": "salma@example.ma",
        "password1": "Correct-Horse-42",
        "password2": "Correct-Horse-42",
        "language": "fr",
    }
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200 and set(response.context["form"].errors) == {"full_name"}
    assert 'value="salma@example.ma"' in response.content.decode()
    response = client.post("/accounts/signup/", {**data, "full_name": "Salma \u202eBennani"})
    assert set(response.context["form"].errors) == {"full_name"}


def test_an_api_token_name_refuses_bidi_overrides(world: Any) -> None:
    from amo.accounts.models import ApiToken

    response = world.client("institution").post("/accounts/tokens/", {"name": "import \u202enightly"})
    assert response.status_code in (200, 400) and "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("persona", "method", "url", "body", "where"),
    [
        (
            "student",
            "post",
            "/api/registration/entries/higher_education/requests",
            {"academic_year": "2026\x00"},
            "academic_year",
        ),
        ("cnops", "get", "/api/registration/requests?q=a%00b", None, "q"),
        ("cnops", "get", "/api/registration/totals?year=2026%00-2027", None, "year"),
        ("provider", "get", "/api/coverage/lookup?id_number=AB%00123", None, "id_number"),
        ("cnops", "get", "/registration/cnops/?q=a%00b", None, "q"),
    ],
    ids=["json-body", "api-search", "api-year", "api-lookup", "page-search"],
)
def test_a_nul_byte_anywhere_is_refused_at_the_door_never_a_server_error(
    world: Any, persona: str, method: str, url: str, body: Any, where: str
) -> None:
    """PostgreSQL cannot hold a NUL byte: it reached queries and answered 500 there."""
    client = world.client(persona)
    response = client.get(url) if body is None else client.post(url, body, content_type="application/json")
    if url.startswith("/api/"):
        assert response.status_code == 422, response.content
        assert response.json()["code"] == "invalid_input" and where in response.json()["fields"]
    else:
        assert response.status_code == 400 and "text_control" in response.content.decode()


def test_a_json_body_may_still_carry_an_escaped_backslash_before_u0000(world: Any) -> None:
    body = '{"academic_year": "2026-2027", "comment": "chemin C:\\\\\\\\u0000"}'
    response = world.client("student").post(
        "/api/eligibility/requests/999999/recheck", body, content_type="application/json"
    )
    assert "comment" not in response.json().get("fields", {})
