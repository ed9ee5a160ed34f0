"""Reads of care files: the student's files with their timeline, the deposit point's queue,
CNOPS's queues, the call centre's lookup."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from amo.claims.models import CareFile, CareFileStatus, CareLine, LiquidationRun, SlipStatus, TransmittalSlip
from amo.coverage.selectors import student_by_document
from amo.enrollment.models import Student
from amo.referentials.selectors import parameter_int

TIMELINE = (
    CareFileStatus.PRE_DECLARED,
    CareFileStatus.DEPOSITED,
    CareFileStatus.ON_SLIP,
    CareFileStatus.RECEIVED,
    CareFileStatus.LIQUIDATED,
    CareFileStatus.PAID,
)


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    on: Any  # a date or a moment, None when not reached
    reached: bool


def timeline(care_file: CareFile) -> list[Step]:
    """The file's steps as the student sees them: pre-declared, deposited, on slip, received by
    CNOPS, liquidated, paid; each with its date when reached."""
    order = list(CareFileStatus.values)
    position = order.index(care_file.status)
    dates = {
        CareFileStatus.PRE_DECLARED: care_file.pre_declared_at,
        CareFileStatus.DEPOSITED: care_file.deposited_on,
        CareFileStatus.ON_SLIP: None,
        CareFileStatus.RECEIVED: care_file.received_on,
        CareFileStatus.LIQUIDATED: care_file.liquidated_at,
        CareFileStatus.PAID: care_file.paid_at,
    }
    steps = []
    for status in TIMELINE:
        reached = order.index(status) <= position
        if status == CareFileStatus.PRE_DECLARED and care_file.pre_declared_at is None:
            continue
        steps.append(Step(status, str(CareFileStatus(status).label), dates[status], reached))
    return steps


def files_of_student(student: Student) -> QuerySet[CareFile]:
    return CareFile.objects.filter(student=student).select_related("deposit_point").prefetch_related("lines")


def files_of_user(user: Any) -> QuerySet[CareFile]:
    return CareFile.objects.filter(student__user=user).select_related("deposit_point").prefetch_related("lines")


def deposit_deadline(care_file: CareFile) -> dt.date:
    return care_file.first_act_on + dt.timedelta(
        days=parameter_int("student_claim_deadline_days", care_file.first_act_on)
    )


def file_find(query: str, scope: Q | None = None) -> QuerySet[CareFile]:
    """Files by number (typed, or read from the cover sheet's QR code) or by the student's CIN."""
    text = "".join(query.split()).upper()
    qs = CareFile.objects.select_related("student", "deposit_point").order_by("-pk")
    if scope is not None:
        qs = qs.filter(scope)
    if not text:
        return qs.none()
    if text.startswith("DOS-"):
        return qs.filter(number=text)
    return qs.filter(student__id_number=text)


def student_for_deposit(id_number: str) -> Student | None:
    return student_by_document(id_number)


def deposit_queue(deposit_point_id: int) -> QuerySet[CareFile]:
    """Deposited files waiting to be put on a slip."""
    return CareFile.objects.filter(deposit_point_id=deposit_point_id, status=CareFileStatus.DEPOSITED).select_related(
        "student"
    )


def slips_of_point(deposit_point_id: int) -> QuerySet[TransmittalSlip]:
    return TransmittalSlip.objects.filter(deposit_point_id=deposit_point_id)


def slips_to_receive() -> QuerySet[TransmittalSlip]:
    return TransmittalSlip.objects.filter(status=SlipStatus.SENT).select_related("deposit_point")


def slips_all() -> QuerySet[TransmittalSlip]:
    return TransmittalSlip.objects.select_related("deposit_point")


def files_to_liquidate() -> QuerySet[CareFile]:
    return CareFile.objects.filter(status=CareFileStatus.RECEIVED).select_related("student", "deposit_point")


def files_to_confirm() -> QuerySet[CareFile]:
    return CareFile.objects.filter(status=CareFileStatus.LIQUIDATED, needs_confirmation=True).select_related("student")


def slip_entries(slip: TransmittalSlip) -> QuerySet[Any]:
    return slip.entries.select_related("care_file__student").order_by("care_file__number")


def lines_of(care_file: CareFile) -> QuerySet[CareLine]:
    return care_file.lines.order_by("act_on", "pk")


def runs() -> QuerySet[LiquidationRun]:
    return LiquidationRun.objects.all()


def run_get(pk: int) -> LiquidationRun | None:
    return LiquidationRun.objects.filter(pk=pk).first()


def queue_counts(deposit_point_id: int | None = None) -> dict[str, int]:
    """The dashboards' queues: a deposit point's files to put on a slip; CNOPS's slips to
    receive, files to liquidate and to confirm."""
    if deposit_point_id is not None:
        return {"to_slip": deposit_queue(deposit_point_id).count()}
    return {
        "slips_to_receive": slips_to_receive().count(),
        "to_liquidate": files_to_liquidate().count(),
        "to_confirm": files_to_confirm().count(),
    }
