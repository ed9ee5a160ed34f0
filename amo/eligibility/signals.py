"""What the check tells the steps above it (coverage), which connect their receivers in their
AppConfig.ready: eligibility never imports them (decision records 0002 and 0013). Each signal is
sent inside the transaction of the step that sends it, so a receiver's writes commit or roll
back with it; a receiver that has work to do after the commit schedules it with on_commit."""

from typing import Any

from django.dispatch import Signal

# A batch's verdicts are being applied; kwargs: batch (CheckBatch). Each receiver opens what
# the accepted students are owed and returns how many (the batch's "accepted" figure).
verdicts_accepted = Signal()

# A batch's verdicts are applied (its status is "applied"); kwargs: batch_id (int).
verdicts_applied = Signal()

# A registry load reports persons newly covered by another scheme; kwargs: students (a
# QuerySet of enrollment's Student: those of the same document number and birth date, read
# while the load's transaction runs) and actor. Each receiver returns the notices it sent.
other_coverage_reported = Signal()


def total(responses: list[tuple[Any, Any]]) -> int:
    """The sum of the receivers' answers (a signal nobody listens to answers 0)."""
    return sum(int(answer or 0) for _receiver, answer in responses)
