from django_tasks import task

from amo.eligibility import registry, services


@task()
def answer_and_apply(batch_id: int) -> None:
    """The platform's registry answers (ANAM's side), then CNOPS applies the verdicts."""
    registry.batch_answer(batch_id=batch_id)
    services.verdicts_apply(batch_id=batch_id)


@task()
def apply_verdicts(batch_id: int) -> None:
    services.verdicts_apply(batch_id=batch_id)
