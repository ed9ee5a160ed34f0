"""CNOPS's side of the check: send the students of certified lists whose contribution is received
or exempt, receive the verdicts (from the platform's registry, a file or the API) and apply them:
refusals with their reason; the accepted are announced to the steps above (signals.py)."""

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from amo.accounts.actors import ActingUser
from amo.common import clock, transitions
from amo.common.bulk import insert_rows
from amo.common.errors import DomainError
from amo.common.readers import UnreadableFile, normalise_header, read_table
from amo.common.services import audit_record
from amo.eligibility import rules, selectors, signals
from amo.eligibility.contract import VERDICT_COLUMNS, VerdictRow, clean_cell
from amo.eligibility.errors import EligibilityError as E
from amo.eligibility.models import BatchStatus, CheckBatch, Verdict
from amo.enrollment.models import RegistrationRequest, RegistrationStatus
from amo.enrollment.services import registration_move, registrations_move
from amo.referentials.models import AcademicYear
from amo.referentials.rules import age_reference_date
from amo.referentials.selectors import (
    coverage_scheme_codes,
    parameter_int,
    parameter_text,
    regime_refuse_after_end,
)


@transaction.atomic
def batch_send(*, actor: ActingUser, academic_year: AcademicYear) -> CheckBatch:
    """Freeze the students ready for the check into a numbered batch (set-based), mark them
    "pending ANAM" and, when the registry runs in the platform, have it answer."""
    AcademicYear.objects.select_for_update().get(pk=academic_year.pk)  # one batch at a time per year
    today = clock.today()
    regime_refuse_after_end(today)  # law 54.23: no batch after the regime's end
    ids = selectors.ready_for_check(academic_year).values("id")
    if not ids.exists():
        raise DomainError(E.NOTHING_TO_SEND)
    sequence = CheckBatch.objects.filter(academic_year=academic_year).count() + 1
    batch = CheckBatch.objects.create(
        number=rules.batch_number(academic_year.code, sequence),
        academic_year=academic_year,
        reference_date=rules.reference_date(academic_year.starts_on, academic_year.ends_on, today),
        age_limit=parameter_int("age_limit_years", academic_year.starts_on),
        sent_by=actor if getattr(actor, "pk", None) else None,
        sent_at=clock.now(),
    )
    # Age is measured on the date the form and the import measured it on (referentials'
    # age_reference_date): the year's start or end, or the request's own registration date.
    reference = parameter_text("age_reference", academic_year.starts_on)
    fixed_reference = age_reference_date(
        reference, year_starts_on=academic_year.starts_on, year_ends_on=academic_year.ends_on, registered_on=None
    )
    age_reference_sql = "COALESCE(r.registered_on, %s)" if reference == "registration_date" else "%s"
    with connection.cursor() as cursor:
        sql, params = ids.query.sql_with_params()
        cursor.execute(
            "INSERT INTO eligibility_checkentry "
            "(batch_id, request_id, id_type, id_number, birth_date, age_exempt, age_reference_date) "
            f"SELECT %s, r.id, s.id_type, s.id_number, s.birth_date, c.age_limit_exempt, {age_reference_sql} "
            "FROM enrollment_registrationrequest r "
            "JOIN enrollment_student s ON s.id = r.student_id "
            "JOIN organisations_institution i ON i.id = r.institution_id "
            "JOIN organisations_institutioncategory c ON c.id = i.category_id "
            f"WHERE r.id IN ({sql}) ORDER BY r.id",
            [batch.pk, fixed_reference, *params],
        )
        batch.sent_count = cursor.rowcount
    batch.save(update_fields=["sent_count"])
    registrations_move(
        actor=actor,
        requests=RegistrationRequest.objects.filter(checks__batch=batch),
        target=RegistrationStatus.PENDING_ANAM,
        action="registration_pending_anam",
    )
    audit_record(actor=actor, action="anam_batch_send", obj=batch, after={"students": batch.sent_count})
    if settings.ANAM_CHECKER == "platform":
        from amo.eligibility.tasks import answer_and_apply

        batch_id = batch.pk
        transaction.on_commit(lambda: answer_and_apply.enqueue(batch_id))
    return batch


MAX_REPORTED = 1000
VERDICT_STAGE = "verdict_stage"


def _report(errors: list[tuple[int, str]], line: int, code: str) -> None:
    """Keep the first lines in error for the report (the file is refused whatever their number)."""
    if len(errors) < MAX_REPORTED:
        errors.append((line, code))


def parse_verdicts(path: str, batch: CheckBatch, errors: list[tuple[int, str]]) -> Iterator[VerdictRow]:
    """Read ANAM's verdict file (contract.VERDICT_COLUMNS) line by line; a line in error is
    reported in `errors` and not yielded. Nothing is applied here. The schemes in force are read
    now, not by the generator: PostgreSQL's COPY consumes it, and its connection can run no query."""
    schemes = coverage_scheme_codes(batch.reference_date)
    return _verdict_rows(path, batch.number, errors, schemes)


def _verdict_rows(
    path: str, batch_number: str, errors: list[tuple[int, str]], schemes: frozenset[str]
) -> Iterator[VerdictRow]:
    try:
        table = read_table(path, "verdicts.csv")
    except UnreadableFile as exc:
        raise DomainError(E.UNREADABLE) from exc
    header = [normalise_header(h) for h in table.header]
    if any(col not in header for col in VERDICT_COLUMNS):
        raise DomainError(E.LAYOUT)
    pos = {col: header.index(col) for col in VERDICT_COLUMNS}
    for number, cells in enumerate(table.rows, start=2):
        if not any(clean_cell(c) for c in cells):
            continue
        if len(cells) < len(VERDICT_COLUMNS):
            _report(errors, number, E.TRUNCATED)
            continue
        entry, outcome = clean_cell(cells[pos["entry"]]), clean_cell(cells[pos["outcome"]]).lower()
        reason, scheme = clean_cell(cells[pos["reason"]]).lower(), clean_cell(cells[pos["scheme"]]).lower()
        if clean_cell(cells[pos["batch"]]) != batch_number or not entry.isdigit():
            _report(errors, number, E.UNKNOWN_ENTRY)
            continue
        if problem := rules.verdict_problem(outcome, reason, scheme, schemes):
            _report(errors, number, problem)
            continue
        yield VerdictRow(int(entry), outcome, reason, scheme, number)


def _stage_problems(cursor: Any, batch: CheckBatch) -> list[tuple[int, str]]:
    """What the staged answer gets wrong against the batch, found in SQL: a verdict for a student
    never sent in this batch, or a second verdict for the same student."""
    cursor.execute(
        f"SELECT line FROM {VERDICT_STAGE} s WHERE NOT EXISTS (SELECT 1 FROM eligibility_checkentry e "
        f"WHERE e.id = s.entry AND e.batch_id = %s) ORDER BY line LIMIT {MAX_REPORTED}",
        [batch.pk],
    )
    problems = [(int(row[0]), str(E.UNKNOWN_ENTRY)) for row in cursor.fetchall()]
    cursor.execute(
        f"SELECT line FROM (SELECT line, ROW_NUMBER() OVER (PARTITION BY entry ORDER BY line) AS n "
        f"FROM {VERDICT_STAGE}) d WHERE n > 1 ORDER BY line LIMIT {MAX_REPORTED}"
    )
    problems += [(int(row[0]), str(E.VERDICT_TWICE)) for row in cursor.fetchall()]
    return problems


@transaction.atomic
def verdicts_receive(
    *,
    actor: ActingUser,
    batch: CheckBatch,
    rows: Iterable[VerdictRow],
    errors: list[tuple[int, str]] | None = None,
    sha256: str = "",
) -> CheckBatch:
    """Record ANAM's answer for a whole batch, or nothing: every student answered once, no verdict
    for a student never sent. The rows are staged and checked in SQL (a national answer is 1.5
    million lines); the same file twice changes nothing."""
    batch = CheckBatch.objects.select_for_update().get(pk=batch.pk)
    if not transitions.allowed(rules.BATCH_TRANSITIONS, batch.status, BatchStatus.ANSWERED):
        if sha256 and sha256 == batch.verdict_sha256:
            raise DomainError(E.FILE_TWICE)
        raise DomainError(E.BATCH_ANSWERED)
    errors = errors if errors is not None else []
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {VERDICT_STAGE}")
        cursor.execute(
            f"CREATE TEMP TABLE {VERDICT_STAGE} (line integer, entry bigint, outcome varchar(8), "
            "reason varchar(20), scheme varchar(8))"
        )
        staged = insert_rows(
            VERDICT_STAGE,
            ["line", "entry", "outcome", "reason", "scheme"],
            ((r.line or n, r.entry, r.outcome, r.reason, r.scheme) for n, r in enumerate(rows, start=1)),
        )
        problems = sorted(errors + _stage_problems(cursor, batch))
        if problems:
            cursor.execute(f"DROP TABLE {VERDICT_STAGE}")
            raise DomainError(E.FILE_ERRORS, fields={"lines": [f"{n}: {code}" for n, code in problems[:MAX_REPORTED]]})
        cursor.execute(
            f"SELECT COUNT(*) FROM eligibility_checkentry e WHERE e.batch_id = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {VERDICT_STAGE} s WHERE s.entry = e.id)",
            [batch.pk],
        )
        if cursor.fetchone()[0]:
            cursor.execute(f"DROP TABLE {VERDICT_STAGE}")
            raise DomainError(E.VERDICT_MISSING)
        cursor.execute(
            "INSERT INTO eligibility_verdict (entry_id, batch_id, notified, outcome, reason, scheme) "
            f"SELECT entry, %s, false, outcome, reason, scheme FROM {VERDICT_STAGE} ORDER BY entry",
            [batch.pk],
        )
        cursor.execute(f"DROP TABLE {VERDICT_STAGE}")
    before = batch.status
    batch.status = BatchStatus.ANSWERED
    batch.answered_by = "file"
    batch.answered_at = clock.now()
    batch.verdict_sha256 = sha256
    batch.save(update_fields=["status", "answered_by", "answered_at", "verdict_sha256"])
    audit_record(
        actor=actor,
        action="anam_verdicts_receive",
        obj=batch,
        before={"status": before},
        after={"status": batch.status, "verdicts": staged},
    )
    batch_id = batch.pk
    from amo.eligibility.tasks import apply_verdicts

    transaction.on_commit(lambda: apply_verdicts.enqueue(batch_id))
    return batch


def verdicts_receive_file(*, actor: ActingUser, batch: CheckBatch, content: bytes) -> CheckBatch:
    import tempfile

    sha = hashlib.sha256(content).hexdigest()
    if batch.verdict_sha256 == sha:
        raise DomainError(E.FILE_TWICE)
    errors: list[tuple[int, str]] = []
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(content)
        handle.flush()
        rows = parse_verdicts(handle.name, batch, errors)
        return verdicts_receive(actor=actor, batch=batch, rows=rows, errors=errors, sha256=sha)


@transaction.atomic
def verdicts_apply(*, batch_id: int, actor: ActingUser = None) -> CheckBatch:
    """Refusals get their reason on the student's timeline; the accepted become insured (by the
    receivers of signals.verdicts_accepted, in this transaction)."""
    batch = CheckBatch.objects.select_for_update().get(pk=batch_id)
    if not transitions.allowed(rules.BATCH_TRANSITIONS, batch.status, BatchStatus.APPLIED):
        return batch
    registrations_move(
        actor=None,
        requests=RegistrationRequest.objects.filter(checks__verdict__batch=batch, checks__verdict__outcome="refused"),
        target=RegistrationStatus.REFUSED_ANAM,
        action="registration_refused_anam",
        # The join of the filter, read again: each request's verdict in this batch.
        reason=F("checks__verdict__reason"),
        comment=F("checks__verdict__scheme"),
    )
    batch.refused = Verdict.objects.filter(batch=batch, outcome="refused").count()
    batch.accepted = signals.total(signals.verdicts_accepted.send(CheckBatch, batch=batch))
    before = batch.status
    batch.status = BatchStatus.APPLIED
    batch.applied_at = clock.now()
    batch.save(update_fields=["refused", "accepted", "status", "applied_at"])
    audit_record(
        actor=actor,
        action="anam_verdicts_apply",
        obj=batch,
        before={"status": before},
        after={"status": batch.status, "accepted": batch.accepted, "refused": batch.refused},
    )
    signals.verdicts_applied.send(CheckBatch, batch_id=batch_id)
    return batch


@transaction.atomic
def recheck_request(*, actor: ActingUser, request: RegistrationRequest, comment: str = "") -> RegistrationRequest:
    """A refused student whose situation is corrected goes back to the next batch."""
    status = RegistrationRequest.objects.select_for_update().filter(pk=request.pk).values_list("status", flat=True)
    if status.first() != RegistrationStatus.REFUSED_ANAM:
        raise DomainError(E.NOT_RECHECKABLE)
    return registration_move(
        actor=actor,
        request=request,
        target=RegistrationStatus.SENT_TO_CNOPS,
        action="anam_recheck",
        reason="recheck",
        comment=comment[:2000],
    )
