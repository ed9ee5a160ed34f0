from amo.common.tests.transition_tables import assert_complete
from amo.imports.models import ImportStatus
from amo.imports.rules import IMPORT_TRANSITIONS, import_can_move


def test_the_import_table_covers_every_status_and_refuses_the_rest() -> None:
    assert_complete(IMPORT_TRANSITIONS, ImportStatus.values)
    assert import_can_move("pending", "running") and import_can_move("running", "done")
    assert import_can_move("pending", "failed") and import_can_move("running", "failed")
    assert not import_can_move("pending", "done") and not import_can_move("done", "running")
    assert not import_can_move("failed", "running") and not import_can_move("running", "running")
