from django_tasks import task

from amo.claims import batch, statements


@task()
def statement_task(care_file_id: int) -> None:
    statements.statement_issue(care_file_id=care_file_id)


@task()
def liquidation_run_task(run_id: int) -> None:
    """A national liquidation of every received file, set-based, with its progress."""
    batch.liquidation_run_execute(run_id=run_id)
