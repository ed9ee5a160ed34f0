"""Reading a token must not write its row on every call: on SQLite every write waits for the
database's single writer (a long import, another request), so a call that only reads must not
queue behind them."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amo.accounts.models import ApiToken
from amo.accounts.services import TOKEN_STAMP_EVERY, api_token_create
from amo.api import auth
from amo.common import clock

pytestmark = pytest.mark.django_db


def _token_writes(queries: CaptureQueriesContext) -> int:
    return sum(
        1 for q in queries.captured_queries if q["sql"].startswith("UPDATE") and '"accounts_apitoken"' in q["sql"]
    )


def test_many_token_calls_write_the_token_row_at_most_once(world) -> None:
    token, key = api_token_create(user=world.users["provider"], name="HIS")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            auth.token_cache_clear()  # as many server processes, or the cache expired, would
            response = Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"})
            assert response.status_code == 200
    assert _token_writes(queries) == 1
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_last_used_long_ago_is_stamped_again(world) -> None:
    token, key = api_token_create(user=world.users["provider"], name="HIS")
    long_ago = clock.now() - TOKEN_STAMP_EVERY - dt.timedelta(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    auth.token_cache_clear()
    assert Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > long_ago
