"""The set-based liquidation: the same decision as `rules.liquidate_line`, computed by the
database over every line of a chunk of files in one UPDATE (PostgreSQL and SQLite alike), for a
national run. Money is computed in whole cents with integer arithmetic, so the database rounds
half up exactly as Python's Decimal does. `tests/test_batch.py` holds it to the pure rule.

Rights are read from coverage's periods in SQL, their suspensions too (up to three spans of the
text coverage writes); a period with more (rare) is left to coverage's own rule: the lines of such
students are decided again one by one after the UPDATE (`_covered_by_rule`)."""

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.functions import Length

from amo.accounts.actors import ActingUser
from amo.claims import rules, services
from amo.claims.models import CareFile, CareFileStatus, CareLine, LiquidationRun, RunStatus
from amo.common import clock
from amo.common.services import audit_record_set
from amo.coverage.models import Insured, RightsPeriod
from amo.referentials import selectors as referentials
from amo.referentials.models import Drug, DrugList, NgapKey, RegimeParameter, ReimbursementRate

CHUNK = 20_000  # files per statement: bounded memory whatever the run's size


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _fence() -> str:
    """Keep a subquery as it is (evaluated once per row), not pulled up into the outer query,
    where each reference to one of its columns would run its correlated subqueries again."""
    return "OFFSET 0" if connection.vendor == "postgresql" else ""  # SQLite evaluates them once as they are


def _cents(expr: str) -> str:
    """A DECIMAL column as whole cents (exact: the columns hold two decimals)."""
    return f"CAST(ROUND({expr} * 100) AS BIGINT)"


def _in_force(alias: str, day: str) -> str:
    return f"{alias}.valid_from <= {day} AND ({alias}.valid_to IS NULL OR {alias}.valid_to >= {day})"


# Coverage writes a period's suspensions as "from:to" ISO dates joined by ";" (the last one may be
# open: "from:"), so span k starts at character 22 k + 1. The SQL reads up to three spans; a
# period with more (longer text) is left to coverage's rule, line by line (`_covered_by_rule`).
SPANS_IN_SQL = 3
SPAN = 22


def _suspended(text: str, day: str) -> str:
    spans = []
    for k in range(SPANS_IN_SQL):
        start, end = f"substr({text}, {SPAN * k + 1}, 10)", f"substr({text}, {SPAN * k + 12}, 10)"
        spans.append(f"(length({text}) >= {SPAN * k + 11} AND {start} <= {day} AND ({end} = '' OR {day} <= {end}))")
    return "(" + " OR ".join(spans) + ")"


def _decision_sql(file_ids_placeholder: str) -> str:
    line, care_file = CareLine._meta.db_table, CareFile._meta.db_table
    key, rate, drug, drug_list = (
        NgapKey._meta.db_table,
        ReimbursementRate._meta.db_table,
        Drug._meta.db_table,
        DrugList._meta.db_table,
    )
    parameter, period, insured = RegimeParameter._meta.db_table, RightsPeriod._meta.db_table, Insured._meta.db_table
    agreement_kinds = ", ".join(f"'{k}'" for k in sorted(rules.AGREEMENT_KINDS))
    exemption_kinds = ", ".join(f"'{k}'" for k in sorted(rules.EXEMPTION_KINDS))
    covered_until = (
        "CASE WHEN p.status = 'closed' AND p.maintained_until IS NOT NULL THEN p.maintained_until ELSE p.ends_on END"
    )
    # The facts of each line (as `services.line_facts` gathers them), then the decision.
    facts = f"""
SELECT l.id AS id, l.kind AS kind, l.amount_paid AS paid, l.coefficient AS coefficient, l.quantity AS quantity,
  l.care_form_present AS form_ok, l.prescription_present AS prescription_ok,
  k.value AS key_value, k.coefficient_min AS cmin, k.coefficient_max AS cmax, k.needs_agreement AS key_agreement,
  d.id AS drug_id, d.pbr AS pbr, d.reimbursable AS reimbursable, d.needs_agreement AS drug_agreement,
  f.kind AS file_kind,
  CASE WHEN f.kind IN ({exemption_kinds}) THEN '{rules.ALD_CATEGORY}'
       WHEN l.category <> '' THEN l.category
       WHEN l.kind = 'drug' THEN 'drugs'
       ELSE COALESCE(k.category, 'consultation') END AS category,
  l.sector AS sector, l.act_on AS act_on,
  (SELECT CAST(rp.value AS INTEGER) FROM {parameter} rp WHERE rp.key = 'student_claim_deadline_days'
     AND {_in_force("rp", "f.first_act_on")} ORDER BY rp.valid_from DESC LIMIT 1) AS deadline,
  {_days("COALESCE(f.deposited_on, f.first_act_on)", "f.first_act_on")} AS delay,
  EXISTS (SELECT 1 FROM {period} p JOIN {insured} i ON i.id = p.insured_id
     WHERE i.student_id = f.student_id AND p.starts_on <= l.act_on AND l.act_on <= {covered_until}
       AND length(p.suspensions) < {SPAN * SPANS_IN_SQL}
       AND NOT {_suspended("p.suspensions", "CAST(l.act_on AS TEXT)")}) AS covered,
  EXISTS (SELECT 1 FROM {line} o WHERE o.student_id_ref = l.student_id_ref AND o.act_on = l.act_on
     AND o.practitioner_inpe = l.practitioner_inpe AND o.kind = l.kind AND o.letter = l.letter
     AND o.drug_code = l.drug_code AND o.id < l.id) AS duplicate
FROM {line} l
JOIN {care_file} f ON f.id = l.care_file_id
LEFT JOIN {key} k ON k.id = (SELECT k2.id FROM {key} k2 WHERE l.kind = 'act' AND k2.letter = l.letter
     AND k2.sector = l.sector AND {_in_force("k2", "l.act_on")} ORDER BY k2.valid_from DESC LIMIT 1)
LEFT JOIN {drug} d ON l.kind = 'drug' AND d.code = l.drug_code AND d.drug_list_id = (SELECT dl.id FROM {drug_list} dl
     WHERE {_in_force("dl", "l.act_on")} ORDER BY dl.valid_from DESC LIMIT 1)
WHERE l.care_file_id IN ({file_ids_placeholder}) {_fence()}"""
    rated = f"""
SELECT x.*, (SELECT r.rate FROM {rate} r WHERE r.category = x.category AND r.sector = x.sector
     AND {_in_force("r", "x.act_on")} ORDER BY r.valid_from DESC LIMIT 1) AS rate
FROM ({facts}) x {_fence()}"""
    base_cents = f"""CASE WHEN y.kind = 'drug' THEN
        CASE WHEN y.pbr IS NULL OR y.quantity IS NULL THEN 0 ELSE {_cents("y.pbr")} * y.quantity END
      ELSE CASE WHEN y.key_value IS NULL OR y.coefficient IS NULL THEN 0
        ELSE ({_cents("y.key_value")} * {_cents("y.coefficient")} + 50) / 100 END END"""
    reason = f"""CASE
      WHEN y.delay > y.deadline THEN '{rules.TIME_BARRED}'
      WHEN NOT y.covered THEN '{rules.NO_RIGHTS}'
      WHEN y.duplicate THEN '{rules.DUPLICATE}'
      WHEN y.kind = 'drug' AND (y.drug_id IS NULL OR y.pbr IS NULL) THEN '{rules.UNKNOWN_DRUG}'
      WHEN y.kind = 'drug' AND NOT y.reimbursable THEN '{rules.DRUG_NOT_REIMBURSABLE}'
      WHEN y.kind <> 'drug' AND y.key_value IS NULL THEN '{rules.UNKNOWN_KEY}'
      WHEN y.kind <> 'drug' AND (y.coefficient IS NULL OR y.coefficient < y.cmin OR y.coefficient > y.cmax)
        THEN '{rules.COEFFICIENT_OUT_OF_RANGE}'
      WHEN NOT y.form_ok THEN '{rules.MISSING_DOCUMENT}'
      WHEN y.kind = 'drug' AND NOT y.prescription_ok THEN '{rules.MISSING_PRESCRIPTION}'
      WHEN y.file_kind IN ({agreement_kinds}) OR COALESCE(y.key_agreement, y.drug_agreement, FALSE)
        THEN '{rules.AGREEMENT_REQUIRED}'
      WHEN y.category = '{rules.ALD_CATEGORY}' THEN '{rules.ALD_EXEMPTION_REQUIRED}'
      WHEN y.rate IS NULL THEN '{rules.NO_RATE}'
      ELSE '' END"""
    decided = f"""
SELECT y.id AS id, y.category AS category, y.deadline AS deadline, y.key_value AS key_value, y.pbr AS pbr,
  {base_cents} AS base_cents, CAST(ROUND(COALESCE(y.rate, 0) * 10000) AS BIGINT) AS rate_bp,
  {_cents("y.paid")} AS paid_cents, {reason} AS reason
FROM ({rated}) y {_fence()}"""
    reimbursed = """CASE WHEN z.reason <> '' THEN 0 ELSE
        CASE WHEN (z.base_cents * z.rate_bp + 5000) / 10000 < z.paid_cents
             THEN (z.base_cents * z.rate_bp + 5000) / 10000 ELSE z.paid_cents END END"""
    return f"""
UPDATE {line} SET
  base = CAST(z.base_cents AS DECIMAL(14, 2)) / 100.0,
  rate = CAST(z.rate_bp AS DECIMAL(9, 4)) / 10000.0,
  reimbursed = CAST({reimbursed} AS DECIMAL(14, 2)) / 100.0,
  reason = z.reason, category = z.category, used_deadline_days = z.deadline,
  used_key_value = z.key_value, used_pbr = z.pbr, liquidated_at = %s
FROM ({decided}) z
WHERE {line}.id = z.id"""


def lines_decide(file_ids: list[int]) -> int:
    """Liquidate every line of these files in one statement; then decide again, one by one, the
    lines of students whose rights have suspensions (coverage's rule reads them). Returns the
    number of lines written."""
    if not file_ids:
        return 0
    placeholders = ", ".join(["%s"] * len(file_ids))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # compiling this statement (JIT) costs seconds and saves nothing at 20,000 files
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(_decision_sql(placeholders), [clock.now(), *file_ids])
        written = max(int(cursor.rowcount), 0)
    _covered_by_rule(file_ids)
    return written


def _covered_by_rule(file_ids: list[int]) -> None:
    suspended = (
        RightsPeriod.objects.annotate(spans=Length("suspensions"))
        .filter(spans__gte=SPAN * SPANS_IN_SQL)
        .values("insured__student_id")
    )
    lines = CareLine.objects.filter(care_file_id__in=file_ids, student_id_ref__in=suspended).select_related("care_file")
    for line in lines:
        deadline = line.used_deadline_days or 0
        facts, used = services.line_facts(line, line.care_file, deadline)
        decision = rules.liquidate_line(facts)
        CareLine.objects.filter(pk=line.pk).update(
            base=decision.base, rate=decision.rate, reimbursed=decision.reimbursed, reason=decision.reason, **used
        )


def files_settle(*, actor: ActingUser, file_ids: list[int], on: dt.date) -> None:
    """The files' totals from their lines, then the move to liquidated (and, below the
    threshold, to confirmed), with one audit row per file written by the database."""
    threshold = referentials.parameter_decimal("claim_confirmation_threshold", on)
    now = clock.now()
    line = CareLine._meta.db_table
    table = CareFile._meta.db_table
    placeholders = ", ".join(["%s"] * len(file_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET "
            f"total_paid = (SELECT COALESCE(SUM(l.amount_paid), 0) FROM {line} l "
            f"WHERE l.care_file_id = {table}.id), "
            f"total_reimbursed = (SELECT COALESCE(SUM(l.reimbursed), 0) FROM {line} l "
            f"WHERE l.care_file_id = {table}.id) "
            f"WHERE id IN ({placeholders})",
            file_ids,
        )
    files = CareFile.objects.filter(pk__in=file_ids)
    liquidable = files.filter(status__in=rules.sources_of(CareFileStatus.LIQUIDATED))
    audit_record_set(
        actor=actor,
        action="care_file_liquidated",
        objects=liquidable,
        before={"status": "status"},
        after={"status": "liquidated"},
    )
    liquidable.update(
        status=CareFileStatus.LIQUIDATED,
        liquidated_at=now,
        liquidated_by=actor,
        needs_confirmation=False,
        confirmed_at=None,
        confirmed_by=None,
    )
    above = files.filter(status=CareFileStatus.LIQUIDATED, total_reimbursed__gt=threshold)
    above.update(needs_confirmation=True)
    below = files.filter(status=CareFileStatus.LIQUIDATED, total_reimbursed__lte=threshold)
    audit_record_set(
        actor=actor,
        action="care_file_confirmed",
        objects=below,
        before={"status": "status"},
        after={"status": "confirmed"},
    )
    below.update(status=CareFileStatus.CONFIRMED, confirmed_at=now)


def files_liquidate(*, actor: ActingUser, file_ids: Iterable[int]) -> tuple[int, int]:
    """Liquidate these files set-based, chunk by chunk; returns (files, lines)."""
    files = lines = 0
    chunk: list[int] = []
    today = clock.today()

    def flush() -> None:
        nonlocal files, lines
        # a paid file is never liquidated again, whatever the caller passed
        liquidable = rules.sources_of(CareFileStatus.LIQUIDATED)
        chunk[:] = CareFile.objects.filter(pk__in=chunk, status__in=liquidable).values_list("pk", flat=True)
        if not chunk:
            return
        with transaction.atomic():
            lines += lines_decide(chunk)
            files_settle(actor=actor, file_ids=chunk, on=today)
        files += len(chunk)
        chunk.clear()

    for pk in file_ids:
        chunk.append(pk)
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
    return files, lines


def liquidation_run_start(*, actor: ActingUser) -> LiquidationRun:
    """Queue a national liquidation of every received file (the worker runs it)."""
    from amo.claims.tasks import liquidation_run_task

    with transaction.atomic():
        run = LiquidationRun.objects.create(
            started_by=actor, files_total=CareFile.objects.filter(status=CareFileStatus.RECEIVED).count()
        )
        transaction.on_commit(lambda: liquidation_run_task.enqueue(run.pk))
    return run


def liquidation_run_execute(*, run_id: int) -> LiquidationRun:
    run = LiquidationRun.objects.get(pk=run_id)
    run.status = RunStatus.RUNNING
    run.save(update_fields=["status"])
    ids = (
        CareFile.objects.filter(status=CareFileStatus.RECEIVED, lines__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    try:
        chunk: list[int] = []
        for pk in ids.iterator(chunk_size=CHUNK):
            chunk.append(pk)
            if len(chunk) >= CHUNK:
                _run_chunk(run, chunk)
                chunk = []
        if chunk:
            _run_chunk(run, chunk)
    except Exception as exc:
        LiquidationRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(exc)[:200])
        raise
    LiquidationRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, finished_at=clock.now())
    run.refresh_from_db()
    return run


def _run_chunk(run: LiquidationRun, chunk: list[int]) -> None:
    done_files, done_lines = files_liquidate(actor=run.started_by, file_ids=chunk)
    run.files_done += done_files
    run.lines_done += done_lines
    run.save(update_fields=["files_done", "lines_done"])
