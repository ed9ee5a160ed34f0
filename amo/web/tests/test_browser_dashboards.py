"""The dashboards' next steps in Chromium, in French and in Arabic (issue 13, item 9): the student
sent back for correction reads why and reaches the correction form in one click; the private legal
entity reads what it owes and reaches its payment page; CNOPS reads its work queues and each count
is the count of the page it links to.

Skipped when /usr/bin/chromium is absent, unless AMO_REQUIRE_BROWSER=1 (CI) makes it fail.
"""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amo.accounts.models import Role
from amo.accounts.services import membership_grant
from amo.contributions.tests.factories import csv_statement
from amo.enrollment.services import registration_decide, registration_submit
from amo.enrollment.tests.factories import open_year, registration_input
from amo.web.tests.browser import ARTIFACTS, require_chromium
from conftest import PASSWORD, make_user

require_chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

# What each dashboard says, in the page's language (the catalogues' wording).
SENT_BACK = {"fr": "Corriger ma demande", "ar": "تصحيح طلبي"}


def _login(browser: Any, url: str, email: str, language: str) -> Any:
    context = browser.new_context(locale="fr")
    page = context.new_page()
    page.goto(url + "/")
    if language == "ar":
        page.click('[data-testid="lang-ar"]')
    page.goto(url + "/accounts/login/")
    page.fill('input[name="username"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('[data-testid="login-submit"]')
    page.wait_for_url("**/dashboard/")
    assert page.locator("html").get_attribute("lang") == language
    return page


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_each_dashboard_says_what_to_do_next_and_its_link_leads_there(
    world: Any, private: Any, live_server: Any, browser: Any, language: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    # The student sent back for correction, with the institution's reason.
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    request = registration_submit(
        actor=world.users["student"], entry_channel="higher_education", data=registration_input(world.mine.institution)
    )
    registration_decide(actor=world.users["institution"], request=request, target="to_correct", comment="Massar erroné")
    student = _login(browser, live_server.url, world.users["student"].email, language)
    step = student.locator('[data-testid="next-step"]')
    assert "Massar erroné" in student.locator('[data-testid="section-student"]').inner_text()
    assert step.locator('[data-testid="next-action"]').inner_text().strip() == SENT_BACK[language]
    student.screenshot(path=str(ARTIFACTS / f"dashboard-next-student-{language}.png"), full_page=True)
    step.locator('[data-testid="next-action"]').click()
    assert student.url.endswith(reverse("enrollment:my_request_correct", args=[request.pk]))

    # The private legal entity with two students owing 400 MAD each.
    entity, dues = private
    agent = make_user(f"agent-{language}@private.ma")
    membership_grant(actor=None, user=agent, role=Role.LEGAL_ENTITY_AGENT, legal_entity=entity)
    page = _login(browser, live_server.url, agent.email, language)
    owed = page.locator('[data-testid="owed"]').inner_text()
    assert "800" in owed and dues[0].due_on.strftime("%d/%m/%Y") in owed
    page.screenshot(path=str(ARTIFACTS / f"dashboard-next-legal-entity-{language}.png"), full_page=True)
    page.locator('[data-testid="owed"] [data-testid="next-action"]').click()
    assert page.url.endswith(reverse("contributions:entity"))
    assert "AB111111" in page.content()

    # CNOPS: one credit without reference to reconcile; the counts are those of the linked pages.
    cnops = world.client("cnops")
    statement = csv_statement(("2026-10-06", "VIR SANS REFERENCE", "800,00"))
    cnops.post("/contributions/cnops/", {"file": SimpleUploadedFile("r.csv", statement)})
    page = _login(browser, live_server.url, world.users["cnops"].email, language)
    assert page.locator('[data-testid="queue-to-reconcile"]').inner_text().strip() == "1"
    ready = page.locator('[data-testid="queue-ready-for-anam"]').inner_text().strip()
    page.screenshot(path=str(ARTIFACTS / f"dashboard-next-cnops-{language}.png"), full_page=True)
    page.locator('[data-testid="work-queues"] a').first.click()
    assert "VIR SANS REFERENCE" in page.content()
    page.goto(live_server.url + "/dashboard/")
    page.locator('[data-testid="work-queues"] a').nth(1).click()
    assert page.url.split("?")[0].endswith(reverse("eligibility:cnops"))
    assert int(ready) == cnops.get("/eligibility/").context["ready"]
