"""Writes of contributions: dues, payment references, transfers, statements, receipts."""

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from amo.accounts.actors import ActingUser
from amo.accounts.models import User
from amo.common import clock
from amo.common.bulk import insert_rows
from amo.common.errors import DomainError, ErrorCode, label_for
from amo.common.models import AuditEvent
from amo.common.services import audit_record
from amo.contributions import rules
from amo.contributions.errors import ContributionError as E
from amo.contributions.models import (
    Credit,
    Due,
    Outcome,
    PaymentReference,
    Receipt,
    Statement,
    Transfer,
    TransferLine,
    TransferStatus,
)
from amo.contributions.statements import StatementRefused, parse
from amo.documents.rules import new_code
from amo.documents.services import both_languages, document_issue
from amo.enrollment.models import RegistrationRequest
from amo.notifications.services import email_queue
from amo.organisations.models import LegalEntity
from amo.organisations.selectors import contribution_regimes_on
from amo.referentials.models import AcademicYear
from amo.referentials.rules import regime_ended_problem
from amo.referentials.selectors import parameter_decimal, parameter_int, parameter_text, regime_end


def _facts(request: Any, year: AcademicYear, regimes: dict[int, str] | None = None) -> rules.DueFacts:
    """The facts of one request's due; `regimes` (category id -> regime on the year's first day) spares
    a query per request when many are computed."""
    on = request.registered_on
    category = request.institution.category
    regime = regimes[category.pk] if regimes is not None else category.contribution_regime_on(year.starts_on)
    coverage = min(
        rules.months_between(year.starts_on, year.ends_on),
        parameter_int("coverage_max_months", on),
    )
    return rules.DueFacts(
        contribution_regime=regime,
        fee_paying=request.fee_paying,
        amount_per_period=parameter_decimal("contribution_amount", on),
        period_months=parameter_int("contribution_period_months", on),
        coverage_months=coverage,
        registered_on=on,
        deadline_days=parameter_int("payment_deadline_days", on),
    )


def dues_refresh(*, request_ids: list[int] | None = None, academic_year: AcademicYear | None = None) -> int:
    """Create the missing dues of validated (or later) requests; returns how many were created.
    None once the regime has ended (law 54.23): nothing is owed for rights that can no longer open."""
    today = clock.today()
    if regime_ended_problem(today, regime_end(today)):
        return 0
    qs = RegistrationRequest.objects.filter(
        status__in=("validated", "in_list", "sent_to_cnops"), due__isnull=True
    ).select_related("institution__category", "academic_year")
    if request_ids is not None:
        qs = qs.filter(pk__in=request_ids)
    if academic_year is not None:
        qs = qs.filter(academic_year=academic_year)
    created = 0
    batch: list[Due] = []
    regimes_by_start: dict[dt.date, dict[int, str]] = {}
    for request in qs.iterator(chunk_size=2000):
        starts_on = request.academic_year.starts_on
        if starts_on not in regimes_by_start:
            regimes_by_start[starts_on] = contribution_regimes_on(starts_on)
        decision = rules.due_for(_facts(request, request.academic_year, regimes_by_start[starts_on]))
        batch.append(
            Due(
                request=request,
                legal_entity_id=request.institution.legal_entity_id,
                academic_year=request.academic_year,
                kind=decision.kind,
                amount=decision.amount,
                periods=decision.periods,
                exemption=decision.exemption,
                due_on=decision.due_on,
            )
        )
        if len(batch) >= 2000:
            created += len(Due.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(Due.objects.bulk_create(batch, ignore_conflicts=True))
    return created


def payment_reference_for(*, legal_entity: LegalEntity, academic_year: AcademicYear) -> PaymentReference:
    reference, _created = PaymentReference.objects.get_or_create(
        legal_entity=legal_entity,
        academic_year=academic_year,
        defaults={"reference": rules.payment_reference(academic_year.code, legal_entity.pk)},
    )
    return reference


@transaction.atomic
def transfer_declare(
    *,
    actor: User,
    legal_entity: LegalEntity,
    academic_year: AcademicYear,
    bank_reference: str,
    amount: Decimal,
    transferred_on: dt.date,
    due_ids: list[int],
) -> Transfer:
    """The legal entity declares a transfer and the students it pays for. Declared is not received."""
    bank_reference = " ".join(bank_reference.split()).upper()
    if amount <= 0:
        raise DomainError(E.AMOUNT_NOT_POSITIVE, fields={"amount": [E.AMOUNT_NOT_POSITIVE]})
    if not due_ids:
        raise DomainError(E.NO_DUE, fields={"dues": [E.NO_DUE]})
    if Transfer.objects.filter(legal_entity=legal_entity, bank_reference=bank_reference).exists():
        raise DomainError(E.TRANSFER_TWICE, fields={"bank_reference": [E.TRANSFER_TWICE]})
    dues = list(
        Due.objects.select_for_update().filter(
            pk__in=set(due_ids), legal_entity=legal_entity, academic_year=academic_year, kind="due"
        )
    )
    if len(dues) != len(set(due_ids)):
        raise DomainError(E.DUE_OUTSIDE, fields={"dues": [E.DUE_OUTSIDE]})
    if TransferLine.objects.filter(due__in=dues).exists():
        raise DomainError(E.DUE_ELSEWHERE, fields={"dues": [E.DUE_ELSEWHERE]})
    expected = sum((d.amount for d in dues), Decimal("0.00"))
    if amount != expected:
        message = _(
            "The amount differs from the sum of the chosen students' contributions: %(count)s students, "
            "%(expected)s MAD expected, %(amount)s MAD declared."
        ) % {"count": len(dues), "expected": number_format(expected, 2), "amount": number_format(amount, 2)}
        raise DomainError(E.AMOUNT_MISMATCH, message, fields={"amount": [E.AMOUNT_MISMATCH]})
    transfer = Transfer.objects.create(
        legal_entity=legal_entity,
        payment_reference=payment_reference_for(legal_entity=legal_entity, academic_year=academic_year),
        bank_reference=bank_reference,
        amount=amount,
        transferred_on=transferred_on,
        declared_by=actor,
        declared_at=clock.now(),
    )
    TransferLine.objects.bulk_create([TransferLine(transfer=transfer, due=d) for d in dues])
    audit_record(
        actor=actor,
        action="transfer_declare",
        obj=transfer,
        after={"amount": amount, "students": len(dues), "bank_reference": bank_reference},
    )
    return transfer


def dues_by_document_numbers(
    *, legal_entity: LegalEntity, academic_year: AcademicYear, numbers: list[str]
) -> list[int]:
    """The dues of the students a legal entity lists by document number (upload path)."""
    wanted = {n.strip().upper().replace(" ", "") for n in numbers if n.strip()}
    found = dict(
        Due.objects.filter(
            legal_entity=legal_entity, academic_year=academic_year, kind="due", request__student__id_number__in=wanted
        ).values_list("request__student__id_number", "pk")
    )
    if missing := sorted(wanted - found.keys()):
        message = f"{label_for(E.UNKNOWN_STUDENTS)} ({', '.join(missing[:20])})"
        raise DomainError(E.UNKNOWN_STUDENTS, message=message, fields={"dues": [E.UNKNOWN_STUDENTS]})
    return list(found.values())


def _receipt_numbers(count: int) -> list[str]:
    year = clock.today().year
    last = Receipt.objects.filter(number__startswith=f"REC-{year}-").aggregate(m=Max("number"))["m"]
    start = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return [f"REC-{year}-{n:07d}" for n in range(start, start + count)]


def _new_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    return list(codes)


@transaction.atomic
def statement_import(*, actor: User, content: bytes, filename: str) -> Statement:
    """Import a statement whole or not at all, and reconcile each credit against the declared
    transfers by the payment reference in its label. What cannot be matched waits for a person."""
    _reconciliation_lock()
    digest = hashlib.sha256(content).hexdigest()
    if Statement.objects.filter(sha256=digest).exists():
        raise DomainError(E.STATEMENT_TWICE)
    try:
        parsed = parse(content, filename)
    except StatementRefused as exc:
        raise DomainError(exc.code, fields={"file": [exc.code]}) from exc
    now = clock.now()
    contribution_rib = parameter_text("cnops_rib", now.date())
    problem = rules.statement_account_problem(parsed.account, contribution_rib)
    if problem:
        message = _(
            "This statement is of the account %(account)s, not of CNOPS's contributions account "
            "%(expected)s: only the statements of that account are imported here. Nothing was imported."
        ) % {"account": parsed.account, "expected": contribution_rib}
        raise DomainError(problem, message, fields={"file": [problem]})
    statement = Statement.objects.create(
        filename=filename[:250],
        sha256=digest,
        layout=parsed.layout,
        account=parsed.account,
        imported_by=actor,
        imported_at=now,
    )
    keys = [c.key for c in parsed.credits]
    known = _known_keys(keys)
    fresh, duplicates, seen = [], 0, set()
    for candidate in parsed.credits:
        if candidate.key in known or candidate.key in seen:
            duplicates += 1
            parsed.refused.append((candidate.line, E.DUPLICATE))
            continue
        seen.add(candidate.key)
        fresh.append(candidate)
    found = {c.key: rules.find_reference(c.label) for c in fresh}
    valid_refs = {ref for ref, ok in found.values() if ref and ok}
    open_transfers: dict[str, list[_Open]] = defaultdict(list)
    for pk, bank_reference, amount, entity_id, ref in (
        Transfer.objects.filter(payment_reference__reference__in=valid_refs, status__in=rules.RECONCILABLE)
        .order_by("declared_at", "pk")
        .values_list("pk", "bank_reference", "amount", "legal_entity_id", "payment_reference__reference")
    ):
        open_transfers[ref].append(_Open(pk, bank_reference, amount, entity_id))
    rows: list[tuple[Any, ...]] = []
    matched: list[tuple[_Open, Decimal, str]] = []
    counts: dict[str, int] = defaultdict(int)
    for line in fresh:
        reference, ok = found[line.key]
        candidates = open_transfers.get(reference or "", []) if ok else []
        transfer: _Open | None = None
        result: str
        if not ok:
            result = Outcome.UNKNOWN_REFERENCE
        elif not candidates:
            result = Outcome.NOT_DECLARED
        else:
            transfer = rules.pick_transfer(candidates, line.amount, line.label)
            candidates.remove(transfer)
            result = rules.outcome(line.amount, transfer.amount)
            matched.append((transfer, line.amount, result))
        counts[result] += 1
        rows.append(
            (
                statement.pk,
                line.key,
                line.booked_on,
                line.amount,
                line.bank_reference,
                line.label,
                reference or "",
                str(result),
                transfer.pk if transfer else None,
            )
        )
    insert_rows(
        Credit._meta.db_table,
        (
            "statement_id",
            "key",
            "booked_on",
            "amount",
            "bank_reference",
            "label",
            "payment_reference",
            "outcome",
            "transfer_id",
        ),
        rows,
    )
    _apply_matches(actor, matched, now)
    statement.credits = len(parsed.credits)
    statement.matched = counts[Outcome.EXACT] + counts[Outcome.OVERPAID]
    statement.to_review = counts[Outcome.UNDERPAID] + counts[Outcome.UNKNOWN_REFERENCE] + counts[Outcome.NOT_DECLARED]
    statement.duplicates = duplicates
    statement.save(update_fields=["credits", "matched", "to_review", "duplicates"])
    audit_record(
        actor=actor,
        action="statement_import",
        obj=statement,
        after={
            "credits": statement.credits,
            "matched": statement.matched,
            "to_review": statement.to_review,
            "duplicates": duplicates,
            "refused": [f"{line}:{code}" for line, code in parsed.refused[:200]],
        },
    )
    _after_matches([t.pk for t, _a, o in matched if o != Outcome.UNDERPAID])
    return statement


def _known_keys(keys: list[str]) -> set[str]:
    """The credit keys already stored (one array parameter on PostgreSQL, chunks elsewhere)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT key FROM contributions_credit WHERE key = ANY(%s)", [keys])
            return {row[0] for row in cursor.fetchall()}
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        known.update(Credit.objects.filter(key__in=keys[start : start + 500]).values_list("key", flat=True))
    return known


def _reconciliation_lock() -> None:
    """One reconciliation at a time (statement imports and manual matches): they read the open
    transfers, then update them. SQLite already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('amo.contributions.reconcile'))")


def _update_transfers(rows: list[tuple[int, str, Decimal | None]]) -> None:
    """Set status and amount received of many transfers: COPY into a temporary table and one
    UPDATE on PostgreSQL, executemany elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                "UPDATE contributions_transfer SET status = %s, received_amount = %s WHERE id = %s",
                [(status, amount, pk) for pk, status, amount in rows],
            )
            return
        cursor.execute(
            "CREATE TEMP TABLE reconciled (id bigint, status varchar(16), received numeric(12, 2)) ON COMMIT DROP"
        )
        insert_rows("reconciled", ("id", "status", "received"), rows)
        cursor.execute(
            "UPDATE contributions_transfer t SET status = r.status, received_amount = r.received "
            "FROM reconciled r WHERE t.id = r.id"
        )
        cursor.execute("DROP TABLE reconciled")


@dataclass
class _Open:
    """A declared transfer as reconciliation needs it (no ORM object per row)."""

    pk: int
    bank_reference: str
    amount: Decimal
    legal_entity_id: int
    status: str = TransferStatus.DECLARED
    received_amount: Decimal | None = None


def _apply_matches(actor: ActingUser, matched: list[tuple[Any, Decimal, str]], now: Any) -> None:
    """Set the matched transfers' status, issue receipts for money received, audit each match."""
    status_of = {
        "exact": TransferStatus.RECEIVED,
        "overpaid": TransferStatus.OVERPAID,
        "underpaid": TransferStatus.UNDERPAID,
        "manual": TransferStatus.RECEIVED,
    }
    as_json = {status: json.dumps({"status": status}) for status in TransferStatus.values}
    before = {}
    for transfer, amount, result in matched:
        if not rules.transfer_can_move(transfer.status, status_of[result]):
            raise DomainError(ErrorCode.INVALID_TRANSITION)
        before[transfer.pk] = as_json[transfer.status]
        transfer.status = status_of[result]
        transfer.received_amount = amount
    _update_transfers([(t.pk, t.status, t.received_amount) for t, _a, _o in matched])
    paid = [(t, a) for t, a, o in matched if o != Outcome.UNDERPAID]
    numbers, codes = _receipt_numbers(len(paid)), _new_codes(len(paid))
    insert_rows(
        Receipt._meta.db_table,
        ("number", "code", "transfer_id", "legal_entity_id", "amount", "issued_at"),
        ((n, c, t.pk, t.legal_entity_id, a, now) for (t, a), n, c in zip(paid, numbers, codes, strict=True)),
    )
    actor_id = actor.pk if actor is not None else None
    insert_rows(
        AuditEvent._meta.db_table,
        ("actor_id", "action", "object_type", "object_id", "before", "after", "reason", "created_at"),
        (
            (
                actor_id,
                "transfer_reconciled",
                "contributions.transfer",
                str(t.pk),
                before[t.pk],
                json.dumps({"status": t.status, "outcome": str(o), "received": str(a)}),
                "",
                now,
            )
            for t, a, o in matched
        ),
    )


def _after_matches(transfer_ids: list[int]) -> None:
    if not transfer_ids:
        return
    from amo.contributions.tasks import receipts_render

    transaction.on_commit(lambda: receipts_render.enqueue(transfer_ids[:50000]))


@transaction.atomic
def credit_match(*, actor: ActingUser, credit: Credit, transfer: Transfer) -> Credit:
    """A person matches a credit from the queue to a declared transfer."""
    _reconciliation_lock()
    credit = Credit.objects.select_for_update().get(pk=credit.pk)
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if credit.outcome not in (Outcome.UNKNOWN_REFERENCE, Outcome.NOT_DECLARED, Outcome.UNDERPAID):
        raise DomainError(E.ALREADY_DECIDED)
    if transfer.status != TransferStatus.DECLARED and transfer.pk != credit.transfer_id:
        raise DomainError(E.TRANSFER_NOT_OPEN)
    before = credit.outcome
    received = credit.amount
    if credit.outcome == Outcome.UNDERPAID and transfer.pk == credit.transfer_id:
        received = credit.amount  # the under-payment accepted as it is
    target = TransferStatus.RECEIVED if received >= transfer.amount else TransferStatus.UNDERPAID
    if not rules.transfer_can_move(transfer.status, target):
        raise DomainError(E.TRANSFER_NOT_OPEN)
    credit.outcome, credit.transfer, credit.decided_by = Outcome.MANUAL, transfer, actor
    credit.save(update_fields=["outcome", "transfer", "decided_by"])
    transfer_before = transfer.status
    transfer.status = target
    transfer.received_amount = received
    transfer.save(update_fields=["status", "received_amount"])
    audit_record(
        actor=actor,
        action="transfer_matched",
        obj=transfer,
        before={"status": transfer_before},
        after={"status": transfer.status, "received": str(received), "credit": credit.pk},
    )
    if transfer.status == TransferStatus.RECEIVED and not Receipt.objects.filter(transfer=transfer).exists():
        Receipt.objects.create(
            number=_receipt_numbers(1)[0],
            code=_new_codes(1)[0],
            transfer=transfer,
            legal_entity_id=transfer.legal_entity_id,
            amount=received,
            issued_at=clock.now(),
        )
        _after_matches([transfer.pk])
    audit_record(
        actor=actor,
        action="credit_match",
        obj=credit,
        before={"outcome": before},
        after={"outcome": credit.outcome, "transfer": transfer.pk},
    )
    return credit


@transaction.atomic
def credit_dismiss(*, actor: ActingUser, credit: Credit, comment: str) -> Credit:
    credit = Credit.objects.select_for_update().get(pk=credit.pk)
    if credit.outcome not in (Outcome.UNKNOWN_REFERENCE, Outcome.NOT_DECLARED):
        raise DomainError(ErrorCode.INVALID_TRANSITION)
    before = credit.outcome
    credit.outcome, credit.decided_by = Outcome.DISMISSED, actor
    credit.save(update_fields=["outcome", "decided_by"])
    audit_record(
        actor=actor,
        action="credit_dismiss",
        obj=credit,
        before={"outcome": before},
        after={"outcome": credit.outcome},
        reason=comment,
    )
    return credit


def _receipt_title(number: str) -> str:
    return f"{_('Contribution receipt')} {number}"


def _receipt_lines(transfer_id: int) -> list[Any]:
    """The students a transfer pays for, as the receipt lists them (institution, then name)."""
    return list(
        TransferLine.objects.filter(transfer_id=transfer_id)
        .order_by(
            "due__request__institution__code", "due__request__student__last_name", "due__request__student__first_name"
        )
        .values(
            "due__amount",
            "due__request__student__id_number",
            "due__request__student__last_name",
            "due__request__student__first_name",
            "due__request__institution__code",
            "due__request__institution__name_fr",
        )
    )


def receipts_render_now(*, transfer_ids: list[int]) -> int:
    """Render the PDFs of receipts that have none yet (the worker's job)."""
    from django.utils import translation

    done = 0
    for receipt in Receipt.objects.filter(transfer_id__in=transfer_ids, document__isnull=True).select_related(
        "transfer__payment_reference__academic_year", "legal_entity"
    ):
        number = receipt.number
        with transaction.atomic(), translation.override("fr"):
            receipt.document = document_issue(
                kind="receipt",
                template="contributions/receipt.html",
                context={
                    "receipt": receipt,
                    "transfer": receipt.transfer,
                    "students": receipt.transfer.lines.count(),
                    "lines": _receipt_lines(receipt.transfer_id),
                },
                title=both_languages(partial(_receipt_title, number)),
                holder=receipt.legal_entity.name_fr,
                obj=receipt,
                code=receipt.code,
            )
            receipt.save(update_fields=["document"])
        done += 1
    return done


def receipt_document(*, receipt: Receipt) -> Any:
    """The receipt's PDF; until the worker has rendered it (after the statement's import), the
    answer is 202 "being prepared": never a PDF made, nor anything written, on a request."""
    if receipt.document is None:
        from amo.documents.errors import DocumentError

        raise DomainError(DocumentError.PENDING)
    return receipt.document


def reminders_send(*, today: dt.date | None = None) -> int:
    """E-mail each legal entity, once before and once after the deadline, the dues still awaited."""
    today = today or clock.today()
    days_before = parameter_int("reminder_days_before", today)
    pending = Due.objects.filter(kind="due", line__isnull=True).select_related("legal_entity", "academic_year")
    grouped: dict[tuple[int, str], list[Due]] = defaultdict(list)
    for due in pending.iterator(chunk_size=5000):
        which = rules.reminder(
            due.due_on, today, days_before, due.reminded_before_at is not None, due.reminded_after_at is not None
        )
        if which:
            grouped[(due.legal_entity_id, which)].append(due)
    sent = 0
    for (_entity_id, which), dues in grouped.items():
        entity = dues[0].legal_entity
        with transaction.atomic():
            if entity.email:
                email_queue(
                    to=entity.email,
                    template="contributions/email/reminder",
                    context={
                        "entity": entity,
                        "which": which,
                        "count": len(dues),
                        "total": sum((d.amount for d in dues), Decimal("0")),
                        "first_due_on": min(d.due_on for d in dues if d.due_on),
                    },
                )
                sent += 1
            field = "reminded_before_at" if which == "before" else "reminded_after_at"
            Due.objects.filter(pk__in=[d.pk for d in dues]).update(**{field: clock.now()})
    return sent


def totals_for(legal_entity: LegalEntity, academic_year: AcademicYear) -> dict[str, Any]:
    qs = Due.objects.filter(legal_entity=legal_entity, academic_year=academic_year)
    return {
        "due": qs.filter(kind="due").aggregate(n=Sum("amount"))["n"] or Decimal("0"),
        "paid": qs.filter(kind="due", line__transfer__status__in=("received", "overpaid")).aggregate(n=Sum("amount"))[
            "n"
        ]
        or Decimal("0"),
    }
