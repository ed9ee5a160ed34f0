"""Reads of medical control: the referentials in force, the controller's queue, the provider's
and the student's lists, and what claims reads of an agreement or an ALD exemption."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from amo.approvals import rules
from amo.approvals.models import ApprovalRequest, ApprovalStatus, Attachment, RefusalReason, RequestKind, RoutingRule
from amo.common import clock
from amo.common.models import AuditEvent
from amo.organisations.models import CnopsOffice
from amo.referentials.models import Icd10Code


def _dated(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def kinds_in_force(on: dt.date, *, for_providers: bool | None = None) -> QuerySet[RequestKind]:
    kinds = RequestKind.objects.filter(_dated(on))
    return kinds.filter(for_providers=for_providers) if for_providers is not None else kinds


def kind_get(code: str, on: dt.date) -> RequestKind | None:
    return kinds_in_force(on).filter(code=code).first()


def refusal_reasons_in_force(on: dt.date) -> QuerySet[RefusalReason]:
    return RefusalReason.objects.filter(_dated(on))


def reason_get(code: str, on: dt.date) -> RefusalReason | None:
    return refusal_reasons_in_force(on).filter(code=code).first()


def icd10_get(code: str, on: dt.date) -> Icd10Code | None:
    normalised = rules.normalise_icd10(code)
    if normalised is None:
        return None
    return Icd10Code.objects.filter(_dated(on), code=normalised).first()


def routes_in_force(on: dt.date) -> list[rules.Route]:
    return [
        rules.Route(r.priority, r.region_id, r.kind.code if r.kind else None, r.min_amount, r.office_id)
        for r in RoutingRule.objects.filter(_dated(on)).select_related("kind")
    ]


def delegation_of_region(region_id: int) -> int | None:
    office = CnopsOffice.objects.filter(kind="delegation", regions__id=region_id).order_by("code").first()
    return office.pk if office else None


def central_office() -> CnopsOffice:
    return CnopsOffice.objects.get(code="CENTRAL")


# ----------------------------------------------------------------------------------------------
# Lists.

_LIST_RELATED = ("kind", "office", "provider", "insured", "held_by")


def _search(requests: QuerySet[ApprovalRequest], q: str) -> QuerySet[ApprovalRequest]:
    q = "".join(q.split()).upper()[:40]
    if not q:
        return requests
    return requests.filter(Q(number=q) | Q(insured__id_number=q))


def queue_for_offices(
    office_ids: set[int] | None,
    *,
    status: str = "",
    kind: str = "",
    urgent: bool | None = None,
    q: str = "",
) -> QuerySet[ApprovalRequest]:
    """An office's requests (None: every office): by default those still to decide, the clock
    running first, by deadline (so overdue ones come first), those waiting for an answer after."""
    requests = ApprovalRequest.objects.select_related(*_LIST_RELATED)
    if office_ids is not None:
        requests = requests.filter(office_id__in=office_ids)
    requests = requests.filter(status=status) if status else requests.filter(status__in=rules.OPEN)
    if kind:
        requests = requests.filter(kind__code=kind)
    if urgent is not None:
        requests = requests.filter(urgent=urgent)
    # Those waiting for the provider's answer (the clock stopped) come last. The order is the one
    # of the partial index approval_queue.
    return _search(requests, q).order_by("waiting", "due_at", "pk")


def requests_for_providers(provider_ids: set[int], *, status: str = "", q: str = "") -> QuerySet[ApprovalRequest]:
    requests = ApprovalRequest.objects.select_related(*_LIST_RELATED).filter(provider_id__in=provider_ids)
    if status:
        requests = requests.filter(status=status)
    return _search(requests, q).order_by("-submitted_at", "-pk")


def requests_of_student(student_id: int) -> QuerySet[ApprovalRequest]:
    return (
        ApprovalRequest.objects.select_related(*_LIST_RELATED)
        .filter(insured__student_id=student_id)
        .order_by("-submitted_at")
    )


def attachments_of(request: ApprovalRequest) -> QuerySet[Attachment]:
    return request.attachments.all()


def history_of(request: ApprovalRequest) -> QuerySet[AuditEvent]:
    """Every change of the request, oldest first (the audit trail its services wrote)."""
    return AuditEvent.objects.filter(object_type=ApprovalRequest._meta.label_lower, object_id=str(request.pk)).order_by(
        "created_at", "pk"
    )


# ----------------------------------------------------------------------------------------------
# What claims reads (issue 16, items 5 and 6): an agreement cited by a bill's line, an ALD
# exemption of a student. Plain values out, never an ApprovalRequest.


def _agreement(request: ApprovalRequest) -> rules.Agreement:
    try:
        acts = rules.parse_acts(request.planned_acts)
    except ValueError:
        acts = ()
    assert request.ceiling is not None and request.valid_from is not None and request.valid_to is not None
    return rules.Agreement(
        number=request.number or "",
        kind=request.kind.code,
        diagnosis=request.diagnosis.code,
        ceiling=request.ceiling,
        valid_from=request.valid_from,
        valid_to=request.valid_to,
        sessions=request.sessions,
        sessions_used=request.sessions_used,
        acts=acts,
    )


def agreement_for_line(*, number: str, provider_id: int | None, on: dt.date) -> rules.Agreement | None:
    """The agreement a bill's line cites, when it is the provider's own, agreed and in force on
    the date of the act; None otherwise (claims turns None into its coded refusal)."""
    request = (
        ApprovalRequest.objects.select_related("kind", "diagnosis")
        .filter(number=number.strip().upper(), status=rules.AGREED, provider_id=provider_id)
        .first()
    )
    if request is None:
        return None
    agreement = _agreement(request)
    return agreement if agreement.in_force_on(on) else None


EXEMPTION_KIND = "ald_exemption"


def exemption_for(*, student_id: int, disease: str, on: dt.date) -> rules.Agreement | None:
    """The student's agreed ALD exemption for the disease (an ICD-10 code; an exemption for a
    category covers its subcategories) in force on the date, or None."""
    asked = rules.normalise_icd10(disease)
    if asked is None:
        return None
    candidates = ApprovalRequest.objects.select_related("kind", "diagnosis").filter(
        insured__student_id=student_id,
        kind__code=EXEMPTION_KIND,
        status=rules.AGREED,
        valid_from__lte=on,
        valid_to__gte=on,
    )
    for request in candidates.order_by("-valid_to"):
        if rules.diagnosis_matches(request.diagnosis.code, asked):
            return _agreement(request)
    return None


# ----------------------------------------------------------------------------------------------
# Figures per office and month.


@dataclass
class OfficeMonth:
    office: str
    month: str
    by_status: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    hours: list[float] = field(default_factory=list)
    within: int = 0
    agreed_amount: Decimal = Decimal("0.00")

    @property
    def status_rows(self) -> list[tuple[str, int]]:
        return sorted(self.by_status.items())

    @property
    def kind_rows(self) -> list[tuple[str, int]]:
        return sorted(self.by_kind.items())

    @property
    def refusal_rows(self) -> list[tuple[str, int]]:
        return sorted(self.refusals.items())

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def decided(self) -> int:
        return len(self.hours)

    @property
    def median_hours(self) -> float | None:
        return rules.percentile(self.hours, 0.5)

    @property
    def p90_hours(self) -> float | None:
        return rules.percentile(self.hours, 0.9)

    @property
    def within_share(self) -> float | None:
        return self.within / self.decided if self.decided else None


def figures(office_ids: set[int] | None, *, since: dt.date, until: dt.date) -> list[OfficeMonth]:
    """Per office and month of submission: requests by status and kind, decision times (hours,
    the clock's stops included), the share decided within the service level, refusals by reason,
    amounts agreed. One pass over the months' rows (values only)."""
    rows = ApprovalRequest.objects.filter(submitted_at__date__gte=since, submitted_at__date__lte=until)
    if office_ids is not None:
        rows = rows.filter(office_id__in=office_ids)
    out: dict[tuple[str, str], OfficeMonth] = {}
    kinds = {k.code: k.label for k in RequestKind.objects.all()}
    reasons = {r.pk: r.label for r in RefusalReason.objects.all()}
    statuses = dict(ApprovalStatus.choices)
    values: Any = rows.values_list(
        "office__name_fr",
        "submitted_at",
        "status",
        "kind__code",
        "refusal_reason_id",
        "decided_at",
        "due_at",
        "ceiling",
    ).order_by("office__name_fr", "submitted_at")
    for office, submitted, status, kind, reason, decided, due, ceiling in values.iterator(chunk_size=5000):
        month = clock.date_of(submitted).strftime("%Y-%m")
        key = (office, month)
        if key not in out:
            out[key] = OfficeMonth(office, month)
        fig = out[key]
        fig.by_status[str(statuses.get(status, status))] += 1
        fig.by_kind[kinds.get(kind, kind)] += 1
        if status == rules.REFUSED and reason:
            fig.refusals[reasons.get(reason, str(reason))] += 1
        if decided is not None and status in rules.DECIDED:
            fig.hours.append((decided - submitted).total_seconds() / 3600)
            fig.within += rules.within_service_level(due, decided)
        if status == rules.AGREED and ceiling is not None:
            fig.agreed_amount += ceiling
    return list(out.values())
