"""The whole registration path in Chromium, in French and in Arabic, with e-mails received by a
real local SMTP server: a student signs up, verifies, registers and signs; the institution
validates; the aggregator closes and sends the list; the legal entity certifies; CNOPS sees it;
the student sees each status and got each e-mail."""

import re
from typing import Any

import pytest
from django.core.management import call_command

from amo.web.tests.browser import ARTIFACTS, require_chromium
from amo.web.tests.smtp import Inbox
from conftest import PASSWORD

require_chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def new_page(browser: Any, base: str, language: str) -> Any:
    page = browser.new_context(locale="fr", viewport={"width": 1280, "height": 1000}, accept_downloads=True).new_page()
    page.goto(base + "/")
    if language == "ar":
        page.click('[data-testid="lang-ar"]')
    return page


def login(browser: Any, base: str, language: str, user: Any) -> Any:
    page = new_page(browser, base, language)
    page.goto(base + "/accounts/login/")
    page.fill('input[name="username"]', user.email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('[data-testid="login-submit"]')
    page.wait_for_url("**/dashboard/")
    return page


IDENTITIES = {"fr": ("AB123456", "salma@example.ma", "Salma"), "ar": ("CD654321", "youssef@example.ma", "Youssef")}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_whole_registration_path(
    world: Any, live_server: Any, browser: Any, smtp: Inbox, language: str, settings: Any
) -> None:
    from amo.enrollment.models import RegistrationRequest
    from amo.referentials.models import AcademicYear

    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    institution = world.mine.institution
    year = AcademicYear.objects.get(code="2026-2027")
    institution.affiliated_on = year.starts_on
    institution.save(update_fields=["affiliated_on"])
    cin, address, first_name = IDENTITIES[language]
    shot = lambda page, name: page.screenshot(path=str(ARTIFACTS / f"path-{language}-{name}.png"), full_page=True)  # noqa: E731

    # 1. The student creates an account from the entry of their channel and verifies the address.
    student = new_page(browser, base, language)
    student.goto(base + "/registration/")
    student.click('[data-testid="entry-higher_education"] a')
    student.click('a[href^="/accounts/signup/"]')
    student.fill('input[name="full_name"]', f"{first_name} Bennani")
    student.fill('input[name="email"]', address)
    student.fill('input[name="password1"]', "Un-Mot-De-Passe-42")
    student.fill('input[name="password2"]', "Un-Mot-De-Passe-42")
    student.select_option('select[name="language"]', language)
    student.click('[data-testid="signup-submit"]')
    [verification] = smtp.to(address)
    link = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", Inbox.text(verification))
    assert link is not None
    student.goto(base + link.group(1))  # verified; the student logs in and goes on
    student.fill('input[name="username"]', address)
    student.fill('input[name="password"]', "Un-Mot-De-Passe-42")
    student.click('[data-testid="login-submit"]')
    student.wait_for_url("**/registration/**")

    # 2. The registration form, signed electronically; the signed form is downloaded.
    student.goto(base + "/registration/entry/higher_education/")
    form = {
        "id_number": cin,
        "massar": "R130000001",
        "last_name": "Bennani",
        "first_name": first_name,
        "last_name_ar": "بناني",
        "first_name_ar": "سلمى",
        "birth_date": "2005-03-14",
        "birth_place": "Rabat",
        "nationality": "Marocaine",
        "address": "Agdal, Rabat",
        "phone": "0612345678",
        "track": "Licence SMI",
        "registered_on": "2026-09-20",
        "rib": "310810100013070176970116",
    }
    for name, value in form.items():
        student.fill(f'[name="{name}"]', value)
    student.select_option('select[name="sex"]', "F")
    student.select_option('select[name="institution_id"]', str(institution.pk))
    student.check('input[name="no_other_coverage"][value="1"]')
    student.check('input[name="consent"]')
    student.check('input[name="acknowledged"]')
    shot(student, "1-form")
    # The signed form is made by the worker after the submit's commit: tasks wait in the database
    # (as in production) until the worker runs; the page says so and asks again by itself.
    immediate = settings.TASKS
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    student.click('[data-testid="register-submit"]')
    student.wait_for_url("**/registration/my/")
    assert student.locator('[data-testid="signed-form-pending"]').is_visible()
    assert len(smtp.to(address)) == 1  # only the address check so far: the submit's e-mail waits for the form
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    settings.TASKS = immediate
    student.wait_for_selector('[data-testid="signed-form"]', timeout=15_000)  # the page's own refresh
    assert any(part.get_filename() for part in smtp.to(address)[-1].iter_attachments())
    with student.expect_download() as download:
        student.click('a[href$="form.pdf"]')
    signed = ARTIFACTS / f"signed-form-{language}.pdf"
    download.value.save_as(str(signed))
    assert signed.read_bytes().startswith(b"%PDF")
    request = RegistrationRequest.objects.get(student__id_number=cin)

    # 3. The institution validates it from its queue.
    agent = login(browser, base, language, world.users["institution"])
    agent.goto(base + "/registration/institution/?status=submitted")
    agent.check(f'input[name="ids"][value="{request.pk}"]')
    agent.select_option('select[name="action"]', "validated")
    shot(agent, "2-queue")
    agent.click('[data-testid="bulk-decide"]')

    # 4. The aggregator closes the dated list and sends it to CNOPS.
    aggregator = login(browser, base, language, world.users["aggregator"])
    aggregator.goto(base + "/registration/aggregator/")
    assert aggregator.inner_text('[data-testid="waiting-total"]').strip() == "1"
    aggregator.click('[data-testid="close-list"]')
    # Sending is irreversible: the page asks first; declining sends nothing (issue 13, item 11).
    asked: list[str] = []

    def decline(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    aggregator.once("dialog", decline)
    aggregator.click('[data-testid="send-list"]')
    assert asked and ("CNOPS" in asked[0] or "الصندوق" in asked[0])
    assert aggregator.locator('[data-testid="list-status"]').get_attribute("class") != "badge sent"
    aggregator.once("dialog", lambda dialog: dialog.accept())
    aggregator.click('[data-testid="send-list"]')
    shot(aggregator, "3-list")
    assert aggregator.locator('[data-testid="list-status"]').get_attribute("class") == "badge sent"

    # 5. The legal entity certifies its list.
    entity = login(browser, base, language, world.users["legal_entity"])
    entity.goto(base + "/registration/legal-entity/")
    entity.check('input[name="confirm"]')
    entity.click('[data-testid="certify"]')
    assert entity.locator('[data-testid="certification"]').count() == 1

    # 6. CNOPS sees the list and drills down to the student.
    cnops = login(browser, base, language, world.users["cnops"])
    cnops.goto(base + f"/registration/cnops/?q={cin}")
    assert cnops.locator('[data-testid="total-sent_to_cnops"]').count() == 1
    cnops.click(f'a[href="/registration/requests/{request.pk}/"]')
    shot(cnops, "4-cnops")

    # 7. The student sees every step and received an e-mail at each change.
    student.goto(base + "/registration/my/")
    steps = student.locator('[data-testid="timeline"] li').evaluate_all("els => els.map(e => e.dataset.status)")
    assert steps == ["submitted", "validated", "in_list", "sent_to_cnops", "certified"]
    assert student.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    shot(student, "5-status")
    statuses = [Inbox.text(m) for m in smtp.to(address)[1:]]
    assert len(statuses) == 4, [m["Subject"] for m in smtp.to(address)]
    arabic = any("\u0600" <= ch <= "\u06ff" for ch in "".join(statuses))
    assert arabic == (language == "ar")
