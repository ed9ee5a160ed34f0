"""Law 54.23 ends the student regime (SOURCES.md §0:
https://lematin.ma/nation/amo-trois-evolutions-majeures-apres-la-promulgation-de-la-loi-5423/328133/amp ;
https://www.belpresse.com/social/539014.html): rights never run past `regime_end_date` (2027-02-01 as
loaded), the lookup says so with the reason, care received until then stays covered, the managing body
is read from its parameter on letterheads and e-mails, and the hand-over export says where each
student goes, with the reason."""

import datetime as dt
import gzip
import shutil
import subprocess
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from amo.common import clock
from amo.coverage import selectors, services
from amo.coverage.models import HandoverExport, RightsPeriod
from amo.coverage.tests.test_api_and_pages import _bearer, _client
from amo.coverage.tests.test_rights import REGIME_END
from amo.coverage.tests.test_rights import insured as insured_students  # noqa: F401 - a fixture
from amo.eligibility import services as eligibility
from amo.eligibility.tests.conftest import certified
from amo.enrollment.tests.factories import open_year
from amo.referentials.services import parameter_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("insured_students")]

DAY_AFTER = REGIME_END + dt.timedelta(days=1)


@pytest.mark.today("2026-12-01")
def test_new_rights_end_on_the_regimes_last_day() -> None:
    assert {p.ends_on for p in RightsPeriod.objects.all()} == {REGIME_END}  # not the academic year's 31 August


@pytest.mark.today("2026-12-01")
def test_a_period_running_past_the_end_ends_on_it_with_its_reason(world: Any) -> None:
    period = RightsPeriod.objects.order_by("id")[0]
    RightsPeriod.objects.filter(pk=period.pk).update(ends_on=dt.date(2027, 8, 31))  # opened before the rule
    assert services.rights_daily(today=clock.today())["regime_end"] == 1
    period.refresh_from_db()
    assert period.ends_on == REGIME_END
    assert [(e.kind, e.effective_on, e.reason) for e in period.events.filter(kind="regime_end")] == [
        ("regime_end", REGIME_END, "regime_ended")
    ]
    assert services.rights_daily(today=clock.today())["regime_end"] == 0  # once
    # The call centre's view of the student's file and the student's own page say why.
    student = period.insured.student
    file_page = _client(world.users["cnops"]).get(f"/coverage/students/{student.pk}/").content.decode()
    assert "Fin avec le régime des étudiants (loi n° 54.23)" in file_page
    assert student.user is not None
    own = Client()
    own.force_login(student.user)
    mine = own.get("/registration/my/", headers={"accept-language": "fr"}).content.decode()
    assert 'data-testid="rights-regime-end"' in mine and "loi n° 54.23" in mine
    # The day after, the daily pass expires it, with the regime as the reason.
    services.rights_daily(today=DAY_AFTER)
    period.refresh_from_db()
    assert period.status == "expired"
    assert period.events.get(kind="expired").reason == "regime_ended"


@pytest.mark.today("2026-12-01")
def test_the_lookup_after_the_end_says_ended_with_the_reason(world: Any) -> None:
    # Care received on the last day stays covered (payable within its deadline).
    last_day = selectors.rights_lookup(id_number="AB100001", on=REGIME_END)
    assert (last_day.covered, last_day.until, last_day.reason) == (True, REGIME_END, "regime_ended")
    after = selectors.rights_lookup(id_number="AB100001", on=DAY_AFTER)
    assert (after.covered, after.reason, after.ended_on, after.institution_fr) == (
        False,
        "regime_ended",
        REGIME_END,
        "",
    )
    answer = (
        Client()
        .get(f"/api/coverage/lookup?id_number=AB100001&on={DAY_AFTER}", headers=_bearer(world.users["provider"]))
        .json()
    )
    assert (answer["covered"], answer["reason"], answer["ended_on"]) == (False, "regime_ended", "2027-02-01")
    page = _client(world.users["provider"]).get(
        f"/coverage/lookup/?id_number=AB100001&on={DAY_AFTER}", headers={"accept-language": "fr"}
    )
    html = page.content.decode()
    assert 'data-code="regime_ended"' in html and "a pris fin le 01/02/2027 (loi n° 54.23)" in html


@pytest.mark.today("2026-12-01")
def test_the_email_and_the_certificate_name_the_managing_body_of_the_parameter(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    before = next(m for m in mail.outbox if "AE" in m.body)  # the fixture's students: CNOPS manages
    assert "Caisse Nationale des Organismes de Prévoyance Sociale (CNOPS)" in before.body
    parameter_set(actor=world.users["admin"], key="managing_body", value="CNSS", valid_from=clock.today())
    mail.outbox.clear()
    certified(world, [("AB100003", dt.date(2005, 3, 14))])
    with django_capture_on_commit_callbacks(execute=True):
        eligibility.batch_send(actor=world.users["cnops"], academic_year=open_year())
    message = next(m for m in mail.outbox if "AE" in m.body)
    assert "Caisse Nationale de Sécurité Sociale (CNSS)" in message.body and "CNOPS" not in message.body
    (_name, content, _mimetype) = message.attachments[0]
    assert content[:4] == b"%PDF"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
        assert "Caisse Nationale de Sécurité Sociale (CNSS)" in text and "الصندوق الوطني للضمان الاجتماعي" in text
        assert "CNOPS" not in text


@pytest.mark.today("2026-12-01")
def test_the_handover_export_says_where_each_student_goes_and_why(world: Any) -> None:
    parameter_set(
        actor=world.users["admin"],
        key="regime_end_date",
        value=(clock.today() - dt.timedelta(days=1)).isoformat(),
        valid_from=clock.today(),
    )
    services.rights_daily(today=clock.today())
    lines = [
        line.split(";") for line in gzip.decompress(HandoverExport.objects.get().file.read()).decode().splitlines()
    ]
    header, rows = lines[0], lines[1:]
    assert header[-2:] == ["destination", "destination_reason"]
    by_id = {row[header.index("id_number")]: row[-2:] for row in rows}
    # Both students' contributions were paid by the State (public, not fee-paying): AMO-Tadamon.
    assert by_id == {
        "AB100001": ["amo_tadamon", "state_paid_contribution"],
        "AB100002": ["amo_tadamon", "state_paid_contribution"],
    }
