from django_tasks import task

from amo.contributions.services import dues_refresh
from amo.enrollment.models import RegistrationRequest
from amo.imports.services import import_notify_students
from amo.imports.services import import_run as run


@task()
def import_run(job_id: int) -> None:
    run(job_id=job_id)


@task()
def import_notify(job_id: int) -> None:
    import_notify_students(job_id=job_id)


@task()
def import_dues(job_id: int) -> None:
    """The contributions due by the students a list created."""
    dues_refresh(
        request_ids=list(RegistrationRequest.objects.filter(import_job_id=job_id).values_list("pk", flat=True))
    )
