"""When to try a failed e-mail again: 1, 5, 15, 60 minutes, then every 4 hours; where a message's
status may go."""

import datetime as dt

from amo.common import transitions

DELAYS_MINUTES = (1, 5, 15, 60)

PENDING, SENT, FAILED = "pending", "sent", "failed"
# An outbox message: tried until sent or out of attempts (a failed try keeps it pending).
OUTBOX_TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({SENT, FAILED}),
    SENT: frozenset(),
    FAILED: frozenset(),
}


def outbox_can_move(current: str, target: str) -> bool:
    return transitions.allowed(OUTBOX_TRANSITIONS, current, target)


def retry_delay(attempts: int) -> dt.timedelta:
    if attempts <= 0:
        return dt.timedelta(0)
    if attempts <= len(DELAYS_MINUTES):
        return dt.timedelta(minutes=DELAYS_MINUTES[attempts - 1])
    return dt.timedelta(hours=4)
