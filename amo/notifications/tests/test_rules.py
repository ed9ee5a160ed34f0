from amo.common.tests.transition_tables import assert_complete
from amo.notifications.models import OutboxStatus
from amo.notifications.rules import OUTBOX_TRANSITIONS, outbox_can_move


def test_the_outbox_table_covers_every_status_and_refuses_the_rest() -> None:
    assert_complete(OUTBOX_TRANSITIONS, OutboxStatus.values)
    assert outbox_can_move("pending", "sent") and outbox_can_move("pending", "failed")
    assert not outbox_can_move("sent", "pending") and not outbox_can_move("failed", "sent")
    assert not outbox_can_move("sent", "sent")
