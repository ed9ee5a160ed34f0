"""The demo a newcomer gets from `make demo`: loads, loads again without change, and gives each
README login its role."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from amo.accounts.models import Membership, User
from amo.approvals.models import ApprovalRequest
from amo.common import clock
from amo.coverage.selectors import rights_lookup
from amo.enrollment.models import RegistrationRequest
from amo.web.demo import USERS

# The demo's care files are dated inside its students' rights and after its drug list's start.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-12-01")]


def test_the_demo_loads_twice_and_every_readme_login_exists(settings) -> None:
    settings.DEBUG = True  # as `make demo` runs it
    call_command("load_demo", verbosity=0)
    counts = (User.objects.count(), Membership.objects.count(), RegistrationRequest.objects.count())
    call_command("load_demo", verbosity=0)
    assert (User.objects.count(), Membership.objects.count(), RegistrationRequest.objects.count()) == counts
    # the Casablanca centre's PEC requests, one in each state (issue 16, item 9), when the demo's
    # students are covered on the planned dates (not on a run dated at the end of August)
    statuses = set(ApprovalRequest.objects.filter(provider__inpe="100000003").values_list("status", flat=True))
    if rights_lookup(id_number="BA202020", on=clock.today() + dt.timedelta(days=30)).covered:
        assert statuses == {
            "submitted",
            "information_requested",
            "awaiting_confirmation",
            "agreed",
            "refused",
            "withdrawn",
        }
        overdue = [r for r in ApprovalRequest.objects.filter(office__code="DR-CASA") if r.is_overdue]
        assert len(overdue) == 1
    else:
        assert statuses == set()
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    for email, _name, role, _field, _key in USERS:
        assert f"`{email}`" in readme, email
        assert Membership.objects.filter(user__email=email, role=role).exists()


def test_the_demo_accounts_are_not_loaded_in_production_by_mistake(settings) -> None:
    """Every demo account shares the README's password: with debug off, loading them is refused
    unless asked for explicitly (a local check of the production settings)."""
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("load_demo", verbosity=0)
    assert not User.objects.exists()
    call_command("load_demo", "--in-production", verbosity=0)
    assert User.objects.filter(email="admin@demo.amo.ma").exists()
