"""An institution agent decides a probable duplicate in Chromium, in French and in Arabic
(issue 13, rule 7): the flag is shown on the request's page with its two decisions."""

from typing import Any

import pytest

from amo.enrollment.models import DuplicateDecision, ProbableDuplicate
from amo.enrollment.services import registration_submit
from amo.enrollment.tests.factories import open_year, registration_input
from amo.web.tests.browser import ARTIFACTS, login, require_chromium
from conftest import make_user

require_chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_institution_keeps_both_requests_of_a_probable_duplicate(
    world: Any, live_server: Any, browser: Any, language: str
) -> None:
    institution = world.mine.institution
    institution.affiliated_on = open_year().starts_on
    institution.save(update_fields=["affiliated_on"])
    registration_submit(
        actor=world.users["student"], entry_channel="higher_education", data=registration_input(institution)
    )
    second = registration_submit(
        actor=make_user("passport@example.ma"),
        entry_channel="higher_education",
        data=registration_input(
            institution,
            id_type="passport",
            id_number="X1234567",
            massar="",
            nationality="Française",
            email="p@example.ma",
        ),
    )
    page = login(browser, live_server.url, "institution@example.ma", language)
    page.goto(f"{live_server.url}/registration/requests/{second.pk}/")
    page.wait_for_selector('[data-testid="probable-duplicates"]')
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"probable-duplicate-{language}.png"), full_page=True)
    page.click('[data-testid="duplicate-distinct"]')
    page.wait_for_selector('[data-testid="probable-duplicates"]')
    assert ProbableDuplicate.objects.get().decision == DuplicateDecision.DISTINCT
    assert not page.locator('[data-testid="duplicate-distinct"]').count()
