from typing import Any

from django.db.models import QuerySet

from amo.common import clock
from amo.coverage.models import HandoverExport, LookupLog, Publication, RightsPeriod
from amo.eligibility.models import Verdict
from amo.enrollment.models import Student
from amo.notifications.models import OutboxMessage


def publications(entity_ids: list[int] | None) -> QuerySet[Publication]:
    qs = Publication.objects.select_related("legal_entity", "batch")
    return qs if entity_ids is None else qs.filter(legal_entity_id__in=entity_ids)


def student_by_document(number: str) -> Student | None:
    clean = "".join(number.split()).upper()
    return Student.objects.filter(id_number=clean).order_by("id_type").first() if clean else None


def student_file(student: Student) -> dict[str, Any]:
    """Everything about one student on one page (the call centre's view)."""
    from amo.contributions.selectors import status_of

    requests = list(
        student.requests.select_related("institution", "academic_year", "due__line__transfer")
        .prefetch_related("events")
        .order_by("-submitted_at")
    )
    today = clock.today()
    return {
        "student": student,
        "requests": [(r, status_of(getattr(r, "due", None), today)) for r in requests],
        "verdicts": Verdict.objects.filter(entry__request__student=student)
        .select_related("batch", "entry")
        .order_by("-batch__sent_at"),
        "periods": periods_of(student),
        "emails": OutboxMessage.objects.filter(to__iexact=student.email).order_by("-created_at")[:20]
        if student.email
        else [],
    }


def periods_of(student: Student) -> QuerySet[RightsPeriod]:
    return (
        RightsPeriod.objects.filter(insured__student=student)
        .select_related("institution", "academic_year", "certificate", "insured")
        .prefetch_related("events")
        .order_by("-starts_on")
    )


def handover_exports() -> QuerySet[HandoverExport]:
    return HandoverExport.objects.all()


def lookup_log(id_number: str = "") -> QuerySet[LookupLog]:
    """The rights lookup log, latest first; only one document number's when given."""
    qs = LookupLog.objects.order_by("-at", "-id")
    clean = "".join(id_number.split()).upper()[:20]  # as student_by_document reads a number
    return qs.filter(id_number=clean) if clean else qs
