"""The care referentials: letter keys, rates, long-term diseases and the drug list's import
(DOMAIN.md §7; SOURCES.md §3, "Reimbursement / coverage rates", "TNR figures", "ALD / ALC",
"Drug reimbursement basis")."""

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from amo.accounts.tests.roles import add_personas
from amo.common.errors import DomainError
from amo.common.models import AuditEvent
from amo.referentials import selectors
from amo.referentials.models import Drug, DrugList
from amo.referentials.rules import drug_row_check
from amo.referentials.services import drug_list_import

D = dt.date
ON = D(2026, 11, 25)


@pytest.mark.parametrize(
    ("letter", "sector", "value"),
    [
        ("C", "private", "80.00"),
        ("CS", "public", "150.00"),
        ("V", "private", "120.00"),
        ("VS", "private", "190.00"),
        ("K", "private", "22.50"),
        ("K", "public", "13.00"),
    ],
)
@pytest.mark.django_db
def test_the_known_letter_keys_have_their_published_value(letter: str, sector: str, value: str) -> None:
    # DOMAIN.md §7: C 80, CS 150, V 120 / VS 190, K 22.50 private / 13 public.
    key = selectors.ngap_key_on(letter, sector, ON)
    assert key is not None and key.value == Decimal(value) and key.source


@pytest.mark.django_db
def test_the_other_letter_keys_are_data_without_a_value() -> None:
    key = selectors.ngap_key_on("Z", "private", ON)
    assert key is not None and key.value is None and "Non publié" in key.source


@pytest.mark.parametrize(
    ("category", "rate", "base"),
    [
        ("consultation", "0.8000", "tariff"),
        ("drugs", "0.7000", "pbr"),
        ("private_hospitalisation", "0.9000", "tariff"),
        ("public_hospitalisation", "1.0000", "tariff"),
        ("dialysis", "1.0000", "tariff"),
        ("cancer", "1.0000", "tariff"),
        ("ald", "1.0000", "tariff"),
    ],
)
@pytest.mark.django_db
def test_the_rates_announced_for_students_are_loaded_with_their_source(category: str, rate: str, base: str) -> None:
    # SOURCES.md §3, "Reimbursement / coverage rates".
    row = selectors.rate_on(category, "private", ON)
    assert row is not None and (row.rate, row.base) == (Decimal(rate), base)
    assert row.source and row.source_ar


@pytest.mark.django_db
def test_the_dental_rate_is_a_parameter_marked_unpublished() -> None:
    row = selectors.rate_on("dental", "private", ON)
    assert row is not None and "Non publié" in row.source


@pytest.mark.django_db
def test_the_41_long_term_diseases_are_loaded_the_unknown_ones_marked() -> None:
    # SOURCES.md §3, "ALD / ALC": 1-35 named, 36-41 not found.
    diseases = list(selectors.ald_diseases())
    assert len(diseases) == 41
    assert diseases[8].name.startswith("Diabète") and diseases[8].known
    assert [d.number for d in diseases if not d.known] == [36, 37, 38, 39, 40, 41]


@pytest.mark.django_db
def test_the_confirmation_threshold_is_a_dated_parameter() -> None:
    assert selectors.parameter_decimal("claim_confirmation_threshold", ON) == Decimal("5000.00")


# --- one row of the guide ----------------------------------------------------------------------


def _row(**values: object) -> dict[str, object]:
    return {"code": "M1", "name": "Doliprane", "ppv": "20,00", "pbr": "18.00", **values}


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (_row(code=""), "drug_code_missing"),
        (_row(name=" "), "drug_name_missing"),
        (_row(ppv=""), "drug_no_price"),
        (_row(ppv="0"), "drug_no_price"),
        (_row(ppv="vingt"), "drug_price_invalid"),
        (_row(ppv="-3"), "drug_price_invalid"),
        (_row(pbr="25.00"), "drug_base_above_price"),
        (_row(kind="biosimilaire"), "drug_kind_invalid"),
    ],
)
def test_a_bad_row_of_the_guide_is_refused_with_its_reason(values: dict[str, object], reason: str) -> None:
    assert drug_row_check(values) == (None, reason)


def test_a_good_row_gives_its_facts_and_a_missing_base_is_the_price() -> None:
    facts, reason = drug_row_check(_row(pbr="", kind="Générique", reimbursable="non"))
    assert reason == "" and facts is not None
    assert (facts.ppv, facts.pbr, facts.kind, facts.reimbursable) == (
        Decimal("20.00"),
        Decimal("20.00"),
        "generic",
        False,
    )


# --- the import -----------------------------------------------------------------------------------

CSV = (
    "Code;Nom;DCI;Dosage;Forme;Présentation;PPV;PH;PBR;Type;Remboursable\n"
    "M001;Doliprane;Paracétamol;1 g;Comprimé;Boîte de 8;20,00;15,00;18,00;Princeps;oui\n"
    "M002;Paracétamol Sothema;Paracétamol;1 g;Comprimé;Boîte de 8;12,00;;12,00;Générique;oui\n"
    "M003;Sans prix;X;;;;;;;Princeps;oui\n"
    "M004;Base trop haute;X;;;;10,00;;11,00;Princeps;oui\n"
    "M001;Doliprane encore;Paracétamol;1 g;Comprimé;Boîte de 8;20,00;;18,00;Princeps;oui\n"
    "M005;Vitamine C;Acide ascorbique;500 mg;Comprimé;Tube;30,00;;;Princeps;non\n"
)


def _file(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


@pytest.mark.django_db
def test_a_csv_file_loads_its_good_rows_and_reports_each_bad_one(admin_user: Any, tmp_path: Path) -> None:
    version = drug_list_import(
        actor=admin_user, path=_file(tmp_path, "gmr.csv", CSV), filename="gmr.csv", valid_from=D(2026, 1, 1)
    )
    assert (version.rows_read, version.rows_loaded, version.rows_refused) == (6, 3, 3)
    assert list(version.issues.values_list("row_number", "code", "reason")) == [
        (4, "M003", "drug_no_price"),
        (5, "M004", "drug_base_above_price"),
        (6, "M001", "drug_code_repeated"),
    ]
    first = Drug.objects.get(drug_list=version, code="M001")
    assert first.name == "Doliprane" and first.ph == Decimal("15.00")  # the first row is kept
    assert not Drug.objects.get(drug_list=version, code="M005").reimbursable
    assert AuditEvent.objects.filter(action="drug_list_import", object_id=str(version.pk)).exists()


@pytest.mark.django_db
def test_a_new_version_ends_the_previous_one_and_old_dates_read_the_old_prices(admin_user: Any, tmp_path: Path) -> None:
    old = drug_list_import(
        actor=admin_user, path=_file(tmp_path, "a.csv", CSV), filename="a.csv", valid_from=D(2026, 1, 1)
    )
    cheaper = CSV.replace("20,00;15,00;18,00", "19,00;15,00;17,00")
    drug_list_import(
        actor=admin_user, path=_file(tmp_path, "b.csv", cheaper), filename="b.csv", valid_from=D(2026, 6, 1)
    )
    old.refresh_from_db()
    assert old.valid_to == D(2026, 5, 31)
    assert selectors.drug_on("M001", D(2026, 5, 31)).pbr == Decimal("18.00")  # type: ignore[union-attr]
    assert selectors.drug_on("M001", D(2026, 6, 1)).pbr == Decimal("17.00")  # type: ignore[union-attr]
    assert selectors.drug_on("M999", D(2026, 6, 1)) is None
    assert selectors.drug_on("M001", D(2025, 12, 31)) is None  # no list in force before the first


@pytest.mark.django_db
def test_a_version_must_start_after_the_one_in_force(admin_user: Any, tmp_path: Path) -> None:
    drug_list_import(actor=admin_user, path=_file(tmp_path, "a.csv", CSV), filename="a.csv", valid_from=D(2026, 6, 1))
    with pytest.raises(DomainError) as refused:
        drug_list_import(
            actor=admin_user, path=_file(tmp_path, "b.csv", CSV), filename="b.csv", valid_from=D(2026, 6, 1)
        )
    assert refused.value.code == "drug_list_before_latest"
    assert DrugList.objects.count() == 1


@pytest.mark.django_db
def test_a_file_with_no_good_row_loads_nothing(admin_user: Any, tmp_path: Path) -> None:
    bad = "code;nom;ppv;pbr\nM1;A;;\nM2;B;5;9\n"
    with pytest.raises(DomainError) as refused:
        drug_list_import(
            actor=admin_user, path=_file(tmp_path, "x.csv", bad), filename="x.csv", valid_from=D(2026, 1, 1)
        )
    assert refused.value.code == "drug_list_empty"
    assert not DrugList.objects.exists() and not Drug.objects.exists()


@pytest.mark.django_db
def test_a_file_without_the_needed_columns_is_refused(admin_user: Any, tmp_path: Path) -> None:
    with pytest.raises(DomainError) as refused:
        drug_list_import(
            actor=admin_user, path=_file(tmp_path, "x.csv", "a;b\n1;2\n"), filename="x.csv", valid_from=D(2026, 1, 1)
        )
    assert refused.value.code == "drug_columns_missing"


@pytest.mark.django_db
def test_the_guide_loads_from_json_as_the_community_file_writes_it(admin_user: Any, tmp_path: Path) -> None:
    # SOURCES.md §3: allmeds.json fields name, dci, dosage, forme, presentation, publicPrice, prix_br, type, cnss{…}.
    rows = [
        {
            "id": "J1",
            "name": "Augmentin",
            "dci": "Amoxicilline",
            "forme": "Sachet",
            "publicPrice": 78.5,
            "prix_br": 60.1,
            "type": "Princeps",
            "cnss": {"reimbursementRate": 70},
        },
        {"id": "J2", "name": "Sans prix", "publicPrice": None, "type": "Générique"},
    ]
    path = _file(tmp_path, "allmeds.json", json.dumps(rows))
    version = drug_list_import(actor=admin_user, path=path, filename="allmeds.json", valid_from=D(2026, 1, 1))
    assert (version.rows_loaded, version.rows_refused) == (1, 1)
    drug = Drug.objects.get(code="J1")
    assert (drug.ppv, drug.pbr, drug.form) == (Decimal("78.50"), Decimal("60.10"), "Sachet")


@pytest.mark.django_db
def test_the_guide_loads_from_an_excel_workbook(admin_user: Any, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["CODE", "NOM", "PPV", "PBR", "TYPE"])
    sheet.append(["X1", "Ventoline", 35.2, 30, "Princeps"])
    sheet.append(["X2", "Trop cher", 10, 12, "Générique"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = _file(tmp_path, "gmr.xlsx", buffer.getvalue())
    version = drug_list_import(actor=admin_user, path=path, filename="gmr.xlsx", valid_from=D(2026, 1, 1))
    assert (version.rows_loaded, version.rows_refused) == (1, 1)
    assert Drug.objects.get(code="X1").ppv == Decimal("35.20")


@pytest.mark.django_db
def test_the_administrator_loads_a_file_on_the_page_and_reads_its_report(world: Any) -> None:
    add_personas(world)
    client = world.client("admin")
    upload = SimpleUploadedFile("gmr.csv", CSV.encode())
    response = client.post("/referentials/drugs/", {"file": upload, "valid_from": "2026-01-01"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "M004" in page
    assert "La base de remboursement (PBR) dépasse le prix public de vente (PPV)." in page  # the page speaks French
    api = client.get(f"/api/referentials/drug-lists/{DrugList.objects.get().pk}").json()
    assert api["rows_loaded"] == 3 and next(i["reason"] for i in api["issues"]) == "drug_no_price"


@pytest.mark.django_db
def test_the_api_refuses_a_bad_file_with_its_code_and_loads_nothing(world: Any) -> None:
    add_personas(world)
    upload = SimpleUploadedFile("x.csv", b"code;nom;ppv\nM1;A;\n")
    response = world.client("admin").post("/api/referentials/drug-lists", {"file": upload, "valid_from": "2026-01-01"})
    assert response.status_code == 400 and response.json()["code"] == "drug_list_empty"
    assert not DrugList.objects.exists()
