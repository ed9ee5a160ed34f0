"""The world of medical control: AB100001 covered (coverage's checked students: the whole
pipeline), AB200002 refused by ANAM (never covered); world.mine's provider and controller (Rabat,
region 04), a Casablanca clinic and its delegation's two controllers (region 06)."""

import datetime as dt
from typing import Any

import pytest

from amo.accounts.models import Role
from amo.coverage.models import RightsPeriod
from amo.coverage.tests.test_api_and_pages import checked  # noqa: F401 - a fixture
from amo.eligibility.services import batch_send
from amo.eligibility.tests.conftest import certified
from amo.enrollment.tests.factories import open_year
from conftest import make_user


@pytest.fixture
def pec(world: Any, checked: Any) -> Any:  # noqa: F811 - the fixture imported above
    return _personas(world)


@pytest.fixture
def pec_live(world: Any) -> Any:
    """The same world for a browser test (transactions committed): the batch sent to ANAM is
    answered at once from the (empty) registry, so AB100001's rights open."""
    certified(world, [("AB100001", dt.date(2005, 3, 14))])
    batch_send(actor=world.users["cnops"], academic_year=open_year())
    assert RightsPeriod.objects.filter(insured__id_number="AB100001").exists()
    return _personas(world)


def _personas(world: Any) -> Any:
    users = world.users
    users["provider_casa"] = make_user("clinique-casa@example.ma", Role.PROVIDER_AGENT, provider=world.other.provider)
    users["controller_casa"] = make_user(
        "controleur-casa@example.ma", Role.MEDICAL_CONTROLLER, cnops_office=world.other.delegation
    )
    users["controller_casa2"] = make_user(
        "controleur-casa2@example.ma", Role.MEDICAL_CONTROLLER, cnops_office=world.other.delegation
    )
    users["call_centre"] = make_user(
        "call-centre@example.ma", Role.CALL_CENTRE_AGENT, cnops_office=world.mine.delegation
    )
    return world
