"""How coverage answers the earlier steps, connected in CoverageConfig.ready: enrollment asks its
step reader (decision 0002) and eligibility sends its signals (amo.eligibility.signals, decision
0013); neither imports this app. The signal receivers run in the sender's transaction, as the
direct calls they replace did."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from amo.accounts.actors import ActingUser
from amo.coverage import services, tasks
from amo.coverage.models import RightsPeriod
from amo.eligibility import signals
from amo.eligibility.models import CheckBatch
from amo.enrollment.models import RegistrationRequest, Student


def rights_of(request: RegistrationRequest) -> RightsPeriod | None:
    """The rights period opened for a request (with its insured), or None."""
    return RightsPeriod.objects.filter(request=request).select_related("insured").first()


def open_rights(sender: Any, *, batch: CheckBatch, **kwargs: Any) -> int:
    """The accepted students of a batch being applied become insured; returns the periods opened."""
    return services.rights_open_for_batch(batch=batch)


def announce_after_commit(sender: Any, *, batch_id: int, **kwargs: Any) -> None:
    """Once the applied batch commits: publication lists, then each student's e-mail."""
    transaction.on_commit(lambda: tasks.after_batch.enqueue(batch_id))


def notice_reported(sender: Any, *, students: QuerySet[Student], actor: ActingUser = None, **kwargs: Any) -> int:
    """Students a registry load reports covered elsewhere get a notice; returns how many."""
    return services.rights_report_other_coverage(students=students, actor=actor)


def connect() -> None:
    signals.verdicts_accepted.connect(open_rights, dispatch_uid="coverage.open_rights")
    signals.verdicts_applied.connect(announce_after_commit, dispatch_uid="coverage.announce_after_commit")
    signals.other_coverage_reported.connect(notice_reported, dispatch_uid="coverage.notice_reported")
