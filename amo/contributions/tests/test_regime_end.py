"""Law 54.23 (SOURCES.md §0: https://lematin.ma/nation/amo-trois-evolutions-majeures-apres-la-promulgation-de-la-loi-5423/328133/amp):
after the regime's last day (`regime_end_date`, 2027-02-01 as loaded) no due is created, since no
rights can open for it any more."""

from typing import Any

import pytest

from amo.contributions.models import Due
from amo.contributions.services import dues_refresh
from amo.enrollment.models import RegistrationRequest
from amo.enrollment.services import registration_decide
from amo.enrollment.tests.conftest import ready as ready_world  # noqa: F401 - a fixture
from amo.enrollment.tests.test_api import BODY, post
from amo.enrollment.tests.test_regime_end import on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ready_world")]


def test_no_due_is_created_after_the_regime_ends(world: Any) -> None:
    ready = world
    with on("2027-01-20"):
        created = post(
            ready.client("student"),
            "/api/registration/entries/higher_education/requests",
            {**BODY, "institution_id": ready.mine.institution.pk, "registered_on": "2027-01-15"},
        )
        assert created.status_code == 201, created.content
        request = RegistrationRequest.objects.get()
        registration_decide(actor=ready.users["institution"], request=request, target="validated")
    assert Due.objects.filter(request=request).count() == 1  # before the end: the due of the validation
    Due.objects.all().delete()
    with on("2027-02-02"):
        assert dues_refresh() == 0
    assert not Due.objects.exists()
    with on("2027-02-01"):  # the last day still owes
        assert dues_refresh() == 1
