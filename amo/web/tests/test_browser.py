"""Every role logs in, in French and in Arabic, in Debian's Chromium driven by Playwright.

Skipped when /usr/bin/chromium is absent, unless AMO_REQUIRE_BROWSER=1 (CI) makes it fail.
"""

from typing import Any

import pytest

from amo.web.tests.browser import ARTIFACTS, require_chromium
from conftest import PASSWORD

require_chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


PERSONAS = {
    "student": "student",
    "institution": "institution_agent",
    "legal_entity": "legal_entity_agent",
    "aggregator": "aggregator_agent",
    "delegation": "cnops_agent",
    "controller": "medical_controller",
    "deposit_point": "deposit_point_agent",
    "provider": "provider_agent",
    "cnops": "cnops_agent",
    "admin": "cnops_admin",
}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_role_logs_in_and_sees_its_space(world, live_server, browser, language: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for persona, role in PERSONAS.items():
        context = browser.new_context(locale="fr")
        page = context.new_page()
        page.goto(live_server.url + "/")
        if language == "ar":
            page.click('[data-testid="lang-ar"]')
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        page.goto(live_server.url + "/accounts/login/")
        page.fill('input[name="username"]', world.users[persona].email)
        page.fill('input[name="password"]', PASSWORD)
        page.click('[data-testid="login-submit"]')
        page.wait_for_url("**/dashboard/")
        assert page.locator(f'[data-testid="section-{role}"]').is_visible(), (persona, language)
        assert page.locator("html").get_attribute("lang") == language
        if persona == "student":  # the next step and its one action, in the page's language (issue 13, item 9)
            step = page.locator('[data-testid="next-step"]')
            assert step.is_visible() and page.locator('[data-testid="next-action"]').is_visible()
            if language == "ar":
                assert "ليس لديك أي طلب بعد" in step.inner_text()
            else:
                assert "Vous n'avez encore aucune demande" in step.inner_text()
        if persona in ("legal_entity", "admin", "student"):
            page.screenshot(path=str(ARTIFACTS / f"dashboard-{persona}-{language}.png"), full_page=True)
        context.close()


def test_a_legal_entity_asks_and_cnops_approves_in_the_browser(world, live_server, browser) -> None:
    def login(persona: str) -> Any:
        context = browser.new_context(locale="fr")
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.fill('input[name="username"]', world.users[persona].email)
        page.fill('input[name="password"]', PASSWORD)
        page.click('[data-testid="login-submit"]')
        page.wait_for_url("**/dashboard/")
        return page

    entity = login("legal_entity")
    entity.goto(f"{live_server.url}/organisations/legal-entities/{world.mine.legal_entity.pk}/affiliation/new/")
    entity.check(f'input[value="{world.mine.institution.pk}"]')
    entity.click('[data-testid="affiliation-submit"]')
    assert entity.locator('[data-testid="status"]').inner_text().strip() == "Déposée"
    detail = entity.url
    cnops = login("cnops")
    cnops.goto(detail)
    cnops.click('[data-testid="approve"]')
    assert cnops.locator('[data-testid="status"]').inner_text().strip() == "Approuvée"
    cnops.screenshot(path=str(ARTIFACTS / "affiliation-approved-fr.png"), full_page=True)
    with entity.expect_download() as download:
        entity.goto(detail)
        entity.click("text=Télécharger l'attestation d'affiliation (PDF)")
    target = ARTIFACTS / "affiliation-certificate.pdf"
    download.value.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF")
    assert target.stat().st_size > 10_000  # fonts and QR code embedded
