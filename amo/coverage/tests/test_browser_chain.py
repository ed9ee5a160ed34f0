"""In Chromium, the chain after registration (issue: eligibility and rights): the contribution is
received, CNOPS loads the other-coverage registry and sends the students to ANAM, rights open,
the student gets the e-mail with the certificate from a real SMTP server, the legal entity
downloads the publication list, a provider looks the student up by CIN, and the refused student
sees the reason, which the list shows too."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from amo.accounts.models import Role
from amo.accounts.services import membership_grant
from amo.contributions.services import payment_reference_for, statement_import, transfer_declare
from amo.eligibility.models import Reason, Scheme
from amo.enrollment.services import aggregation_close, aggregation_send, certification_sign
from amo.enrollment.tests.factories import open_year
from amo.web.tests.browser import ARTIFACTS, login, require_chromium
from amo.web.tests.smtp import Inbox
from conftest import make_user

require_chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _registered_and_paid(world: Any, entity: Any, dues: list[Any]) -> Any:
    """What the earlier issues built: the list sent and certified, the transfer received."""
    year = open_year()
    agent = make_user("agent@private.ma")
    membership_grant(actor=None, user=agent, role=Role.LEGAL_ENTITY_AGENT, legal_entity=entity)
    listed = aggregation_close(actor=world.users["aggregator"], aggregator=world.mine.aggregator, academic_year=year)
    aggregation_send(actor=world.users["aggregator"], aggregation_list=listed)
    reference = payment_reference_for(legal_entity=entity, academic_year=year).reference
    certification_sign(actor=agent, legal_entity=entity, academic_year=year, payment_references=reference)
    transfer_declare(
        actor=agent,
        legal_entity=entity,
        academic_year=year,
        bank_reference="VIR-7",
        amount=Decimal("800.00"),
        transferred_on=dt.date(2026, 10, 2),
        due_ids=[d.pk for d in dues],
    )
    statement = f"Date;Libellé;Montant;Devise;Référence\n06/10/2026;VIR VIR-7 {reference};800,00;MAD;BK7\n"
    statement_import(actor=world.users["cnops"], content=statement.encode(), filename="releve.csv")
    return agent


def test_check_rights_certificate_publication_lookup_refusal(
    world: Any, private: Any, live_server: Any, browser: Any, smtp: Inbox, tmp_path: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    entity, dues = private
    agent = _registered_and_paid(world, entity, dues)
    base = live_server.url

    # ANAM's registry is loaded (the second student is a CNSS dependant), relayed by a CNOPS
    # administrator; a CNOPS agent sends the students.
    admin = login(browser, base, world.users["admin"].email)
    admin.goto(base + "/eligibility/")
    registry = tmp_path / "registre.csv"
    registry.write_text(
        "id_number;birth_date;scheme;role;starts_on;ends_on\nAB222222;2005-03-14;cnss;dependant;2010-01-01;\n",
        encoding="utf-8",
    )
    admin.select_option('select[name="kind"]', "full")
    admin.set_input_files('input[name="file"][id]', str(registry))
    admin.click('[data-testid="load-registry"]')
    cnops = login(browser, base, world.users["cnops"].email)
    cnops.goto(base + "/eligibility/")
    assert cnops.locator('[data-testid="load-registry"]').count() == 0
    assert cnops.inner_text('[data-testid="ready"]').strip() == "2"
    cnops.once("dialog", lambda dialog: dialog.accept())  # an irreversible send asks first
    cnops.click('[data-testid="send-anam"]')
    assert cnops.get_attribute('[data-testid="batch-status"]', "data-status") == "applied"
    cnops.screenshot(path=str(ARTIFACTS / "eligibility-cnops.png"), full_page=True)

    # The accepted student: the e-mail, in French and Arabic, with the certificate attached.
    [opened] = [m for m in smtp.to("s0@example.ma") if m.get_content_type() == "multipart/mixed"]
    text = Inbox.text(opened)
    with translation.override("fr"):
        assert str(translation.gettext("Your health insurance rights are open")) in opened["Subject"]
    with translation.override("ar"):
        assert str(translation.gettext("Your health insurance rights are open")) in opened["Subject"]
    assert "AE" in text
    [attachment] = list(opened.iter_attachments())
    assert attachment.get_content_type() == "application/pdf" and attachment.get_content().startswith(b"%PDF")
    (ARTIFACTS / "coverage-certificate.pdf").write_bytes(attachment.get_content())

    student = login(browser, base, "s0@example.ma")
    student.goto(base + "/registration/my/")
    assert student.locator('[data-testid="status"]').get_attribute("class") == "badge insured"
    assert student.inner_text('[data-testid="insured-number"]').startswith("AE")
    student.screenshot(path=str(ARTIFACTS / "rights-student.png"), full_page=True)

    # The legal entity downloads its publication list: registered, and refused with the reason.
    entity_page = login(browser, base, agent.email)
    entity_page.goto(base + "/coverage/publications/")
    entity_page.click("table a")
    with translation.override("fr"):
        reason = f"{Reason('covered_dependant').label}\u00a0: {Scheme('cnss').label}"
    assert reason in entity_page.inner_text("table")
    with entity_page.expect_download() as download:
        entity_page.click('[data-testid="publication-csv"]')
    listing = download.value.path().read_text(encoding="utf-8-sig")
    assert "AB****11" in listing and "AB****22" in listing and reason in listing
    assert "AB111111" not in listing
    with entity_page.expect_download() as pdf:
        entity_page.click('[data-testid="publication-pdf"]')
    pdf.value.save_as(str(ARTIFACTS / "publication.pdf"))
    assert (ARTIFACTS / "publication.pdf").read_bytes().startswith(b"%PDF")
    entity_page.screenshot(path=str(ARTIFACTS / "publication-entity.png"), full_page=True)

    # A clinic looks the student up by CIN.
    provider = login(browser, base, world.users["provider"].email)
    provider.goto(base + "/coverage/lookup/")
    provider.fill('input[name="id_number"]', "AB111111")
    provider.click('[data-testid="lookup"]')
    assert provider.locator('[data-testid="lookup-result"] .badge').get_attribute("class") == "badge ok"
    provider.screenshot(path=str(ARTIFACTS / "lookup-provider.png"), full_page=True)

    # The refused student sees the reason, in French and in Arabic.
    refused = login(browser, base, "s1@example.ma")
    refused.goto(base + "/registration/my/")
    assert reason in refused.inner_text('[data-testid="anam-refusal"]')
    arabic = login(browser, base, "s1@example.ma", language="ar")
    arabic.goto(base + "/registration/my/")
    with translation.override("ar"):
        assert str(Reason("covered_dependant").label) in arabic.inner_text('[data-testid="anam-refusal"]')
    arabic.screenshot(path=str(ARTIFACTS / "refusal-student-ar.png"), full_page=True)
