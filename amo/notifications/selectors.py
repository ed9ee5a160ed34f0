"""Reads of the outbox, for the pages and endpoints of other apps that show it."""

from django.db.models import Count, QuerySet

from amo.notifications.models import OutboxMessage, OutboxStatus


def outbox_list(*, status: str = "") -> QuerySet[OutboxMessage]:
    """The outbox, newest first; only the messages of one status when it is given."""
    qs = OutboxMessage.objects.all()
    return qs.filter(status=status) if status else qs


def outbox_counts() -> dict[str, int]:
    """How many messages each status has (every status, zero included)."""
    found = dict(OutboxMessage.objects.order_by().values_list("status").annotate(n=Count("id")))
    return {s: found.get(s, 0) for s in OutboxStatus.values}
