"""The rights lookup tells covered or not covered, nothing more (law 09-08): outside a period no
"until" nor institution; every lookup is logged (who, which number, when, the answer), readable
by CNOPS administrators only; an account is limited to a number of lookups per minute."""

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from amo.common import clock
from amo.coverage import selectors, services
from amo.coverage.models import LookupLog, RightsPeriod
from amo.coverage.tests.test_api_and_pages import _bearer, _client
from amo.coverage.tests.test_api_and_pages import checked as checked_students  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("checked_students")]

ARABIC = re.compile("[\u0600-\u06ff]")


def test_lookup_outside_the_period_gives_neither_until_nor_institution(world: Any) -> None:
    period = RightsPeriod.objects.get()
    # The day before the period: after it comes the regime's end (law 54.23), whose answer, the
    # same for everyone, names its date (test_regime_end.py).
    after = period.starts_on - dt.timedelta(days=1)
    found = selectors.rights_lookup(id_number="AB100001", on=after)
    assert (found.covered, found.since, found.until, found.institution_fr, found.status) == (False, None, None, "", "")
    answer = Client().get(
        f"/api/coverage/lookup?id_number=AB100001&on={after}", headers=_bearer(world.users["provider"])
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "id_number": "AB100001",
        "on": after.isoformat(),
        "covered": False,
        "since": None,
        "until": None,
        "institution": "",
        "institution_ar": "",
        "reason": "",
        "ended_on": None,
    }
    page = _client(world.users["provider"]).get(f"/coverage/lookup/?id_number=AB100001&on={after}")
    text = page.content.decode()
    assert page.status_code == 200 and "lookup-result" in text
    assert period.ends_on.strftime("%d/%m/%Y") not in text and period.institution.name_fr not in text


def test_every_lookup_is_logged_with_who_which_number_when_and_the_answer(world: Any) -> None:
    period = RightsPeriod.objects.get()
    provider = world.users["provider"]
    before = clock.now()
    Client().get(f"/api/coverage/lookup?id_number=ab100001&on={period.starts_on}", headers=_bearer(provider))
    _client(provider).get("/coverage/lookup/?id_number=AB200002")
    _client(provider).get("/coverage/lookup/?id_number=%3D1")  # refused by the form: no lookup made
    log = list(
        LookupLog.objects.order_by("id").values_list("user", "user_email", "id_number", "on", "covered", "channel")
    )
    today = clock.today()
    assert [row[:3] for row in log] == [
        (provider.pk, provider.email, "AB100001"),
        (provider.pk, provider.email, "AB200002"),
    ]
    assert [row[3:] for row in log] == [(period.starts_on, True, "api"), (log[1][3], False, "page")]
    assert abs((log[1][3] - today).days) <= 1
    after = clock.now()
    assert all(before <= entry.at <= after for entry in LookupLog.objects.all())


def test_the_lookup_log_is_read_by_cnops_administrators_only(world: Any) -> None:
    _client(world.users["provider"]).get("/coverage/lookup/?id_number=AB200002")
    page = _client(world.users["admin"]).get("/coverage/lookup/log/?id_number=ab200002")
    text = page.content.decode()
    assert page.status_code == 200 and world.users["provider"].email in text and "AB200002" in text
    assert (
        "AB200002" not in _client(world.users["admin"]).get("/coverage/lookup/log/?id_number=AB100001").content.decode()
    )
    for persona in ("provider", "cnops", "delegation", "controller", "institution", "student", "nobody"):
        assert _client(world.users[persona]).get("/coverage/lookup/log/").status_code in (403, 404), persona
    # the same log through the API, for the administrator only
    answer = Client().get("/api/coverage/lookup/log?id_number=ab200002", headers=_bearer(world.users["admin"]))
    [entry] = answer.json()["items"]
    assert (entry["user_email"], entry["id_number"]) == (world.users["provider"].email, "AB200002")
    provider = Client().get("/api/coverage/lookup/log", headers=_bearer(world.users["provider"]))
    assert provider.status_code in (403, 404)


def test_the_lookup_log_is_append_only_and_purged_after_its_retention(world: Any) -> None:
    _client(world.users["provider"]).get("/coverage/lookup/?id_number=AB200002")
    entry = LookupLog.objects.get()
    entry.covered = True
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        LookupLog.objects.update(covered=True)
    today = clock.date_of(entry.at)  # the day in Morocco: at 23:30 UTC it is already tomorrow there
    assert services.lookup_log_purge(today=today) == 0
    later = today + dt.timedelta(days=services.LOOKUP_LOG_RETENTION_DAYS + 1)
    assert services.lookup_log_purge(today=later) == 1 and not LookupLog.objects.exists()


def test_lookups_are_rate_limited_per_account_with_a_translated_429(world: Any, settings: Any) -> None:
    settings.COVERAGE_LOOKUPS_PER_MINUTE = 3
    provider = world.users["provider"]
    headers = {**_bearer(provider), "Accept-Language": "ar"}
    for _ in range(2):
        assert Client().get("/api/coverage/lookup?id_number=AB100001", headers=headers).status_code == 200
    assert _client(provider).get("/coverage/lookup/?id_number=AB100001").status_code == 200
    refused = Client().get("/api/coverage/lookup?id_number=AB100001", headers=headers)
    assert refused.status_code == 429 and refused.json()["code"] == "lookup_rate_limited"
    assert ARABIC.search(refused.json()["message"])
    page = _client(provider).get("/coverage/lookup/?id_number=AB100001", headers={"Accept-Language": "fr"})
    text = page.content.decode()
    assert page.status_code == 429 and 'data-testid="lookup-refused"' in text and "lookup-result" not in text
    assert 'value="AB100001"' in text  # the number is kept in the form
    assert LookupLog.objects.filter(user=provider).count() == 3  # a refused lookup is not made
    # per account: another provider's agent is not slowed down by the first
    other = Client().get("/api/coverage/lookup?id_number=AB100001", headers=_bearer(world.users["cnops"]))
    assert other.status_code == 200
    schema = Client().get("/api/openapi.json").json()
    assert "429" in schema["paths"]["/api/coverage/lookup"]["get"]["responses"]


def test_a_rate_of_zero_limits_nothing_here_and_every_lookup_is_still_logged(world: Any, settings: Any) -> None:
    """A deployment that limits the rate in front of the platform sets 0: no 429, the log kept."""
    settings.COVERAGE_LOOKUPS_PER_MINUTE = 0
    headers = _bearer(world.users["provider"])
    answers = {Client().get("/api/coverage/lookup?id_number=AB100001", headers=headers).status_code for _ in range(5)}
    assert answers == {200}
    assert LookupLog.objects.filter(user=world.users["provider"]).count() == 5


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_lookup_with_a_short_number_says_the_format_expected(world: Any, language: str) -> None:
    # Issue 13, item 11: "12" got "enter a document number" without saying what one looks like.
    client = world.client("provider")
    client.cookies["amo_language"] = language
    html = client.get("/coverage/lookup/", {"id_number": "12"}).content.decode()
    assert "AB123456" in html and ("5 à 20" in html if language == "fr" else "من 5 إلى 20" in html)
    answer = client.get("/api/coverage/lookup?id_number=12")
    assert "AB123456" in json.dumps(answer.json(), ensure_ascii=False)
