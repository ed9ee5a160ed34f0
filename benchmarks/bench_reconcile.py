"""Reconcile a bank statement of 100,000 credits against the dues of 1,500,000 students, next to
the raw SQL join of the same credits with the declared transfers, on PostgreSQL.

Prints reconcile_statement and reconcile_raw_join. Reuses the 1.5 million requests that
bench_import leaves in the benchmark database, or makes them set-based when they are missing."""

import os
import random
import time
from decimal import Decimal

from django.db import connection, transaction

STUDENTS = int(os.environ.get("BENCH_ROWS", "1500000"))
CREDITS = max(1000, STUDENTS // 15)
ENTITIES = 2000


def _ensure_requests(year_id: int, user_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM enrollment_registrationrequest WHERE academic_year_id = %s", [year_id])
        have = cursor.fetchone()[0]
        if have >= STUDENTS:
            return
        cursor.execute(
            "SELECT id, category_id FROM organisations_institution WHERE code LIKE 'BENCH-%%' ORDER BY id LIMIT 1"
        )
        institution_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO enrollment_student (id_type, id_number, massar, last_name, first_name, last_name_ar, first_name_ar, birth_date, "
            "birth_place, sex, nationality, address, email, phone, rib, updated_at) "
            "SELECT 'passport', 'R' || g, '', 'Bench', 'Student', '', '', date '2002-01-01', '', 'F', 'Marocaine', '', '', '', '', now() "
            "FROM generate_series(%s, %s) g ON CONFLICT DO NOTHING",
            [have + 1, STUDENTS],
        )
        cursor.execute(
            "INSERT INTO enrollment_registrationrequest (student_id, academic_year_id, institution_id, aggregator_id, track, fee_paying, "
            "registered_on, status, source, no_other_coverage, submitted_at, decided_at, reject_reason, comment) "
            "SELECT s.id, %s, %s, 1, '', true, date '2026-09-15', 'validated', 'upload', true, now(), now(), '', '' "
            "FROM enrollment_student s WHERE NOT EXISTS (SELECT 1 FROM enrollment_registrationrequest r WHERE r.student_id = s.id AND r.academic_year_id = %s) "
            "LIMIT %s",
            [year_id, institution_id, year_id, STUDENTS - have],
        )


def setup() -> tuple[object, list[tuple[str, str, Decimal]]]:
    """1.5 M dues of 400 MAD spread over 2,000 legal entities; 100,000 declared transfers of 15
    students each; the statement's credits: 90 % exact, 3 % under, 2 % over, 3 % bad reference,
    2 % never declared."""
    from amo.accounts.models import User
    from amo.contributions.rules import payment_reference
    from amo.organisations.models import CnopsOffice
    from amo.referentials.models import AcademicYear

    year = AcademicYear.objects.get(code="2026-2027")
    user = User.objects.filter(email="bench@example.ma").first() or User.objects.create_user("bench@example.ma", "x")
    from amo.accounts.services import membership_grant

    membership_grant(actor=None, user=user, role="cnops_agent", cnops_office=CnopsOffice.objects.get(code="CENTRAL"))  # type: ignore[arg-type]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE contributions_receipt, contributions_credit, contributions_statement, contributions_transferline, "
            "contributions_transfer, contributions_paymentreference, contributions_due RESTART IDENTITY CASCADE"
        )
    _ensure_requests(year.pk, user.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM organisations_legalentity")
        first_entity = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO organisations_legalentity (name_fr, name_ar, law, ice, city, address, email, phone, created_at) "
            "SELECT 'Bench entity ' || g, '', 'private', '', 'Rabat', '', '', '', now() FROM generate_series(1, %s) g "
            "WHERE (SELECT count(*) FROM organisations_legalentity WHERE name_fr LIKE 'Bench entity %%') < %s",
            [ENTITIES, ENTITIES],
        )
        cursor.execute(
            "SELECT id FROM organisations_legalentity WHERE name_fr LIKE 'Bench entity %%' ORDER BY id LIMIT %s",
            [ENTITIES],
        )
        entities = [row[0] for row in cursor.fetchall()]
        assert first_entity is not None and len(entities) == ENTITIES
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO contributions_due (request_id, legal_entity_id, academic_year_id, kind, amount, periods, exemption, due_on, computed_at) "
            "SELECT r.id, (%s::bigint[])[1 + (row_number() OVER (ORDER BY r.id) - 1) / %s %% %s], r.academic_year_id, 'due', 400.00, 1, '', date '2026-09-30', now() "
            "FROM enrollment_registrationrequest r WHERE r.academic_year_id = %s ORDER BY r.id LIMIT %s",
            [entities, 15, ENTITIES, year.pk, STUDENTS],
        )
        print(f"# {cursor.rowcount} dues made in {time.perf_counter() - started:.1f} s", flush=True)
        references = {e: payment_reference(year.code, e) for e in entities}
        cursor.executemany(
            "INSERT INTO contributions_paymentreference (legal_entity_id, academic_year_id, reference, created_at) VALUES (%s, %s, %s, now())",
            [(e, year.pk, r) for e, r in references.items()],
        )
        cursor.execute(
            "INSERT INTO contributions_transfer (legal_entity_id, payment_reference_id, bank_reference, amount, transferred_on, status, declared_by_id, declared_at) "
            "SELECT d.legal_entity_id, p.id, 'VIR-' || ((row_number() OVER (ORDER BY min(d.id)))), 6000.00, date '2026-10-01', 'declared', %s, now() "
            "FROM contributions_due d JOIN contributions_paymentreference p ON p.legal_entity_id = d.legal_entity_id "
            "GROUP BY d.legal_entity_id, p.id, (d.id - 1) / 15 ORDER BY min(d.id) LIMIT %s",
            [user.pk, CREDITS],
        )
        cursor.execute(
            "INSERT INTO contributions_transferline (transfer_id, due_id) "
            "SELECT t.id, d.id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM contributions_transfer) t "
            "JOIN contributions_due d ON (d.id - 1) / 15 + 1 = t.n"
        )
        cursor.execute(
            "SELECT t.bank_reference, p.reference, t.amount FROM contributions_transfer t "
            "JOIN contributions_paymentreference p ON p.id = t.payment_reference_id ORDER BY t.id"
        )
        transfers = cursor.fetchall()
    return user, transfers


def statement(transfers: list[tuple[str, str, Decimal]]) -> bytes:
    rng = random.Random(7)
    lines = ["Date;Libellé;Montant;Devise;Référence"]
    for n, (bank_reference, reference, amount) in enumerate(transfers):
        roll = rng.random()
        if roll < 0.03:
            amount = amount - 400
        elif roll < 0.05:
            amount = amount + 400
        elif roll < 0.08:
            reference = reference[:-1] + str((int(reference[-1]) + 1) % 10)
        elif roll < 0.10:
            reference = "AMO2627999999" + "00"
        lines.append(f"2026-10-06;VIR {bank_reference} COTISATIONS {reference};{amount:.2f};MAD;BK{n:07d}")
    return ("\n".join(lines) + "\n").encode()


def raw_join(content: bytes) -> float:
    """The same credits joined with the declared transfers by reference, in one SQL statement."""
    rows = [line.split(";") for line in content.decode().splitlines()[1:]]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_credits (label text, amount numeric(12,2), ref text) ON COMMIT DROP")
        with cursor.cursor.copy("COPY bench_credits (label, amount, ref) FROM STDIN") as copy:
            for _date, label, amount, _ccy, _bank in rows:
                copy.write_row((label, amount, label.rsplit(" ", 1)[1]))
        cursor.execute(
            "SELECT count(*), sum(CASE WHEN c.amount = t.amount THEN 1 ELSE 0 END) FROM bench_credits c "
            "JOIN contributions_paymentreference p ON p.reference = c.ref "
            "JOIN contributions_transfer t ON t.payment_reference_id = p.id AND c.label LIKE '%% ' || t.bank_reference || ' %%'"
        )
        cursor.fetchone()
    return time.perf_counter() - started


def run() -> None:
    from amo.contributions.models import Credit, Receipt, Transfer
    from amo.contributions.services import statement_import

    user, transfers = setup()
    content = statement(transfers)
    print(f"# statement of {len(transfers)} credits, {len(content) / 1e6:.1f} MB", flush=True)
    started = time.perf_counter()
    result = statement_import(actor=user, content=content, filename="bench.csv")
    elapsed = time.perf_counter() - started
    print(
        f"# {result.credits} credits: {result.matched} matched, {result.to_review} to review, {result.duplicates} duplicates; "
        f"{Receipt.objects.count()} receipts, {Transfer.objects.filter(status='received').count()} transfers received, {Credit.objects.count()} credits stored",
        flush=True,
    )
    print(f"reconcile_statement: {elapsed:.1f} s ({len(transfers)} credits against {STUDENTS} dues)")
    print(f"reconcile_raw_join: {raw_join(content):.1f} s")
