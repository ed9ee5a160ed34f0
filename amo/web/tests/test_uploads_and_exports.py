"""Issue 11 across the apps: every upload (list import, bank statement, ANAM registry, verdict
file) refuses, on the page and through the API alike, a kind of file it does not read; the
tables they share the reader with are read in UTF-16 too, a binary one is refused cleanly; and
every export neutralises formulas and survives a control character in a name."""

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from amo.eligibility.models import RegistryLoad
from amo.enrollment.models import Student
from amo.enrollment.tests.factories import open_year

pytestmark = pytest.mark.django_db

REGISTRY = (
    "id_number;birth_date;scheme;role;starts_on;ends_on;action\r\nAB100001;2005-03-14;cnss;insured;2020-01-01;;\r\n"
)


def _upload(name: str, content: bytes = b"a;b\n1;2\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("name", ["releve.pdf", "releve.exe", "releve.xlsx"])
def test_a_statement_of_a_kind_not_read_is_refused_on_the_page_and_the_api(world: Any, name: str) -> None:
    from amo.contributions.models import Statement

    client = world.client("cnops")
    api = client.post("/api/contributions/statements", {"file": _upload(name)})
    assert api.status_code == 400 and api.json()["code"] == "file_type", api.content
    assert ".xml" in api.json()["fields"]["file"][0]
    page = client.post("/contributions/cnops/", {"file": _upload(name)})
    assert page.status_code == 200 and ".csv, .txt, .xml" in page.context["form"].errors["file"][0]
    assert not Statement.objects.exists()


def test_a_binary_statement_is_refused_with_its_reason_not_a_server_error(world: Any) -> None:
    api = world.client("cnops").post(
        "/api/contributions/statements", {"file": _upload("releve.csv", bytes(range(256)) * 8)}
    )
    assert api.status_code == 400 and api.json()["code"] == "statement_layout"


def test_a_utf16_statement_is_read(world: Any) -> None:
    text = "date\tmontant\tlibelle\r\n06/10/2026\t800,00\tVIR PAIEMENT\r\n"
    api = world.client("cnops").post(
        "/api/contributions/statements", {"file": _upload("releve.txt", text.encode("utf-16"))}
    )
    assert api.status_code == 201 and api.json()["credits"] == 1, api.content


@pytest.mark.parametrize("name", ["registre.pdf", "registre.bin", "registre"])
def test_a_registry_file_of_a_kind_not_read_is_refused_on_the_page_and_the_api(world: Any, name: str) -> None:
    client = world.client("admin")
    api = client.post("/api/eligibility/registry", {"file": _upload(name, REGISTRY.encode()), "kind": "full"})
    assert api.status_code == 400 and api.json()["code"] == "file_type", api.content
    page = client.post(
        "/eligibility/registry/", {"file": _upload(name, REGISTRY.encode()), "kind": "full"}, follow=True
    )
    assert any(".csv, .txt, .xlsx" in str(m) for m in page.context["messages"])
    assert not RegistryLoad.objects.exists()


def test_a_utf16_tab_separated_registry_file_is_read(world: Any) -> None:
    content = REGISTRY.replace(";", "\t").encode("utf-16")
    api = world.client("admin").post(
        "/api/eligibility/registry", {"file": _upload("registre.txt", content), "kind": "full"}
    )
    assert api.status_code == 201 and api.json()["applied"] == 1, api.content


def test_a_binary_registry_file_is_refused_as_unreadable(world: Any) -> None:
    content = b"PK\x03\x04" + bytes(500)  # a workbook named .csv
    api = world.client("admin").post(
        "/api/eligibility/registry", {"file": _upload("registre.csv", content), "kind": "full"}
    )
    assert api.status_code == 400 and api.json()["code"] == "exchange_unreadable", api.content


def test_a_verdict_file_of_a_kind_not_read_is_refused_on_the_page_and_the_api(world: Any) -> None:
    from amo.eligibility import services
    from amo.eligibility.tests.conftest import certified

    certified(world, [("AB100001", dt.date(2005, 3, 14))])
    batch = services.batch_send(actor=world.users["cnops"], academic_year=open_year())
    client = world.client("admin")
    api = client.post(f"/api/eligibility/batches/{batch.pk}/verdicts.csv", {"file": _upload("verdicts.xlsx")})
    assert api.status_code == 400 and api.json()["code"] == "file_type", api.content
    page = client.post(f"/eligibility/batches/{batch.pk}/verdicts/", {"file": _upload("verdicts.pdf")}, follow=True)
    assert any(".csv, .txt" in str(m) for m in page.context["messages"])
    batch.refresh_from_db()
    assert not batch.verdict_sha256


def test_the_transfer_form_refuses_a_students_file_it_does_not_read(world: Any) -> None:
    client = world.client("legal_entity")
    data = {"bank_reference": "VIR-1", "amount": "400", "transferred_on": "2026-10-02"}
    page = client.post(f"/contributions/?year={open_year().code}", {**data, "students_file": _upload("liste.pdf")})
    assert page.status_code == 200 and "students_file" in page.context["form"].errors


@pytest.fixture
def listed(world: Any) -> Any:
    """A closed list holding a student whose name came in before the rules (a NUL byte, a
    formula): the exports must still be written, and safely."""
    from amo.enrollment.services import aggregation_close, registration_decide, registration_submit
    from amo.enrollment.tests.factories import registration_input

    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    request = registration_submit(
        actor=world.users["student"], entry_channel="", data=registration_input(world.mine.institution)
    )
    # PostgreSQL never stores a NUL byte; SQLite does, and other control characters break XLSX alike.
    nul = "\x00" if connection.vendor == "sqlite" else "\x01"
    Student.objects.filter(pk=request.student_id).update(last_name=f"Ben{nul}nani\x0b", first_name="@SUM(A1)")
    registration_decide(actor=world.users["institution"], request=request, target="validated")
    return aggregation_close(
        actor=world.users["aggregator"], aggregator=world.mine.aggregator, academic_year=open_year()
    )


def test_a_nul_byte_in_a_name_no_longer_breaks_the_aggregators_xlsx_export(world: Any, listed: Any) -> None:
    from openpyxl import load_workbook

    client = world.client("aggregator")
    response = client.get(f"/registration/lists/{listed.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None
    assert (sheet.cell(row=2, column=5).value, sheet.cell(row=2, column=6).value) == (
        "Ben\ufffdnani\ufffd",
        "'@SUM(A1)",
    )
    csv_text = b"".join(client.get(f"/registration/lists/{listed.pk}/export.csv").streaming_content).decode("utf-8-sig")
    assert "Ben\ufffdnani" in csv_text and "\x00" not in csv_text and ";'@SUM(A1);" in csv_text
    assert client.get(f"/registration/lists/{listed.pk}/export.pdf").content.startswith(b"%PDF")


def test_every_cell_of_a_csv_stream_is_neutralised() -> None:
    from amo.common.csvfiles import csv_stream, neutralise

    text = "".join(csv_stream(["=A1", "b"], [["+1", "-2", "@x", "\tx", "ok", 5, "a\x00b"]]))
    assert text.splitlines() == ["'=A1;b", "'+1;'-2;'@x;'\tx;ok;5;a\ufffdb"]
    assert neutralise(-3) == -3 and neutralise("'=already") == "'=already"


def test_a_registry_file_with_its_header_alone_says_so_and_empties_nothing(world: Any) -> None:
    from amo.eligibility.models import CoveredPerson

    client = world.client("admin")
    first = client.post(
        "/api/eligibility/registry", {"file": _upload("registre.csv", REGISTRY.encode()), "kind": "full"}
    )
    assert first.status_code == 201
    header_only = REGISTRY.splitlines()[0].encode() + b"\r\n"
    api = client.post("/api/eligibility/registry", {"file": _upload("vide.csv", header_only), "kind": "full"})
    assert api.status_code == 400 and api.json()["code"] == "exchange_no_rows", api.content
    assert CoveredPerson.objects.count() == 1
