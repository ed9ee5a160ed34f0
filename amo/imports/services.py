"""Import a registration list: parse and check every row, stage the valid ones, then apply them
in one transaction with set-based SQL (COPY on PostgreSQL). The file is applied whole or not
at all; rows in error go to a downloadable report; the same file twice changes nothing."""

import csv
import hashlib
import logging
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amo.common.errors import DomainError, label_for
from amo.common.services import audit_record
from amo.enrollment.exports import neutralise
from amo.enrollment.services import STUDENT_FIELDS
from amo.imports import rules
from amo.imports.errors import ImportProblem
from amo.imports.models import ImportJob, ImportKind, ImportStatus
from amo.imports.readers import UnreadableFile, read_table
from amo.organisations.models import Institution
from amo.referentials.models import AcademicYear
from amo.referentials.selectors import parameter_value

logger = logging.getLogger(__name__)

STAGING = "import_staging"
STUDENT_COLUMNS = ("id_type", "id_number", *STUDENT_FIELDS)
STAGED = ("line", *STUDENT_COLUMNS, "institution_id", "aggregator_id", "track", "fee_paying", "registered_on")

MAX_UPLOAD_BYTES = 256 * 1024 * 1024


def _sha256(handle: Any) -> str:
    digest = hashlib.sha256()
    for chunk in handle.chunks() if hasattr(handle, "chunks") else iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


@transaction.atomic
def import_job_create(
    *, actor: Any, upload: Any, academic_year: AcademicYear, institution: Institution | None
) -> ImportJob:
    """Store the upload and queue its processing (after commit)."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(ImportProblem.TOO_LARGE, fields={"file": [ImportProblem.TOO_LARGE]})
    job = ImportJob(
        kind=ImportKind.REGISTRATION_LIST,
        uploaded_by=actor,
        institution=institution,
        academic_year=academic_year,
        filename=Path(upload.name).name[:250],
        sha256=_sha256(upload),
        language=(translation.get_language() or "fr")[:2],
    )
    job.file.save(f"{job.sha256[:16]}-{job.filename}", File(upload), save=False)
    job.save()
    audit_record(actor=actor, action="import_job_create", obj=job, after={"file": job.filename, "sha256": job.sha256})
    from amo.imports.tasks import import_run

    transaction.on_commit(lambda: import_run.enqueue(job.pk))
    return job


def _context(job: ImportJob, allowed: set[int] | None) -> rules.RowContext:
    year = job.academic_year
    institutions = {
        code: rules.InstitutionFacts(
            id=pk, aggregator_id=agg, affiliated=aff is not None, on_list=on_list, age_exempt=exempt
        )
        for code, pk, agg, aff, on_list, exempt in Institution.objects.values_list(
            "code",
            "pk",
            "category__channel__aggregator_id",
            "affiliated_on",
            "on_eligible_list",
            "category__age_limit_exempt",
        )
    }
    fixed = None
    if job.institution_id:
        fixed = next(f for f in institutions.values() if f.id == job.institution_id)
    return rules.RowContext(
        year_start=year.starts_on,
        year_end=year.ends_on,
        age_reference=str(parameter_value("age_reference", year.starts_on)),
        age_limit=int(parameter_value("age_limit_years", year.starts_on)),  # type: ignore[call-overload]
        institutions=institutions,
        allowed=allowed,
        fixed=fixed,
        today=timezone.localdate(),
    )


class _Stager:
    """Writes valid rows to a temporary staging table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.postgres = connection.vendor == "postgresql"
        self.buffer: list[tuple[Any, ...]] = []
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        cursor.execute(
            f"CREATE TEMP TABLE {STAGING} (line integer, id_type varchar(16), id_number varchar(20), "
            "massar varchar(10), "
            "last_name varchar(80), first_name varchar(80), last_name_ar varchar(80), first_name_ar varchar(80), "
            "birth_date date, birth_place varchar(80), sex varchar(1), nationality varchar(60), "
            "address varchar(250), "
            "email varchar(254), phone varchar(16), rib varchar(24), institution_id bigint, aggregator_id bigint, "
            "track varchar(120), fee_paying boolean, registered_on date)"
        )
        self.copy: Any = None
        if self.postgres:
            # Check foreign keys statement by statement rather than queueing millions of
            # deferred checks for the commit; the transaction still applies whole or not at all.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            self._copy_cm = cursor.cursor.copy(f"COPY {STAGING} ({', '.join(STAGED)}) FROM STDIN")
            self.copy = self._copy_cm.__enter__()

    def add(self, row: tuple[Any, ...]) -> None:
        if self.copy is not None:
            self.copy.write_row(row)
            return
        self.buffer.append(row)
        if len(self.buffer) >= 5000:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            marks = ", ".join(["%s"] * len(STAGED))
            self.cursor.executemany(f"INSERT INTO {STAGING} ({', '.join(STAGED)}) VALUES ({marks})", self.buffer)
            self.buffer = []

    def close(self) -> None:
        if self.copy is not None:
            self._copy_cm.__exit__(None, None, None)
            self.copy = None
        self.flush()
        if self.postgres:
            self.cursor.execute(f"CREATE INDEX ON {STAGING} (id_type, id_number)")
            self.cursor.execute(f"ANALYZE {STAGING}")


def _explain(errors: list[str]) -> str:
    parts = []
    for item in errors:
        column, _sep, code = item.partition(":")
        parts.append(f"{column}: {label_for(code)}")
    return " | ".join(parts)


def import_run(*, job_id: int) -> ImportJob:
    """Process one job (run by the worker). A file without a fixed institution (a national or
    channel file) may only name institutions of the uploader's perimeter."""
    job = ImportJob.objects.select_related("academic_year", "uploaded_by").get(pk=job_id)
    if job.status != ImportStatus.PENDING:
        return job
    allowed = _allowed_institutions(job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    language = job.language or "fr"  # the language the uploader was using
    with translation.override(language):
        try:
            _run(job, allowed)
        except _FileRefused as refused:
            job.status, job.file_error, job.file_error_detail = ImportStatus.FAILED, refused.code, refused.detail
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "file_error", "file_error_detail", "finished_at"])
    return job


def _allowed_institutions(job: ImportJob) -> set[int] | None:
    from amo.accounts.actors import actor_for
    from amo.organisations.access import institution_scope

    if job.institution_id:
        return {job.institution_id}
    actor = actor_for(job.uploaded_by)
    if actor.is_cnops_central:
        return None
    return set(Institution.objects.filter(institution_scope(actor)).values_list("pk", flat=True))


class _FileRefused(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        self.code, self.detail = code, detail
        super().__init__(code)


def _run(job: ImportJob, allowed: set[int] | None) -> None:
    path = job.file.path
    try:
        table = read_table(path, job.filename)
    except UnreadableFile as exc:
        raise _FileRefused(str(exc)) from exc
    positions, extra = rules.map_header(table.header)
    missing = rules.missing_columns(positions, institution_fixed=job.institution_id is not None)
    if missing:
        raise _FileRefused(ImportProblem.MISSING_COLUMNS, ", ".join(missing))
    ctx = _context(job, allowed)
    report = tempfile.NamedTemporaryFile("w+", encoding="utf-8", newline="", suffix=".csv", delete=False)  # noqa: SIM115
    writer = csv.writer(report, delimiter=";")
    writer.writerow([_("Line"), _("Errors"), *table.header])
    total = errors = 0
    seen: set[str] = set()
    started = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            stager = _Stager(cursor)
            for line, raw in enumerate(table.rows, start=2):
                if not any(str(v).strip() for v in raw):
                    continue  # empty line
                total += 1
                clean, problems = rules.clean_row(raw, positions, ctx)
                if clean is not None:
                    key = clean["id_type"][0] + clean["id_number"]
                    if key in seen:
                        clean, problems = None, ["id_number:duplicate_in_file"]
                    else:
                        seen.add(key)
                if clean is None:
                    errors += 1
                    writer.writerow([line, _explain(problems), *(neutralise(v) for v in raw)])
                    continue
                stager.add((line, *(clean[c] for c in STAGED[1:])))
            stager.close()
            logger.info("import %s: %s rows read and checked in %.1f s", job.pk, total, time.perf_counter() - started)
            if total == 0:
                raise _FileRefused(ImportProblem.EMPTY_FILE)
            elsewhere = _registered_elsewhere(cursor, job)
            logger.info("import %s: elsewhere check at %.1f s", job.pk, time.perf_counter() - started)
            for line, reference in elsewhere:
                writer.writerow([line, f"id_number: {label_for(ImportProblem.OTHER_INSTITUTION)} ({reference})"])
            created, unchanged = _apply(cursor, job)
            logger.info("import %s: applied at %.1f s", job.pk, time.perf_counter() - started)
        logger.info("import %s: committed at %.1f s", job.pk, time.perf_counter() - started)
        errors += len(elsewhere)
        report.flush()
        report.seek(0)
        job.error_report.save(f"errors-{job.pk}.csv", ContentFile(("\ufeff" + report.read()).encode()), save=False)
    finally:
        report.close()
        Path(report.name).unlink(missing_ok=True)
    job.status, job.rows_total, job.rows_error = ImportStatus.DONE, total, errors
    job.rows_created, job.rows_unchanged = created, unchanged
    job.file_error_detail = ", ".join(extra)
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "rows_total",
            "rows_error",
            "rows_created",
            "rows_unchanged",
            "error_report",
            "file_error_detail",
            "finished_at",
        ]
    )
    audit_record(
        actor=job.uploaded_by,
        action="import_applied",
        obj=job,
        after={"rows": total, "created": created, "unchanged": unchanged, "errors": errors},
    )
    if created:
        from amo.imports.tasks import import_dues, import_notify

        transaction.on_commit(lambda: import_notify.enqueue(job.pk))
        transaction.on_commit(lambda: import_dues.enqueue(job.pk))


def _registered_elsewhere(cursor: Any, job: ImportJob) -> list[tuple[int, str]]:
    """Rows whose student already has a request this year at another institution: refused, and
    taken out of the staging table."""
    cursor.execute(
        f"SELECT st.line, r.id FROM {STAGING} st "
        "JOIN enrollment_student s ON s.id_type = st.id_type AND s.id_number = st.id_number "
        "JOIN enrollment_registrationrequest r ON r.student_id = s.id AND r.academic_year_id = %s "
        "WHERE r.institution_id <> st.institution_id",
        [job.academic_year_id],
    )
    found = [(line, f"REG-{pk:08d}") for line, pk in cursor.fetchall()]
    if found:
        cursor.execute(
            f"DELETE FROM {STAGING} WHERE line IN ({', '.join('%s' for _ in found)})",
            [line for line, _ref in found],
        )
    return found


def _timed(cursor: Any, label: str, sql: str, params: list[Any]) -> None:
    started = time.perf_counter()
    cursor.execute(sql, params)
    logger.info("import step %s: %.2f s", label, time.perf_counter() - started)


def _apply(cursor: Any, job: ImportJob) -> tuple[int, int]:
    now = timezone.now()
    columns = ", ".join(STUDENT_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in STUDENT_COLUMNS[2:])
    differs = " OR ".join(
        f"enrollment_student.{c} <> excluded.{c}"
        for c in ("massar", "last_name", "first_name", "birth_date", "email", "phone")
    )
    # A student's own account keeps what they declared; lists only complete unknown students.
    _timed(
        cursor,
        "students",
        f"INSERT INTO enrollment_student ({columns}, updated_at) "
        f"SELECT {columns}, %s FROM {STAGING} WHERE true "
        f"ON CONFLICT (id_type, id_number) DO UPDATE SET {updates}, updated_at = excluded.updated_at "
        f"WHERE enrollment_student.user_id IS NULL AND ({differs})",
        [now],
    )
    _timed(
        cursor,
        "unchanged",
        f"SELECT count(*) FROM {STAGING} st "
        "JOIN enrollment_student s ON s.id_type = st.id_type AND s.id_number = st.id_number "
        "JOIN enrollment_registrationrequest r ON r.student_id = s.id AND r.academic_year_id = %s",
        [job.academic_year_id],
    )
    unchanged = int(cursor.fetchone()[0])
    _timed(
        cursor,
        "requests",
        "INSERT INTO enrollment_registrationrequest (student_id, academic_year_id, institution_id, aggregator_id, "
        "track, fee_paying, registered_on, status, source, no_other_coverage, submitted_at, decided_at, "
        "reject_reason, comment, import_job_id) "
        "SELECT s.id, %s, st.institution_id, st.aggregator_id, st.track, st.fee_paying, st.registered_on, "
        f"'validated', 'upload', %s, %s, %s, '', '', %s FROM {STAGING} st "
        "JOIN enrollment_student s ON s.id_type = st.id_type AND s.id_number = st.id_number "
        "WHERE NOT EXISTS (SELECT 1 FROM enrollment_registrationrequest r "
        "WHERE r.student_id = s.id AND r.academic_year_id = %s)",
        [job.academic_year_id, True, now, now, job.pk, job.academic_year_id],
    )
    created = max(cursor.rowcount, 0)
    cursor.execute(f"DROP TABLE {STAGING}")
    return created, unchanged


def import_notify_students(*, job_id: int) -> int:
    from amo.enrollment.models import RegistrationRequest
    from amo.enrollment.services import notify_student as _notify

    sent = 0
    qs = (
        RegistrationRequest.objects.filter(import_job_id=job_id)
        .exclude(student__email="")
        .select_related("student__user", "academic_year")
    )
    for request in qs.iterator(chunk_size=500):
        with transaction.atomic():
            _notify(request)
        sent += 1
    return sent


def report_rows(job: ImportJob) -> Iterator[list[str]]:
    if not job.error_report:
        return iter(())
    with job.error_report.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return csv.reader(text.splitlines()[1:], delimiter=";")
