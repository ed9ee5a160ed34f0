from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amo.accounts.models import Role
from amo.accounts.services import membership_grant
from amo.contributions.models import Transfer
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
    pdf = client.get(f"/api/contributions/receipts/{receipts[0]['id']}/pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]  # a FileResponse: the stubs type a plain one
    assert Transfer.objects.get().received_amount == Decimal("800.00")
    assert world.client("legal_entity").get("/api/contributions/receipts").json()["items"] == []
    [total] = client.get("/api/contributions/totals?year=2026-2027").json()
    assert (total["students"], total["due"], total["received"]) == (2, "800.00", "800.00")
    assert world.client("provider").get("/api/contributions/totals").json() == []
