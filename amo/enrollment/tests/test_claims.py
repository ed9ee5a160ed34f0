"""A student record an institution uploaded, before its student had an account, is taken by an
account only with a proof that it is theirs; a stranger's submission changes nothing.

Personas: Salma, registered last year by her institution's list (declared address
salma@example.ma), who now creates an account; Mallory, a stranger who knows Salma's CIN."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from amo.accounts.models import Role
from amo.common import clock
from amo.common.errors import DomainError
from amo.common.errorstatus import http_status
from amo.common.models import AuditEvent
from amo.enrollment import claims, selectors
from amo.enrollment.errors import EnrollmentMoreError
from amo.enrollment.models import RegistrationRequest, RegistrationSource, RegistrationStatus, Student
from amo.enrollment.services import registration_submit
from amo.enrollment.tests.factories import open_year, registration_input
from amo.enrollment.tests.test_views import FORM
from amo.notifications.models import OutboxMessage
from amo.referentials.models import AcademicYear
from conftest import make_user

pytestmark = pytest.mark.django_db

CIN = "AB123456"
DECLARED = "salma@example.ma"
RIB = "310810100013070176970116"
ENTRY = "/registration/entry/higher_education/"


@pytest.fixture
def ready(world: Any) -> Any:
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    return world


def uploaded(world: Any, *, email: str = DECLARED) -> Student:
    """Salma as last year's list of her institution brought her: no account."""
    student = Student.objects.create(
        id_type="cin",
        id_number=CIN,
        last_name="Bennani",
        first_name="Salma",
        birth_date=dt.date(2005, 3, 14),
        sex="F",
        email=email,
        rib=RIB,
    )
    RegistrationRequest.objects.create(
        student=student,
        academic_year=AcademicYear.objects.get(code="2025-2026"),
        institution=world.mine.institution,
        aggregator=world.mine.aggregator,
        registered_on=dt.date(2025, 9, 20),
        status=RegistrationStatus.VALIDATED,
        source=RegistrationSource.UPLOAD,
        no_other_coverage=True,
        submitted_at=clock.now(),
    )
    return student


def account(email: str, *, verified: bool = True) -> Any:
    user = make_user(email, Role.STUDENT)
    if verified:
        user.email_verified_at = clock.now()
        user.save(update_fields=["email_verified_at"])
    return user


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unchanged(student: Student) -> bool:
    fresh = Student.objects.get(pk=student.pk)
    return (fresh.user_id, fresh.last_name, fresh.first_name, fresh.email, fresh.rib) == (
        None,
        "Bennani",
        "Salma",
        DECLARED if student.email else "",
        RIB,
    )


def mallorys_input(world: Any) -> Any:
    return registration_input(
        world.mine.institution, id_number=CIN, last_name="Mallory", first_name="Eve", email="mallory@example.ma", rib=""
    )


def claim_link_path() -> str:
    message = OutboxMessage.objects.filter(to=DECLARED).latest("pk")
    found = re.search(r"(/registration/claim/[^/\s]+/)", message.body_text)
    assert found is not None
    return found.group(1)


def actions(action: str) -> list[dict[str, Any]]:
    return [e.after for e in AuditEvent.objects.filter(action=action).order_by("pk")]


# --- a stranger changes nothing -------------------------------------------------------------


def test_a_new_account_cannot_take_over_a_student_an_institution_uploaded(ready) -> None:
    salma = uploaded(ready)
    mallory = account("mallory@example.ma")
    with pytest.raises(DomainError) as refused:
        registration_submit(actor=mallory, entry_channel="higher_education", data=mallorys_input(ready))
    assert refused.value.code == EnrollmentMoreError.CLAIM_REQUIRED and http_status(refused.value) == 409
    assert unchanged(salma)
    assert RegistrationRequest.objects.count() == 1  # Salma's, last year's only
    assert not selectors.request_list_for_student(mallory).exists()  # her earlier request stays hidden


def test_the_api_refuses_the_takeover_with_a_coded_translated_409(ready) -> None:
    from amo.enrollment.tests.test_api import BODY

    salma = uploaded(ready)
    mallory = client_of(account("mallory@example.ma"))
    body = {**BODY, "last_name": "Mallory", "email": "mallory@example.ma", "institution_id": ready.mine.institution.pk}
    answer = mallory.post(
        "/api/registration/entries/higher_education/requests",
        body,
        content_type="application/json",
        headers={"accept-language": "fr"},
    )
    assert answer.status_code == 409, answer.content
    with translation.override("fr"):
        expected = str(EnrollmentMoreError.CLAIM_REQUIRED.label)
    assert answer.json()["code"] == "identity_claim_required" and answer.json()["message"] == expected
    assert unchanged(salma) and RegistrationRequest.objects.count() == 1
    assert mallory.get("/api/registration/requests").json()["count"] == 0


def test_the_page_refuses_the_takeover_keeps_the_input_and_says_how_to_prove_it(ready) -> None:
    salma = uploaded(ready)
    mallory = client_of(account("mallory@example.ma"))
    data = {
        **FORM,
        "last_name": "Mallory",
        "email": "mallory@example.ma",
        "institution_id": ready.mine.institution.pk,
        "academic_year_id": open_year().pk,
    }
    page = mallory.post(ENTRY, data)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="claim-needed"' in html
    assert 'href="/registration/claim/?id_type=cin&amp;id_number=AB123456"' in html
    assert 'value="Mallory"' in html  # the input is kept
    assert unchanged(salma) and RegistrationRequest.objects.count() == 1


def test_an_unverified_account_with_the_declared_address_is_refused_too(ready) -> None:
    salma = uploaded(ready)
    unverified = account(DECLARED, verified=False)
    with pytest.raises(DomainError) as refused:
        registration_submit(actor=unverified, entry_channel="", data=registration_input(ready.mine.institution))
    assert refused.value.code == EnrollmentMoreError.CLAIM_REQUIRED and unchanged(salma)


# --- proof 1: the declared address is the account's verified address --------------------------


def test_the_account_with_the_address_the_institution_declared_takes_its_record(ready) -> None:
    salma = uploaded(ready)
    owner = account(DECLARED.upper())  # addresses compare without case
    request = registration_submit(actor=owner, entry_channel="", data=registration_input(ready.mine.institution))
    salma.refresh_from_db()
    assert request.student_id == salma.pk and salma.user_id == owner.pk
    assert actions("student_claim") == [{"account": owner.email, "proof": "declared_email"}]
    assert selectors.request_list_for_student(owner).count() == 2


# --- proof 2: a link e-mailed to the declared address ----------------------------------------


def test_a_link_emailed_to_the_declared_address_links_the_record_to_the_account_that_asked(ready) -> None:
    salma = uploaded(ready)
    owner = account("salma.new@example.ma")  # not the declared address
    mallory = account("mallory@example.ma")
    claims.student_claim_request(actor=owner, id_type="cin", id_number="ab 123456")
    assert OutboxMessage.objects.filter(to=DECLARED).count() == 1  # never to the asking account
    token = claim_link_path().split("/")[-2]
    with pytest.raises(DomainError) as stolen:
        claims.student_claim_confirm(actor=mallory, token=token)
    assert stolen.value.code == EnrollmentMoreError.CLAIM_LINK_INVALID and unchanged(salma)
    claims.student_claim_confirm(actor=owner, token=token)
    salma.refresh_from_db()
    assert salma.user_id == owner.pk
    assert actions("student_claim_request") == [{"account": owner.email}]
    assert actions("student_claim") == [{"account": owner.email, "proof": "emailed_link"}]
    data = registration_input(ready.mine.institution, email="salma.new@example.ma")
    assert registration_submit(actor=owner, entry_channel="", data=data).student_id == salma.pk


def test_the_link_is_worth_nothing_once_the_declared_address_changed(ready) -> None:
    salma = uploaded(ready)
    owner = account("salma.new@example.ma")
    claims.student_claim_request(actor=owner, id_type="cin", id_number=CIN)
    token = claim_link_path().split("/")[-2]
    Student.objects.filter(pk=salma.pk).update(email="other@example.ma")
    with pytest.raises(DomainError) as refused:
        claims.student_claim_confirm(actor=owner, token=token)
    assert refused.value.code == EnrollmentMoreError.CLAIM_LINK_INVALID
    assert Student.objects.get(pk=salma.pk).user_id is None


def test_the_student_asks_for_the_link_and_confirms_it_on_the_pages(ready) -> None:
    salma = uploaded(ready)
    owner = client_of(account("salma.new@example.ma"))
    form = owner.get("/registration/claim/?id_type=cin&id_number=AB123456").content.decode()
    assert 'value="AB123456"' in form
    sent = owner.post("/registration/claim/", {"id_type": "cin", "id_number": CIN}).content.decode()
    assert 'data-testid="claim-sent"' in sent
    path = claim_link_path()
    assert 'data-testid="claim-confirm"' in owner.get(path).content.decode()
    assert Student.objects.get(pk=salma.pk).user_id is None  # nothing written on GET
    linked = owner.post(path, follow=True)
    assert linked.redirect_chain[-1][0] == "/registration/"
    assert Student.objects.filter(pk=salma.pk, user__email="salma.new@example.ma").exists()


def test_the_student_asks_for_the_link_and_confirms_it_through_the_api(ready) -> None:
    salma = uploaded(ready)
    owner = client_of(account("salma.new@example.ma"))
    asked = owner.post("/api/registration/claims", {"id_number": CIN}, content_type="application/json")
    assert asked.status_code == 202 and asked.json()["linked"] is False
    token = claim_link_path().split("/")[-2]
    wrong = owner.post("/api/registration/claims/confirm", {"token": token + "x"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "claim_link_invalid"
    done = owner.post("/api/registration/claims/confirm", {"token": token}, content_type="application/json")
    assert done.status_code == 200 and done.json()["linked"] is True
    assert Student.objects.filter(pk=salma.pk, user__email="salma.new@example.ma").exists()


def test_links_to_a_declared_address_are_bounded_so_no_one_floods_a_students_mailbox(ready) -> None:
    from amo.enrollment.rules import CLAIM_LINKS_PER_RECORD

    uploaded(ready)
    for n in range(CLAIM_LINKS_PER_RECORD):
        asker = account(f"asker{n}@example.ma")
        claims.student_claim_request(actor=asker, id_type="cin", id_number=CIN)
    mallory = client_of(account("mallory@example.ma"))
    answer = mallory.post("/api/registration/claims", {"id_number": CIN}, content_type="application/json")
    assert answer.status_code == 429 and answer.json()["code"] == "claim_too_many_links"
    page = mallory.post("/registration/claim/", {"id_type": "cin", "id_number": CIN})
    assert page.status_code == 400 and 'data-testid="claim-sent"' not in page.content.decode()
    assert OutboxMessage.objects.filter(to=DECLARED).count() == CLAIM_LINKS_PER_RECORD


def test_refused_claim_requests_count_too_so_an_account_cannot_test_which_cins_are_known(ready) -> None:
    from amo.enrollment.rules import CLAIM_ATTEMPTS_PER_ACCOUNT

    uploaded(ready)
    mallory = client_of(account("mallory@example.ma"))
    for n in range(CLAIM_ATTEMPTS_PER_ACCOUNT - 1):
        unknown = {"id_number": f"X{100000 + n}"}
        answer = mallory.post("/api/registration/claims", unknown, content_type="application/json")
        assert answer.status_code == 404 and answer.json()["code"] == "claim_nothing_to_claim"
    page = mallory.post("/registration/claim/", {"id_type": "cin", "id_number": "X999999"})
    assert page.status_code == 400  # the last allowed attempt, through the page
    # the limit is reached: even Salma's CIN, which is known, now gets the same refusal
    for path, body in (
        ("/api/registration/claims", {"id_number": CIN}),
        ("/api/registration/claims", {"id_number": "X999998"}),
    ):
        answer = mallory.post(path, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr")
        assert answer.status_code == 429 and answer.json()["code"] == "claim_too_many_attempts"
        assert answer.json()["message"].startswith("Trop de demandes")
    refused = mallory.post("/registration/claim/", {"id_type": "cin", "id_number": CIN})
    assert refused.status_code == 400 and 'data-testid="claim-sent"' not in refused.content.decode()
    assert not OutboxMessage.objects.filter(to=DECLARED).exists()
    assert AuditEvent.objects.filter(action="student_claim_attempt").count() == CLAIM_ATTEMPTS_PER_ACCOUNT
    # another account is not held back by Mallory's attempts
    owner = client_of(account("salma.new@example.ma"))
    asked = owner.post("/api/registration/claims", {"id_number": CIN}, content_type="application/json")
    assert asked.status_code == 202


# --- proof 3: the institution confirms ---------------------------------------------------------


def test_without_a_declared_address_the_student_is_sent_to_the_institution(ready) -> None:
    salma = uploaded(ready, email="")
    owner = account("salma.new@example.ma")
    with pytest.raises(DomainError) as refused:
        claims.student_claim_request(actor=owner, id_type="cin", id_number=CIN)
    assert refused.value.code == EnrollmentMoreError.CLAIM_NO_DECLARED_EMAIL
    assert not OutboxMessage.objects.exists() and Student.objects.get(pk=salma.pk).user_id is None


def test_the_institution_links_its_student_to_the_account_they_name_on_its_page(ready) -> None:
    salma = uploaded(ready, email="")
    owner = account("salma.new@example.ma")
    agent = ready.client("institution")
    assert 'data-testid="claim-link-form"' in agent.get("/registration/institution/link-account/").content.decode()
    done = agent.post(
        "/registration/institution/link-account/",
        {"id_type": "cin", "id_number": CIN, "email": "Salma.New@example.ma", "checked": "on"},
        follow=True,
    )
    assert done.status_code == 200
    assert Student.objects.get(pk=salma.pk).user_id == owner.pk
    assert actions("student_claim") == [{"account": owner.email, "proof": "institution"}]
    assert AuditEvent.objects.get(action="student_claim").actor_id == ready.users["institution"].pk
    assert OutboxMessage.objects.filter(to=owner.email).exists()


def test_the_institution_links_through_the_api(ready) -> None:
    salma = uploaded(ready, email="")
    owner = account("salma.new@example.ma")
    body = {"id_number": CIN, "email": owner.email}
    done = ready.client("institution").post("/api/registration/claims/links", body, content_type="application/json")
    assert done.status_code == 200 and done.json()["linked"] is True
    assert Student.objects.get(pk=salma.pk).user_id == owner.pk


def test_another_institution_cannot_link_a_student_that_is_not_its_own(ready) -> None:
    salma = uploaded(ready, email="")
    owner = account("salma.new@example.ma")
    stranger = make_user("agent-bob@example.ma", Role.INSTITUTION_AGENT, institution=ready.other.institution)
    body = {"id_number": CIN, "email": owner.email}
    answer = client_of(stranger).post("/api/registration/claims/links", body, content_type="application/json")
    assert answer.status_code == 404 and answer.json()["code"] == "claim_student_unknown"
    page = client_of(stranger).post(
        "/registration/institution/link-account/",
        {"id_type": "cin", "id_number": CIN, "email": owner.email, "checked": "on"},
    )
    assert page.status_code == 400 and Student.objects.get(pk=salma.pk).user_id is None


def test_the_institution_cannot_link_an_unverified_account(ready) -> None:
    salma = uploaded(ready, email="")
    unverified = account("salma.new@example.ma", verified=False)
    with pytest.raises(DomainError) as refused:
        claims.student_claim_link(
            actor=ready.users["institution"],
            institution=ready.mine.institution,
            id_type="cin",
            id_number=CIN,
            account_email=unverified.email,
        )
    assert refused.value.code == EnrollmentMoreError.CLAIM_ACCOUNT_UNKNOWN
    assert Student.objects.get(pk=salma.pk).user_id is None


# --- one record per account (issue item 4) ---------------------------------------------------


def test_an_account_with_a_student_record_submitting_another_cin_gets_a_coded_409(ready) -> None:
    from amo.enrollment.tests.test_api import BODY

    student = ready.users["student"]
    student.email_verified_at = clock.now()
    student.save(update_fields=["email_verified_at"])
    registration_submit(actor=student, entry_channel="", data=registration_input(ready.mine.institution))
    with pytest.raises(DomainError) as refused:
        registration_submit(
            actor=student, entry_channel="", data=registration_input(ready.mine.institution, id_number="CD654321")
        )
    assert refused.value.code == EnrollmentMoreError.ACCOUNT_HAS_STUDENT and http_status(refused.value) == 409
    body = {**BODY, "id_number": "CD654321", "institution_id": ready.mine.institution.pk}
    answer = ready.client("student").post(
        "/api/registration/entries/higher_education/requests", body, content_type="application/json"
    )
    assert answer.status_code == 409 and answer.json()["code"] == "account_has_student"
    data = {
        **FORM,
        "id_number": "CD654321",
        "institution_id": ready.mine.institution.pk,
        "academic_year_id": open_year().pk,
    }
    page = ready.client("student").post(ENTRY, data)
    assert page.status_code == 200 and 'value="CD654321"' in page.content.decode()
    assert list(Student.objects.values_list("id_number", flat=True)) == [CIN]


# --- the pure rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("linked_to", "declared", "email", "verified", "expected"),
    [
        (7, "", "salma@example.ma", True, None),  # the account's own record
        (8, DECLARED, DECLARED, True, "identity_taken"),  # another account holds it: never
        (None, DECLARED, " Salma@Example.MA ", True, None),  # the declared address, verified
        (None, DECLARED, DECLARED, False, "identity_claim_required"),  # not verified: no proof
        (None, DECLARED, "mallory@example.ma", True, "identity_claim_required"),
        (None, "", "", True, "identity_claim_required"),  # nothing declared proves nothing
    ],
)
def test_the_claim_rule(linked_to: Any, declared: str, email: str, verified: bool, expected: Any) -> None:
    from amo.enrollment.rules import claim_problem

    found = claim_problem(
        linked_to=linked_to, account=7, declared_email=declared, account_email=email, account_verified=verified
    )
    assert found == expected
