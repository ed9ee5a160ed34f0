"""Writes of accounts: users, memberships, API tokens."""

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from amo.accounts.actors import ActingUser
from amo.accounts.models import ApiToken, Membership, Role, User
from amo.accounts.rules import ORGANISATION_FIELDS, membership_problem
from amo.common import clock
from amo.common.errors import DomainError
from amo.common.models import AuditEvent
from amo.common.services import audit_record
from amo.notifications.services import email_queue


@transaction.atomic
def user_create(
    *, actor: ActingUser, email: str, password: str | None, full_name: str = "", language: str = "fr"
) -> User:
    user = User.objects.create_user(email=email, password=password, full_name=full_name, preferred_language=language)
    audit_record(actor=actor, action="user_create", obj=user, after={"email": user.email})
    return user


@transaction.atomic
def membership_grant(*, actor: ActingUser, user: User, role: Role, **organisation: Any) -> Membership:
    """Give a user a role in one organisation (the one the role requires, see rules.py)."""
    set_fields = {k for k, v in organisation.items() if v is not None and k in ORGANISATION_FIELDS}
    problem = membership_problem(role, set_fields)
    if problem:
        raise DomainError(problem)
    membership, _created = Membership.objects.get_or_create(user=user, role=role, **organisation)
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    if role == Role.CNOPS_ADMIN and not user.is_superuser:
        # CNOPS administrators run the Django admin (referentials, organisations, users).
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    audit_record(
        actor=actor,
        action="membership_grant",
        obj=membership,
        after={"user": user.email, "role": role, **organisation},
    )
    return membership


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the key is returned once and only its hash is kept."""
    key = "amo_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:80] or "API", prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    audit_record(actor=user, action="api_token_create", obj=token, after={"name": token.name})
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action="api_token_revoke", obj=token)
    return token


# A token's last use is stamped at most this often: stamping every call wrote the row on every
# read, and on SQLite each write waits for the single writer (a long import, another request).
TOKEN_STAMP_EVERY = dt.timedelta(minutes=5)


def api_token_authenticate(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_STAMP_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


VERIFY_SALT = "amo.accounts.email-verification"
VERIFY_MAX_AGE = 3 * 24 * 3600


def email_verification_token(user: User) -> str:
    from django.core import signing

    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


def email_verification_send(*, user: User, next_path: str = "") -> None:
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    path = reverse("accounts:verify_email", args=[email_verification_token(user)])
    if next_path and url_has_allowed_host_and_scheme(next_path, allowed_hosts=None):  # a path of this site only
        path += "?" + urlencode({"next": next_path})  # back to the entry the student chose
    email_queue(
        to=user.email,
        template="accounts/email/verify",
        context={"user": user, "path": path},
        language=user.preferred_language,
    )


# The owner of an address someone signs up with is e-mailed at most once in this time: a sign-up
# form posted again and again with their address must not flood their mailbox.
SIGNUP_EXISTING_EMAIL_EVERY = dt.timedelta(hours=6)


@transaction.atomic
def student_signup(*, email: str, password: str, full_name: str, language: str, next_path: str = "") -> User | None:
    """A student's account: the student role, and an e-mail to verify the address.

    When the address already has an account, nothing is created and its owner is e-mailed
    instead (log in, or reset the password): the page answers the same either way, so sign-up
    never tells a stranger which addresses have an account. Returns the new user, or None."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = user_create(actor=None, email=email, password=password, full_name=full_name, language=language)
        except IntegrityError:  # the same address signed up a moment ago
            existing = User.objects.filter(email__iexact=email).first()
        else:
            membership_grant(actor=user, user=user, role=Role.STUDENT)
            email_verification_send(user=user, next_path=next_path)
            return user
    make_password(password)  # as long as creating an account takes, so that time tells nothing either
    if existing is not None and _signup_existing_email_due(existing):
        email_queue(
            to=existing.email,
            template="accounts/email/signup_existing",
            context={"user": existing},
            language=existing.preferred_language,
        )
        audit_record(actor=None, action="signup_existing_address", obj=existing)
    return None


def _signup_existing_email_due(existing: User) -> bool:
    """No "you already have an account" e-mail to this owner within SIGNUP_EXISTING_EMAIL_EVERY
    (each one sent is audited as signup_existing_address). The page answers the same anyway."""
    User.objects.select_for_update().filter(pk=existing.pk).first()  # two sign-ups at once: one e-mail
    since = clock.now() - SIGNUP_EXISTING_EMAIL_EVERY
    return not AuditEvent.objects.filter(
        action="signup_existing_address",
        object_type=User._meta.label_lower,
        object_id=str(existing.pk),
        created_at__gte=since,
    ).exists()


@transaction.atomic
def email_verify(*, token: str) -> User | None:
    """Mark the address verified when the signed token is valid and still matches the account."""
    from django.core import signing

    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is not None and user.email_verified_at is None:
        user.email_verified_at = clock.now()
        user.save(update_fields=["email_verified_at"])
        audit_record(actor=user, action="email_verify", obj=user)
    return user
