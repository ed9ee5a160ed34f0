import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, QuerySet, Sum

from amo.common import clock
from amo.common.money import mad
from amo.contributions import rules
from amo.contributions.models import Credit, Due, Outcome, PaymentReference, Receipt, Statement, Transfer
from amo.organisations.models import LegalEntity
from amo.referentials.models import AcademicYear


def payment_reference_of(*, legal_entity: LegalEntity, academic_year: AcademicYear) -> str:
    """The reference the legal entity writes in its transfer labels for a year: the one stored with
    its first transfer (services.payment_reference_for), else the one that transfer will store.
    Read only: a page shows it before any transfer."""
    stored = PaymentReference.objects.filter(legal_entity=legal_entity, academic_year=academic_year)
    return stored.values_list("reference", flat=True).first() or rules.payment_reference(
        academic_year.code, legal_entity.pk
    )


def dues_for_entity(entity: LegalEntity, year: AcademicYear) -> QuerySet[Due]:
    return (
        Due.objects.filter(legal_entity=entity, academic_year=year)
        .select_related("request__student", "request__institution", "line__transfer")
        .order_by("request__institution__name_fr", "request__student__last_name")
    )


def status_of(due: Due | None, today: dt.date) -> str:
    if due is None:
        return "not_computed"
    transfer_status = due.line.transfer.status if hasattr(due, "line") else None
    return rules.contribution_status(due.kind, transfer_status, due.due_on, today)


def transfers_for_entity(entity: LegalEntity) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(legal_entity=entity)
        .select_related("payment_reference__academic_year")
        .annotate(students=Count("lines"))
    )


def receipts_for_entity(entity: LegalEntity) -> QuerySet[Receipt]:
    return Receipt.objects.filter(legal_entity=entity).select_related("transfer", "document")


def statements() -> QuerySet[Statement]:
    return Statement.objects.select_related("imported_by")


def review_queue() -> QuerySet[Credit]:
    return (
        Credit.objects.filter(outcome__in=(Outcome.UNDERPAID, Outcome.UNKNOWN_REFERENCE, Outcome.NOT_DECLARED))
        .select_related("transfer", "statement")
        .order_by("booked_on", "pk")
    )


def open_transfers() -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(status="declared")
        .select_related("legal_entity", "payment_reference")
        .order_by("-declared_at")
    )


def overdue_by_entity(today: dt.date) -> list[dict[str, Any]]:
    """Per legal entity: dues awaited past their deadline, count and amount."""
    return list(
        Due.objects.filter(kind="due", line__isnull=True, due_on__lt=today)
        .values("legal_entity_id", "legal_entity__name_fr", "legal_entity__name_ar")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by("-amount")[:200]
    )


def contribution_of(request: Any) -> str:
    """The contribution status of one registration request, as its student sees it."""
    due = Due.objects.filter(request=request).select_related("line__transfer").first()
    return status_of(due, clock.today())


def totals_by_institution(entity_scope: Any, year: AcademicYear | None) -> list[dict[str, Any]]:
    """Per legal entity and institution: students, exempt, due amount and amount received."""
    from django.db.models import Q

    qs = Due.objects.filter(entity_scope)
    if year is not None:
        qs = qs.filter(academic_year=year)
    received = Q(kind="due", line__transfer__status__in=("received", "overpaid"))
    rows = list(
        qs.values(
            "legal_entity__name_fr",
            "request__institution__code",
            "request__institution__name_fr",
            "request__institution__name_ar",
        )
        .annotate(
            students=Count("id"),
            exempt=Count("id", filter=Q(kind="exempt")),
            due=Sum("amount", filter=Q(kind="due")),
            received=Sum("amount", filter=received),
        )
        .order_by("legal_entity__name_fr", "request__institution__name_fr")[:1000]
    )
    for row in rows:  # SQLite sums lose the two decimals
        row["due"] = mad(row["due"] or 0)
        row["received"] = mad(row["received"] or 0)
    return rows


def owed_by_entity(entity: LegalEntity, year: AcademicYear, today: dt.date) -> dict[str, Any]:
    """What a legal entity still owes for a year (dues with no transfer): amount, students, first
    deadline and whether it has passed; its dashboard reads it."""
    unpaid = Due.objects.filter(legal_entity=entity, academic_year=year, kind="due", line__isnull=True)
    totals = unpaid.aggregate(amount=Sum("amount"), students=Count("id"), first_due_on=Min("due_on"))
    first_due_on = totals["first_due_on"]
    return {
        "year": year,
        "amount": totals["amount"] or Decimal("0"),
        "students": totals["students"],
        "first_due_on": first_due_on,
        "overdue": bool(first_due_on and first_due_on < today),
    }
