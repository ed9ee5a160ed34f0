"""The student's RIB for reimbursements (DOMAIN.md §4 "bank RIB for reimbursements", §7 "payment
to the RIB declared, otherwise postal order"; issue 15 item 6): changed only through a link
e-mailed to the account's address, audited masked; the notice of a transfer the bank rejected."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from amo.accounts.models import Role
from amo.common import clock
from amo.common.errors import DomainError
from amo.common.errorstatus import http_status
from amo.common.identifiers import iban_from_rib
from amo.common.models import AuditEvent
from amo.enrollment import ribs
from amo.enrollment.models import RibChange, Student
from amo.enrollment.rules import RIB_CHANGES_PER_DAY
from amo.notifications.models import OutboxMessage
from conftest import make_user

pytestmark = pytest.mark.django_db

OLD = "310810100013070176970116"  # valid (DOMAIN.md §9)
NEW = "190780211150000213210096"  # valid: key 96 computed from its 22 first digits
NEW_BAD_KEY = "190780211150000213210097"
SALMA = "salma@example.ma"


def salma(*, language: str = "fr", rib: str = OLD) -> tuple[Any, Student]:
    user = make_user(SALMA, Role.STUDENT)
    user.email_verified_at = clock.now()
    user.preferred_language = language
    user.save(update_fields=["email_verified_at", "preferred_language"])
    student = Student.objects.create(
        user=user,
        id_type="cin",
        id_number="AB123456",
        last_name="Bennani",
        first_name="Salma",
        first_name_ar="سلمى",
        birth_date=dt.date(2005, 3, 14),
        sex="F",
        email="salma.declared@example.ma",
        rib=rib,
    )
    return user, student


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link_path() -> str:
    message = OutboxMessage.objects.filter(to=SALMA).latest("pk")
    found = re.search(r"(/registration/my/rib/[^/\s]+/)", message.body_text)
    assert found is not None
    return found.group(1)


def rib_of(student: Student) -> str:
    return Student.objects.get(pk=student.pk).rib


def test_the_change_is_applied_only_when_the_emailed_link_is_opened_on_the_pages() -> None:
    user, student = salma()
    page = client_of(user)
    shown = page.get("/registration/my/rib/").content.decode()
    assert "310 … 0116" in shown and OLD not in shown  # masked
    asked = page.post("/registration/my/rib/", {"rib": NEW}, follow=True).content.decode()
    assert 'data-testid="rib-pending"' in asked and "190 … 0096" in asked
    assert rib_of(student) == OLD  # pending: nothing changed yet
    message = OutboxMessage.objects.get(to=SALMA)  # the account's (verified) address
    assert NEW not in message.body_text and NEW not in link_path()  # the RIB is never in the link
    path = link_path()
    assert 'data-testid="rib-confirm"' in page.get(path).content.decode()
    assert rib_of(student) == OLD  # nothing written on GET
    page.post(path)
    assert rib_of(student) == NEW
    audits = [
        (e.action, e.before, e.after)
        for e in AuditEvent.objects.filter(action__startswith="student_rib").order_by("pk")
    ]
    assert audits == [
        ("student_rib_change_request", {"rib": "310 … 0116"}, {"rib": "190 … 0096", "sent_to": SALMA}),
        ("student_rib_change", {"rib": "310 … 0116"}, {"rib": "190 … 0096", "proof": "emailed_link"}),
    ]
    assert 'data-testid="rib-pending"' not in page.get("/registration/my/rib/").content.decode()


def test_an_invalid_rib_is_refused_with_its_reason_and_the_input_kept() -> None:
    user, student = salma()
    answer = client_of(user).post("/registration/my/rib/", {"rib": NEW_BAD_KEY}, HTTP_ACCEPT_LANGUAGE="fr")
    page = answer.content.decode()
    assert answer.status_code == 400 and NEW_BAD_KEY in page and "clé du RIB" in page
    assert not OutboxMessage.objects.exists() and not RibChange.objects.exists() and rib_of(student) == OLD


def test_an_iban_is_taken_as_its_rib() -> None:
    user, _student = salma()
    ribs.student_rib_change_request(actor=user, rib=iban_from_rib(NEW))
    assert RibChange.objects.get().rib == NEW


def test_the_link_is_worth_nothing_to_another_account_after_a_newer_request_or_once_used() -> None:
    user, student = salma()
    mallory = make_user("mallory@example.ma", Role.STUDENT)
    ribs.student_rib_change_request(actor=user, rib=NEW)
    first = link_path().split("/")[-2]
    with pytest.raises(DomainError) as stolen:
        ribs.student_rib_change_confirm(actor=mallory, token=first)
    assert stolen.value.code == "rib_link_invalid"
    ribs.student_rib_change_request(actor=user, rib=iban_from_rib("0117801000001234567890" + "09"))
    with pytest.raises(DomainError) as superseded:
        ribs.student_rib_change_confirm(actor=user, token=first)
    assert superseded.value.code == "rib_link_invalid" and rib_of(student) == OLD
    second = link_path().split("/")[-2]
    ribs.student_rib_change_confirm(actor=user, token=second)
    assert rib_of(student) == "011780100000123456789009"
    with pytest.raises(DomainError) as used:
        ribs.student_rib_change_confirm(actor=user, token=second)
    assert used.value.code == "rib_link_invalid"


@pytest.mark.today("2026-12-01")
def test_the_link_expires_after_its_days(_today_of_the_test: Any) -> None:
    user, student = salma()
    ribs.student_rib_change_request(actor=user, rib=NEW)
    token = link_path().split("/")[-2]
    _today_of_the_test.shift(dt.timedelta(days=3, minutes=1))
    with pytest.raises(DomainError) as expired:
        ribs.student_rib_change_confirm(actor=user, token=token)
    assert expired.value.code == "rib_link_invalid" and rib_of(student) == OLD


def test_changes_are_bounded_per_day_and_the_same_rib_is_refused() -> None:
    user, _student = salma()
    with pytest.raises(DomainError) as same:
        ribs.student_rib_change_request(actor=user, rib=OLD)
    assert same.value.code == "rib_unchanged"
    for _ in range(RIB_CHANGES_PER_DAY):
        ribs.student_rib_change_request(actor=user, rib=NEW)
    with pytest.raises(DomainError) as flood:
        ribs.student_rib_change_request(actor=user, rib=NEW)
    assert flood.value.code == "rib_too_many_links" and http_status(flood.value) == 429


def test_the_api_asks_and_confirms_a_change() -> None:
    user, student = salma()
    api = client_of(user)
    assert api.get("/api/registration/me/rib").json() == {
        "rib": "310 … 0116",
        "pending_rib": "",
        "pending_sent_to": "",
        "message": "",
    }
    bad = api.post("/api/registration/me/rib", {"rib": NEW_BAD_KEY}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "rib_key"
    asked = api.post("/api/registration/me/rib", {"rib": NEW}, content_type="application/json")
    assert asked.status_code == 202 and asked.json()["pending_rib"] == "190 … 0096" and rib_of(student) == OLD
    token = link_path().split("/")[-2]
    done = api.post("/api/registration/me/rib/confirm", {"token": token}, content_type="application/json")
    assert done.status_code == 200 and done.json()["rib"] == "190 … 0096" and rib_of(student) == NEW


def test_an_account_without_a_student_record_is_told_to_register_first() -> None:
    user = make_user("new@example.ma", Role.STUDENT)
    user.email_verified_at = clock.now()
    user.save(update_fields=["email_verified_at"])
    answer = client_of(user).post("/api/registration/me/rib", {"rib": NEW}, content_type="application/json")
    assert answer.status_code == 409 and answer.json()["code"] == "rib_no_student_record"


# --- the notice of a rejected transfer (called by the payment batches) ----------------------


def test_a_rejected_transfer_notifies_the_student_in_their_language_first_with_the_banks_reason() -> None:
    _user, student = salma(language="ar")
    message = ribs.student_rib_rejected_notify(student=student, reason_code="AC04")
    assert message is not None and message.to == SALMA and message.language == "ar"
    body = message.body_text
    arabic, french = body.index("سلمى"), body.index("Bonjour")
    assert arabic < french  # the student's language first, then the other
    assert body.count("AC04") == 2 and "310 … 0116" in body and OLD not in body
    assert "/registration/my/rib/" in body
    assert "Compte clôturé" in body  # the reason's label in French (ISO 20022 AC04: closed account)
    event = AuditEvent.objects.get(action="student_rib_rejected_notice")
    assert event.after == {"rib": "310 … 0116", "reason": "AC04", "sent_to": SALMA}


def test_a_student_with_no_address_is_not_written_to() -> None:
    student = Student.objects.create(
        id_type="cin", id_number="CD1", last_name="X", first_name="Y", birth_date=dt.date(2005, 1, 1), sex="M"
    )
    assert ribs.student_rib_rejected_notify(student=student, reason_code="AC01") is None
    assert not OutboxMessage.objects.exists()


def test_a_correction_or_a_new_registration_bringing_another_rib_waits_for_the_link_too(world: Any) -> None:
    """The registration form carries the RIB too: typed there, a different RIB must not skip
    the e-mailed link (nor a blank one remove the record's)."""
    from amo.enrollment.models import RegistrationStatus
    from amo.enrollment.services import registration_correct, registration_decide, registration_submit
    from amo.enrollment.tests.factories import open_year, registration_input

    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    user = world.users["student"]
    request = registration_submit(
        actor=user, entry_channel="", data=registration_input(world.mine.institution, rib=OLD)
    )
    student = request.student
    assert rib_of(student) == OLD  # the first RIB is declared with the registration
    registration_decide(actor=world.users["institution"], request=request, target="to_correct", comment="RIB")
    registration_correct(
        actor=user, request=request, data=registration_input(world.mine.institution, rib=NEW, email=user.email)
    )
    assert rib_of(student) == OLD and RibChange.objects.get(student=student).rib == NEW
    assert OutboxMessage.objects.filter(to=user.email, subject__contains="RIB").count() == 1
    request.refresh_from_db()
    assert request.status == RegistrationStatus.SUBMITTED
    registration_decide(actor=world.users["institution"], request=request, target="to_correct", comment="RIB")
    registration_correct(actor=user, request=request, data=registration_input(world.mine.institution, rib=""))
    assert rib_of(student) == OLD
