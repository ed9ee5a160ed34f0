"""Perimeters of the check and of rights, through the API and the pages (DESIGN.md: everyone
sees only their perimeter; a provider learns covered or not, since, until, through which
institution — nothing more)."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from amo.accounts.models import Role
from amo.accounts.services import api_token_create
from amo.accounts.tests.test_perimeters import PERSONAS
from amo.coverage.models import Publication, RightsPeriod
from amo.eligibility import selectors as eligibility_selectors
from amo.eligibility.models import CheckEntry
from amo.eligibility.tests.conftest import certified
from amo.enrollment.tests.factories import open_year
from conftest import make_user

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


@pytest.fixture
def checked(world: Any, django_capture_on_commit_callbacks: Any) -> list[Any]:
    """Two students checked: AB100001 accepted, AB200002 refused (answered through the API)."""
    requests = certified(world, [("AB100001", dt.date(2005, 3, 14)), ("AB200002", dt.date(2004, 1, 1))])
    client = Client()
    headers = _bearer(world.users["cnops"])
    answer = client.post(
        "/api/eligibility/batches",
        {"academic_year": open_year().code},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 201, answer.content
    batch = answer.json()
    entries = client.get(f"/api/eligibility/batches/{batch['id']}/entries", headers=headers).json()["items"]
    assert [e["id_number"] for e in entries] == ["AB100001", "AB200002"]
    verdicts = [
        {"entry": entries[0]["entry"], "outcome": "accepted"},
        {"entry": entries[1]["entry"], "outcome": "refused", "reason": "covered_insured", "scheme": "far"},
    ]
    url = f"/api/eligibility/batches/{batch['id']}/verdicts"
    # a CNOPS agent sends, but never answers for ANAM; an administrator may relay ANAM's answer
    assert client.post(url, verdicts, content_type="application/json", headers=headers).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, verdicts, content_type="application/json", headers=_bearer(world.users["admin"]))
    assert done.status_code == 200 and done.json()["status"] == "answered", done.content
    return requests


def test_a_verdict_for_a_student_never_sent_is_refused_by_the_api(world: Any) -> None:
    certified(world, [("AB100001", dt.date(2005, 3, 14))])
    headers = _bearer(world.users["cnops"])
    client = Client()
    batch = client.post(
        "/api/eligibility/batches",
        {"academic_year": open_year().code},
        content_type="application/json",
        headers=headers,
    ).json()
    bad = client.post(
        f"/api/eligibility/batches/{batch['id']}/verdicts",
        [{"entry": 424242, "outcome": "accepted"}],
        content_type="application/json",
        headers=_bearer(world.users["admin"]),
    )
    assert bad.status_code == 400 and bad.json()["code"] == "exchange_file_errors"
    assert "verdict_unknown_entry" in bad.json()["fields"]["lines"][0]


def test_only_cnops_central_sends_and_reads_batches(world: Any, checked: list[Any]) -> None:
    for persona in ("institution", "legal_entity", "provider", "delegation", "student"):
        headers = _bearer(world.users[persona])
        assert Client().get("/api/eligibility/batches", headers=headers).status_code == 403, persona
        assert _client(world.users[persona]).get("/eligibility/").status_code == 403, persona
    assert _client(world.users["cnops"]).get("/eligibility/").status_code == 200


def test_provider_lookup_says_covered_and_nothing_more(world: Any, checked: list[Any]) -> None:
    period = RightsPeriod.objects.get()
    headers = _bearer(world.users["provider"])
    found = Client().get(f"/api/coverage/lookup?id_number=ab100001&on={period.starts_on}", headers=headers).json()
    assert found == {
        "id_number": "AB100001",
        "on": period.starts_on.isoformat(),
        "covered": True,
        "since": period.starts_on.isoformat(),
        "until": period.ends_on.isoformat(),
        "institution": period.institution.name_fr,
        "institution_ar": period.institution.name_ar,
        # Rights that end with the student regime say so (law 54.23); the others say nothing more.
        "reason": "regime_ended" if period.ends_on == dt.date(2027, 2, 1) else "",
        "ended_on": period.ends_on.isoformat() if period.ends_on == dt.date(2027, 2, 1) else None,
    }
    refused = Client().get("/api/coverage/lookup?id_number=AB200002", headers=headers).json()
    assert refused["covered"] is False and refused["institution"] == ""
    bad = Client().get("/api/coverage/lookup?id_number=%3D1%2B1", headers=headers)
    assert bad.status_code == 400 and bad.json()["code"] == "lookup_id_number"
    for persona in ("student", "institution", "legal_entity", "nobody"):
        assert (
            Client().get("/api/coverage/lookup?id_number=AB100001", headers=_bearer(world.users[persona])).status_code
            == 403
        )
    page = _client(world.users["provider"]).get("/coverage/lookup/?id_number=AB100001")
    assert page.status_code == 200 and "student-file" not in page.content.decode()


def test_call_centre_sees_the_whole_file(world: Any, checked: list[Any]) -> None:
    agent = make_user(
        "appel@example.ma", Role.CALL_CENTRE_AGENT, cnops_office=world.users["cnops"].memberships.get().cnops_office
    )
    page = _client(agent).get("/coverage/lookup/?id_number=AB200002")
    assert 'data-testid="student-file"' in page.content.decode()
    student = checked[1].student
    whole = _client(agent).get(f"/coverage/students/{student.pk}/")
    assert whole.status_code == 200 and student.email in whole.content.decode()
    assert _client(world.users["provider"]).get(f"/coverage/students/{student.pk}/").status_code == 403


def test_publication_perimeter_and_masking(world: Any, checked: list[Any]) -> None:
    publication = Publication.objects.get()
    mine = _client(world.users["legal_entity"]).get(f"/coverage/publications/{publication.pk}.csv")
    text = b"".join(mine.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]  # a streamed response: the stubs type a plain one
    assert "AB****01" in text and "AB****02" in text and "AB100001" not in text
    institution = _client(world.users["institution"]).get(f"/coverage/publications/{publication.pk}.csv")
    assert institution.status_code == 200
    other = make_user("bob@example.ma", Role.LEGAL_ENTITY_AGENT, legal_entity=world.other.legal_entity)
    assert _client(other).get(f"/coverage/publications/{publication.pk}.csv").status_code == 404
    assert _client(other).get(f"/coverage/publications/{publication.pk}/").status_code == 404
    pdf = _client(world.users["legal_entity"]).get(f"/coverage/publications/{publication.pk}.pdf")
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_publication_names_the_institution_in_the_readers_language(
    world: Any, checked: list[Any], language: str
) -> None:
    """Issue 13, items 12-13: the list showed institution codes, its CSV the French name in Arabic."""
    publication = Publication.objects.get()
    institution = checked[0].institution
    client = _client(world.users["legal_entity"])
    client.cookies["amo_language"] = language
    name = institution.name_ar if language == "ar" else institution.name_fr
    page = client.get(f"/coverage/publications/{publication.pk}/").content.decode()
    cells = page.split('data-testid="publication-institution">')[1:]
    assert cells and all(cell.startswith(f"{name}</td>") for cell in cells)
    text = b"".join(client.get(f"/coverage/publications/{publication.pk}.csv").streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]  # a streamed response
    assert f";{name};" in text
    other = institution.name_fr if language == "ar" else institution.name_ar
    assert other not in text


def test_the_student_reads_own_rights_and_certificate_only(world: Any, checked: list[Any]) -> None:
    accepted, refused = checked
    period = RightsPeriod.objects.get()
    mine = _client(accepted.student.user)
    assert mine.get(f"/coverage/rights/{period.pk}/certificate.pdf").status_code == 200
    assert [p["insured_number"] for p in mine.get("/api/coverage/mine").json()] == [period.insured.number]
    page = mine.get("/registration/my/").content.decode()
    assert period.insured.number in page and 'data-testid="certificate"' in page
    other = _client(refused.student.user)
    assert other.get(f"/coverage/rights/{period.pk}/certificate.pdf").status_code == 404
    assert other.post(f"/coverage/rights/{period.pk}/report-coverage/").status_code == 403
    refusal = other.get("/registration/my/").content.decode()
    assert 'data-testid="anam-refusal"' in refusal
    assert CheckEntry.objects.filter(request=refused).exists()


def test_outbox_and_handover_are_for_cnops_administrators(world: Any, checked: list[Any]) -> None:
    admin = _client(world.users["admin"])
    assert admin.get("/coverage/outbox/").status_code == 200
    assert admin.get("/coverage/handover/").status_code == 200
    for persona in ("cnops", "legal_entity", "student"):
        assert _client(world.users[persona]).get("/coverage/outbox/").status_code == 403


def test_eligibility_page_renders_with_batches(world: Any, checked: list[Any]) -> None:
    page = _client(world.users["cnops"]).get("/eligibility/")
    assert page.status_code == 200 and "ANAM-2026-2027-00001" in page.content.decode()
    assert eligibility_selectors.ready_for_check(open_year()).count() == 0


def test_perimeter_matrix_of_the_new_pages(world: Any, checked: list[Any]) -> None:
    """Every persona of the world against the pages of the check and of rights: 200 where the
    role works, 403 for a page of another role, 404 for an object outside the perimeter."""
    publication = Publication.objects.get()
    period = RightsPeriod.objects.get()
    world.users["student"] = checked[0].student.user  # the accepted student is the one who reads
    allowed = {
        "/eligibility/": {"cnops", "admin"},
        "/coverage/lookup/?id_number=AB100001": {"provider", "delegation", "controller", "cnops", "admin"},
        f"/coverage/publications/{publication.pk}/": {"legal_entity", "institution", "cnops", "admin"},
        f"/coverage/rights/{period.pk}/certificate.pdf": {"student", "institution", "cnops", "admin"},
        f"/coverage/students/{checked[0].student.pk}/": {"cnops", "admin"},
        "/coverage/outbox/": {"admin"},
    }
    for url, who in allowed.items():
        for persona in PERSONAS:
            status = _client(world.users[persona]).get(url).status_code
            if persona in who:
                assert status == 200, (url, persona, status)
            else:
                assert status in (403, 404), (url, persona, status)


def test_anam_reads_the_batch_and_answers_but_does_not_send(world: Any) -> None:
    """ANAM's system takes the platform's registry's place through the same API."""
    from amo.organisations.models import Aggregator

    anam = make_user("systeme@anam.ma", Role.AGGREGATOR_AGENT, aggregator=Aggregator.objects.get(code="ANAM"))
    certified(world, [("AB100001", dt.date(2005, 3, 14))])
    headers = _bearer(anam)
    year = {"academic_year": open_year().code}
    assert (
        Client().post("/api/eligibility/batches", year, content_type="application/json", headers=headers).status_code
        == 403
    )
    cnops = _bearer(world.users["cnops"])
    batch = Client().post("/api/eligibility/batches", year, content_type="application/json", headers=cnops).json()
    [entry] = Client().get(f"/api/eligibility/batches/{batch['id']}/entries", headers=headers).json()["items"]
    answer = [{"entry": entry["entry"], "outcome": "accepted"}]
    done = Client().post(
        f"/api/eligibility/batches/{batch['id']}/verdicts", answer, content_type="application/json", headers=headers
    )
    assert done.status_code == 200 and done.json()["status"] == "answered"
    page = _client(anam).get("/eligibility/").content.decode()
    assert batch["number"] in page and 'data-testid="send-anam"' not in page


def test_the_institution_reports_a_stop_of_studies_from_its_request_page(world: Any, checked: list[Any]) -> None:
    period = RightsPeriod.objects.get()
    agent = _client(world.users["institution"])
    page = agent.get(f"/registration/requests/{period.request_id}/").content.decode()
    assert 'data-testid="studies-stopped"' in page
    agent.post(f"/coverage/rights/{period.pk}/studies-stopped/", {"comment": "abandon"})
    period.refresh_from_db()
    assert period.status == "notice" and period.notice_reason == "studies_stopped"
    assert (
        'data-testid="studies-stopped"'
        not in agent.get(f"/registration/requests/{period.request_id}/").content.decode()
    )


def test_outbox_and_handover_through_the_api(
    world: Any, checked: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    admin, agent = _bearer(world.users["admin"]), _bearer(world.users["cnops"])
    assert Client().get("/api/coverage/outbox", headers=agent).status_code == 403
    assert Client().get("/api/coverage/outbox", headers=admin).json()["count"] >= 2
    assert Client().post("/api/coverage/handover", headers=agent).status_code == 403
    assert Client().post("/api/coverage/handover", headers=admin).status_code == 202  # immediate backend: done
    [export] = Client().get("/api/coverage/handover", headers=admin).json()
    assert export["rows"] == 2
    assert Client().get(f"/api/coverage/handover/{export['id']}", headers=admin).status_code == 200
    publication = Publication.objects.get()
    pdf = Client().get(f"/api/coverage/publications/{publication.pk}.pdf", headers=_bearer(world.users["legal_entity"]))
    assert pdf.content.startswith(b"%PDF")
