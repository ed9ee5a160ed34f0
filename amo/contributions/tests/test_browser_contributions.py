"""In Chromium: a legal entity declares a transfer, CNOPS imports the statement, the receipt
appears, the student sees "paid"."""

from typing import Any

import pytest

from amo.accounts.models import Role
from amo.accounts.services import membership_grant
from amo.web.tests.browser import ARTIFACTS, login, require_chromium
from conftest import make_user

require_chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_declare_import_receipt_paid(world: Any, private: Any, live_server: Any, browser: Any, tmp_path: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    entity, dues = private
    agent = make_user("agent@private.ma")
    membership_grant(actor=None, user=agent, role=Role.LEGAL_ENTITY_AGENT, legal_entity=entity)
    base = live_server.url

    page = login(browser, base, agent.email)
    page.goto(base + "/contributions/")
    reference = page.inner_text('[data-testid="payment-reference"]').strip()
    for due in dues:
        page.check(f'input[name="dues"][value="{due.pk}"]')
    page.fill('input[name="bank_reference"]', "VIR-2026-0042")
    page.fill('input[name="amount"]', "800.00")
    page.fill('input[name="transferred_on"]', "2026-10-02")
    page.click('[data-testid="declare"]')
    assert page.locator('[data-testid="transfer-status"]').first.get_attribute("class") == "badge declared"

    cnops = login(browser, base, world.users["cnops"].email)
    cnops.goto(base + "/contributions/cnops/")
    statement = tmp_path / "releve.csv"
    statement.write_text(
        f"Date;Libellé;Montant;Devise;Référence\n06/10/2026;VIR VIR-2026-0042 {reference};800,00;MAD;BK1\n",
        encoding="utf-8",
    )
    cnops.set_input_files('input[name="file"]', str(statement))
    cnops.click('[data-testid="import-statement"]')
    assert cnops.inner_text('[data-testid="matched"]').strip() == "1"
    cnops.screenshot(path=str(ARTIFACTS / "contributions-cnops.png"), full_page=True)

    page.goto(base + "/contributions/")
    assert page.locator('[data-testid="transfer-status"]').first.get_attribute("class") == "badge received"
    with page.expect_download() as download:
        page.click('[data-testid="receipt-link"]')
    receipt = ARTIFACTS / "receipt.pdf"
    download.value.save_as(str(receipt))
    assert receipt.read_bytes().startswith(b"%PDF")
    page.screenshot(path=str(ARTIFACTS / "contributions-entity.png"), full_page=True)

    student = login(browser, base, "s0@example.ma")
    student.goto(base + "/registration/my/")
    assert student.locator('[data-testid="contribution"]').get_attribute("class") == "badge paid"
