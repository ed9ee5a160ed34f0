"""A national registration list of 1,500,000 rows imported into PostgreSQL end to end (read,
check, deduplicate, stage by COPY, upsert, error report), next to a raw COPY of the same rows
into a bare table and Django's bulk_create; then the institution queue and the student's status
page with 1.5 million requests in the database.

Prints: import_national_list, import_peak_rss, raw_copy, import_write_floor (the rows the import
wrote, written again by PostgreSQL alone: the ceiling of any import on the machine),
import_returning_students (the same students the next year: every one found, completed and
given a new request), bulk_create, institution_queue_page, student_status_page. ROWS can be lowered with BENCH_ROWS for a quick run."""

import csv
import datetime as dt
import multiprocessing
import os
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction

ROWS = int(os.environ.get("BENCH_ROWS", "1500000"))
INSTITUTIONS = 300
INVALID_EVERY = 200  # 0.5 % of rows carry an error and go to the report
HEADER = [
    "id_number",
    "massar",
    "last_name",
    "first_name",
    "birth_date",
    "sex",
    "registered_on",
    "no_other_coverage",
    "institution_code",
    "track",
    "email",
    "phone",
]


def _cin(n: int) -> str:
    return f"{chr(65 + n // 1_000_000 % 26)}{chr(65 + n // 26_000_000 % 26)}{n % 1_000_000:06d}"


def generate(path: Path, rows: int, *, registered_on: str = "2026-09-15", mail: str = "e") -> None:
    rng = random.Random(42)
    names = ["Alaoui", "Bennani", "Chraibi", "Idrissi", "Fassi", "Tazi", "Berrada", "Kettani", "El Amrani", "Ouazzani"]
    firsts = ["Salma", "Youssef", "Imane", "Omar", "Sara", "Mehdi", "Hajar", "Ayoub", "Khadija", "Anas"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for n in range(rows):
            born = dt.date(1998, 1, 1) + dt.timedelta(days=rng.randrange(2900))
            row = [
                _cin(n),
                f"R{n:09d}",
                rng.choice(names),
                rng.choice(firsts),
                born.isoformat(),
                rng.choice("FM"),
                registered_on,
                "oui",
                f"BENCH-{n % INSTITUTIONS:03d}",
                "Licence",
                f"{mail}{n}@example.ma",
                f"06{n % 100_000_000:08d}",
            ]
            if n % INVALID_EVERY == 7:
                row[4] = "32/13/2004"
            writer.writerow(row)


def setup() -> tuple[object, object]:
    from amo.accounts.models import Role, User
    from amo.accounts.services import membership_grant
    from amo.organisations.models import CnopsOffice, Institution, InstitutionCategory, LegalEntity, Region
    from amo.referentials.models import AcademicYear

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE enrollment_registrationevent, enrollment_registrationrequest, enrollment_student, "
            "imports_importjob, notifications_outboxmessage RESTART IDENTITY CASCADE"
        )
    with transaction.atomic():
        entity, _ = LegalEntity.objects.get_or_create(name_fr="Bench university", defaults={"law": "public"})
        region, category = Region.objects.get(code="04"), InstitutionCategory.objects.get(code="univ")
        for n in range(INSTITUTIONS):
            Institution.objects.update_or_create(
                code=f"BENCH-{n:03d}",
                defaults={
                    "name_fr": f"Établissement {n}",
                    "name_ar": "مؤسسة",
                    "city": "Rabat",
                    "region": region,
                    "category": category,
                    "legal_entity": entity,
                    "affiliated_on": dt.date(2026, 1, 1),
                },
            )
        user = User.objects.filter(email="bench@example.ma").first() or User.objects.create_user(
            "bench@example.ma", "x"
        )
        membership_grant(
            actor=None, user=user, role=Role.CNOPS_AGENT, cnops_office=CnopsOffice.objects.get(code="CENTRAL")
        )
    return user, AcademicYear.objects.get(code="2026-2027")


def _child(job_id: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from django.db import connections

    connections.close_all()
    from amo.imports.services import import_run

    started = time.perf_counter()
    job = import_run(job_id=job_id)
    elapsed = time.perf_counter() - started
    queue.put((elapsed, job.rows_total, job.rows_created, job.rows_error, job.status, job.file_error))


def _import_in_child(job_id: int) -> tuple[float, int]:
    """Run the import as the worker does, in a process of its own (its peak memory measured)."""
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    connection.close()
    child = multiprocessing.get_context("fork").Process(target=_child, args=(job_id, queue))
    child.start()
    elapsed, total, created, errors, status, file_error = queue.get()
    child.join()
    print(
        f"# import: status {status} {file_error}, {total} rows, {created} created, {errors} in the report, {elapsed:.1f} s",
        flush=True,
    )
    return elapsed, total


def raw_copy(path: Path) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        cursor.execute("CREATE UNLOGGED TABLE bench_raw (" + ", ".join(f"{c} text" for c in HEADER) + ")")
        started = time.perf_counter()
        with (
            path.open("rb") as handle,
            cursor.cursor.copy("COPY bench_raw FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)") as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_raw")
    return elapsed


def write_floor() -> tuple[float, int]:
    """What PostgreSQL alone needs to write the rows the import wrote: its students and requests
    inserted again, by INSERT … SELECT, into copies of their tables with the same indexes (rolled
    back). Nothing is read, checked or joined: no import can be faster than this on the machine."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM enrollment_registrationrequest")
        rows = int(cursor.fetchone()[0])
        started = time.perf_counter()
        for table in ("enrollment_student", "enrollment_registrationrequest"):
            cursor.execute(f"CREATE TABLE bench_floor_{table} (LIKE {table} INCLUDING ALL)")
            cursor.execute(f"INSERT INTO bench_floor_{table} SELECT * FROM {table}")
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, rows


def bulk_create(rows: int) -> float:
    from amo.enrollment.models import Student

    objects = [
        Student(
            id_type="passport",
            id_number=f"BULK{n:09d}",
            last_name="Bulk",
            first_name="Row",
            birth_date=dt.date(2000, 1, 1),
            sex="F",
        )
        for n in range(rows)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        Student.objects.bulk_create(objects, batch_size=5000)
    elapsed = time.perf_counter() - started
    Student.objects.filter(id_type="passport", id_number__startswith="BULK").delete()
    return elapsed


def page_timings(user: object) -> tuple[float, float]:
    from django.test import Client

    from amo.accounts.models import Role, User
    from amo.accounts.services import membership_grant
    from amo.enrollment.models import RegistrationRequest, Student
    from amo.organisations.models import Institution

    agent = User.objects.filter(email="bench-inst@example.ma").first() or User.objects.create_user(
        "bench-inst@example.ma", "x"
    )
    membership_grant(
        actor=None, user=agent, role=Role.INSTITUTION_AGENT, institution=Institution.objects.get(code="BENCH-001")
    )
    student_user = User.objects.filter(email="bench-student@example.ma").first() or User.objects.create_user(
        "bench-student@example.ma", "x"
    )
    membership_grant(actor=None, user=student_user, role=Role.STUDENT)
    target = RegistrationRequest.objects.filter(institution__code="BENCH-001").order_by("id").first()
    assert target is not None
    Student.objects.filter(pk=target.student_id).update(user=student_user)
    timings = []
    for who, url in (
        (agent, "/registration/institution/?status=validated&page=3"),
        (student_user, "/registration/my/"),
    ):
        client = Client()
        client.force_login(who)
        client.get(url)
        samples = []
        for _ in range(20):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        timings.append(statistics.median(samples) * 1000)
    return timings[0], timings[1]


def run() -> None:
    from django.core.files import File

    from amo.imports.services import import_job_create

    user, year = setup()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national.csv"
        started = time.perf_counter()
        generate(path, ROWS)
        print(
            f"# generated {ROWS} rows, {path.stat().st_size / 1e6:.0f} MB, in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        with path.open("rb") as handle, transaction.atomic():
            upload = File(handle, name="national.csv")
            upload.size = path.stat().st_size
            job = import_job_create(actor=user, upload=upload, academic_year=year, institution=None)
        elapsed, total = _import_in_child(job.pk)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"import_national_list: {total / elapsed:.0f} rows/s")
        print(f"import_peak_rss: {peak_mb:.0f} MB")
        print(f"raw_copy: {ROWS / raw_copy(path):.0f} rows/s")
        floor_seconds, floor_rows = write_floor()
        print(
            f"import_write_floor: {floor_rows / floor_seconds:.0f} rows/s "
            f"(its {floor_rows} students and requests written again by PostgreSQL alone, indexes included)"
        )
        # The next year: the same students come back (each with a new e-mail, so every one of
        # them is completed), new requests for the new year.
        from amo.referentials.models import AcademicYear

        next_year, _ = AcademicYear.objects.update_or_create(  # open: lists enter an open year only
            code="2027-2028",
            defaults={"registration_open": True},
            create_defaults={
                "starts_on": dt.date(2027, 9, 1),
                "ends_on": dt.date(2028, 8, 31),
                "registration_open": True,
            },
        )
        path.unlink()
        generate(path, ROWS, registered_on="2027-09-15", mail="next")
        with path.open("rb") as handle, transaction.atomic():
            upload = File(handle, name="national-next.csv")
            upload.size = path.stat().st_size
            job = import_job_create(actor=user, upload=upload, academic_year=next_year, institution=None)
        elapsed, total = _import_in_child(job.pk)
        print(f"import_returning_students: {total / elapsed:.0f} rows/s (the same students, the next year)")
    sample = min(ROWS, 100_000)
    print(f"bulk_create: {sample / bulk_create(sample):.0f} rows/s")
    queue_ms, status_ms = page_timings(user)
    from amo.enrollment.models import RegistrationRequest

    requests = RegistrationRequest.objects.count()
    print(f"institution_queue_page: {queue_ms:.0f} ms (median of 20, {requests} requests in the database)")
    print(f"student_status_page: {status_ms:.0f} ms (median of 20)")
