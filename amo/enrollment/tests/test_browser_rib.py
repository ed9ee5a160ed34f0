"""The student changes their RIB in Chromium, in French and in Arabic (DOMAIN.md §7: payment to
the RIB; issue 15 item 6): a RIB with a wrong key is refused with its reason and the input kept;
a good one stays pending until the e-mailed link is opened and confirmed."""

import re
from typing import Any

import pytest

from amo.enrollment.models import Student
from amo.enrollment.tests.test_ribs import NEW, NEW_BAD_KEY, salma
from amo.notifications.models import OutboxMessage
from amo.web.tests.browser import ARTIFACTS, require_chromium
from conftest import PASSWORD

require_chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

PENDING = {"fr": "attend votre confirmation", "ar": "في انتظار تأكيدك"}
REFUSED = {"fr": "clé du RIB", "ar": "مفتاح رقم الحساب البنكي"}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_student_changes_their_rib_through_the_emailed_link(live_server: Any, browser: Any, language: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    user, student = salma(language=language)
    base = live_server.url
    page = browser.new_context(locale="fr", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base + "/")
    if language == "ar":
        page.click('[data-testid="lang-ar"]')
    page.goto(base + "/accounts/login/")
    page.fill('input[name="username"]', user.email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('[data-testid="login-submit"]')
    page.wait_for_url("**/dashboard/")
    page.goto(base + "/registration/my/rib/")
    assert "310 … 0116" in page.inner_text('[data-testid="current-rib"]')
    page.fill('input[name="rib"]', NEW_BAD_KEY)
    page.click('[data-testid="rib-form"] button[type="submit"]')
    assert REFUSED[language] in page.content() and page.input_value('input[name="rib"]') == NEW_BAD_KEY
    page.fill('input[name="rib"]', NEW)
    page.click('[data-testid="rib-form"] button[type="submit"]')
    assert PENDING[language] in page.inner_text('[data-testid="rib-pending"]')
    page.screenshot(path=str(ARTIFACTS / f"rib-{language}-pending.png"), full_page=True)
    assert Student.objects.get(pk=student.pk).rib != NEW
    message = OutboxMessage.objects.filter(to=user.email).latest("pk")
    found = re.search(r"(/registration/my/rib/[^/\s]+/)", message.body_text)
    assert found is not None
    page.goto(base + found.group(1))
    page.click('[data-testid="rib-confirm"]')
    page.wait_for_url("**/registration/my/rib/")
    assert "190 … 0096" in page.inner_text('[data-testid="current-rib"]')
    page.screenshot(path=str(ARTIFACTS / f"rib-{language}-changed.png"), full_page=True)
    assert Student.objects.get(pk=student.pk).rib == NEW
