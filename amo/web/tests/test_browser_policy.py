"""Under the Content-Security-Policy the pages still work in Chromium: no violation reported, the
academic-year filter still sends its form, the API documentation still renders."""

from typing import Any

import pytest

from amo.web.tests.browser import require_chromium
from conftest import PASSWORD

require_chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_pages_run_under_the_content_security_policy(world: Any, live_server: Any, browser: Any) -> None:
    context = browser.new_context(locale="fr")
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    for path in ("/", "/accounts/signup/"):
        page.goto(live_server.url + path)
    page.goto(live_server.url + "/accounts/login/")
    page.fill('input[name="username"]', world.users["admin"].email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('[data-testid="login-submit"]')
    page.wait_for_url("**/dashboard/")

    page.goto(live_server.url + "/eligibility/")
    page.select_option('select[name="year"]', "2025-2026")  # data-autosubmit, read by web/app.js
    page.wait_for_url("**/eligibility/?year=2025-2026")

    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")  # Swagger UI ran from our static files
    page.goto(live_server.url + "/admin/")
    assert violations == []
    context.close()
