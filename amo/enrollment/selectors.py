import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from amo.accounts.actors import Actor
from amo.accounts.models import User
from amo.common import clock
from amo.enrollment import rules
from amo.enrollment.access import list_scope, request_scope
from amo.enrollment.models import (
    AggregationList,
    Certification,
    ProbableDuplicate,
    RegistrationEvent,
    RegistrationRequest,
    RegistrationStatus,
    RibChange,
    Student,
)
from amo.organisations.models import Aggregator, Institution, LegalEntity
from amo.referentials.models import AcademicYear


def request_list_for_actor(
    actor: Actor,
    *,
    search: str = "",
    status: str = "",
    institution: str = "",
    year: str = "",
    channel: str = "",
    received: bool = False,
) -> QuerySet[RegistrationRequest]:
    qs = RegistrationRequest.objects.filter(request_scope(actor)).select_related(
        "student", "institution", "academic_year"
    )
    if search:
        qs = qs.filter(_search(search))
    if status:
        qs = qs.filter(status=status)
    if institution:
        qs = qs.filter(institution__code=institution)
    if channel:
        qs = qs.filter(institution__category__channel__code=channel)
    if received:
        qs = qs.filter(status__in=rules.RECEIVED)
    if year:
        qs = qs.filter(academic_year__code=year)
    return qs.order_by("-submitted_at", "-id")


def _search(text: str) -> Q:
    """A CIN, a Massar code, an e-mail, the start of a last name, or a full name as the lists show
    it ("Bennani Salma", "El Amrani Omar") or first name first ("Salma Bennani")."""
    term = " ".join(text.split())
    found = (
        Q(student__id_number=term.upper())
        | Q(student__massar=term.upper())
        | Q(student__last_name__istartswith=term)
        | Q(student__email__iexact=term)
    )
    words = term.split(" ")
    for cut in range(1, len(words)):
        before, after = " ".join(words[:cut]), " ".join(words[cut:])
        found |= Q(student__last_name__iexact=before, student__first_name__istartswith=after)
        found |= Q(student__first_name__iexact=before, student__last_name__istartswith=after)
    return found


def bulk_decision_targets(institution: Institution, ids: Iterable[int]) -> QuerySet[RegistrationRequest]:
    """The requests a bulk decision of an institution's agent acts on: those ticked (page) or
    listed (API) that belong to the institution; any other id is ignored."""
    return RegistrationRequest.objects.filter(pk__in=list(ids), institution=institution)


def request_list_for_student(user: User) -> QuerySet[RegistrationRequest]:
    return (
        RegistrationRequest.objects.filter(student__user=user)
        .select_related("institution__category__channel", "academic_year", "signed_form", "certification")
        .prefetch_related("events")
        .order_by("-academic_year__starts_on")
    )


def student_for_user(user: User) -> Student | None:
    return Student.objects.filter(user=user).first()


def rib_change_pending(student: Student) -> RibChange | None:
    """The RIB change waiting for its link to be opened: the latest one asked, if unconfirmed and
    still within its days (a newer request makes the older link worthless)."""
    latest = RibChange.objects.filter(student=student).first()
    since = clock.now() - dt.timedelta(days=rules.RIB_LINK_DAYS)
    if latest is None or latest.confirmed_at is not None or latest.requested_at < since:
        return None
    return latest


def last_event(request: RegistrationRequest, status: str) -> RegistrationEvent | None:
    """The request's latest step to this status, read from its events (prefetched by the lists
    above: no query)."""
    events = [e for e in request.events.all() if e.status == status]
    return max(events, key=lambda e: (e.at, e.pk), default=None)


def request_count(*, academic_year: AcademicYear, status: str) -> int:
    return RegistrationRequest.objects.filter(academic_year=academic_year, status=status).count()


def student_get(pk: int) -> Student | None:
    return Student.objects.filter(pk=pk).first()


def lists_for_actor(actor: Actor) -> QuerySet[AggregationList]:
    return (
        AggregationList.objects.filter(list_scope(actor))
        .select_related("aggregator", "academic_year")
        .order_by("-closed_at")
    )


def waiting_for_list(aggregator: Aggregator, year: AcademicYear) -> QuerySet[RegistrationRequest]:
    return RegistrationRequest.objects.filter(
        aggregator=aggregator,
        academic_year=year,
        status=RegistrationStatus.VALIDATED,
        aggregation_list__isnull=True,
    )


def waiting_by_institution(aggregator: Aggregator, year: AcademicYear) -> list[dict[str, Any]]:
    return list(
        waiting_for_list(aggregator, year)
        .values("institution__code", "institution__name_fr", "institution__name_ar")
        .annotate(count=Count("id"))
        .order_by("institution__name_fr")
    )


def list_rows(aggregation_list: AggregationList) -> QuerySet[RegistrationRequest]:
    return (
        RegistrationRequest.objects.filter(aggregation_list=aggregation_list)
        .select_related("student", "institution")
        .order_by("id")
    )


def certification_rows(legal_entity: LegalEntity, academic_year: AcademicYear) -> QuerySet[RegistrationRequest]:
    return RegistrationRequest.objects.filter(
        institution__legal_entity=legal_entity,
        academic_year=academic_year,
        status__in=(RegistrationStatus.IN_LIST, RegistrationStatus.SENT_TO_CNOPS),
    )


def requests_to_certify(entity: LegalEntity, year: AcademicYear | None) -> QuerySet[RegistrationRequest]:
    """The students the legal entity is asked to certify: in its lists, not certified yet."""
    if year is None:
        return RegistrationRequest.objects.none()
    return (
        certification_rows(entity, year)
        .filter(certification__isnull=True)
        .select_related("student", "institution", "academic_year")
        .order_by("institution__code", "student__last_name", "student__first_name", "id")
    )


def certifications_for(entity: LegalEntity) -> QuerySet[Certification]:
    return Certification.objects.filter(legal_entity=entity).select_related("academic_year", "certified_by")


def totals(actor: Actor, year: AcademicYear | None, *, received: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Counts per status in the actor's perimeter, and per channel and per institution (only of
    the requests CNOPS has received, when `received`)."""
    every = RegistrationRequest.objects.filter(request_scope(actor))
    if year is not None:
        every = every.filter(academic_year=year)
    qs = every.filter(status__in=rules.RECEIVED) if received else every
    return {
        "by_status": list(every.values("status").annotate(count=Count("id")).order_by("status")),
        "by_channel": list(
            qs.values(
                "institution__category__channel__code",
                "institution__category__channel__name_fr",
                "institution__category__channel__name_ar",
            )
            .annotate(count=Count("id"))
            .order_by("institution__category__channel__code")
        ),
        "by_institution": list(
            qs.values("institution__code", "institution__name_fr", "institution__name_ar", "status")
            .annotate(count=Count("id"))
            .order_by("institution__name_fr", "status")[:500]
        ),
    }


def probable_duplicates_of(request: RegistrationRequest) -> QuerySet[ProbableDuplicate]:
    """The probable duplicates flagged on a request (same names and birth date under another
    document this year), with the earlier request each one resembles: pending first."""
    return (
        ProbableDuplicate.objects.filter(request=request)
        .select_related("other__student", "other__institution")
        .order_by("-decision", "other_id")
    )
