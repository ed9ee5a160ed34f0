"""In Chromium, in French and Arabic (issue 16, "What it must show"): a Casablanca clinic sends a
PEC request with an attachment; it reaches the Casablanca delegation's controller; the controller
asks for information; the clinic answers; the controller agrees partially; the clinic downloads
the decision; the student sees the decision without its medicine; a CNOPS agent cannot open the
attachment."""

import datetime as dt
from typing import Any

import pytest

from amo.approvals.models import ApprovalRequest
from amo.common import clock
from amo.web.tests.browser import ARTIFACTS, login, require_chromium
from conftest import PASSWORD

require_chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.today("2026-12-01"),
]

AGREED = {"fr": "Accordée", "ar": "مقبول"}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_casablanca_clinics_request_from_sending_to_the_partial_agreement(
    pec_live: Any, live_server: Any, browser: Any, tmp_path: Any, language: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pec = pec_live
    base = live_server.url
    report = tmp_path / "compte-rendu.pdf"
    report.write_bytes(b"%PDF-1.4\n% compte rendu\n%%EOF\n")
    start = clock.today() + dt.timedelta(days=3)

    clinic = login(browser, base, pec.users["provider_casa"].email, language)
    clinic.goto(base + "/approvals/new/")
    clinic.fill('input[name="id_number"]', "AB100001")
    clinic.select_option('select[name="kind"]', "dialysis_series")
    clinic.fill('input[name="planned_from"]', start.isoformat())
    clinic.fill('input[name="planned_to"]', (start + dt.timedelta(days=30)).isoformat())
    clinic.fill('input[name="diagnosis"]', "N18.5")
    clinic.fill('textarea[name="planned_acts"]', "K 50\nCS 2")
    clinic.fill('input[name="quote"]', "12000")
    clinic.set_input_files('input[name="attachments"]', str(report))
    clinic.click('[data-testid="send-request"]')
    clinic.wait_for_selector('[data-testid="request-facts"]')
    request = ApprovalRequest.objects.get()
    assert pec.other.delegation.name_fr in clinic.inner_text('[data-testid="office"]')
    clinic.screenshot(path=str(ARTIFACTS / f"approvals-sent-{language}.png"), full_page=True)

    controller = login(browser, base, pec.users["controller_casa"].email, language)
    controller.goto(base + "/approvals/queue/")
    assert request.number and request.number in controller.inner_text('[data-testid="queue"]')
    controller.click(f"text={request.number}")
    assert "N18.5" in controller.inner_text('[data-testid="medical"]')
    controller.fill('textarea[name="question"]', "Dernier bilan de créatinine ?")
    controller.click('[data-testid="ask"]')
    controller.wait_for_load_state()

    clinic.goto(f"{base}/approvals/{request.pk}/")
    assert "créatinine" in clinic.inner_text('[data-testid="question"]')
    clinic.fill('textarea[name="answer"]', "Créatinine 9 mg/l, bilan joint.")
    clinic.click('[data-testid="send-answer"]')
    clinic.wait_for_load_state()

    controller.goto(f"{base}/approvals/{request.pk}/")
    assert "9 mg/l" in controller.inner_text('[data-testid="answer"]')
    controller.fill('input[name="ceiling"]', "8000")
    controller.fill('input[name="sessions"]', "12")
    controller.fill('input[name="valid_from"]', start.isoformat())
    controller.fill('input[name="valid_to"]', (start + dt.timedelta(days=60)).isoformat())
    controller.click('[data-testid="agree"]')
    controller.wait_for_selector('[data-testid="ceiling"]')
    assert AGREED[language] in controller.inner_text('[data-testid="status"]')
    controller.screenshot(path=str(ARTIFACTS / f"approvals-agreed-{language}.png"), full_page=True)

    clinic.goto(f"{base}/approvals/{request.pk}/")
    with clinic.expect_download() as download:
        clinic.click('[data-testid="decision-pdf"]')
    pdf = tmp_path / "decision.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    student_user = request.insured.student.user
    assert student_user is not None
    student_user.set_password(PASSWORD)
    student_user.save(update_fields=["password"])
    student = login(browser, base, student_user.email, language)
    student.goto(base + "/approvals/mine/")
    assert request.number in student.inner_text('[data-testid="my-approvals"]')
    student.goto(f"{base}/approvals/{request.pk}/")
    page = student.content()
    assert AGREED[language] in page and "8000" in page
    assert "N18.5" not in page and "K 50" not in page and 'data-testid="medical"' not in page
    student.screenshot(path=str(ARTIFACTS / f"approvals-student-{language}.png"), full_page=True)

    agent = login(browser, base, pec.users["cnops"].email, language)
    attachment = request.attachments.get()
    answer = agent.goto(f"{base}/approvals/{request.pk}/attachments/{attachment.pk}/")
    assert answer is not None and answer.status == 403
