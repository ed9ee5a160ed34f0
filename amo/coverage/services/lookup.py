"""The providers' and call centre's lookup by document number: rate-limited and logged (law
09-08); the answer itself is selectors.rights_lookup."""

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from amo.accounts.actors import ActingUser
from amo.common import clock
from amo.common.errors import DomainError
from amo.coverage import selectors
from amo.coverage.errors import CoverageError as E
from amo.coverage.models import (
    LookupLog,
)
from amo.coverage.selectors import Lookup

LOOKUP_WINDOW = dt.timedelta(minutes=1)
LOOKUP_LOG_RETENTION_DAYS = 365


def rights_lookup_logged(*, actor: ActingUser, id_number: str, on: dt.date, channel: str) -> Lookup:
    """A lookup made by an account (page or API): refused beyond the account's rate, logged with
    who asked, which number, for which day, and the answer."""
    now = clock.now()
    limit = int(getattr(settings, "COVERAGE_LOOKUPS_PER_MINUTE", 60))
    # Counted up to the limit only: at a provider's full rate the window holds thousands of rows.
    # 0 means no limit here (a deployment that limits the rate in front of the platform).
    if limit and LookupLog.objects.filter(user=actor, at__gt=now - LOOKUP_WINDOW).order_by()[:limit].count() >= limit:
        raise DomainError(E.LOOKUP_RATE)
    found = selectors.rights_lookup(id_number=id_number, on=on)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Committed without waiting for the disk: the log row is a lookup's only write, and a
            # crash of the database server may lose its last fraction of a second of entries, never
            # a state (decision 0007, addendum: 919 -> 1,204 lookups/s).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        LookupLog.objects.create(
            at=now,
            user=actor,
            user_email=getattr(actor, "email", "")[:254],
            id_number=found.id_number[:20],
            on=on,
            covered=found.covered,
            channel=channel,
        )
    return found


def lookup_log_purge(*, today: dt.date) -> int:
    """Delete the log's entries older than the retention period (the only deletion it knows)."""
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=LOOKUP_LOG_RETENTION_DAYS), dt.time()))
    deleted, _by_model = LookupLog.objects.filter(at__lt=cutoff).delete()
    return deleted
