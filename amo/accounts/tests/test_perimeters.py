"""The perimeter matrix: every role against its own side and an unrelated side, pages and API.

A persona reads an object when it is in their perimeter (200) and gets 404 otherwise, whether
the object exists elsewhere or not. Only CNOPS's central back office sees both sides. A medical
controller (of a delegation here) sees the care providers of its regions, whose PEC requests it
decides, and no institution, legal entity or deposit point: that is the back office's work.
"""

import pytest

from amo.organisations.models import AffiliationRequest, AffiliationStatus
from amo.organisations.services import affiliation_submit

pytestmark = pytest.mark.django_db

PERSONAS = [
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
    "nobody",
]
CENTRAL = {"cnops", "admin"}
VISIBLE_ON_OWN_SIDE = {
    "institution": {"institution", "legal_entity", "aggregator", "delegation"},
    "legal_entity": {"legal_entity", "aggregator", "delegation"},
    "affiliation": {"legal_entity"},
    "provider": {"provider", "delegation", "controller"},
    "deposit_point": {"deposit_point", "delegation"},
}
DETAIL = {
    "institution": ("/organisations/institutions/{}/", "/api/organisations/institutions/{}"),
    "legal_entity": ("/organisations/legal-entities/{}/", "/api/organisations/legal-entities/{}"),
    "affiliation": ("/organisations/affiliations/{}/", "/api/organisations/affiliations/{}"),
}
LISTS = {
    "institution": ("/organisations/institutions/", "/api/organisations/institutions"),
    "legal_entity": ("/organisations/legal-entities/", "/api/organisations/legal-entities"),
    "affiliation": ("/organisations/affiliations/", "/api/organisations/affiliations"),
    "provider": ("/organisations/providers/", "/api/organisations/providers"),
    "deposit_point": ("/organisations/deposit-points/", "/api/organisations/deposit-points"),
}


def expected(persona: str, kind: str, side: str) -> bool:
    return persona in CENTRAL or (side == "mine" and persona in VISIBLE_ON_OWN_SIDE[kind])


@pytest.fixture
def objects(world):
    from amo.accounts.models import Role
    from amo.accounts.services import membership_grant
    from conftest import make_user

    other_agent = make_user("bob-entity@example.ma")
    membership_grant(
        actor=None,
        user=other_agent,
        role=Role.LEGAL_ENTITY_AGENT,
        legal_entity=world.other.legal_entity,
    )
    affiliations = {
        "mine": affiliation_submit(
            actor=world.users["legal_entity"],
            legal_entity=world.mine.legal_entity,
            institution_ids=[world.mine.institution.pk],
        ),
        "other": affiliation_submit(
            actor=other_agent,
            legal_entity=world.other.legal_entity,
            institution_ids=[world.other.institution.pk],
        ),
    }
    out = {}
    for side_name in ("mine", "other"):
        side = getattr(world, side_name)
        out[side_name] = {
            "institution": side.institution,
            "legal_entity": side.legal_entity,
            "affiliation": affiliations[side_name],
            "provider": side.provider,
            "deposit_point": side.deposit_point,
        }
    return out


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_reads_details_only_within_its_perimeter(world, objects, persona: str) -> None:
    client = world.client(persona)
    for kind, (page, endpoint) in DETAIL.items():
        for side in ("mine", "other"):
            pk = objects[side][kind].pk
            want = 200 if expected(persona, kind, side) else 404
            assert client.get(page.format(pk)).status_code == want, (persona, kind, side, "page")
            response = client.get(endpoint.format(pk))
            assert response.status_code == want, (persona, kind, side, "api")
            if want == 404:
                assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_lists_only_its_perimeter(world, objects, persona: str) -> None:
    client = world.client(persona)
    for kind, (page, endpoint) in LISTS.items():
        api_ids = {item["id"] for item in client.get(endpoint).json()["items"]}
        html = client.get(page).content.decode()
        for side in ("mine", "other"):
            obj = objects[side][kind]
            visible = expected(persona, kind, side)
            assert (obj.pk in api_ids) == visible, (persona, kind, side, "api")
            label = getattr(obj, "number", None) or getattr(obj, "name_fr", None) or obj.name
            assert (label in html) == visible, (persona, kind, side, "page")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_cnops_central_decides_an_affiliation(world, objects, persona: str) -> None:
    client = world.client(persona)
    target = objects["mine"]["affiliation"]
    page = client.post(f"/organisations/affiliations/{target.pk}/reject/", {"reason": "incomplete_file"})
    api = client.post(
        f"/api/organisations/affiliations/{target.pk}/reject",
        {"reason": "incomplete_file"},
        content_type="application/json",
    )
    status = AffiliationRequest.objects.get(pk=target.pk).status
    if persona in CENTRAL:
        assert status == AffiliationStatus.REJECTED
    else:
        assert page.status_code in (403, 404) and api.status_code in (403, 404)
        assert status == AffiliationStatus.SUBMITTED


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_entity_own_agent_asks_for_its_affiliation(world, persona: str) -> None:
    from amo.organisations.tests.factories import InstitutionFactory

    fresh = InstitutionFactory.create(legal_entity=world.mine.legal_entity)
    client = world.client(persona)
    body = {"legal_entity_id": world.mine.legal_entity.pk, "institution_ids": [fresh.pk]}
    response = client.post("/api/organisations/affiliations", body, content_type="application/json")
    created = AffiliationRequest.objects.filter(institutions=fresh).exists()
    assert created == (persona == "legal_entity")
    assert response.status_code == (201 if persona == "legal_entity" else response.status_code)
    if persona != "legal_entity":
        assert response.status_code in (403, 404)
