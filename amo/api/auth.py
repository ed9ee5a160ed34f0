"""API authentication: the browser session (with CSRF) or a bearer token.

A token's user, with their memberships (the actor), is kept in this process for at most
TOKEN_CACHE_SECONDS after the token was checked against the database: the providers' rights
lookup is called many times a second with the same token, and the two queries of the check plus
the write of `last_used_at` cost more than the lookup itself. Saving or deleting a token, a
membership or a user empties the entries of this process at once (signals); another server
process sees such a change at the latest TOKEN_CACHE_SECONDS later. Only the user concerned is
forgotten, after the change is committed; a login (last_login) changes nothing cached. `last_used_at` is
written at most once per accounts.services.TOKEN_STAMP_EVERY, whatever the number of processes: a
call that only reads does not wait for SQLite's single writer."""

import threading
import time
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from amo.accounts.actors import actor_for
from amo.accounts.models import ApiToken, Membership, User
from amo.accounts.services import api_token_authenticate

TOKEN_CACHE_SECONDS = 60
TOKEN_CACHE_SIZE = 1000

_cache: dict[str, tuple[float, Any]] = {}  # ApiToken.key_hash -> (valid until, user with its actor)
_lock = threading.Lock()


def token_cache_clear(**_kwargs: Any) -> None:
    with _lock:
        _cache.clear()


def _forget_user(user_id: int | None) -> None:
    with _lock:
        for key in [k for k, (_until, user) in _cache.items() if user.pk == user_id]:
            _cache.pop(key, None)


def _after_commit(forget: Any) -> None:
    """Forget now, and again once the change is committed: in between, another request of this
    process could read the old rows and keep them."""
    forget()
    transaction.on_commit(forget)


def _token_changed(instance: ApiToken, **_kwargs: Any) -> None:
    key = instance.key_hash
    _after_commit(lambda: _cache.pop(key, None))


def _membership_changed(instance: Membership, **_kwargs: Any) -> None:
    user_id = instance.user_id
    _after_commit(lambda: _forget_user(user_id))


def _user_changed(instance: User, update_fields: Any = None, **_kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login", "last_seen_at"}:
        return  # a login changes nothing the actor is made of
    user_id = instance.pk
    _after_commit(lambda: _forget_user(user_id))


post_save.connect(_token_changed, sender=ApiToken, dispatch_uid="api_token_cache_token_saved")
post_delete.connect(_token_changed, sender=ApiToken, dispatch_uid="api_token_cache_token_deleted")
post_save.connect(_membership_changed, sender=Membership, dispatch_uid="api_token_cache_membership_saved")
post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="api_token_cache_membership_deleted")
post_save.connect(_user_changed, sender=User, dispatch_uid="api_token_cache_user_saved")
post_delete.connect(_user_changed, sender=User, dispatch_uid="api_token_cache_user_deleted")


def _authenticate(token: str) -> Any:
    key_hash = ApiToken.hash_key(token)
    now = time.monotonic()
    hit = _cache.get(key_hash)
    if hit is not None and hit[0] > now:
        return hit[1]
    user = api_token_authenticate(token)
    with _lock:
        if user is None:
            _cache.pop(key_hash, None)
            return None
        actor_for(user)  # the memberships, read now and kept with the user
        if len(_cache) >= TOKEN_CACHE_SIZE:
            _cache.clear()
        _cache[key_hash] = (now + TOKEN_CACHE_SECONDS, user)
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = _authenticate(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]
