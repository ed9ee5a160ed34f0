from django_tasks import task

from amo.enrollment.services import notify_list_students_now, signed_form_render_now


@task()
def notify_list_students(list_id: int, status: str = "") -> None:
    notify_list_students_now(list_id=list_id, status=status)


@task()
def signed_form_render(request_id: int) -> None:
    signed_form_render_now(request_id=request_id)
