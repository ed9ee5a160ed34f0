"""Reads of the check: the students ready to be sent, a batch's exchange rows and verdicts, the
students a registry load reports covered elsewhere."""

from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from amo.eligibility.contract import ExchangeRow, VerdictRow
from amo.eligibility.models import CheckBatch, CheckEntry, RegistryLoad, Verdict
from amo.enrollment.models import RegistrationRequest, RegistrationStatus, Student
from amo.referentials.models import AcademicYear


def ready_for_check(academic_year: AcademicYear) -> QuerySet[RegistrationRequest]:
    """Requests CNOPS may send: in a list sent to CNOPS, certified by the legal entity, with the
    contribution received or exempt (a due declared but not received waits)."""
    return RegistrationRequest.objects.filter(
        academic_year=academic_year, status=RegistrationStatus.SENT_TO_CNOPS, certification__isnull=False
    ).filter(Q(due__kind="exempt") | Q(due__line__transfer__status__in=("received", "overpaid")))


def exchange_rows(batch: CheckBatch) -> Iterator[ExchangeRow]:
    """The batch as the exchange contract carries it to ANAM."""
    for entry_id, id_type, id_number, birth_date, age_exempt, age_reference in (
        CheckEntry.objects.filter(batch=batch)
        .order_by("id")
        .values_list("id", "id_type", "id_number", "birth_date", "age_exempt", "age_reference_date")
        .iterator(chunk_size=20000)
    ):
        yield ExchangeRow(
            batch.number,
            entry_id,
            id_type,
            id_number,
            birth_date,
            batch.reference_date,
            batch.age_limit,
            age_exempt,
            age_reference,
        )


def verdict_rows(batch: CheckBatch) -> Iterator[VerdictRow]:
    for entry_id, outcome, reason, scheme in (
        Verdict.objects.filter(batch=batch).order_by("entry_id").values_list("entry_id", "outcome", "reason", "scheme")
    ).iterator(chunk_size=20000):
        yield VerdictRow(entry_id, outcome, reason, scheme)


def students_reported(report_table: str) -> QuerySet[Student]:
    """The students whose document number (and birth date, when the registry gives one) a
    registry load reports newly covered: read from the load's report table (registry.REPORT)
    while the load's transaction runs."""
    return Student.objects.filter(
        id__in=RawSQL(  # noqa: S611 - the table's name is registry.REPORT, a constant; no value is spliced
            f"SELECT st.id FROM enrollment_student st JOIN {report_table} x ON x.id_number = st.id_number "  # noqa: S608 - same
            "WHERE x.birth_date IS NULL OR x.birth_date = st.birth_date",
            [],
        )
    )


def batches() -> QuerySet[CheckBatch]:
    """Every batch, latest first, with its academic year."""
    return CheckBatch.objects.select_related("academic_year").order_by("-sent_at")


def batches_of(year: AcademicYear) -> QuerySet[CheckBatch]:
    return CheckBatch.objects.filter(academic_year=year)


def batch_entries(batch_id: int) -> QuerySet[CheckEntry]:
    return CheckEntry.objects.filter(batch_id=batch_id).order_by("id")


def batch_verdicts(batch_id: int) -> QuerySet[Verdict]:
    return Verdict.objects.filter(batch_id=batch_id).select_related("entry").order_by("entry_id")


def registry_loads() -> QuerySet[RegistryLoad]:
    """The registry files loaded, latest first, with who loaded them."""
    return RegistryLoad.objects.select_related("loaded_by").order_by("-loaded_at")


def check_counts(year: AcademicYear) -> dict[str, int]:
    """CNOPS's figures of a year: ready to send, being checked by ANAM, waiting for the payment."""
    requests = RegistrationRequest.objects.filter(academic_year=year)
    ready = ready_for_check(year).count()
    return {
        "ready": ready,
        "pending": requests.filter(status=RegistrationStatus.PENDING_ANAM).count(),
        # Waiting: sent to CNOPS and not ready yet (the ready ones, a part of them, are counted once).
        "waiting_payment": requests.filter(status=RegistrationStatus.SENT_TO_CNOPS).count() - ready,
    }
