"""The health endpoint (/health/) for a load balancer and a monitor.

It answers 200 when everything holds, 503 otherwise, with one word per check and nothing else (no
count, no version, no time, no host name): a stranger learns only whether the platform works.
The figures behind a failing check go to the log (a WARNING line with the request's id)."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max
from django_tasks_db.models import DBTaskResult

from amo.common import clock
from amo.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger("amo.health")


def _worker(now: dt.datetime) -> tuple[str, dict[str, Any]]:
    """Alive when no task has waited longer than HEALTH_WORKER_MINUTES unclaimed, or when one was
    claimed within that time (a busy worker working through a queue). A quiet platform has nothing
    waiting: its worker counts as alive without having claimed anything lately."""
    limit = now - dt.timedelta(minutes=settings.HEALTH_WORKER_MINUTES)
    waiting = DBTaskResult.objects.ready().filter(enqueued_at__lt=limit)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    if oldest is None:
        return "ok", {}
    last = DBTaskResult.objects.aggregate(last=Max("started_at"))["last"]
    if last is not None and last >= limit:
        return "ok", {}
    return "stalled", {"oldest_waiting": oldest.isoformat(), "last_claimed": last.isoformat() if last else "never"}


def _outbox(now: dt.datetime) -> tuple[str, dict[str, Any]]:
    """Behind when an e-mail has waited longer than HEALTH_OUTBOX_MINUTES; "kept" (not a failure)
    when the platform runs without an SMTP server on purpose (EMAIL_KEEP_IN_OUTBOX)."""
    if settings.EMAIL_KEEP_IN_OUTBOX:
        return "kept", {}
    limit = now - dt.timedelta(minutes=settings.HEALTH_OUTBOX_MINUTES)
    late = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, created_at__lt=limit).count()
    return ("behind", {"late_emails": late}) if late else ("ok", {})


def health_report() -> tuple[bool, dict[str, str]]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        now = clock.now()
        worker, worker_facts = _worker(now)
        outbox, outbox_facts = _outbox(now)
    except DatabaseError as exc:
        log.warning("health: database unreachable (%s)", type(exc).__name__)
        return False, {"database": "down", "worker": "unknown", "outbox": "unknown"}
    checks = {"database": "ok", "worker": worker, "outbox": outbox}
    healthy = worker == "ok" and outbox in ("ok", "kept")
    if not healthy:
        log.warning("health: %s", " ".join(f"{k}={v}" for k, v in {**checks, **worker_facts, **outbox_facts}.items()))
    return healthy, checks
