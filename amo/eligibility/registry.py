"""ANAM's side of the check: the registry of persons covered by the other schemes and the answer
to a batch. It reads only what the exchange contract carries (the batch's entries) and writes
only verdicts; ANAM's real system can replace it by exchanging the files of contract.py."""

import hashlib
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from amo.accounts.actors import ActingUser
from amo.common import clock, transitions
from amo.common.bulk import insert_rows
from amo.common.errors import DomainError
from amo.common.readers import UnreadableFile, normalise_header, read_table
from amo.common.services import audit_record
from amo.eligibility import rules, selectors, signals
from amo.eligibility.contract import REGISTRY_COLUMNS, REGISTRY_REQUIRED, clean_cell, date_cell
from amo.eligibility.errors import EligibilityError as E
from amo.eligibility.models import BatchStatus, CheckBatch, RegistryLoad
from amo.referentials.selectors import coverage_scheme_codes

REGISTRY = "eligibility_coveredperson"
STAGE = "registry_stage"
REPORT = "registry_report"  # persons newly covered by a load: what ANAM reports to CNOPS
MAX_REPORTED_ERRORS = 1000


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def clean_line(
    cells: list[Any], positions: dict[str, int], kind: str, schemes: Collection[str]
) -> tuple[rules.RegistryLine | None, str]:
    """One registry line, or the code of what is wrong with it (`schemes`: the codes in force)."""
    if len(cells) < len(positions) - ("action" in positions):
        return None, E.TRUNCATED

    def cell(name: str) -> str:
        i = positions.get(name)
        return clean_cell(cells[i]) if i is not None and i < len(cells) else ""

    id_number = cell("id_number").replace(" ", "").upper()
    if not 5 <= len(id_number) <= 20 or not id_number.isalnum():
        return None, E.ID_NUMBER
    scheme, role = cell("scheme").lower(), cell("role").lower()
    if scheme not in schemes:
        return None, E.SCHEME
    if role not in rules.ROLES:
        return None, E.ROLE
    action = cell("action").lower() or "upsert"
    if action not in rules.ACTIONS:
        return None, E.ACTION
    if action == "end" and kind == "full":
        return None, E.FULL_WITH_END
    birth_text, ends_text = cell("birth_date"), cell("ends_on")
    birth = date_cell(birth_text) if birth_text else None
    starts, ends = date_cell(cell("starts_on")), date_cell(ends_text) if ends_text else None
    if (
        (birth_text and birth is None)
        or starts is None
        or (ends_text and ends is None)
        or (action == "end" and not ends)
    ):
        return None, E.DATE
    if ends is not None and ends < starts:
        return None, E.DATES_ORDER
    return rules.RegistryLine(id_number, birth, scheme, role, starts, ends, action), ""


def _lines(
    path: str | Path,
    filename: str,
    kind: str,
    errors: list[tuple[int, str]],
    counts: dict[str, int],
    schemes: Collection[str],
) -> Iterator[tuple[int, rules.RegistryLine]]:
    """The file's valid lines with their numbers; the others are counted, the first ones kept with
    their reason. Duplicates are found afterwards, in SQL: a national file does not fit a set.
    `schemes`: the codes in force, read before the lines are consumed (by a COPY on PostgreSQL,
    during which the connection can run no other query)."""
    try:
        table = read_table(path, filename)
    except UnreadableFile as exc:
        raise DomainError(E.UNREADABLE) from exc
    header = [normalise_header(h) for h in table.header]
    positions = {
        name: header.index(name.replace("_", "")) for name in REGISTRY_COLUMNS if name.replace("_", "") in header
    }
    if any(name not in positions for name in REGISTRY_REQUIRED):
        raise DomainError(E.LAYOUT)
    for number, cells in enumerate(table.rows, start=2):
        if not any(clean_cell(c) for c in cells):
            continue
        line, problem = clean_line(cells, positions, kind, schemes)
        if line is None:
            counts["rejected"] += 1
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append((number, problem))
            continue
        yield number, line


ACTIVE = "{t}.starts_on <= %s AND ({t}.ends_on IS NULL OR {t}.ends_on >= %s)"


@transaction.atomic
def registry_load(*, actor: ActingUser, path: str | Path, filename: str, kind: str) -> RegistryLoad:
    """Apply a registry file whole, or nothing: a line in error refuses the file (a registry with
    holes would accept students who are covered). Returns the load with its per-line report.

    Before applying, the persons the file shows covered today and the registry did not are kept
    as the update's report (a temporary table): CNOPS's side sends a notice to those of them it
    insures, once, not again when a later file repeats the same coverage."""
    sha = file_sha256(path)
    if RegistryLoad.objects.filter(sha256=sha, applied_ok=True).exists():
        raise DomainError(E.FILE_TWICE)
    load = RegistryLoad(
        kind=kind, filename=filename[:250], sha256=sha, loaded_by=actor if getattr(actor, "pk", None) else None
    )
    errors: list[tuple[int, str]] = []
    counts = {"rejected": 0}
    today = clock.today()
    schemes = coverage_scheme_codes(today)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"DROP TABLE IF EXISTS {REPORT}")
        cursor.execute(
            f"CREATE TEMP TABLE {STAGE} AS SELECT id_number, birth_date, scheme, role, starts_on, ends_on "
            f"FROM {REGISTRY} WHERE 1 = 0"
        )
        cursor.execute(f"ALTER TABLE {STAGE} ADD COLUMN action varchar(8)")
        cursor.execute(f"ALTER TABLE {STAGE} ADD COLUMN line integer")
        staged = insert_rows(
            STAGE,
            ["line", "id_number", "birth_date", "scheme", "role", "starts_on", "ends_on", "action"],
            (
                (n, r.id_number, r.birth_date, r.scheme, r.role, r.starts_on, r.ends_on, r.action)
                for n, r in _lines(path, filename, kind, errors, counts, schemes)
            ),
        )
        cursor.execute(
            f"SELECT line FROM (SELECT line, ROW_NUMBER() OVER (PARTITION BY id_number, scheme, role ORDER BY line) "
            f"AS n FROM {STAGE}) d WHERE n > 1 ORDER BY line"
        )
        duplicates = [int(row[0]) for row in cursor.fetchall()]
        if not staged and not counts["rejected"]:  # a header alone: as a full load, it would empty the registry
            raise DomainError(E.NO_ROWS)
        counts["rejected"] += len(duplicates)
        errors = sorted(errors + [(n, E.DUPLICATE) for n in duplicates[:MAX_REPORTED_ERRORS]])[:MAX_REPORTED_ERRORS]
        load.lines = staged + counts["rejected"] - len(duplicates)
        load.rejected = counts["rejected"]
        load.errors = [[n, code] for n, code in errors]
        if counts["rejected"]:
            load.save()
            cursor.execute(f"DROP TABLE {STAGE}")
            return load
        cursor.execute(
            f"CREATE TEMP TABLE {REPORT} AS SELECT DISTINCT s.id_number, s.birth_date FROM {STAGE} s "
            f"WHERE s.action = 'upsert' AND {ACTIVE.format(t='s')} AND NOT EXISTS "
            f"(SELECT 1 FROM {REGISTRY} r WHERE r.id_number = s.id_number AND {ACTIVE.format(t='r')})",
            [today, today, today, today],
        )
        if kind == "full":
            cursor.execute(f"TRUNCATE {REGISTRY}" if connection.vendor == "postgresql" else f"DELETE FROM {REGISTRY}")
            cursor.execute(
                f"INSERT INTO {REGISTRY} (id_number, birth_date, scheme, role, starts_on, ends_on) "
                f"SELECT id_number, birth_date, scheme, role, starts_on, ends_on FROM {STAGE}"
            )
            load.applied = staged
        else:
            cursor.execute(
                f"INSERT INTO {REGISTRY} (id_number, birth_date, scheme, role, starts_on, ends_on) "
                f"SELECT id_number, birth_date, scheme, role, starts_on, ends_on FROM {STAGE} WHERE action = 'upsert' "
                "ON CONFLICT (id_number, scheme, role) DO UPDATE SET birth_date = excluded.birth_date, "
                "starts_on = excluded.starts_on, ends_on = excluded.ends_on"
            )
            load.applied = cursor.rowcount if cursor.rowcount >= 0 else 0
            same = f"s.id_number = {REGISTRY}.id_number AND s.scheme = {REGISTRY}.scheme AND s.role = {REGISTRY}.role"
            cursor.execute(
                f"UPDATE {REGISTRY} SET ends_on = (SELECT s.ends_on FROM {STAGE} s WHERE s.action = 'end' AND {same}) "
                f"WHERE EXISTS (SELECT 1 FROM {STAGE} s WHERE s.action = 'end' AND {same})"
            )
            load.ended = cursor.rowcount if cursor.rowcount >= 0 else 0
        cursor.execute(f"DROP TABLE {STAGE}")
        load.notices = signals.total(
            signals.other_coverage_reported.send(
                RegistryLoad, students=selectors.students_reported(REPORT), actor=actor
            )
        )
        cursor.execute(f"DROP TABLE {REPORT}")
        load.applied_ok = True
        load.save()
        transaction.on_commit(registry_vacuum)
    return load


# referentials.rules.age_on in SQL: whole years from the birth date to the entry's own age
# reference date (a test compares it with the pure rule around birthdays and 29 February).
SQLITE_AGE = (
    "(CAST(strftime('%%Y', e.age_reference_date) AS integer) - CAST(strftime('%%Y', e.birth_date) AS integer)"
    " - (strftime('%%m%%d', e.age_reference_date) < strftime('%%m%%d', e.birth_date)))"
)
PG_AGE = (
    "(EXTRACT(YEAR FROM e.age_reference_date)::int - EXTRACT(YEAR FROM e.birth_date)::int"
    " - (to_char(e.age_reference_date, 'MMDD') < to_char(e.birth_date, 'MMDD'))::int)"
)

ANSWER_SQL = """
INSERT INTO eligibility_verdict (entry_id, batch_id, notified, outcome, reason, scheme)
SELECT e.id, e.batch_id, false,
  CASE WHEN e.id <> f.first_id OR h.mismatch = 1 OR h.insured_scheme IS NOT NULL
            OR h.dependant_scheme IS NOT NULL OR (NOT e.age_exempt AND {age} > %s)
       THEN 'refused' ELSE 'accepted' END,
  CASE WHEN e.id <> f.first_id THEN 'duplicate'
       WHEN h.mismatch = 1 THEN 'identity_not_found'
       WHEN h.insured_scheme IS NOT NULL THEN 'covered_insured'
       WHEN h.dependant_scheme IS NOT NULL THEN 'covered_dependant'
       WHEN NOT e.age_exempt AND {age} > %s THEN 'age'
       ELSE '' END,
  CASE WHEN e.id <> f.first_id OR h.mismatch = 1 THEN ''
       ELSE COALESCE(h.insured_scheme, h.dependant_scheme, '') END
FROM eligibility_checkentry e
JOIN (SELECT id_number, MIN(id) AS first_id FROM eligibility_checkentry WHERE batch_id = %s GROUP BY id_number) f
  ON f.id_number = e.id_number
LEFT JOIN (
  SELECT e2.id AS entry_id,
         MIN(CASE WHEN r.role = 'insured' THEN r.scheme END) AS insured_scheme,
         MIN(CASE WHEN r.role = 'dependant' THEN r.scheme END) AS dependant_scheme,
         MAX(CASE WHEN r.birth_date IS NOT NULL AND r.birth_date <> e2.birth_date THEN 1 ELSE 0 END) AS mismatch
  FROM eligibility_checkentry e2
  JOIN eligibility_coveredperson r ON r.id_number = e2.id_number
  WHERE e2.batch_id = %s AND r.starts_on <= %s AND (r.ends_on IS NULL OR r.ends_on >= %s)
  GROUP BY e2.id
) h ON h.entry_id = e.id
WHERE e.batch_id = %s
""".replace("{age}", SQLITE_AGE)


# PostgreSQL, national batches: the registry is probed by index for each student, in parallel
# workers (an INSERT never runs in parallel, a CREATE TABLE AS does), then the verdicts are
# written from the small table of hits in one ordered INSERT. Same rules as ANSWER_SQL.
PG_HITS_SQL = """
CREATE TEMP TABLE anam_hits ON COMMIT DROP AS
SELECT e.id AS entry_id,
       MIN(CASE WHEN r.role = 'insured' THEN r.scheme END) AS insured_scheme,
       MIN(CASE WHEN r.role = 'dependant' THEN r.scheme END) AS dependant_scheme,
       BOOL_OR(r.birth_date IS NOT NULL AND r.birth_date <> e.birth_date) AS mismatch
FROM eligibility_checkentry e
JOIN eligibility_coveredperson r ON r.id_number = e.id_number
WHERE e.batch_id = %s AND r.starts_on <= %s AND (r.ends_on IS NULL OR r.ends_on >= %s)
GROUP BY e.id
"""
PG_DUPLICATES_SQL = """
CREATE TEMP TABLE anam_duplicates ON COMMIT DROP AS
SELECT e.id FROM eligibility_checkentry e
JOIN (SELECT id_number, MIN(id) AS first_id FROM eligibility_checkentry WHERE batch_id = %s
      GROUP BY id_number HAVING COUNT(*) > 1) f ON f.id_number = e.id_number
WHERE e.batch_id = %s AND e.id <> f.first_id
"""
PG_VERDICTS_SQL = """
INSERT INTO eligibility_verdict (entry_id, batch_id, notified, outcome, reason, scheme)
SELECT e.id, e.batch_id, false,
  CASE WHEN d.id IS NOT NULL OR h.mismatch OR h.insured_scheme IS NOT NULL OR h.dependant_scheme IS NOT NULL
            OR (NOT e.age_exempt AND {age} > %s) THEN 'refused' ELSE 'accepted' END,
  CASE WHEN d.id IS NOT NULL THEN 'duplicate'
       WHEN h.mismatch THEN 'identity_not_found'
       WHEN h.insured_scheme IS NOT NULL THEN 'covered_insured'
       WHEN h.dependant_scheme IS NOT NULL THEN 'covered_dependant'
       WHEN NOT e.age_exempt AND {age} > %s THEN 'age'
       ELSE '' END,
  CASE WHEN d.id IS NOT NULL OR h.mismatch THEN '' ELSE COALESCE(h.insured_scheme, h.dependant_scheme, '') END
FROM eligibility_checkentry e
LEFT JOIN anam_hits h ON h.entry_id = e.id
LEFT JOIN anam_duplicates d ON d.id = e.id
WHERE e.batch_id = %s ORDER BY e.id
""".replace("{age}", PG_AGE)


def _answer(cursor: Any, batch: CheckBatch) -> None:
    limit = batch.age_limit
    ref = batch.reference_date
    if connection.vendor != "postgresql":
        cursor.execute(ANSWER_SQL, [limit, limit, batch.pk, batch.pk, ref, ref, batch.pk])
        return
    # Probing the registry's covering index beats reading its tens of millions of rows; the
    # planner's default costs favour a hash join that reads them all, hence the local settings.
    for setting in (
        "parallel_setup_cost = 0",
        "parallel_tuple_cost = 0",
        "enable_hashjoin = off",
        "enable_mergejoin = off",
        "work_mem = '64MB'",
    ):
        cursor.execute(f"SET LOCAL {setting}")
    cursor.execute(PG_HITS_SQL, [batch.pk, ref, ref])
    cursor.execute("SET LOCAL enable_hashjoin = on")
    cursor.execute("SET LOCAL enable_mergejoin = on")
    cursor.execute("ANALYZE anam_hits")
    cursor.execute(PG_DUPLICATES_SQL, [batch.pk, batch.pk])
    cursor.execute(PG_VERDICTS_SQL, [limit, limit, batch.pk])
    cursor.execute("DROP TABLE anam_hits, anam_duplicates")


def batch_answer(*, batch_id: int) -> CheckBatch:
    """Answer every student of a batch set-based (the rules of rules.verdict, in SQL)."""
    with transaction.atomic():
        batch = CheckBatch.objects.select_for_update().get(pk=batch_id)
        if not transitions.allowed(rules.BATCH_TRANSITIONS, batch.status, BatchStatus.ANSWERED):
            return batch
        with connection.cursor() as cursor:
            _answer(cursor, batch)
        before = batch.status
        batch.status = BatchStatus.ANSWERED
        batch.answered_by = "platform"
        batch.answered_at = clock.now()
        batch.save(update_fields=["status", "answered_by", "answered_at"])
        audit_record(
            actor=None,
            action="anam_batch_answer",
            obj=batch,
            before={"status": before},
            after={"status": batch.status, "answered_by": batch.answered_by},
        )
    return batch


def registry_vacuum() -> None:
    """After a load, let PostgreSQL mark the registry's pages all-visible, so that the check
    reads the covering index alone (run outside a transaction)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {REGISTRY}")
