"""The one place that reads the current time, so tests and rules can pass dates in.

Everything else asks here (a rule takes the date as a parameter); `make lint` refuses a direct
read elsewhere (ruff's banned-api list in pyproject.toml). Tests move this clock with
time-machine, which moves Django's `timezone.now` too (the `auto_now` fields).
"""

import datetime as dt

from django.utils import timezone

# Django's own function, re-exported rather than wrapped: a model field's `default=clock.now`
# is then written in migrations as `django.utils.timezone.now`, as it was before.
now = timezone.now


def today() -> dt.date:
    """Today's date in the platform's time zone (Africa/Casablanca)."""
    return timezone.localdate()


def date_of(moment: dt.datetime) -> dt.date:
    """The local calendar date of a given moment (reads no clock)."""
    return timezone.localdate(moment)
