"""Import a registration list: parse and check every row, stage the valid ones, then apply them
in one transaction with set-based SQL (COPY on PostgreSQL). The file is applied whole or not
at all; rows in error go to a downloadable report; the same file twice changes nothing."""

import csv
import hashlib
import io
import logging
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import polars as pl
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amo.common.errors import DomainError, label_for
from amo.common.services import audit_record
from amo.enrollment.exports import neutralise
from amo.enrollment.services import STUDENT_FIELDS
from amo.imports import rules, vectorised
from amo.imports.errors import ImportProblem
from amo.imports.models import ImportJob, ImportKind, ImportStatus
from amo.imports.readers import Table, UnreadableFile, detect_encoding, read_table
from amo.organisations.models import Institution
from amo.referentials.models import AcademicYear
from amo.referentials.selectors import parameter_value

logger = logging.getLogger(__name__)

STAGING = "import_staging"
STUDENT_COLUMNS = ("id_type", "id_number", *STUDENT_FIELDS)
STAGED = vectorised.CLEAN

MAX_UPLOAD_BYTES = 256 * 1024 * 1024
FRESH_STATISTICS_AFTER = 50_000  # requests created by one file


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
    """Writes valid rows to a temporary staging table: COPY (CSV) on PostgreSQL, executemany
    elsewhere. On PostgreSQL each staged row takes the student id it will have if it is new
    (the identity sequence's next value), so the requests need no second join."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.postgres = connection.vendor == "postgresql"
        self.rows: list[tuple[Any, ...]] = []
        self.identities: list[pl.DataFrame] = []
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        new_id = ""
        if self.postgres:
            # The sequence is named once: calling pg_get_serial_sequence in the default would
            # cost each row a catalogue lookup (4 s for a national file).
            cursor.execute("SELECT pg_get_serial_sequence('enrollment_student', 'id')")
            new_id = f"DEFAULT nextval('{cursor.fetchone()[0]}'::regclass)"
        cursor.execute(
            f"CREATE TEMP TABLE {STAGING} (line integer, id_type varchar(16), id_number varchar(20), "
            "massar varchar(10), "
            "last_name varchar(80), first_name varchar(80), last_name_ar varchar(80), first_name_ar varchar(80), "
            "birth_date date, birth_place varchar(80), sex varchar(1), nationality varchar(60), "
            "address varchar(250), "
            "email varchar(254), phone varchar(16), rib varchar(24), institution_id bigint, aggregator_id bigint, "
            f"track varchar(120), fee_paying boolean, registered_on date, new_id bigint {new_id})"
        )
        self.copy: Any = None
        if self.postgres:
            # Check foreign keys statement by statement rather than queueing millions of
            # deferred checks for the commit; the transaction still applies whole or not at all.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            texts = ", ".join(c for c, kind in vectorised.SCHEMA.items() if kind == pl.String)
            self._copy_cm = cursor.cursor.copy(
                f"COPY {STAGING} ({', '.join(STAGED)}) FROM STDIN (FORMAT csv, FORCE_NOT_NULL ({texts}))"
            )
            self.copy = self._copy_cm.__enter__()

    def encode(self, frame: pl.DataFrame) -> Any:
        """Rows as the staging table takes them (CSV bytes for COPY, or tuples); may run in the
        reading thread. Their identities are kept aside to find duplicates at the end."""
        self.identities.append(frame.select("line", "id_type", "id_number"))
        if not self.postgres:
            return frame.rows()
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, date_format="%Y-%m-%d")
        return buffer.getvalue()

    def write(self, payload: Any) -> None:
        if self.copy is not None:
            self.copy.write(payload)
        elif payload:
            marks = ", ".join(["%s"] * len(STAGED))
            self.cursor.executemany(f"INSERT INTO {STAGING} ({', '.join(STAGED)}) VALUES ({marks})", payload)

    def add(self, row: tuple[Any, ...]) -> None:
        """One row cleaned by rules.clean_row, in STAGED order."""
        self.rows.append(row)
        if len(self.rows) >= 5000:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.write(self.encode(vectorised.frame_of(self.rows)))
            self.rows = []

    def duplicates(self) -> list[tuple[int, int]]:
        """A student on several lines: the first line is kept, the others are reported with the
        line they repeat, and taken out of the staging table."""
        if not self.identities:
            return []
        identities = pl.concat(self.identities)
        self.identities = []
        key = pl.struct("id_type", "id_number")
        twice = (
            identities.filter(key.is_duplicated())
            .with_columns(first=pl.col("line").min().over("id_type", "id_number"))
            .filter(pl.col("line") > pl.col("first"))
            .sort("line")
        )
        found = [(int(line), int(first)) for line, first in twice.select("line", "first").iter_rows()]
        lines = [line for line, _first in found]
        if self.postgres and lines:  # one pass, the list hashed
            self.cursor.execute(f"DELETE FROM {STAGING} WHERE line = ANY(%s)", [lines])
        for start in range(0, 0 if self.postgres else len(lines), 500):
            chunk = lines[start : start + 500]
            self.cursor.execute(f"DELETE FROM {STAGING} WHERE line IN ({', '.join(['%s'] * len(chunk))})", chunk)
        return found

    def abort(self, exc: BaseException) -> None:
        if self.copy is not None:
            self.copy = None
            try:
                self._copy_cm.__exit__(type(exc), exc, exc.__traceback__)
            except Exception:  # the COPY was refused: the error that matters is exc
                logger.warning("import staging: COPY ended on %r", exc)

    def close(self) -> None:
        self.flush()
        if self.copy is not None:
            self._copy_cm.__exit__(None, None, None)
            self.copy = None
        if self.postgres:
            self.cursor.execute(f"ANALYZE {STAGING}")
        else:
            self.cursor.execute(f"CREATE INDEX {STAGING}_identity ON {STAGING} (id_type, id_number)")


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
            try:
                _run(job, allowed)
            except IntegrityError:
                # A student registered on the portal while the file was applied: nothing was
                # applied; the second reading finds them.
                logger.warning("import %s: a student was registered meanwhile, applying again", job.pk)
                _run(job, allowed)
        except _FileRefused as refused:
            _failed(job, refused.code, refused.detail)
        except Exception:
            _failed(job, ImportProblem.INTERRUPTED)  # nothing was applied: the job must not stay "running"
            raise
    if job.rows_created >= FRESH_STATISTICS_AFTER and connection.vendor == "postgresql":
        # A national list doubles the tables at once: without fresh statistics the planner
        # chose slow plans for the queue pages (169 ms instead of 64) until autovacuum came by.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE enrollment_student, enrollment_registrationrequest")
    return job


def _failed(job: ImportJob, code: str, detail: str = "") -> None:
    job.status, job.file_error, job.file_error_detail = ImportStatus.FAILED, code, detail
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "file_error", "file_error_detail", "finished_at"])


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


def _utf8_copy(path: str) -> tuple[str, bool]:
    """The file itself when it is UTF-8 with LF or CRLF line ends; else a UTF-8 copy with LF
    line ends (Windows-1256 or Latin-1, or lines ended by CR alone), streamed."""
    with open(path, "rb") as handle:
        encoding = detect_encoding(handle)
        head = handle.read(1 << 20)
    cr_only = b"\r" in head and b"\n" not in head
    if encoding == "utf-8-sig" and not cr_only:
        return path, False
    with (
        open(path, encoding=encoding, newline=None if cr_only else "") as source,
        tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", suffix=".csv", delete=False) as target,
    ):
        while chunk := source.read(1 << 20):
            target.write(chunk)
    return target.name, True


class _Report:
    """The error report, written as rows are read: line, reasons, then the row as it was sent."""

    def __init__(self, header: list[str]) -> None:
        self.file = tempfile.NamedTemporaryFile("w+", encoding="utf-8", newline="", suffix=".csv", delete=False)  # noqa: SIM115
        self.writer = csv.writer(self.file, delimiter=";")
        self.writer.writerow([_("Line"), _("Errors"), *header])
        self.count, self.last, self.in_order = 0, 0, True

    def row(self, line: int, reasons: str, raw: list[Any] | tuple[Any, ...] = ()) -> None:
        self.count += 1
        self.in_order = self.in_order and line > self.last
        self.last = max(self.last, line)
        self.writer.writerow([line, reasons, *(neutralise(v) for v in raw)])

    def content(self) -> ContentFile:
        """The report in line order (duplicates and students registered elsewhere are found
        after the reading, and written last)."""
        self.file.flush()
        self.file.seek(0)
        text = self.file.read()
        if not self.in_order:
            records: list[list[str]] = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
            header, rows = records[0], records[1:]
            ordered = io.StringIO(newline="")
            writer = csv.writer(ordered, delimiter=";")
            rows.sort(key=lambda row: int(row[0]))  # by line
            writer.writerow(header)
            writer.writerows(rows)
            text = ordered.getvalue()
        return ContentFile(("\ufeff" + text).encode())

    def close(self) -> None:
        self.file.close()
        Path(self.file.name).unlink(missing_ok=True)


def _stage_one(
    stager: _Stager, report: _Report, line: int, raw: list[Any], positions: dict[str, int], ctx: Any
) -> None:
    clean, problems = rules.clean_row(raw, positions, ctx)
    if clean is None:
        report.row(line, _explain(problems), raw)
    else:
        stager.add((line, *(clean[c] for c in STAGED[1:])))


def _run(job: ImportJob, allowed: set[int] | None) -> None:
    """Read and check every row (CSV: by batches, the common forms checked at once, the others
    row by row; XLSX: row by row), stage the valid ones, then apply them in one transaction."""
    source, temporary, table, delimiter = job.file.path, False, None, ""
    xlsx = job.filename.lower().endswith((".xlsx", ".xlsm"))
    try:
        if xlsx:
            try:
                table = read_table(source, job.filename)
            except UnreadableFile as exc:
                raise _FileRefused(str(exc)) from exc
            header = table.header
        else:
            source, temporary = _utf8_copy(source)
            header, delimiter = vectorised.header_of(source)
            if not any(name.strip() for name in header):
                raise _FileRefused(ImportProblem.EMPTY_FILE)
        positions, extra = rules.map_header(header)
        missing = rules.missing_columns(positions, institution_fixed=job.institution_id is not None)
        if missing:
            raise _FileRefused(ImportProblem.MISSING_COLUMNS, ", ".join(missing))
        ctx = _context(job, allowed)
        report = _Report(header)
        try:
            # The rows, the job's figures, its report and its audit row: together or not at all.
            with transaction.atomic():
                created, unchanged, total = _read_and_apply(
                    job, ctx, positions, report, table, source, header, delimiter
                )
                job.error_report.save(f"errors-{job.pk}.csv", report.content(), save=False)
                _done(job, total=total, errors=report.count, created=created, unchanged=unchanged, extra=extra)
        finally:
            report.close()
    finally:
        if temporary:
            Path(source).unlink(missing_ok=True)


def _done(job: ImportJob, *, total: int, errors: int, created: int, unchanged: int, extra: list[str]) -> None:
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


def _read_and_apply(
    job: ImportJob,
    ctx: rules.RowContext,
    positions: dict[str, int],
    report: _Report,
    table: Table | None,
    source: str,
    header: list[str],
    delimiter: str,
) -> tuple[int, int, int]:
    total = 0
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        stager = _Stager(cursor)
        try:
            if table is not None:
                for line, raw in enumerate(table.rows, start=2):
                    if any(str(v).strip() for v in raw):
                        total += 1
                        _stage_one(stager, report, line, raw, positions, ctx)
            else:
                batches = vectorised.checked_batches(
                    source, delimiter=delimiter, width=len(header), positions=positions, ctx=ctx, encode=stager.encode
                )
                with closing(batches):  # stops the reading thread whatever happens here
                    for payload, cleaned, others in batches:
                        stager.write(payload)
                        total += cleaned + others.height
                        for line, *cells in others.iter_rows():
                            _stage_one(stager, report, line, ["" if v is None else v for v in cells], positions, ctx)
        except BaseException as exc:
            stager.abort(exc)  # end the COPY, so that the transaction can roll back
            if isinstance(exc, pl.exceptions.PolarsError):
                raise _FileRefused(ImportProblem.UNREADABLE) from exc
            raise
        stager.close()
        logger.info("import %s: %s rows read and checked in %.1f s", job.pk, total, time.perf_counter() - started)
        if total == 0:
            raise _FileRefused(ImportProblem.EMPTY_FILE)
        late = []  # rows refused after the reading: their cells are read again for the report
        for line, first in stager.duplicates():
            where = _("line %(line)s") % {"line": first}
            late.append((line, f"id_number: {label_for(ImportProblem.DUPLICATE_IN_FILE)} ({where})"))
        logger.info("import %s: duplicates at %.1f s", job.pk, time.perf_counter() - started)
        created, unchanged, elsewhere = _apply(cursor, job)
        for line in elsewhere:  # without the other institution's request reference (law 09-08)
            late.append((line, f"id_number: {label_for(ImportProblem.OTHER_INSTITUTION)}"))
        sent = _cells_of(job, source, {line for line, _reason in late}) if late else {}
        for line, reason in late:
            report.row(line, reason, sent.get(line, ()))
        logger.info("import %s: applied at %.1f s", job.pk, time.perf_counter() - started)
    logger.info("import %s: committed at %.1f s", job.pk, time.perf_counter() - started)
    return created, unchanged, total


def _cells_of(job: ImportJob, source: str, lines: set[int]) -> dict[int, list[Any]]:
    """The cells of some lines of the file, as sent, so that every refused row of the report
    can be corrected and uploaded again. The row-by-row reader reads the file once more (its
    UTF-8 copy for a CSV), only when such rows exist, and only up to the last of them."""
    xlsx = job.filename.lower().endswith((".xlsx", ".xlsm"))
    found: dict[int, list[Any]] = {}
    last = max(lines)
    rows = read_table(job.file.path if xlsx else source, job.filename).rows  # generators: they close
    with closing(rows):  # type: ignore[type-var]  # typed as Iterator by Table
        try:
            for line, raw in enumerate(rows, start=2):
                if line in lines:
                    found[line] = list(raw)
                if line >= last:
                    break
        except csv.Error:  # a row Python's reader refuses (an enormous cell): reported without its cells
            logger.warning("import %s: cells of the late rows not read again", job.pk)
    return found


def _timed(cursor: Any, label: str, sql: str, params: list[Any]) -> None:
    started = time.perf_counter()
    cursor.execute(sql, params)
    logger.info("import step %s: %.2f s", label, time.perf_counter() - started)


PLAN = "import_plan"


def _apply(cursor: Any, job: ImportJob) -> tuple[int, int, list[int]]:
    """Apply the staged rows; returns (requests created, rows already there, the lines refused
    because the student is registered this year at another institution).

    One join finds the staged students already known (the plan); new students are inserted
    with the id staged for them, and each request with its student's id, without a second join.
    A student's own account keeps what they declared: lists only complete unknown students."""
    now = timezone.now()
    year = job.academic_year_id
    differs = " OR ".join(
        f"s.{c} <> st.{c}" for c in ("massar", "last_name", "first_name", "birth_date", "email", "phone")
    )
    cursor.execute(f"DROP TABLE IF EXISTS {PLAN}")
    _timed(
        cursor,
        "plan",
        f"CREATE TEMP TABLE {PLAN} AS SELECT st.line, s.id AS student_id, "
        f"s.user_id IS NULL AND ({differs}) AS complete, "
        "r.id AS request_id, r.institution_id <> st.institution_id AS elsewhere "
        f"FROM {STAGING} st JOIN enrollment_student s ON s.id_type = st.id_type AND s.id_number = st.id_number "
        "LEFT JOIN enrollment_registrationrequest r ON r.student_id = s.id AND r.academic_year_id = %s",
        [year],
    )
    cursor.execute(f"CREATE UNIQUE INDEX {PLAN}_line ON {PLAN} (line)")
    cursor.execute(f"SELECT line FROM {PLAN} WHERE elsewhere ORDER BY line")
    elsewhere = [int(line) for (line,) in cursor.fetchall()]
    cursor.execute(f"SELECT count(*) FROM {PLAN} WHERE request_id IS NOT NULL AND NOT elsewhere")
    unchanged = int(cursor.fetchone()[0])
    columns = ", ".join(STUDENT_COLUMNS[2:])
    _timed(
        cursor,
        "complete students",
        f"UPDATE enrollment_student SET ({columns}, updated_at) = "
        f"({', '.join('st.' + c for c in STUDENT_COLUMNS[2:])}, %s) FROM {PLAN} p JOIN {STAGING} st "
        "ON st.line = p.line WHERE enrollment_student.id = p.student_id AND p.complete AND p.elsewhere IS NOT TRUE",
        [now],
    )
    _timed(
        cursor,
        "new students",
        f"INSERT INTO enrollment_student (id, {', '.join(STUDENT_COLUMNS)}, updated_at) "
        f"SELECT st.new_id, {', '.join('st.' + c for c in STUDENT_COLUMNS)}, %s FROM {STAGING} st "
        f"WHERE NOT EXISTS (SELECT 1 FROM {PLAN} p WHERE p.line = st.line)",
        [now],
    )
    _timed(
        cursor,
        "requests",
        "INSERT INTO enrollment_registrationrequest (student_id, academic_year_id, institution_id, aggregator_id, "
        "track, fee_paying, registered_on, status, source, no_other_coverage, submitted_at, decided_at, "
        "reject_reason, comment, import_job_id) "
        # On SQLite new_id is empty: the student is found again by identity.
        "SELECT COALESCE(p.student_id, st.new_id, (SELECT s.id FROM enrollment_student s "
        "WHERE s.id_type = st.id_type AND s.id_number = st.id_number)), %s, st.institution_id, st.aggregator_id, "
        "st.track, st.fee_paying, st.registered_on, "
        f"'validated', 'upload', %s, %s, %s, '', '', %s FROM {STAGING} st LEFT JOIN {PLAN} p ON p.line = st.line "
        "WHERE p.request_id IS NULL",
        [year, True, now, now, job.pk],
    )
    created = max(cursor.rowcount, 0)
    cursor.execute(f"DROP TABLE {PLAN}")
    cursor.execute(f"DROP TABLE {STAGING}")
    return created, unchanged, elsewhere


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
