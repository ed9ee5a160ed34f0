"""The national liquidation on PostgreSQL: 1,000,000 care files with 3,000,000 lines for
1,500,000 insured students, against a 4,800-drug list and the tariffs, liquidated end to end by
`amo.claims.batch.files_liquidate` (read, decided, results, file totals, statuses and audit rows
written and committed), next to PostgreSQL alone writing the same result rows with their indexes.

Prints liquidate_claims (lines/s), liquidate_peak_rss (MB) and liquidate_write_floor (lines/s).
BENCH_ROWS sets the number of files (lines 3×, students 1.5×). The data is made on the server
(generate_series): students, insured, rights periods (their requests, institutions and legal
entities left out, the periods' foreign-key triggers disabled while they are made), files and lines, and kept
between runs when its counts are right; the files are reset to "received" before each run."""

import datetime as dt
import os
import resource
import time

from django.db import connection, transaction

FILES = int(os.environ.get("BENCH_ROWS", "1000000"))
LINES_PER_FILE = 3
STUDENTS = FILES * 3 // 2
DRUGS = 4800
FIRST_ACT = dt.date(2026, 10, 5)

# Student s (1..STUDENTS) is insured from 2026-09-01 to 2027-08-31; one in 20 closed on
# 2026-10-01 and maintained until 2027-04-01; one in 50 suspended from 2026-10-10 to 2026-10-20.
DATA_SQL = [
    "TRUNCATE claims_careline, claims_slipentry, claims_carefile RESTART IDENTITY CASCADE",
    "DELETE FROM coverage_rightsperiod WHERE request_id < 0",
    "DELETE FROM coverage_insured WHERE number LIKE 'BENCH%%'",
    "DELETE FROM enrollment_student WHERE id >= 900000000",
    """INSERT INTO enrollment_student (id, id_type, id_number, massar, last_name, first_name, last_name_ar, first_name_ar,
         birth_date, birth_place, sex, nationality, address, email, phone, rib, updated_at)
       SELECT 900000000 + s, 'cin', 'ZB' || s, '', 'Bench', 'Student', '', '', date '2004-01-01', '', 'F', '', '', '',
              '', '', now()
       FROM generate_series(1, %(students)s) s""",
    """INSERT INTO coverage_insured (id, number, id_number, created_at, student_id)
       SELECT 900000000 + s, 'BENCH' || s, 'ZB' || s, now(), 900000000 + s FROM generate_series(1, %(students)s) s""",
    """INSERT INTO coverage_rightsperiod (starts_on, ends_on, status, suspensions, notice_reason, closed_on,
         maintained_until, opened_at, academic_year_id, institution_id, insured_id, legal_entity_id, request_id)
       SELECT date '2026-09-01', date '2027-08-31',
              CASE WHEN s %% 20 = 0 THEN 'closed' WHEN s %% 50 = 0 THEN 'open' ELSE 'open' END,
              CASE WHEN s %% 50 = 0 THEN '2026-10-10:2026-10-20' ELSE '' END, '',
              CASE WHEN s %% 20 = 0 THEN date '2026-10-01' END, CASE WHEN s %% 20 = 0 THEN date '2027-04-01' END,
              now(), 1, 1, 900000000 + s, 1, -s
       FROM generate_series(1, %(students)s) s""",
    # file f: student 1 + (f * 7) mod STUDENTS, first act between 5 October and 3 November,
    # deposited 10 to 70 days later (one in six beyond 60 days)
    """INSERT INTO claims_carefile (number, kind, first_act_on, declared_amount, status, deposited_on, received_on,
         total_paid, total_reimbursed, needs_confirmation, created_at, student_id)
       SELECT 'DOS-B-' || f, CASE WHEN f %% 40 = 0 THEN 'dental' WHEN f %% 97 = 0 THEN 'costly_drugs' ELSE 'ordinary' END,
              date '2026-10-05' + (f %% 30)::int, 300, 'received', date '2026-10-05' + (f %% 30)::int + 10 + (f %% 61)::int,
              date '2026-12-20', 0, 0, false, now(), 900000001 + (f * 7) %% %(students)s
       FROM generate_series(1, %(files)s) f""",
    # line n of file f: a specialist consultation, a drug of the list (one in 200 unknown), or a
    # K act in a public hospital; one line in 300 repeats another day's line (a duplicate)
    """INSERT INTO claims_careline (care_file_id, student_id_ref, kind, act_on, practitioner_inpe, sector, category,
         letter, coefficient, drug_code, quantity, amount_paid, care_form_present, prescription_present, reason)
       SELECT f.id, f.student_id, CASE WHEN n = 2 THEN 'drug' ELSE 'act' END, f.first_act_on + (n %% 2),
              CASE WHEN f.id %% 300 = 0 THEN '100000' ELSE (100000 + f.id %% 5000)::text END,
              CASE WHEN n = 3 THEN 'public' ELSE 'private' END, '',
              CASE n WHEN 1 THEN 'CS' WHEN 3 THEN 'K' ELSE '' END,
              CASE n WHEN 1 THEN 1 WHEN 3 THEN 10 + f.id %% 50 END,
              CASE WHEN n = 2 THEN 'B' || (1 + (f.id * 13) %% CASE WHEN f.id %% 200 = 0 THEN 99999 ELSE %(drugs)s END) ELSE '' END,
              CASE WHEN n = 2 THEN 1 + f.id %% 3 END,
              (50 + f.id %% 400)::numeric + 0.35, f.id %% 150 <> 0, true, ''
       FROM claims_carefile f CROSS JOIN generate_series(1, %(per_file)s) n""",
]


def _count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.fetchone()[0])


def _ensure_drugs() -> None:
    from amo.referentials.models import Drug, DrugList

    version = DrugList.objects.filter(filename="bench-drugs").first()
    if version is None:
        version = DrugList.objects.create(
            valid_from=dt.date(2020, 1, 1), filename="bench-drugs", created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        )
    if Drug.objects.filter(drug_list=version).count() != DRUGS:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM referentials_drug WHERE drug_list_id = %s", [version.pk])
            cursor.execute(
                "INSERT INTO referentials_drug (drug_list_id, code, name, dci, dosage, form, presentation, ppv, ph, pbr, "
                "kind, reimbursable, needs_agreement) SELECT %s, 'B' || d, 'Drug ' || d, '', '', '', '', "
                "10 + d %% 900 + 0.45, NULL, 8 + d %% 800 + 0.15, 'princeps', d %% 25 <> 0, false "
                "FROM generate_series(1, %s) d",
                [version.pk, DRUGS],
            )


def _ensure_data() -> None:
    _ensure_drugs()
    lines = _count("SELECT count(*) FROM claims_careline")
    files = _count("SELECT count(*) FROM claims_carefile")
    insured = _count("SELECT count(*) FROM coverage_insured WHERE number LIKE 'BENCH%'")
    students = _count("SELECT count(*) FROM enrollment_student WHERE id >= 900000000")
    if lines == FILES * LINES_PER_FILE and files == FILES and insured == STUDENTS == students:
        return
    started = time.perf_counter()
    params = {"students": STUDENTS, "files": FILES, "drugs": DRUGS, "per_file": LINES_PER_FILE}
    tables = ("coverage_rightsperiod",)
    with transaction.atomic(), connection.cursor() as cursor:
        # the periods' foreign keys off while they are made: their requests, institutions and
        # legal entities are not needed to liquidate (the students, files and lines are real rows)
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        for sql in DATA_SQL:
            cursor.execute(sql, params)
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
    with connection.cursor() as cursor:
        for table in (
            "enrollment_student",
            "coverage_insured",
            "coverage_rightsperiod",
            "claims_carefile",
            "claims_careline",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"# {FILES} files, {FILES * LINES_PER_FILE} lines, {STUDENTS} insured made in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )


def _reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_carefile SET status = 'received', total_paid = 0, total_reimbursed = 0, "
            "needs_confirmation = false, liquidated_at = NULL, confirmed_at = NULL WHERE status <> 'received'"
        )
        cursor.execute(
            "UPDATE claims_careline SET base = NULL, rate = NULL, reimbursed = NULL, reason = '' "
            "WHERE reimbursed IS NOT NULL"
        )
        cursor.execute("DELETE FROM common_auditevent WHERE object_type = 'claims.carefile'")
        for table in ("claims_carefile", "claims_careline", "common_auditevent"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def write_floor() -> tuple[float, int]:
    """PostgreSQL alone writing the liquidated lines again, with the table's indexes, by INSERT …
    SELECT into a copy of the table (rolled back): nothing read, decided or joined."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor_careline (LIKE claims_careline INCLUDING ALL)")
        started = time.perf_counter()
        cursor.execute("INSERT INTO bench_floor_careline SELECT * FROM claims_careline")
        rows = max(int(cursor.rowcount), 0)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, rows


def run() -> None:
    from amo.claims.batch import files_liquidate

    _ensure_data()
    _reset()
    lines = FILES * LINES_PER_FILE
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM claims_carefile ORDER BY id")
        file_ids = [row[0] for row in cursor.fetchall()]  # 8 bytes a file: 1 million ids are a few MB
    files, written = files_liquidate(actor=None, file_ids=file_ids)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason, count(*) FROM claims_careline GROUP BY 1 ORDER BY 2 DESC")
        reasons = ", ".join(f"{reason or 'reimbursed'} {n}" for reason, n in cursor.fetchall())
        cursor.execute("SELECT status, count(*) FROM claims_carefile GROUP BY 1 ORDER BY 1")
        statuses = ", ".join(f"{status} {n}" for status, n in cursor.fetchall())
    print(f"# {files} files, {written} lines: {reasons}; files {statuses}", flush=True)
    print(f"liquidate_claims: {lines / elapsed:.0f} lines/s ({lines} lines of {FILES} files in {elapsed:.1f} s)")
    print(f"liquidate_peak_rss: {peak_mb:.0f} MB")
    floor_seconds, floor_rows = write_floor()
    print(
        f"liquidate_write_floor: {floor_rows / floor_seconds:.0f} lines/s "
        f"(the {floor_rows} result rows written again by PostgreSQL alone, indexes included)"
    )
