"""The clock is the one reader of the time, and tests can move it (README: "Tests on other dates")."""

import datetime as dt
import os
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from amo.common import clock


def test_the_clock_is_the_platforms_time_and_date() -> None:
    with time_machine.travel(dt.datetime(2026, 8, 31, 23, 30, tzinfo=dt.UTC), tick=False):
        # 23:30 UTC is already 1 September in Casablanca (UTC+1): the date is the local one.
        assert clock.now() == dt.datetime(2026, 8, 31, 23, 30, tzinfo=dt.UTC)
        assert clock.today() == dt.date(2026, 9, 1)
        assert clock.date_of(clock.now()) == dt.date(2026, 9, 1)
        assert timezone.now() == clock.now()  # noqa: TID251 - the auto_now fields read Django's clock: it moves too


def test_a_run_with_the_clock_moved_is_on_that_day() -> None:
    wanted = os.environ.get("AMO_TEST_TODAY", "")
    if wanted and "T" not in wanted and " " not in wanted:
        assert clock.today() == dt.date.fromisoformat(wanted)
        assert clock.now().astimezone(ZoneInfo("Africa/Casablanca")).date() == clock.today()
