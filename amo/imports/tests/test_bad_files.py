"""Issue 11 on lists: the rows the form and the API refuse are refused by the import too, and a
file is either read or refused with what is wrong with it (UTF-16 "Unicode text", a binary file,
a workbook named .csv, a header alone, a kind of file the platform does not read)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amo.common.errors import DomainError
from amo.enrollment.models import RegistrationRequest, Student
from amo.enrollment.tests.factories import open_year
from amo.imports import services
from amo.imports.tests.test_imports import GOOD, HEADER, csv_bytes, report, run

pytestmark = pytest.mark.django_db

# (column, value, the reason's column and words of its French message)
BAD_ROWS = [
    ("email", "not-an-email", "e-mail"),
    ("email", "salma@example", "e-mail"),
    ("last_name", "B" * 10_000, "trop long : 80 caractères"),
    ("last_name", "B" * 81, "plus long"),
    ("last_name", "Ben\x00nani", "caractères invisibles"),
    ("first_name", "\u202eamlaS", "caractères invisibles"),
    ("first_name", "Sal\u2066ma", "caractères invisibles"),
    ("last_name", "بناني", "lettres latines"),
]


@pytest.fixture
def institution(world):
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    return world.mine.institution


@pytest.mark.parametrize(("column", "value", "words"), BAD_ROWS, ids=[f"{c}-{v[:10]!r}" for c, v, _ in BAD_ROWS])
def test_a_list_refuses_the_texts_the_form_and_the_api_refuse(world, institution, column, value, words) -> None:
    bad = ["CD654321", *GOOD[1:]]
    bad[HEADER.index(column)] = value
    job = run(world, csv_bytes([GOOD, bad]), institution=institution)
    assert (job.status, job.rows_created, job.rows_error) == ("done", 1, 1)
    [row] = report(job)
    assert row[0] == "3" and row[1].startswith(column + ":")
    if "trop long" not in words:  # the report's generic message for a text too long
        assert words in row[1]
    assert Student.objects.get().id_number == "AB123456"  # the bad row wrote nothing


def test_a_list_row_with_a_nul_byte_gets_its_reason_and_the_report_can_be_opened(world, institution) -> None:
    bad = ["CD654321", *GOOD[1:]]
    bad[HEADER.index("last_name")] = "=Ben\x00nani"
    job = run(world, csv_bytes([GOOD, bad]), institution=institution)
    [row] = report(job)
    assert "\x00" not in ";".join(row) and row[HEADER.index("last_name") + 2] == "'=Ben\ufffdnani"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])  # with its BOM, as Excel writes it; without
def test_excels_unicode_text_utf16_tab_separated_is_read(world, institution, encoding: str) -> None:
    header = [*HEADER, "last_name_ar"]
    rows = [[*GOOD, "بناني"], ["CD654321", *GOOD[1:], "العلوي"]]
    text = "\r\n".join("\t".join(r) for r in [header, *rows]) + "\r\n"
    job = run(world, text.encode(encoding), name="liste.txt", institution=institution)
    assert (job.status, job.rows_total, job.rows_created, job.rows_error) == ("done", 2, 2, 0), report(job)
    assert sorted(Student.objects.values_list("last_name_ar", flat=True)) == ["العلوي", "بناني"]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (bytes(range(256)) * 40, "liste.csv"),  # a binary file
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "liste.csv"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "liste.txt"),
    ],
    ids=["binary", "pdf", "png"],
)
def test_a_binary_file_is_refused_as_unreadable_not_for_missing_columns(world, institution, content, name) -> None:
    job = run(world, content, name=name, institution=institution)
    assert (job.status, job.file_error) == ("failed", "unreadable_file")
    assert not RegistrationRequest.objects.exists()


def test_a_workbook_named_csv_is_refused_as_unreadable(world, institution) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(GOOD)
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = run(world, buffer.getvalue(), name="liste.csv", institution=institution)
    assert (job.status, job.file_error) == ("failed", "unreadable_file")


def test_a_header_alone_says_the_file_has_no_rows(world, institution, tmp_path) -> None:
    job = run(world, csv_bytes([]), institution=institution)
    assert (job.status, job.file_error) == ("failed", "no_rows")
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = run(world, buffer.getvalue(), name="liste.xlsx", institution=institution)
    assert (job.status, job.file_error) == ("failed", "no_rows")
    page = world.client("institution").get(f"/imports/{job.pk}/")
    assert "aucune ligne d&#x27;étudiant" in page.content.decode()


@pytest.mark.parametrize("name", ["liste.pdf", "liste.exe", "liste", "liste.csv.exe", "liste.xls"])
def test_a_kind_of_file_the_import_does_not_read_is_refused_by_the_service(world, institution, name) -> None:
    with pytest.raises(DomainError) as refused:
        services.import_job_create(
            actor=world.users["institution"],
            upload=SimpleUploadedFile(name, csv_bytes([GOOD])),
            academic_year=open_year(),
            institution=institution,
        )
    assert refused.value.code == "file_type" and ".xlsx" in refused.value.message


def test_the_api_and_the_page_refuse_a_file_the_import_does_not_read(world, institution) -> None:
    client = world.client("institution")
    api = client.post(
        "/api/registration/imports",
        {"academic_year": open_year().code, "file": SimpleUploadedFile("liste.exe", csv_bytes([GOOD]))},
    )
    assert api.status_code == 400 and api.json()["code"] == "file_type" and "file" in api.json()["fields"]
    page = client.post(
        "/imports/", {"academic_year_id": open_year().pk, "file": SimpleUploadedFile("liste.pdf", csv_bytes([GOOD]))}
    )
    assert page.status_code == 200 and ".csv, .txt, .xlsx" in page.context["form"].errors["file"][0]
    from amo.imports.models import ImportJob

    assert not ImportJob.objects.exists()
