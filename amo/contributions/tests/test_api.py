import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amo.accounts.models import Role
from amo.accounts.services import membership_grant
from amo.contributions.models import Transfer
from amo.contributions.services import receipts_render_now
from amo.contributions.tests.factories import csv_statement
from conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.today("2026-10-15")  # the dues fall due on 5 October 2026
def test_the_legal_entity_declares_and_cnops_reconciles_through_the_api(world: Any, private: Any) -> None:
    entity, _dues = private
    agent = make_user("agent@private.ma")
    membership_grant(actor=None, user=agent, role=Role.LEGAL_ENTITY_AGENT, legal_entity=entity)
    from django.test import Client

    client = Client()
    client.force_login(agent)
    reference = client.get("/api/contributions/reference?year=2026-2027").json()
    assert reference["iban"] == "MA64310810100013070176970116"
    listed = client.get("/api/contributions/dues?year=2026-2027").json()["items"]
    assert {d["status"] for d in listed} == {"overdue"} and len(listed) == 2  # due on 5 October
    body = {
        "academic_year": "2026-2027",
        "bank_reference": "VIR-9",
        "amount": "800.00",
        "transferred_on": "2026-10-02",
        "document_numbers": ["AB111111", "AB222222"],
    }
    created = client.post("/api/contributions/transfers", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "declared"
    again = client.post("/api/contributions/transfers", body, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "transfer_declared_twice"
    upload = SimpleUploadedFile("releve.csv", csv_statement(("2026-10-06", reference["reference"], "800,00")))
    assert world.client("delegation").post("/api/contributions/statements", {"file": upload}).status_code == 403
    upload.seek(0)
    imported = world.client("cnops").post("/api/contributions/statements", {"file": upload})
    assert imported.status_code == 201 and imported.json()["matched"] == 1
    receipts = client.get("/api/contributions/receipts").json()["items"]
    assert len(receipts) == 1 and receipts[0]["amount"] == "800.00"
    # The receipt's PDF is made by the worker after the statement's import: asked before, the
    # answer is "being prepared" (and nothing is written); then it is there.
    url = f"/api/contributions/receipts/{receipts[0]['id']}/pdf"
    pending = client.get(url)
    assert pending.status_code == 202 and pending.json()["code"] == "document_pending"
    receipts_render_now(transfer_ids=list(Transfer.objects.values_list("pk", flat=True)))  # the worker
    pdf = client.get(url)
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]  # a FileResponse: the stubs type a plain one
    assert Transfer.objects.get().received_amount == Decimal("800.00")
    assert world.client("legal_entity").get("/api/contributions/receipts").json()["items"] == []
    [total] = client.get("/api/contributions/totals?year=2026-2027").json()
    assert (total["students"], total["due"], total["received"]) == (2, "800.00", "800.00")
    assert world.client("provider").get("/api/contributions/totals").json() == []


def test_a_declaration_with_a_wrong_amount_keeps_the_ticked_students_and_says_the_expected_amount(
    private: Any, private_agent: Any
) -> None:
    # Issue 13, item 10: a wrong amount un-ticked every student and did not say what was expected.
    _entity, dues = private
    client = private_agent
    data = {
        "year": "2026-2027",
        "bank_reference": "VIR-10",
        "amount": "700.00",
        "transferred_on": "2026-10-02",
        "dues": [str(d.pk) for d in dues],
    }
    html = client.post("/contributions/", data).content.decode()
    for due in dues:
        assert re.search(
            rf'value="{due.pk}" data-amount="[^"]+" aria-label="{due.request.student.id_number}" checked>', html
        )
    assert "800,00 MAD" in html and "700,00 MAD" in html and "2 étudiants" in html
    assert not Transfer.objects.exists()
