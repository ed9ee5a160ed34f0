"""ANAM's answer to a check batch on PostgreSQL: 1,500,000 students checked against a registry
of 30,000,000 covered persons, one verdict written per student, next to the raw SQL anti-join
of the same tables in the same run.

Prints anam_check (amo.eligibility.registry.batch_answer, verdicts written and committed),
anam_raw_anti_join (students absent from the registry, counted in one SELECT) and
anam_peak_rss (the peak resident memory of this process). BENCH_ROWS sets the number of
students; the registry holds 20 times as many persons. The registry and the batch are made on
the server (generate_series) and kept between runs when their counts are right; the batch's
verdicts are deleted and its status reset before each measured run."""

import datetime as dt
import os
import resource
import time

from django.db import connection, transaction

from amo.common import clock

STUDENTS = int(os.environ.get("BENCH_ROWS", "1500000"))
REGISTRY_ROWS = 20 * STUDENTS
BATCH_NUMBER = f"BENCH-ANAM-{STUDENTS}"
REFERENCE_DATE = dt.date(2026, 10, 15)

# Person n of the registry: document number 'AB' || n, born 1999 to 2007 (one in 11 over
# the age limit of 26 at the reference date), one in fifty without a birth date; every tenth coverage ended before the
# reference date. Student k of the batch is person 13 k when k is odd (half the batch is in the
# registry: the real refusal rate), and 'ZZ' || k, in no registry, when k is even; one student
# in 97 gives a birth date a day off (identity not found), one in 1,000 is sent twice, one in 100
# has no age limit.
REGISTRY_SQL = """
INSERT INTO eligibility_coveredperson (id_number, birth_date, scheme, role, starts_on, ends_on)
SELECT 'AB' || n,
       CASE WHEN n %% 50 = 0 THEN NULL ELSE date '1999-01-01' + (n %% 3285)::int END,
       (ARRAY['cnss', 'cnops', 'far', 'art114', 'tadamon'])[1 + n %% 5],
       CASE WHEN n %% 3 = 0 THEN 'dependant' ELSE 'insured' END,
       date '2015-01-01' + (n %% 3000)::int,
       CASE WHEN n %% 10 = 0 THEN date '2024-12-31' END
FROM generate_series(%s::bigint, %s::bigint) n
"""

ENTRIES_SQL = """
INSERT INTO eligibility_checkentry (batch_id, request_id, id_type, id_number, birth_date, age_exempt, age_reference_date)
SELECT %s, k, 'cin', COALESCE('AB' || n, 'ZZ' || k),
       date '1999-01-01' + (COALESCE(n, k) %% 3285)::int + CASE WHEN k %% 97 = 1 THEN 1 ELSE 0 END,
       k %% 100 = 0, date '2026-09-01'
FROM (SELECT k, CASE WHEN k %% 2 = 1 THEN 13 * k WHEN k %% 1000 = 2 THEN 13 * (k - 1) END AS n
      FROM generate_series(1::bigint, %s::bigint) k) g
"""


def _count(cursor: object, sql: str, params: list[object] | None = None) -> int:
    cursor.execute(sql, params or [])  # type: ignore[attr-defined]
    return int(cursor.fetchone()[0])  # type: ignore[attr-defined]


def _ensure_registry() -> bool:
    """Make the registry unless it is there; True when it was made."""
    with connection.cursor() as cursor:
        have = _count(cursor, "SELECT count(*) FROM eligibility_coveredperson")
        # The count, and one row made by the formula above: a registry made otherwise is remade.
        current = _count(
            cursor,
            "SELECT count(*) FROM eligibility_coveredperson WHERE id_number = 'AB7' AND birth_date = date '1999-01-08'",
        )
        if have == REGISTRY_ROWS and current == 1:
            return False
        started = time.perf_counter()
        with transaction.atomic():
            cursor.execute("TRUNCATE eligibility_coveredperson RESTART IDENTITY")
            # Filling the table first and building its unique index afterwards is several times
            # faster than maintaining the index row by row; the index is the same in the end.
            cursor.execute("ALTER TABLE eligibility_coveredperson DROP CONSTRAINT registry_person_scheme_role")
            step = 5_000_000
            for first in range(1, REGISTRY_ROWS + 1, step):
                cursor.execute(REGISTRY_SQL, [first, min(first + step - 1, REGISTRY_ROWS)])
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute(
                "ALTER TABLE eligibility_coveredperson ADD CONSTRAINT registry_person_scheme_role "
                "UNIQUE (id_number, scheme, role)"
            )
        cursor.execute("VACUUM ANALYZE eligibility_coveredperson")
        print(f"# registry of {REGISTRY_ROWS} persons made in {time.perf_counter() - started:.1f} s", flush=True)
        return True


def _ensure_batch(remake: bool) -> int:
    from amo.eligibility.models import CheckBatch
    from amo.referentials.models import AcademicYear

    batch = CheckBatch.objects.filter(number=BATCH_NUMBER).first()
    if batch is None:
        batch = CheckBatch.objects.create(
            number=BATCH_NUMBER,
            academic_year=AcademicYear.objects.get(code="2026-2027"),
            reference_date=REFERENCE_DATE,
            age_limit=26,
            sent_count=STUDENTS,
            sent_at=clock.now(),
        )
    with connection.cursor() as cursor:
        have = _count(cursor, "SELECT count(*) FROM eligibility_checkentry WHERE batch_id = %s", [batch.pk])
        current = _count(
            cursor,
            "SELECT count(*) FROM eligibility_checkentry WHERE batch_id = %s AND request_id = 3 "
            "AND id_number = 'AB39' AND birth_date = date '1999-02-09'",
            [batch.pk],
        )
        if remake or have != STUDENTS or current != 1:
            started = time.perf_counter()
            with transaction.atomic():
                cursor.execute("DELETE FROM eligibility_verdict WHERE batch_id = %s", [batch.pk])
                cursor.execute("DELETE FROM eligibility_checkentry WHERE batch_id = %s", [batch.pk])
                cursor.execute(ENTRIES_SQL, [batch.pk, STUDENTS])
            cursor.execute("VACUUM ANALYZE eligibility_checkentry")
            print(f"# batch of {STUDENTS} students made in {time.perf_counter() - started:.1f} s", flush=True)
    return batch.pk


def _reset(batch_id: int) -> None:
    """The batch as sent: no verdict, status 'sent' (the verdict table left without dead rows)."""
    from amo.eligibility.models import BatchStatus, CheckBatch

    with connection.cursor() as cursor:
        others = _count(cursor, "SELECT count(*) FROM eligibility_verdict WHERE batch_id <> %s", [batch_id])
        if others:
            cursor.execute("DELETE FROM eligibility_verdict WHERE batch_id = %s", [batch_id])
            cursor.execute("VACUUM ANALYZE eligibility_verdict")
        else:
            cursor.execute("TRUNCATE eligibility_verdict")
    CheckBatch.objects.filter(pk=batch_id).update(
        status=BatchStatus.SENT, answered_by="", answered_at=None, accepted=0, refused=0, verdict_sha256=""
    )


def raw_anti_join(batch_id: int) -> tuple[float, int]:
    """The students of the batch that no registry row names, counted in one statement."""
    with connection.cursor() as cursor:
        started = time.perf_counter()
        absent = _count(
            cursor,
            "SELECT count(*) FROM eligibility_checkentry e WHERE e.batch_id = %s AND NOT EXISTS "
            "(SELECT 1 FROM eligibility_coveredperson r WHERE r.id_number = e.id_number)",
            [batch_id],
        )
        return time.perf_counter() - started, absent


def run() -> None:
    from amo.eligibility.registry import batch_answer

    batch_id = _ensure_batch(remake=_ensure_registry())
    _reset(batch_id)
    # The tables read from the operating system's cache for both measures, as in production.
    raw_anti_join(batch_id)
    started = time.perf_counter()
    batch = batch_answer(batch_id=batch_id)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT outcome, reason, count(*) FROM eligibility_verdict WHERE batch_id = %s GROUP BY 1, 2 ORDER BY 1, 2",
            [batch_id],
        )
        counts = ", ".join(f"{outcome} {reason or '-'} {n}" for outcome, reason, n in cursor.fetchall())
    print(f"# batch {batch.number} {batch.status}: {counts}", flush=True)
    raw, absent = raw_anti_join(batch_id)
    print(f"# {absent} of {STUDENTS} students in no registry row", flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"anam_check: {elapsed:.1f} s ({STUDENTS} students against {REGISTRY_ROWS} registry rows)")
    print(f"anam_raw_anti_join: {raw:.1f} s")
    print(f"anam_peak_rss: {peak_mb:.0f} MB")
    verdict_file(batch_id)


def verdict_file(batch_id: int) -> None:
    """The same answer received as ANAM's verdict file (the path when ANAM's own system answers):
    written from the verdicts just made, then the batch reset and the file received through
    eligibility.services (read, checked in SQL, written). Printed after anam_peak_rss, which it
    does not change: that figure is the check's."""
    from amo.eligibility.contract import verdict_csv
    from amo.eligibility.models import CheckBatch
    from amo.eligibility.selectors import verdict_rows
    from amo.eligibility.services import verdicts_receive_file

    batch = CheckBatch.objects.get(pk=batch_id)
    content = "".join(verdict_csv(batch.number, verdict_rows(batch))).encode()
    _reset(batch_id)
    batch.refresh_from_db()
    started = time.perf_counter()
    verdicts_receive_file(actor=None, batch=batch, content=content)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"anam_verdict_file: {elapsed:.1f} s ({len(content) / 1e6:.0f} MB, {STUDENTS} lines; process peak {peak_mb:.0f} MB)"
    )
