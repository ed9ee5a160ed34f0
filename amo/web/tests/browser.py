"""What the browser tests share: Debian's Chromium and its arguments, the skip rule, and the
reference rows that transactional tests must load again after each flush."""

import os
from pathlib import Path
from typing import Any

import pytest

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
DATA_MIGRATIONS = (
    "amo.organisations.migrations.0002_reference_data",
    "amo.referentials.migrations.0002_regime_parameters",
    "amo.enrollment.migrations.0002_consent_text",
    "amo.referentials.migrations.0004_reminder_days_before",
    "amo.referentials.migrations.0005_parameter_source_ar",
    "amo.referentials.migrations.0006_dated_constants",
    "amo.referentials.migrations.0007_coverage_schemes",
    "amo.referentials.migrations.0009_dependant_age_limit",
    "amo.organisations.migrations.0004_city_names_in_arabic",
    "amo.organisations.migrations.0005_category_regime_dated",
    "amo.referentials.migrations.0011_care_referentials_data",
    "amo.referentials.migrations.0014_icd10_codes_and_approval_parameters_data",
    "amo.approvals.migrations.0002_reference_data",
)


def require_chromium() -> None:
    """Skip the module without Chromium, unless AMO_REQUIRE_BROWSER=1 (CI) makes that an error."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    if not Path(CHROMIUM).exists():
        if os.environ.get("AMO_REQUIRE_BROWSER") == "1":
            raise RuntimeError(f"{CHROMIUM} is required for the browser tests (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed", allow_module_level=True)


def load_reference_data() -> None:
    from importlib import import_module

    from django.apps import apps

    for module in DATA_MIGRATIONS:
        import_module(module).load(apps, None)


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def login(browser: Any, base: str, email: str, language: str = "fr") -> Any:
    """A new page logged in as `email` (the test password), in French or Arabic."""
    from conftest import PASSWORD

    page = browser.new_context(locale="fr", accept_downloads=True, viewport={"width": 1280, "height": 1000}).new_page()
    if language == "ar":
        page.goto(base + "/")
        page.click('[data-testid="lang-ar"]')
    page.goto(base + "/accounts/login/")
    page.fill('input[name="username"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('[data-testid="login-submit"]')
    page.wait_for_url("**/dashboard/")
    return page
