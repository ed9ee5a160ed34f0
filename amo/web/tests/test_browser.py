"""Every role logs in, in French and in Arabic, in Debian's Chromium driven by Playwright.

Skipped when /usr/bin/chromium is absent, unless AMO_REQUIRE_BROWSER=1 (CI) makes it fail.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("AMO_TEST_ARTIFACTS", "test-artifacts"))

if not Path(CHROMIUM).exists():
    if os.environ.get("AMO_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"{CHROMIUM} is required for the browser tests (apt-get install chromium)")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def reference_data(transactional_db: Any) -> None:
    """Transactional tests flush the database: load the data migrations' rows again."""
    from importlib import import_module

    from django.apps import apps

    for module in (
        "amo.organisations.migrations.0002_reference_data",
        "amo.referentials.migrations.0002_regime_parameters",
    ):
        import_module(module).load(apps, None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


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
        if persona in ("legal_entity", "admin"):
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
    assert shutil.which("pdftoppm") is None or target.stat().st_size > 10_000
