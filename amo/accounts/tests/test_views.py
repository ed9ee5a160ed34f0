"""Logging in by e-mail, lockout after repeated failures, password reset through the outbox."""

import re
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from amo.accounts.models import User
from amo.common import clock
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_user_logs_in_with_their_email_and_lands_on_their_space(world) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "ENTITY@example.ma", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert 'data-testid="section-legal_entity_agent"' in response.content.decode()


def test_a_wrong_password_gets_a_translated_message(world) -> None:
    response = Client().post(
        "/accounts/login/",
        {"username": "entity@example.ma", "password": "nope"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert 'data-testid="login-error"' in response.content.decode()


def test_five_failures_lock_the_account_even_with_the_right_password(world) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "entity@example.ma", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "entity@example.ma", "password": PASSWORD})
    assert locked.status_code == 429
    assert 'data-testid="locked"' in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(world, django_capture_on_commit_callbacks) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "entity@example.ma"})
    assert len(mail.outbox) == 1
    found = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Another-Secret-77", "new_password2": "Another-Secret-77"})
    fresh = Client()
    fresh.post("/accounts/login/", {"username": "entity@example.ma", "password": "Another-Secret-77"})
    assert "_auth_user_id" in fresh.session


def test_an_unknown_address_gets_the_same_answer_and_no_email(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/accounts/password-reset/", {"email": "ghost@example.ma"}, follow=True)
    assert response.status_code == 200 and mail.outbox == []


def test_a_user_creates_and_revokes_an_api_token(world) -> None:
    client = world.client("provider")
    page = client.post("/accounts/tokens/", {"name": "HIS"}).content.decode()
    found = re.search(r'data-testid="new-key">([^<]+)<', page)
    assert found is not None
    key = found.group(1)
    assert client.get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    token_id = world.users["provider"].api_tokens.get().pk
    client.post(f"/accounts/tokens/{token_id}/revoke/")
    assert Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


SIGNUP = {
    "full_name": "Salma",
    "email": "new@example.ma",
    "password1": "Un-Mot-De-Passe-42",
    "password2": "Un-Mot-De-Passe-42",
    "language": "fr",
}


def test_verifying_the_address_brings_the_student_back_to_the_entry_they_chose(
    db, django_capture_on_commit_callbacks
) -> None:
    entry = "/registration/entry/higher_education/"
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/accounts/signup/?next={entry}", SIGNUP)
    found = re.search(r"https?://[^/]+(/accounts/verify/\S+)", str(mail.outbox[0].body))
    assert found is not None
    landed = client.get(found.group(1), follow=True)
    assert landed.redirect_chain[-1][0] == f"/accounts/login/?next={quote(entry, safe='')}"
    logged_in = client.post(
        landed.redirect_chain[-1][0], {"username": "new@example.ma", "password": "Un-Mot-De-Passe-42"}
    )
    assert logged_in["Location"] == entry
    assert client.get(found.group(1))["Location"] == entry  # already logged in: straight back
    evil = client.get(found.group(1).split("?")[0] + "?next=https://evil.example/", follow=True)
    assert evil.redirect_chain[-1][0] == "/registration/"


@pytest.mark.parametrize(
    "evil", ["https://evil.example/phish", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]
)
def test_sign_up_never_sends_the_student_to_another_site(db, django_capture_on_commit_callbacks, evil: str) -> None:
    """The probe: /accounts/signup/?next=https://evil.example/... redirected there after sign-up."""
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/accounts/signup/?{urlencode({'next': evil})}", SIGNUP, follow=True)
    assert response.status_code == 200
    for url, _status in response.redirect_chain:
        assert urlsplit(url).netloc == "" and "evil.example" not in url and not url.startswith("javascript")
    assert "evil.example" not in str(mail.outbox[0].body)
    link = re.search(r"https?://[^/]+(/accounts/verify/[^/\s]+/)", str(mail.outbox[0].body))
    assert link is not None
    for url, _status in client.get(f"{link.group(1)}?{urlencode({'next': evil})}", follow=True).redirect_chain:
        assert urlsplit(url).netloc == "" and "evil.example" not in url


def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(
    world, django_capture_on_commit_callbacks
) -> None:
    """The probe: sign-up said "an account already uses this address". Now both answers are the
    same page, nobody is logged in, and the owner of a known address is told by e-mail."""
    answers = {}
    for email in ("STUDENT@example.ma", "new@example.ma"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/signup/", {**SIGNUP, "email": email})
        answers[email] = (response.status_code, response["Location"], "_auth_user_id" in client.session)
    assert answers["STUDENT@example.ma"] == answers["new@example.ma"] == (302, "/accounts/signup/sent/", False)
    to_owner, to_new = mail.outbox
    assert to_owner.to == ["student@example.ma"] and "/accounts/password-reset/" in str(to_owner.body)
    assert to_new.to == ["new@example.ma"] and "/accounts/verify/" in str(to_new.body)
    owner = User.objects.get(email="student@example.ma")
    assert owner.check_password(PASSWORD) and owner.full_name != "Salma"  # the known account is untouched
    assert User.objects.filter(email__iexact="student@example.ma").count() == 1


def test_sign_up_with_a_known_address_again_and_again_does_not_flood_its_owners_mailbox(
    world, django_capture_on_commit_callbacks
) -> None:
    """The probe: each sign-up with an address that has an account e-mailed its owner, without
    limit. Now once per address in SIGNUP_EXISTING_EMAIL_EVERY; the page answers the same."""
    import datetime as dt

    from amo.accounts.services import SIGNUP_EXISTING_EMAIL_EVERY
    from amo.common.models import AuditEvent

    def sign_up() -> tuple[int, str]:
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post("/accounts/signup/", {**SIGNUP, "email": "student@example.ma"})
        return response.status_code, response["Location"]

    for _ in range(5):
        assert sign_up() == (302, "/accounts/signup/sent/")
    assert [m.to for m in mail.outbox] == [["student@example.ma"]]
    later = clock.now() - SIGNUP_EXISTING_EMAIL_EVERY - dt.timedelta(minutes=1)
    AuditEvent.objects.filter(action="signup_existing_address").update(created_at=later)
    assert sign_up() == (302, "/accounts/signup/sent/")
    assert [m.to for m in mail.outbox] == [["student@example.ma"]] * 2
    page = Client().get("/accounts/signup/sent/").content.decode()
    assert 'data-testid="signup-sent"' in page


def test_sign_up_proposes_e_mails_in_the_language_of_the_page() -> None:
    for language, chosen in (("ar", 'value="ar" selected'), ("fr", 'value="fr" selected')):
        client = Client()
        client.cookies["amo_language"] = language
        assert chosen in client.get("/accounts/signup/").content.decode()


def test_the_password_rules_speak_arabic_to_an_arabic_reader(client) -> None:
    # Issue 13, item 12: the short-password message came in French on the Arabic sign-up page.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.post(
        "/accounts/signup/", {"email": "x@example.ma", "password1": "123", "password2": "123"}
    ).content.decode()
    errors = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', html, re.S)
    assert errors and any("قصيرة" in e for e in errors)
    assert not re.search(r"[A-Za-zé]{4,}", "".join(errors)), errors
