from django_tasks import task

from amo.organisations.services import affiliation_certificate_render_now


@task()
def affiliation_certificate_render(request_id: int) -> None:
    affiliation_certificate_render_now(request_id=request_id)
