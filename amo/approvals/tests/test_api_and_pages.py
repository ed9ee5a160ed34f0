"""Medical control through the API and the pages (issue 16, items 2-4 and 8): the perimeters
(a provider its own requests, the controllers of the request's office; the medicine only to
them), the path of a request from the clinic to the decision's PDF, and the refusals as codes."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from amo.accounts.services import api_token_create
from amo.approvals import services
from amo.approvals.models import ApprovalRequest
from amo.approvals.tests.factories import PDF, pdf, submitted
from amo.common import clock

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-01")]


def _api(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"})


def _page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(**overrides: Any) -> dict[str, Any]:
    start = clock.today() + dt.timedelta(days=3)
    data = {
        "id_number": "AB100001",
        "kind": "dialysis_series",
        "planned_from": start.isoformat(),
        "planned_to": (start + dt.timedelta(days=30)).isoformat(),
        "diagnosis": "N18.5",
        "planned_acts": "K 50",
        "quote": "12000.00",
    }
    data.update(overrides)
    return data


def test_the_api_path_from_the_clinic_to_the_partial_agreement_and_its_pdf(
    pec: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clinic, controller = _api(pec.users["provider_casa"]), _api(pec.users["controller_casa"])
    sent = clinic.post("/api/approvals/requests", {**_form(), "attachments": [pdf()]})
    assert sent.status_code == 201, sent.content
    pk = sent.json()["id"]
    assert sent.json()["medical"]["diagnosis"] == "N18.5" and sent.json()["office"] == pec.other.delegation.code
    queue = controller.get("/api/approvals/queue").json()["items"]
    assert [r["id"] for r in queue] == [pk]
    asked = controller.post(
        f"/api/approvals/requests/{pk}/information", {"question": "Bilan ?"}, content_type="application/json"
    )
    assert asked.json()["status"] == "information_requested"
    answered = clinic.post(
        f"/api/approvals/requests/{pk}/answer", {"answer": "Ci-joint", "attachments": [pdf("bilan.pdf")]}
    )
    assert answered.status_code == 200 and answered.json()["status"] == "submitted", answered.content
    assert clinic.get(f"/api/approvals/requests/{pk}/decision.pdf").status_code == 409  # nothing decided yet
    with django_capture_on_commit_callbacks(execute=True):
        agreed = controller.post(
            f"/api/approvals/requests/{pk}/agree",
            {"ceiling": "8000.00", "sessions": 12, "valid_from": "2026-12-04", "valid_to": "2027-01-31"},
            content_type="application/json",
        )
    assert agreed.status_code == 200 and agreed.json()["partial"] is True
    again = controller.post(
        f"/api/approvals/requests/{pk}/refuse", {"reason": "duplicate"}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "approval_already_decided"
    decision = clinic.get(f"/api/approvals/requests/{pk}/decision.pdf")
    assert decision.status_code == 200 and decision["Content-Type"] == "application/pdf"
    code = ApprovalRequest.objects.get(pk=pk).document.code  # type: ignore[union-attr]
    verify = Client().get(f"/verify/{code}/")
    assert verify.status_code == 200 and "PEC2026" in verify.content.decode()
    assert "N18" not in verify.content.decode()


def test_the_medicine_is_seen_only_by_the_provider_and_medical_control(pec: Any) -> None:
    request = submitted(pec)
    attachment = request.attachments.get()
    url = f"/api/approvals/requests/{request.pk}"
    pec.users["student_ab"] = request.insured.student.user  # AB100001's own account
    assert pec.users["student_ab"] is not None
    for persona in ("student_ab", "cnops", "call_centre"):
        seen = _api(pec.users[persona]).get(url)
        assert seen.status_code == 200, persona
        assert seen.json()["medical"] is None and seen.json()["question"] == "", persona
        assert "N18" not in seen.content.decode()
        assert _api(pec.users[persona]).get(f"{url}/attachments/{attachment.pk}").status_code == 403, persona
        assert _page(pec.users[persona]).get(f"/approvals/{request.pk}/attachments/{attachment.pk}/").status_code == 403
    for persona in ("provider_casa", "controller_casa"):
        assert _api(pec.users[persona]).get(url).json()["medical"]["diagnosis"] == "N18.5"
        got = _page(pec.users[persona]).get(f"/approvals/{request.pk}/attachments/{attachment.pk}/")
        assert got.status_code == 200 and b"".join(got.streaming_content) == PDF  # type: ignore[attr-defined]
    # another region's provider and another office's controller: as if it did not exist
    assert _api(pec.users["student"]).get(url).status_code == 404  # another student
    for persona in ("provider", "controller"):
        assert _api(pec.users[persona]).get(url).status_code == 404, persona
        assert _page(pec.users[persona]).get(f"/approvals/{request.pk}/").status_code == 404, persona


def test_the_page_keeps_the_input_and_says_why_a_request_is_refused(pec: Any) -> None:
    page = _page(pec.users["provider_casa"]).post("/approvals/new/", _form(diagnosis="N18.0", id_number="AB200002"))
    text = page.content.decode()
    assert page.status_code == 400
    assert "Ce code CIM-10 n" in text and "Aucun étudiant assuré par la CNOPS" in text
    assert 'value="AB200002"' in text and 'value="12000.00"' in text
    assert ApprovalRequest.objects.count() == 0


def test_the_page_refuses_an_attachment_that_is_not_a_pdf_in_arabic(pec: Any) -> None:
    client = _page(pec.users["provider_casa"])
    client.cookies["django_language"] = "ar"
    page = client.post(
        "/approvals/new/",
        {**_form(), "attachments": [pdf("cr.pdf", b"MZ not a pdf")]},
        headers={"accept-language": "ar"},
    )
    assert page.status_code == 400
    assert "محتوى هذا الملف لا يطابق اسمه" in page.content.decode()


def test_the_controllers_queue_puts_the_overdue_first_and_the_waiting_last(pec: Any) -> None:
    late = submitted(pec)
    fresh = submitted(pec, urgent=False)
    waiting = submitted(pec)
    ApprovalRequest.objects.filter(pk=late.pk).update(due_at=clock.now() - dt.timedelta(hours=1))
    ApprovalRequest.objects.filter(pk=waiting.pk).update(
        status="information_requested",
        waiting_since=clock.now(),
        waiting=True,
        due_at=clock.now() - dt.timedelta(days=3),
    )
    rows = _api(pec.users["controller_casa"]).get("/api/approvals/queue").json()["items"]
    assert [r["id"] for r in rows] == [late.pk, fresh.pk, waiting.pk]
    assert [r["overdue"] for r in rows] == [True, False, False]
    page = _page(pec.users["controller_casa"]).get("/approvals/queue/").content.decode()
    assert page.index(late.number or "-") < page.index(fresh.number or "-") and 'data-testid="overdue"' in page


def test_the_figures_count_per_office_and_month_and_download_as_csv(pec: Any) -> None:
    request = submitted(pec)
    services.approval_refuse(actor=pec.users["controller_casa"], request=request, reason_code="not_covered_act")
    submitted(pec)
    rows = _api(pec.users["cnops"]).get("/api/approvals/figures").json()
    mine = [r for r in rows if r["office"] == pec.other.delegation.name_fr]
    assert len(mine) == 1 and mine[0]["total"] == 2 and mine[0]["decided"] == 1 and mine[0]["within_share"] == 1.0
    assert sum(mine[0]["refusals"].values()) == 1
    csv = _page(pec.users["controller_casa"]).get("/approvals/figures.csv")
    body = b"".join(csv.streaming_content).decode()  # type: ignore[attr-defined]
    assert csv.status_code == 200 and body.splitlines()[1].startswith(f"{pec.other.delegation.name_fr};2026-12;2;1;")
    # the Rabat controller's figures: its own office only
    assert _api(pec.users["controller"]).get("/api/approvals/figures").json() == []
