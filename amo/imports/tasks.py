from django_tasks import task

from amo.imports.services import import_notify_students
from amo.imports.services import import_run as run


@task()
def import_run(job_id: int) -> None:
    run(job_id=job_id)


@task()
def import_notify(job_id: int) -> None:
    import_notify_students(job_id=job_id)
