"""Letters for the students without an e-mail address (issue 13, rule 4; DOMAIN.md §6: CNOPS "e-mails
each one that their rights are open" and "sends a registered letter" before closing rights; the list
import makes the e-mail optional, so without a letter these students were never told)."""

import datetime as dt
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client

from amo.common.models import AuditEvent
from amo.coverage import selectors, services
from amo.coverage.models import Letter, RightsPeriod
from amo.eligibility import services as eligibility
from amo.eligibility.tests.conftest import certified
from amo.enrollment.tests.factories import open_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_email(world: Any, django_capture_on_commit_callbacks: Any, settings: Any) -> list[RightsPeriod]:
    """Two students sent to ANAM and accepted; the first has no e-mail address (an imported list)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    requests = certified(world, [("AB100001", dt.date(2005, 3, 14)), ("AB100002", dt.date(2004, 6, 1))])
    student = requests[0].student
    student.email = ""
    student.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        eligibility.batch_send(actor=world.users["cnops"], academic_year=open_year())
    return list(RightsPeriod.objects.order_by("id"))


def _cnops(world: Any) -> Client:
    client: Client = world.client("cnops")
    return client


def test_rights_opened_without_email_record_a_letter_and_with_email_none(without_email: list[RightsPeriod]) -> None:
    [letter] = Letter.objects.all()
    assert (letter.kind, letter.student_id) == ("rights_opened", without_email[0].insured.student_id)
    assert letter.institution_id == without_email[0].institution_id and letter.printed_at is None


def test_a_closure_notice_without_email_records_a_letter(world: Any, without_email: list[RightsPeriod]) -> None:
    period = services.rights_studies_stopped(actor=world.users["institution"], period=without_email[0])
    notice = Letter.objects.get(kind="closure_notice")
    assert notice.notice_until == period.notice_until and notice.period_id == period.pk
    services.rights_studies_stopped(actor=world.users["institution"], period=without_email[1])  # has an e-mail
    assert Letter.objects.filter(kind="closure_notice").count() == 1


def test_cnops_prints_one_bilingual_pdf_per_institution_then_marks_it_sent(
    world: Any, without_email: list[RightsPeriod], django_capture_on_commit_callbacks: Any
) -> None:
    services.rights_studies_stopped(actor=world.users["institution"], period=without_email[0])
    cnops = _cnops(world)
    institution = without_email[0].institution
    page = cnops.get("/coverage/letters/").content.decode()
    assert re.search(r'data-testid="letters-total">2<', page)
    # the dashboard's work queue counts what the page counts
    dashboard = cnops.get("/dashboard/").content.decode()
    assert re.search(r'data-testid="queue-letters">2<', dashboard)
    # before the worker made it, the PDF is "being prepared" (decision 0012)
    assert cnops.get(f"/coverage/letters/{institution.pk}.pdf").status_code == 202
    with django_capture_on_commit_callbacks(execute=True):
        cnops.post("/coverage/letters/", {"institution": institution.pk, "action": "prepare"})
    response = cnops.get(f"/coverage/letters/{institution.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext"):
        path = Letter.objects.first().document.file.path  # type: ignore[union-attr]
        text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
        assert text.count("\f") >= 2  # one letter a page
        student = without_email[0].insured.student
        assert student.last_name in text and institution.name_fr in text
        assert "Vos droits sont ouverts" in text and "حقوقكم" in text
    # marked sent: audited, then nothing waits; a second click marks nothing
    assert cnops.post("/coverage/letters/", {"institution": institution.pk, "action": "sent"}).status_code == 302
    assert not selectors.letters_waiting().exists()
    assert AuditEvent.objects.filter(action="letters_sent", object_id=str(institution.pk)).count() == 1
    assert services.letters_mark_sent(actor=world.users["cnops"], institution=institution) == 0
    assert AuditEvent.objects.filter(action="letters_sent").count() == 1
    assert re.search(r'data-testid="queue-letters">0<', cnops.get("/dashboard/").content.decode())


def test_the_api_lists_prepares_and_marks_the_letters_for_cnops_only(
    world: Any, without_email: list[RightsPeriod], django_capture_on_commit_callbacks: Any
) -> None:
    cnops = _cnops(world)
    [row] = cnops.get("/api/coverage/letters").json()
    assert (row["waiting"], row["rights_opened"], row["closure_notices"], row["in_pdf"]) == (1, 1, 0, 0)
    pk = row["institution_id"]
    pending = cnops.get(f"/api/coverage/letters/{pk}.pdf")
    assert (pending.status_code, pending.json()["code"]) == (202, "document_pending")
    with django_capture_on_commit_callbacks(execute=True):
        assert cnops.post(f"/api/coverage/letters/{pk}/prepare").json() == {"added": 1}
    assert cnops.get(f"/api/coverage/letters/{pk}.pdf").status_code == 200
    assert cnops.post(f"/api/coverage/letters/{pk}/sent").json() == {"marked": 1}
    assert cnops.post(f"/api/coverage/letters/{pk}/sent").json() == {"marked": 0}  # idempotent
    gone = cnops.get(f"/api/coverage/letters/{pk}.pdf")
    assert (gone.status_code, gone.json()["code"]) == (409, "letters_none_waiting")
    assert world.client("institution").get("/api/coverage/letters").status_code == 403
    assert world.client("institution").get("/coverage/letters/").status_code == 403
