"""Shared fixtures: named personas, one per role, each in its own organisation ("Alice's side"),
and a second, unrelated set of organisations ("Bob's side") that none of them may see."""

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from amo.accounts.models import Role, User
from amo.accounts.services import membership_grant, user_create
from amo.organisations.models import Aggregator, CnopsOffice
from amo.organisations.tests.factories import (
    CareProviderFactory,
    DelegationFactory,
    DepositPointFactory,
    InstitutionFactory,
    LegalEntityFactory,
    category,
    region,
)
from amo.web.tests.smtp import smtp  # noqa: F401 - a fixture for every app's tests

PASSWORD = "Correct-Horse-42"
_TRAVELLER = pytest.StashKey[Any]()


def _test_clock_start() -> dt.datetime | None:
    """AMO_TEST_TODAY=YYYY-MM-DD (or an ISO date and time) moves the clock for the whole run: the suite
    then runs as if on that day, from 10:00 in Casablanca (or the given time), the clock ticking."""
    value = os.environ.get("AMO_TEST_TODAY", "").strip()
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value if "T" in value or " " in value else f"{value}T10:00")
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Africa/Casablanca"))


def pytest_configure(config: pytest.Config) -> None:
    # Each process travels, the xdist workers too (they run this hook); the live server of the
    # browser tests is a thread of the worker, so it runs on the moved clock as well.
    start = _test_clock_start()
    if start is not None:
        traveller = time_machine.travel(start, tick=True)
        traveller.start()
        config.stash[_TRAVELLER] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()


@pytest.fixture(autouse=True)
def _today_of_the_test(request: pytest.FixtureRequest) -> Any:
    """`@pytest.mark.today("YYYY-MM-DD")`: a test whose scenario is dated (the open year's dues,
    a coverage starting on a given day) runs on that day, whatever AMO_TEST_TODAY says. Autouse,
    so it moves the clock before the test's other fixtures."""
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield None
        return
    moment = dt.datetime.fromisoformat(f"{marker.args[0]}T10:00").replace(tzinfo=ZoneInfo("Africa/Casablanca"))
    with time_machine.travel(moment, tick=True) as traveller:
        yield traveller


def pytest_report_header(config: pytest.Config) -> str | None:
    start = _test_clock_start()
    return f"clock moved to {start.isoformat()} (AMO_TEST_TODAY)" if start else None


@dataclass
class Side:
    """Organisations of one side of the matrix."""

    legal_entity: Any
    institution: Any
    provider: Any
    deposit_point: Any
    aggregator: Any
    delegation: Any


@dataclass
class World:
    mine: Side
    other: Side
    users: dict[str, User] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        client = Client()
        client.force_login(self.users[persona])
        return client


def make_user(email: str, role: Role | None = None, **organisation: Any) -> User:
    user = user_create(actor=None, email=email, password=PASSWORD, full_name=email.split("@")[0])
    if role is not None:
        membership_grant(actor=None, user=user, role=role, **organisation)
    return user


@pytest.fixture
def world(db: Any) -> World:
    """Alice's side: Rabat region (04), higher-education channel (ONOUSC).
    Bob's side: Casablanca region (06), OFPPT channel: nothing in common with Alice's."""
    mine_entity = LegalEntityFactory(name_fr="Université Alice")
    other_entity = LegalEntityFactory(name_fr="Office Bob")
    mine = Side(
        legal_entity=mine_entity,
        institution=InstitutionFactory(legal_entity=mine_entity, region=region("04"), category=category("univ")),
        provider=CareProviderFactory(region=region("04")),
        deposit_point=DepositPointFactory(region=region("04")),
        aggregator=Aggregator.objects.get(code="ONOUSC"),
        delegation=DelegationFactory(regions=[region("04")]),
    )
    other = Side(
        legal_entity=other_entity,
        institution=InstitutionFactory(
            legal_entity=other_entity,
            region=region("06"),
            category=category("ofppt"),
            city="Casablanca",
        ),
        provider=CareProviderFactory(region=region("06"), city="Casablanca"),
        deposit_point=DepositPointFactory(region=region("06"), city="Casablanca", deposit_channel="ofppt_offices"),
        aggregator=Aggregator.objects.get(code="OFPPT"),
        delegation=DelegationFactory(regions=[region("06")]),
    )
    central = CnopsOffice.objects.get(code="CENTRAL")
    w = World(mine=mine, other=other)
    w.users = {
        "student": make_user("student@example.ma", Role.STUDENT),
        "institution": make_user("institution@example.ma", Role.INSTITUTION_AGENT, institution=mine.institution),
        "legal_entity": make_user("entity@example.ma", Role.LEGAL_ENTITY_AGENT, legal_entity=mine.legal_entity),
        "aggregator": make_user("onousc@example.ma", Role.AGGREGATOR_AGENT, aggregator=mine.aggregator),
        "delegation": make_user("delegation@example.ma", Role.CNOPS_AGENT, cnops_office=mine.delegation),
        "controller": make_user("controller@example.ma", Role.MEDICAL_CONTROLLER, cnops_office=mine.delegation),
        "deposit_point": make_user("deposit@example.ma", Role.DEPOSIT_POINT_AGENT, deposit_point=mine.deposit_point),
        "provider": make_user("provider@example.ma", Role.PROVIDER_AGENT, provider=mine.provider),
        "cnops": make_user("cnops@example.ma", Role.CNOPS_AGENT, cnops_office=central),
        "admin": make_user("admin@example.ma", Role.CNOPS_ADMIN, cnops_office=central),
        "nobody": make_user("nobody@example.ma"),
    }
    return w


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _language_of_the_site() -> Any:
    """Each test starts in the site's language: a request of an earlier test in the same worker
    (LocaleMiddleware activates the visitor's language in the thread) must not make it Arabic."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """Transactional (browser) tests flush the database: load the data migrations' rows again."""
    from amo.web.tests.browser import load_reference_data

    load_reference_data()


@pytest.fixture(scope="module")
def browser() -> Any:
    """Debian's Chromium driven by Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    from amo.web.tests.browser import launch

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()
