"""Registration lists: every bad input of the issue, and the whole-or-nothing guarantee."""

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amo.common.errors import DomainError
from amo.common.readers import parse_date
from amo.enrollment.models import RegistrationEvent, RegistrationRequest, Student
from amo.enrollment.tests.factories import open_year
from amo.imports import services
from amo.imports.models import ImportJob

pytestmark = pytest.mark.django_db

HEADER = [
    "id_number",
    "massar",
    "last_name",
    "first_name",
    "birth_date",
    "sex",
    "registered_on",
    "no_other_coverage",
    "email",
    "phone",
    "rib",
]
GOOD = [
    "AB123456",
    "R130000001",
    "Bennani",
    "Salma",
    "2005-03-14",
    "F",
    "2026-09-20",
    "oui",
    "salma@example.ma",
    "0612345678",
    "310810100013070176970116",
]


@pytest.fixture
def institution(world):
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    return world.mine.institution


def csv_bytes(rows: list[list[str]], *, sep: str = ";", encoding: str = "utf-8", header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def run(
    world: Any, content: bytes, name: str = "liste.csv", institution: Any = None, persona: str = "institution"
) -> ImportJob:
    job = services.import_job_create(
        actor=world.users[persona],
        upload=SimpleUploadedFile(name, content),
        academic_year=open_year(),
        institution=institution,
    )
    services.import_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def report_rows(job: ImportJob) -> Iterator[list[str]]:
    """The rows of the error report, read from the file as they are asked for."""
    if not job.error_report:
        return
    with job.error_report.open("rb") as handle, io.TextIOWrapper(handle, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text, delimiter=";")
        next(reader, None)  # the header
        yield from reader


def report(job: ImportJob) -> list[list[str]]:
    return list(report_rows(job))


def test_a_clean_file_creates_validated_requests_with_their_timeline(world, institution) -> None:
    job = run(world, csv_bytes([GOOD]), institution=institution)
    assert (job.status, job.rows_total, job.rows_created, job.rows_error) == ("done", 1, 1, 0)
    request = RegistrationRequest.objects.get()
    assert request.status == "validated" and request.source == "upload" and request.institution == institution
    assert request.student.phone == "+212612345678"
    assert [e.status for e in request.timeline()] == ["validated"]
    assert not RegistrationEvent.objects.exists()  # a list writes no event row: the request is its first step


def test_the_same_file_twice_changes_nothing(world, institution) -> None:
    run(world, csv_bytes([GOOD]), institution=institution)
    before = list(Student.objects.values()), list(RegistrationRequest.objects.values())
    job = run(world, csv_bytes([GOOD]), institution=institution)
    assert (job.rows_created, job.rows_unchanged) == (0, 1)
    assert (list(Student.objects.values()), list(RegistrationRequest.objects.values())) == before


@pytest.mark.parametrize(
    ("column", "value", "code_text"),
    [
        ("id_number", "12AB", "CIN"),
        ("massar", "R12", "Massar"),
        ("rib", "310810100013070176970117", "RIB"),
        ("email", "salma@", "e-mail"),
        ("phone", "0012345", "numéro marocain"),
        ("birth_date", "31/02/2005", "Date"),
        ("registered_on", "hier", "Date"),
        ("sex", "X", "Sex"),
        ("no_other_coverage", "non", "couverture"),
    ],
)
def test_each_bad_value_gets_a_translated_reason_and_valid_rows_are_kept(
    world, institution, column: str, value: str, code_text: str
) -> None:
    bad = list(GOOD)
    bad[0] = "CD654321"
    bad[HEADER.index(column)] = value
    job = run(world, csv_bytes([GOOD, bad]), institution=institution)
    assert (job.rows_created, job.rows_error) == (1, 1)
    [row] = report(job)
    assert row[0] == "3" and row[1].startswith(column)
    assert code_text.lower() in row[1].lower()


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", False), ("utf-8", True), ("cp1256", False), ("latin-1", False)],
)
def test_encodings_are_detected(world, institution, encoding: str, bom: bool) -> None:
    header = [*HEADER, "last_name_ar"]
    row = [*GOOD, "بناني" if encoding != "latin-1" else ""]
    row[2] = "Bénani"
    content = csv_bytes([row], encoding=encoding, header=header)
    job = run(world, (b"\xef\xbb\xbf" if bom else b"") + content, institution=institution)
    assert job.rows_created == 1
    student = Student.objects.get()
    assert student.last_name == "Bénani"
    if encoding != "latin-1":
        assert student.last_name_ar == "بناني"


def test_comma_separator_reordered_and_extra_columns_and_empty_lines(world, institution) -> None:
    header = [*reversed(HEADER), "remarque"]
    rows = [[*reversed(GOOD), "x"], [""] * len(header), [*reversed(["CD654321", *GOOD[1:]]), ""]]
    job = run(world, csv_bytes(rows, sep=",", header=header), institution=institution)
    assert (job.rows_total, job.rows_created, job.rows_error) == (2, 2, 0)
    assert "remarque" in job.file_error_detail


def test_a_missing_required_column_refuses_the_whole_file(world, institution) -> None:
    header = [h for h in HEADER if h != "birth_date"]
    row = [v for h, v in zip(HEADER, GOOD, strict=True) if h != "birth_date"]
    job = run(world, csv_bytes([row], header=header), institution=institution)
    assert job.status == "failed" and job.file_error == "missing_columns" and "birth_date" in job.file_error_detail
    assert not RegistrationRequest.objects.exists()


def test_an_empty_or_unreadable_file_is_refused(world, institution) -> None:
    assert run(world, b"", institution=institution).file_error == "empty_file"
    assert run(world, b"PK\x03\x04garbage", name="liste.xlsx", institution=institution).file_error == "unreadable_file"


def test_one_student_twice_in_a_file(world, institution) -> None:
    job = run(world, csv_bytes([GOOD, GOOD]), institution=institution)
    assert (job.rows_created, job.rows_error) == (1, 1)
    [row] = report(job)
    assert row[0] == "3" and "ligne précédente" in row[1] and "(ligne 2)" in row[1]


def test_the_error_report_is_in_line_order(world, institution) -> None:
    bad = ["CD654321", *GOOD[1:]]
    bad[HEADER.index("sex")] = "X"
    job = run(world, csv_bytes([GOOD, GOOD, bad]), institution=institution)
    found = report(job)
    assert [row[0] for row in found] == ["3", "4"]  # the duplicate is found last, listed first
    assert "ligne précédente" in found[0][1] and found[1][1].startswith("sex")


def test_a_student_registered_elsewhere_is_refused_without_naming_the_other_request(world, institution) -> None:
    from amo.organisations.tests.factories import InstitutionFactory

    run(world, csv_bytes([GOOD]), institution=institution)
    other = InstitutionFactory.create(legal_entity=institution.legal_entity, affiliated_on=open_year().starts_on)
    job = run(world, csv_bytes([GOOD]), institution=other)
    assert (job.rows_created, job.rows_error) == (0, 1)
    [row] = report(job)
    assert row[1].startswith("id_number") and "REG-" not in ";".join(row) and row[2:] == GOOD


def test_formula_cells_are_neutralised_in_the_error_report(world, institution) -> None:
    bad = list(GOOD)
    bad[2] = '=HYPERLINK("http://x")'
    bad[0] = "12"
    job = run(world, csv_bytes([bad]), institution=institution)
    [row] = report(job)
    assert "'=HYPERLINK" in ";".join(row)


def test_xlsx_with_excel_dates_and_serials(world, institution, tmp_path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    row: list[Any] = list(GOOD)
    row[4] = dt.datetime(2005, 3, 14)
    row[6] = 46285  # Excel serial of 2026-09-20
    sheet.append(row)
    path = tmp_path / "liste.xlsx"
    workbook.save(path)
    job = run(world, path.read_bytes(), name="liste.xlsx", institution=institution)
    assert job.rows_created == 1
    assert RegistrationRequest.objects.get().registered_on.isoformat() == "2026-09-20"


@pytest.mark.parametrize("failing", ["last chunk", "after the chunks"])
def test_a_failure_while_applying_leaves_nothing(world, institution, monkeypatch, failing: str) -> None:
    """On SQLite the rows are applied in short transactions (APPLY_CHUNK rows each): a failure
    after some were committed takes them back; on PostgreSQL the one transaction rolls back."""
    run(world, csv_bytes([GOOD]), institution=institution)  # a student the next file completes
    monkeypatch.setattr(services, "APPLY_CHUNK", 1)
    real_lines, real_done = services._apply_lines, services._done

    def last_chunk_fails(cursor: Any, job: Any, now: Any, elsewhere: Any, low: int, high: Any) -> Any:
        result = real_lines(cursor, job, now, elsewhere, low, high)
        if high is None:
            raise RuntimeError("disk full")
        return result

    def done_fails(job: Any, **figures: Any) -> None:
        real_done(job, **figures)
        raise RuntimeError("disk full")

    if failing == "last chunk":
        monkeypatch.setattr(services, "_apply_lines", last_chunk_fails)
    else:
        monkeypatch.setattr(services, "_done", done_fails)
    corrected = [*GOOD[:8], "salma.bennani@example.ma", *GOOD[9:]]
    others = [[f"CD{n:06d}", *GOOD[1:]] for n in range(3)]
    with pytest.raises(RuntimeError):
        run(world, csv_bytes([corrected, *others]), institution=institution)
    assert list(Student.objects.values_list("id_number", "email")) == [("AB123456", "salma@example.ma")]
    assert RegistrationRequest.objects.count() == 1
    job = ImportJob.objects.latest("pk")
    assert (job.status, job.file_error) == ("failed", "import_interrupted")  # not left "running"


def test_a_student_registered_meanwhile_makes_the_file_apply_again(world, institution, monkeypatch) -> None:
    from django.db import IntegrityError

    real, calls = services._apply, []

    def racing(cursor: Any, job: Any, elsewhere: Any) -> Any:
        calls.append(job.pk)
        if len(calls) == 1:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real(cursor, job, elsewhere)

    monkeypatch.setattr(services, "_apply", racing)
    job = run(world, csv_bytes([GOOD]), institution=institution)
    assert (job.status, job.rows_created, len(calls)) == ("done", 1, 2)


def test_a_national_file_names_institutions_within_the_perimeter(world, institution) -> None:
    header = [*HEADER, "institution_code"]
    rows = [
        [*GOOD, institution.code],
        ["CD654321", *GOOD[1:], world.other.institution.code],
        ["EF111111", *GOOD[1:], "NOPE"],
        ["GH222222", *GOOD[1:], ""],
    ]
    job = run(world, csv_bytes(rows, header=header), persona="aggregator")
    assert (job.rows_created, job.rows_error) == (1, 3)
    reasons = [r[1] for r in report(job)]
    assert "hors de votre périmètre" in reasons[0]
    assert "Code d'établissement inconnu" in reasons[1]
    assert reasons[2].startswith("institution_code") and "obligatoire" in reasons[2]


def test_an_oversized_upload_is_refused(world, institution, monkeypatch) -> None:
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(DomainError) as err:
        services.import_job_create(
            actor=world.users["institution"],
            upload=SimpleUploadedFile("l.csv", b"x" * 11),
            academic_year=open_year(),
            institution=institution,
        )
    assert err.value.code == "file_too_large"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2026-09-20", "2026-09-20"),
        ("20/09/2026", "2026-09-20"),
        ("20.09.2026", "2026-09-20"),
        ("46285", "2026-09-20"),
        (46285, "2026-09-20"),
        ("32/01/2026", None),
        ("", None),
    ],
)
def test_dates_in_every_accepted_form(value: Any, iso: str | None) -> None:
    parsed = parse_date(value)
    assert (parsed.isoformat() if parsed else None) == iso


def test_the_error_report_speaks_the_uploaders_language(world, institution) -> None:
    from django.utils import translation

    bad = list(GOOD)
    bad[HEADER.index("sex")] = "X"
    with translation.override("ar"):
        job = run(world, csv_bytes([bad]), institution=institution)
    assert job.language == "ar"
    assert any("\u0600" <= ch <= "\u06ff" for ch in report(job)[0][1])


def test_a_corrected_file_completes_the_student_but_never_a_students_own_account(world, institution) -> None:
    run(world, csv_bytes([GOOD, ["CD654321", *GOOD[1:]]]), institution=institution)
    Student.objects.filter(id_number="CD654321").update(user=world.users["student"])
    corrected = [
        [*GOOD[:8], "salma.bennani@example.ma", *GOOD[9:]],
        ["CD654321", *GOOD[1:8], "x@example.ma", *GOOD[9:]],
    ]
    job = run(world, csv_bytes(corrected), institution=institution)
    assert (job.rows_created, job.rows_unchanged, job.rows_error) == (0, 2, 0)
    assert Student.objects.get(id_number="AB123456").email == "salma.bennani@example.ma"
    assert Student.objects.get(id_number="CD654321").email == "salma@example.ma"  # what the student declared
    assert RegistrationRequest.objects.count() == 2


def test_many_duplicates_are_all_reported_with_the_line_they_repeat(world, institution) -> None:
    rows = [[f"AB{n:06d}", *GOOD[1:]] for n in range(700)]
    job = run(world, csv_bytes(rows + rows), institution=institution)
    assert (job.rows_total, job.rows_created, job.rows_error) == (1400, 700, 700)
    found = report(job)
    assert [row[0] for row in found] == [str(n) for n in range(702, 1402)]
    assert "(ligne 2)" in found[0][1] and "(ligne 701)" in found[-1][1]
    # Each refused row carries its cells, so the report can be corrected and uploaded again.
    assert found[0][2:] == rows[0] and found[-1][2:] == rows[-1]


def test_lines_ended_by_cr_alone_stray_quotes_and_longer_rows_are_read(world, institution) -> None:
    longer = ["CD654321", *GOOD[1:], "remarque", "encore"]  # two cells more than the header
    quoted = ["EF111111", *GOOD[1:]]
    quoted[HEADER.index("last_name")] = 'O"Brien'
    lines = [";".join(HEADER), ";".join(longer), ";".join(quoted), ";".join(GOOD)]
    job = run(world, "\r".join(lines).encode(), institution=institution)
    assert (job.status, job.rows_total, job.rows_created, job.rows_error) == ("done", 3, 3, 0)
    assert Student.objects.get(id_number="EF111111").last_name == 'O"Brien'


def test_on_postgresql_student_pages_keep_room_for_a_returning_list() -> None:
    """Half-empty pages (decision 0008): a returning list that changes every student's details
    rewrites each row on its own page, without new index entries."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL storage parameter")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'enrollment_student'")
        assert "fillfactor=50" in (cursor.fetchone()[0] or [])


def test_the_documented_arabic_headers_are_recognised(world, institution) -> None:
    """Headers of several words ("رقم البطاقة") were reduced to nothing and the file refused."""
    from amo.imports import rules

    arabic = {
        "id_number": "رقم البطاقة",
        "massar": "رمز مسار",
        "last_name": "النسب",
        "first_name": "الاسم",
        "birth_date": "تاريخ الازدياد",
        "sex": "الجنس",
        "registered_on": "تاريخ التسجيل",
        "no_other_coverage": "التصريح",
        "email": "البريد الإلكتروني",
        "phone": "الهاتف",
        "rib": "رقم الحساب",
    }
    positions, extra = rules.map_header([arabic[name] for name in HEADER])
    assert positions == {name: i for i, name in enumerate(HEADER)} and extra == []
    assert rules.map_header(["", "  "]) == ({}, [])  # an empty header names no column
    # Headers in both scripts are known by their Latin part, as before.
    assert rules.map_header(["CIN / رقم البطاقة", "Nom / النسب", "Date_naissance"])[0] == {
        "id_number": 0,
        "last_name": 1,
        "birth_date": 2,
    }
    rows = [[arabic[name] for name in HEADER], GOOD]
    body = "\n".join(";".join(row) for row in rows).encode()
    job = run(world, body, institution=institution)
    assert (job.status, job.rows_created, job.rows_error) == ("done", 1, 0)


def test_a_latin_name_in_the_arabic_name_column_is_reported(world, institution) -> None:
    header = [*HEADER, "nom_ar"]
    job = run(
        world, csv_bytes([[*GOOD, "بناني"], ["CD654321", *GOOD[1:], "Bennani"]], header=header), institution=institution
    )
    assert (job.rows_created, job.rows_error) == (1, 1)
    [row] = report(job)
    assert row[0] == "3" and row[1].startswith("last_name_ar:")


def test_another_institutions_list_never_rewrites_a_student_it_did_not_declare(world, institution) -> None:
    """A student last year's list of one institution brought, without an account yet, is not
    rewritten by another institution's list (its e-mail is the proof the student later claims the
    record with): the other institution gets its request, the record stays as declared."""
    import datetime as dt

    from amo.organisations.tests.factories import InstitutionFactory
    from amo.referentials.models import AcademicYear

    run(world, csv_bytes([GOOD]), institution=institution)
    declared = Student.objects.values_list("last_name", "first_name", "email", "phone", "rib").get()
    year = open_year()
    last_year, _ = AcademicYear.objects.get_or_create(
        code=f"{year.starts_on.year - 1}-{year.starts_on.year}",
        defaults={
            "starts_on": year.starts_on - dt.timedelta(days=365),
            "ends_on": year.starts_on - dt.timedelta(days=1),
        },
    )
    RegistrationRequest.objects.update(academic_year=last_year)
    other = InstitutionFactory.create(legal_entity=institution.legal_entity, affiliated_on=year.starts_on)
    hostile = [GOOD[0], GOOD[1], "Intrus", "Malik", *GOOD[4:8], "intrus@example.org", "0699999999", GOOD[10]]
    job = run(world, csv_bytes([hostile]), institution=other)
    assert (job.rows_created, job.rows_error) == (1, 0)  # the other institution's request is made
    assert Student.objects.values_list("last_name", "first_name", "email", "phone", "rib").get() == declared
    assert RegistrationRequest.objects.filter(institution=other, academic_year=year).exists()
    # The institution that declared the student completes it as before.
    RegistrationRequest.objects.filter(institution=other).delete()
    corrected = [[*GOOD[:8], "salma.bennani@example.ma", *GOOD[9:]]]
    run(world, csv_bytes(corrected), institution=institution)
    assert Student.objects.get().email == "salma.bennani@example.ma"


def test_a_name_or_text_with_an_invisible_character_is_reported(world, institution) -> None:
    header = [*HEADER, "address"]
    rows = [
        [*GOOD, "Agdal"],
        ["CD654321", GOOD[1], "\u200b", *GOOD[3:], "Agdal"],  # a name made only of a zero-width space
        ["EF111111", "", "Ben\u200dnani", *GOOD[3:], "Agdal"],
        ["GH222222", "", *GOOD[2:], "Agdal\u061c"],
    ]
    job = run(world, csv_bytes(rows, header=header), institution=institution)
    assert (job.rows_created, job.rows_error) == (1, 3)
    refused = [(row[0], row[1].split(":")[0], "invisibles" in row[1]) for row in report(job)]
    assert refused == [("3", "last_name", True), ("4", "last_name", True), ("5", "address", True)]


def _xlsx(rows: list[list[Any]], tmp_path: Any) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "liste.xlsx"
    workbook.save(path)
    data: bytes = path.read_bytes()
    return data


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_problem_of_a_row_is_in_one_report(world, institution, tmp_path, kind: str) -> None:
    """Issue 13, item 11: a row with a bad CIN, an implausible birth date (born after today) and a
    bad e-mail is reported with all three at once, on the national (CSV, Polars) path and the
    row-by-row one (Excel); the birth date used to be judged only once the rest was right."""
    bad = list(GOOD)
    bad[HEADER.index("id_number")] = "12AB"
    bad[HEADER.index("birth_date")] = "2030-01-01"
    bad[HEADER.index("email")] = "salma@"
    content = csv_bytes([GOOD, bad]) if kind == "csv" else _xlsx([GOOD, bad], tmp_path)
    job = run(world, content, name=f"liste.{kind}", institution=institution)
    assert (job.rows_created, job.rows_error) == (1, 1)
    [row] = report(job)
    columns = [part.split(":")[0].strip() for part in row[1].split(" | ")]
    assert columns == ["id_number", "email", "birth_date"]
    assert "plausible" in row[1]


@pytest.mark.today("2026-11-25")
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_age_reason_names_the_limit_the_reference_date_and_the_year(world, institution, tmp_path, kind) -> None:
    """DOMAIN.md §6 ("aged 30 or less") and decision 0004 (measured on the first day of the
    academic year): born on 31 August 1995, 31 on 1 September 2026; born on 1 September 1996,
    30 that day (31 the same day of 2027, within the year: still accepted)."""
    old, young = list(GOOD), list(GOOD)
    old[HEADER.index("birth_date")] = "1995-08-31"
    young[0] = "CD654321"
    young[HEADER.index("birth_date")] = "1995-09-02"
    content = csv_bytes([old, young]) if kind == "csv" else _xlsx([old, young], tmp_path)
    job = run(world, content, name=f"liste.{kind}", institution=institution)
    assert (job.rows_created, job.rows_error) == (1, 1)
    [row] = report(job)
    assert row[0] == "2"
    assert "30" in row[1] and "1 septembre 2026" in row[1] and "2026-2027" in row[1], row[1]


def test_the_job_page_shows_the_first_rejected_rows_with_their_reasons(world, institution) -> None:
    """Issue 13, item 11: the errors are on the page (the first 20 rows), not only in the CSV."""
    bad = []
    for n in range(25):
        row = list(GOOD)
        row[0] = f"EF{n:06d}"
        row[HEADER.index("sex")] = "X"
        row[HEADER.index("email")] = "x@"
        bad.append(row)
    job = run(world, csv_bytes([GOOD, *bad]), institution=institution)
    assert job.rows_error == 25
    page = world.client("institution").get(f"/imports/{job.pk}/").content.decode()
    table = page.split('data-testid="rejected-rows"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 20  # the header and the first twenty
    assert "<td>3</td>" in table and "<td>22</td>" in table and "<td>23</td>" not in table
    from django.utils import translation

    from amo.common.errors import label_for

    with translation.override(job.language):  # the reasons as the report says them
        assert f"<li>sex: {label_for('sex_format')}</li>" in table
    assert table.count("<li>") == 40  # both reasons of each row
    assert "20" in page.split("<h2>")[1].split("</h2>")[0] and "25" in page.split("<h2>")[1].split("</h2>")[0]
