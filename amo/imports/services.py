"""Import a registration list: parse and check every row, stage the valid ones, then apply them
with set-based SQL (COPY on PostgreSQL). The file is applied whole or not at all; rows in error go
to a downloadable report, written to disk as they are found (bounded memory); the same file twice
changes nothing.

PostgreSQL reads, checks and applies in one transaction: its readers and writers never wait for
it. SQLite has a single writer, so there the platform stays usable during a long list: the rows are
read, checked and staged without holding the database's write lock (the staging tables are
temporary, private to the connection), then applied in short transactions of APPLY_CHUNK rows,
between which logins and API calls get their turn; if anything fails once the first chunk is
applied, what the file applied is taken back (_undo), so the file still applies whole or not at all."""

import csv
import hashlib
import heapq
import io
import logging
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, nullcontext
from pathlib import Path
from typing import Any

import polars as pl
from django.core.files.base import File
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amo.accounts.actors import ActingUser, actor_for
from amo.common import clock
from amo.common.csvfiles import neutralise
from amo.common.errors import DomainError, ErrorCode, label_for, message_for
from amo.common.readers import TABLE_KINDS, Table, UnreadableFile, detect_encoding, read_table
from amo.common.services import audit_record
from amo.common.validators import upload_check
from amo.enrollment.duplicates import duplicates_flag, duplicates_forget
from amo.enrollment.models import RegistrationRequest
from amo.enrollment.rules import year_closed_problem
from amo.enrollment.services import STUDENT_FIELDS, notify_student
from amo.imports import rules, vectorised
from amo.imports.errors import ImportProblem
from amo.imports.models import ImportJob, ImportKind, ImportStatus
from amo.organisations.access import institution_scope
from amo.organisations.models import Institution
from amo.referentials.models import AcademicYear
from amo.referentials.rules import regime_ended_problem
from amo.referentials.selectors import parameter_int, parameter_text, regime_end, regime_refuse_after_end

logger = logging.getLogger(__name__)

STAGING = "import_staging"
STUDENT_COLUMNS = ("id_type", "id_number", *STUDENT_FIELDS)
STAGED = vectorised.CLEAN

MAX_UPLOAD_BYTES = 256 * 1024 * 1024
FRESH_STATISTICS_AFTER = 50_000  # requests created by one file
# SQLite: rows applied per transaction; each holds the write lock for well under a second, far
# below the busy timeout other requests wait (config/settings.py, DATABASES).
APPLY_CHUNK = 5000
CREATED, PREVIOUS = "import_created", "import_previous"  # SQLite: what _undo takes back


def _short_transactions() -> bool:
    """SQLite: work in short transactions, never holding the single writer's lock for long."""
    return connection.vendor == "sqlite"


def _sha256(handle: Any) -> str:
    digest = hashlib.sha256()
    for chunk in handle.chunks() if hasattr(handle, "chunks") else iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


@transaction.atomic
def import_job_create(
    *, actor: ActingUser, upload: Any, academic_year: AcademicYear, institution: Institution | None
) -> ImportJob:
    """Store the upload and queue its processing (after commit)."""
    regime_refuse_after_end(clock.today(), field="academic_year_id")  # law 54.23, the form's rule too
    if closed := year_closed_problem(academic_year.registration_open):  # the student form's rule
        raise DomainError(closed, fields={"academic_year_id": [closed]})
    upload_check(upload.name, TABLE_KINDS)  # the page's form checks it too; the API only here
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
        age_reference=parameter_text("age_reference", year.starts_on),
        age_limit=parameter_int("age_limit_years", year.starts_on),
        minimum_age=parameter_int("minimum_age_years", year.starts_on),
        year_code=year.code,
        institutions=institutions,
        allowed=allowed,
        fixed=fixed,
        today=clock.today(),
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
            sql = f"INSERT INTO {STAGING} ({', '.join(STAGED)}) VALUES ({marks})"
            if _short_transactions() and connection.get_autocommit():
                # One deferred transaction per batch: it writes only the temporary table, so it
                # takes no lock on the database (BEGIN IMMEDIATE, Django's, would take the writer's).
                self.cursor.execute("BEGIN DEFERRED")
                try:
                    self.cursor.executemany(sql, payload)
                finally:
                    self.cursor.execute("COMMIT")
            else:
                self.cursor.executemany(sql, payload)

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
            self.cursor.execute(f"CREATE INDEX {STAGING}_line ON {STAGING} (line)")


def _explain(errors: list[str], ctx: rules.RowContext) -> str:
    """Every problem of a row, in one reason: "column: message | column: message"."""
    parts = []
    for item in errors:
        column, code, details = rules.problem_details(item, ctx)
        parts.append(f"{column}: {message_for(code, details)}")
    return " | ".join(parts)


def import_run(*, job_id: int) -> ImportJob:
    """Process one job (run by the worker). A file without a fixed institution (a national or
    channel file) may only name institutions of the uploader's perimeter."""
    job = ImportJob.objects.select_related("academic_year", "uploaded_by").get(pk=job_id)
    if not rules.import_can_move(job.status, ImportStatus.RUNNING):
        return job
    ended = regime_ended_problem(clock.today(), regime_end(clock.today()))  # law 54.23, since the upload
    if closed := ended or year_closed_problem(job.academic_year.registration_open):  # closed since the upload
        _failed(job, closed)
        return job
    allowed = _allowed_institutions(job)
    if not ImportJob.objects.filter(pk=job.pk, status=job.status).update(status=ImportStatus.RUNNING):
        return job  # taken meanwhile by another worker
    audit_record(
        actor=job.uploaded_by,
        action="import_running",
        obj=job,
        before={"status": job.status},
        after={"status": ImportStatus.RUNNING},
    )
    job.status = ImportStatus.RUNNING
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
    # Read again: a run that broke after its last write was rolled back, whatever the object says.
    before = ImportJob.objects.filter(pk=job.pk).values_list("status", flat=True).first() or job.status
    if not rules.import_can_move(before, ImportStatus.FAILED):
        raise DomainError(ErrorCode.INVALID_TRANSITION)
    job.status, job.file_error, job.file_error_detail = ImportStatus.FAILED, code, detail
    job.finished_at = clock.now()
    job.save(update_fields=["status", "file_error", "file_error_detail", "finished_at"])
    audit_record(
        actor=job.uploaded_by,
        action="import_failed",
        obj=job,
        before={"status": before},
        after={"status": job.status, "error": code},
    )


def _allowed_institutions(job: ImportJob) -> set[int] | None:
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
        open(path, encoding=encoding, errors="replace", newline=None if cr_only else "") as source,
        tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", suffix=".csv", delete=False) as target,
    ):
        while chunk := source.read(1 << 20):
            target.write(chunk)
    return target.name, True


def _line_of(row: Any) -> int:
    return int(row[0])


class _Report:
    """The error report, written to disk as rows are found, never held in memory: the rows refused
    while reading (in line order), then those refused after it (duplicates, students registered
    elsewhere; in line order too) in a second file; `finished` merges both into the report."""

    def __init__(self, header: list[str]) -> None:
        self.header = [_("Line"), _("Errors"), *(neutralise(h) for h in header)]
        self.files = [self._temporary("w+") for _kind in ("read", "late")]
        self.writers = [csv.writer(f, delimiter=";") for f in self.files]
        self.count = 0
        self.merged: Any = None

    @staticmethod
    def _temporary(mode: str) -> Any:
        return tempfile.NamedTemporaryFile(mode, encoding="utf-8", newline="", suffix=".csv", delete=False)

    def row(self, line: int, reasons: str, raw: Iterable[Any] = (), *, late: bool = False) -> None:
        self.count += 1
        self.writers[late].writerow([line, reasons, *(neutralise(v) for v in raw)])

    def finished(self) -> File[bytes]:
        """The report (UTF-8 with a BOM, for Excel) in line order, merged file to file."""
        readers: list[Iterator[list[str]]] = []
        for handle in self.files:
            handle.flush()
            handle.seek(0)
            readers.append(csv.reader(handle, delimiter=";"))
        self.merged = self._temporary("w")
        self.merged.write("\ufeff")
        writer = csv.writer(self.merged, delimiter=";")
        writer.writerow(self.header)
        writer.writerows(heapq.merge(*readers, key=_line_of))
        self.merged.close()
        return File(open(self.merged.name, "rb"))  # the caller closes it

    def close(self) -> None:
        for handle in self.files:
            handle.close()
            Path(handle.name).unlink(missing_ok=True)
        if self.merged is not None:
            Path(self.merged.name).unlink(missing_ok=True)


def _stage_one(
    stager: _Stager, report: _Report, line: int, raw: list[Any], positions: dict[str, int], ctx: Any
) -> None:
    clean, problems = rules.clean_row(raw, positions, ctx)
    if clean is None:
        report.row(line, _explain(problems, ctx), raw)
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
            try:
                source, temporary = _utf8_copy(source)
            except UnreadableFile as exc:
                raise _FileRefused(str(exc)) from exc
            header, delimiter = vectorised.header_of(source)
            if not any(name.strip() for name in header):
                raise _FileRefused(ImportProblem.EMPTY_FILE)
        positions, extra = rules.map_header(header)
        missing = rules.missing_columns(positions, institution_fixed=job.institution_id is not None)
        if missing:
            raise _FileRefused(ImportProblem.MISSING_COLUMNS, ", ".join(missing))
        ctx = _context(job, allowed)
        report = _Report(header)
        short = _short_transactions()
        try:
            # PostgreSQL: the rows, the job's figures, its report and its audit row together or not
            # at all, in one transaction. SQLite: short transactions, and _undo if anything fails.
            with nullcontext() if short else transaction.atomic():
                try:
                    created, unchanged, total = _read_and_apply(
                        job, ctx, positions, report, table, source, header, delimiter
                    )
                    content = report.finished()
                    try:
                        job.error_report.save(f"errors-{job.pk}.csv", content, save=False)  # copied in chunks
                    finally:
                        content.close()
                    with transaction.atomic():
                        _done(job, total=total, errors=report.count, created=created, unchanged=unchanged, extra=extra)
                except BaseException:
                    if short:
                        _undo(job)
                    raise
        finally:
            report.close()
            if short:
                _drop_undo_tables()
    finally:
        if temporary:
            Path(source).unlink(missing_ok=True)


def _done(job: ImportJob, *, total: int, errors: int, created: int, unchanged: int, extra: list[str]) -> None:
    before = job.status
    if not rules.import_can_move(before, ImportStatus.DONE):
        raise DomainError(ErrorCode.INVALID_TRANSITION)
    job.status, job.rows_total, job.rows_error = ImportStatus.DONE, total, errors
    job.rows_created, job.rows_unchanged = created, unchanged
    job.file_error_detail = ", ".join(extra)
    job.finished_at = clock.now()
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
        before={"status": before},
        after={"status": job.status, "rows": total, "created": created, "unchanged": unchanged, "errors": errors},
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
    # SQLite reads and stages outside any transaction of the database (temporary tables only).
    with nullcontext() if _short_transactions() else transaction.atomic(), connection.cursor() as cursor:
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
            raise _FileRefused(ImportProblem.NO_ROWS)  # a header alone
        duplicates = stager.duplicates()
        logger.info("import %s: duplicates at %.1f s", job.pk, time.perf_counter() - started)
        with tempfile.TemporaryFile("w+", encoding="ascii") as elsewhere:  # lines, in order
            created, unchanged = _apply(cursor, job, elsewhere)
            # The same person under another document this year: flagged for the institution, set-based.
            flagged = duplicates_flag(requests=RegistrationRequest.objects.filter(import_job=job))
            logger.info(
                "import %s: %s probable duplicates flagged at %.1f s", job.pk, flagged, time.perf_counter() - started
            )
            elsewhere.seek(0)
            # Rows refused after the reading, in line order: their cells are read again for the report.
            twice = label_for(ImportProblem.DUPLICATE_IN_FILE)
            other = label_for(ImportProblem.OTHER_INSTITUTION)  # without the other request's reference
            late = heapq.merge(
                ((line, f"id_number: {twice} ({_line(first)})") for line, first in duplicates),
                ((int(line), f"id_number: {other}") for line in elsewhere),
            )
            for line, reason, cells in _with_cells(job, source, late):
                report.row(line, reason, cells, late=True)
        logger.info("import %s: applied at %.1f s", job.pk, time.perf_counter() - started)
    logger.info("import %s: committed at %.1f s", job.pk, time.perf_counter() - started)
    return created, unchanged, total


def _with_cells(job: ImportJob, source: str, late: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str, list[Any]]]:
    """The rows refused after the reading (in line order), each with its cells as sent, so that
    every refused row of the report can be corrected and uploaded again. The row-by-row reader
    reads the file once more (its UTF-8 copy for a CSV), only when such rows exist, only up to the
    last of them, and keeps nothing."""
    pending = next(late, None)
    if pending is None:
        return
    xlsx = job.filename.lower().endswith((".xlsx", ".xlsm"))
    rows = read_table(job.file.path if xlsx else source, job.filename).rows  # generators: they close
    with closing(rows):  # type: ignore[type-var]  # a generator, typed as Iterator by Table
        try:
            for line, raw in enumerate(rows, start=2):
                while pending is not None and pending[0] <= line:
                    yield pending[0], pending[1], list(raw) if pending[0] == line else []
                    pending = next(late, None)
                if pending is None:
                    return
        except csv.Error:  # a row Python's reader refuses (an enormous cell): reported without its cells
            logger.warning("import %s: cells of the late rows not read again", job.pk)
    while pending is not None:
        yield pending[0], pending[1], []
        pending = next(late, None)


def _timed(cursor: Any, label: str, sql: str, params: list[Any]) -> None:
    started = time.perf_counter()
    cursor.execute(sql, params)
    logger.info("import step %s: %.2f s", label, time.perf_counter() - started)


PLAN = "import_plan"


def _apply(cursor: Any, job: ImportJob, elsewhere: Any) -> tuple[int, int]:
    """Apply the staged rows; returns (requests created, rows already there) and writes to
    `elsewhere` the lines refused because the student is registered this year at another
    institution. PostgreSQL: all at once, in the caller's transaction. SQLite: by chunks of
    APPLY_CHUNK lines, each in its own short transaction, keeping what _undo needs."""
    now = clock.now()
    created = unchanged = 0
    if not _short_transactions():
        created, unchanged = _apply_lines(cursor, job, now, elsewhere, 0, None)
    else:
        cursor.execute(f"DROP TABLE IF EXISTS {CREATED}")
        cursor.execute(f"DROP TABLE IF EXISTS {PREVIOUS}")
        cursor.execute(f"CREATE TEMP TABLE {CREATED} (id bigint)")
        cursor.execute(
            f"CREATE TEMP TABLE {PREVIOUS} AS SELECT id, {', '.join(STUDENT_COLUMNS[2:])} "
            "FROM enrollment_student WHERE 0"
        )
        low: int | None = 0
        while low is not None:
            cursor.execute(
                f"SELECT line FROM {STAGING} WHERE line >= %s ORDER BY line LIMIT 1 OFFSET %s", [low, APPLY_CHUNK]
            )
            found = cursor.fetchone()
            high = int(found[0]) if found else None
            with transaction.atomic():
                more, same = _apply_lines(cursor, job, now, elsewhere, low, high)
            created, unchanged, low = created + more, unchanged + same, high
    cursor.execute(f"DROP TABLE {STAGING}")
    return created, unchanged


def _apply_lines(cursor: Any, job: ImportJob, now: Any, elsewhere: Any, low: int, high: int | None) -> tuple[int, int]:
    """Apply the staged lines low <= line < high (no upper bound when high is None).

    One join finds the staged students already known (the plan); new students are inserted
    with the id staged for them, and each request with its student's id, without a second join.
    A student's own account keeps what they declared: lists only complete unknown students, and
    only those the uploading institution alone has declared."""
    year = job.academic_year_id
    short = _short_transactions()
    if low == 0 and high is None:  # every line (PostgreSQL): no condition for the planner to weigh
        lines, bounds = "TRUE", []
    else:
        lines = "st.line >= %s" + (" AND st.line < %s" if high is not None else "")
        bounds = [low] if high is None else [low, high]
    differs = " OR ".join(
        f"s.{c} <> st.{c}" for c in ("massar", "last_name", "first_name", "birth_date", "email", "phone")
    )
    cursor.execute(f"DROP TABLE IF EXISTS {PLAN}")
    _timed(
        cursor,
        "plan",
        f"CREATE TEMP TABLE {PLAN} AS SELECT st.line, s.id AS student_id, "
        # Only the institutions that declared a student complete it: another institution's list
        # would otherwise rewrite the e-mail the student later claims the record with.
        f"s.user_id IS NULL AND ({differs}) AND NOT EXISTS (SELECT 1 FROM enrollment_registrationrequest o "
        "WHERE o.student_id = s.id AND o.institution_id <> st.institution_id) AS complete, "
        "r.id AS request_id, r.institution_id <> st.institution_id AS elsewhere "
        f"FROM {STAGING} st JOIN enrollment_student s ON s.id_type = st.id_type AND s.id_number = st.id_number "
        "LEFT JOIN enrollment_registrationrequest r ON r.student_id = s.id AND r.academic_year_id = %s "
        f"WHERE {lines}",
        [year, *bounds],
    )
    cursor.execute(f"CREATE UNIQUE INDEX {PLAN}_line ON {PLAN} (line)")
    cursor.execute(f"SELECT line FROM {PLAN} WHERE elsewhere ORDER BY line")
    while batch := cursor.fetchmany(5000):
        elsewhere.writelines(f"{line}\n" for (line,) in batch)
    cursor.execute(f"SELECT count(*) FROM {PLAN} WHERE request_id IS NOT NULL AND NOT elsewhere")
    unchanged = int(cursor.fetchone()[0])
    columns = ", ".join(STUDENT_COLUMNS[2:])
    completed = "p.complete AND p.elsewhere IS NOT TRUE"
    if short:  # what the students were before being completed, for _undo
        cursor.execute(
            f"INSERT INTO {PREVIOUS} SELECT s.id, {', '.join('s.' + c for c in STUDENT_COLUMNS[2:])} "
            f"FROM enrollment_student s JOIN {PLAN} p ON p.student_id = s.id WHERE {completed}"
        )
    _timed(
        cursor,
        "complete students",
        f"UPDATE enrollment_student SET ({columns}, updated_at) = "
        f"({', '.join('st.' + c for c in STUDENT_COLUMNS[2:])}, %s) FROM {PLAN} p JOIN {STAGING} st "
        f"ON st.line = p.line WHERE enrollment_student.id = p.student_id AND {completed}",
        [now],
    )
    new = f"FROM {STAGING} st WHERE {lines} AND NOT EXISTS (SELECT 1 FROM {PLAN} p WHERE p.line = st.line)"
    _timed(
        cursor,
        "new students",
        f"INSERT INTO enrollment_student (id, {', '.join(STUDENT_COLUMNS)}, updated_at) "
        f"SELECT st.new_id, {', '.join('st.' + c for c in STUDENT_COLUMNS)}, %s {new}",
        [now, *bounds],
    )
    if short:
        cursor.execute(
            f"INSERT INTO {CREATED} SELECT s.id FROM enrollment_student s JOIN {STAGING} st "
            f"ON s.id_type = st.id_type AND s.id_number = st.id_number WHERE {lines} "
            f"AND NOT EXISTS (SELECT 1 FROM {PLAN} p WHERE p.line = st.line)",
            bounds,
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
        f"WHERE p.request_id IS NULL AND {lines}",
        [year, True, now, now, job.pk, *bounds],
    )
    created = max(cursor.rowcount, 0)
    cursor.execute(f"DROP TABLE {PLAN}")
    return created, unchanged


def _undo(job: ImportJob) -> None:
    """SQLite: take back what the chunks already committed (requests created, students created,
    students completed), in one transaction. Nothing to do when no chunk was applied."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_temp_master WHERE type = 'table' AND name = %s", [CREATED])
        if not cursor.fetchone()[0]:
            return
        columns = ", ".join(STUDENT_COLUMNS[2:])
        with transaction.atomic():
            duplicates_forget(requests=RegistrationRequest.objects.filter(import_job=job))
            cursor.execute("DELETE FROM enrollment_registrationrequest WHERE import_job_id = %s", [job.pk])
            cursor.execute(
                f"DELETE FROM enrollment_student WHERE id IN (SELECT id FROM {CREATED}) AND user_id IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM enrollment_registrationrequest r "
                "WHERE r.student_id = enrollment_student.id)"
            )
            cursor.execute(
                f"UPDATE enrollment_student SET ({columns}) = ({', '.join('pv.' + c for c in STUDENT_COLUMNS[2:])}) "
                f"FROM {PREVIOUS} pv WHERE enrollment_student.id = pv.id AND enrollment_student.user_id IS NULL"
            )
        logger.warning("import %s: the chunks already applied were taken back", job.pk)


def _drop_undo_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CREATED}")
        cursor.execute(f"DROP TABLE IF EXISTS {PREVIOUS}")


def import_notify_students(*, job_id: int) -> int:
    sent = 0
    qs = (
        RegistrationRequest.objects.filter(import_job_id=job_id)
        .exclude(student__email="")
        .select_related("student__user", "academic_year")
    )
    for request in qs.iterator(chunk_size=500):
        with transaction.atomic():
            notify_student(request)
        sent += 1
    return sent


def _line(number: int) -> str:
    # Outside the f-string above: makemessages cannot read a message inside an f-string's braces.
    return _("line %(line)s") % {"line": number}
