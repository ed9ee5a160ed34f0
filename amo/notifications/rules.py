"""When to try a failed e-mail again: 1, 5, 15, 60 minutes, then every 4 hours."""

import datetime as dt

DELAYS_MINUTES = (1, 5, 15, 60)


def retry_delay(attempts: int) -> dt.timedelta:
    if attempts <= 0:
        return dt.timedelta(0)
    if attempts <= len(DELAYS_MINUTES):
        return dt.timedelta(minutes=DELAYS_MINUTES[attempts - 1])
    return dt.timedelta(hours=4)
