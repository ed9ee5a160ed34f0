from django_tasks import task

from amo.accounts.models import User
from amo.coverage import services


@task()
def after_batch(batch_id: int) -> None:
    """Publication lists to legal entities, then each student's e-mail (with the certificate)."""
    services.after_batch_now(batch_id=batch_id)


@task()
def handover_task(user_id: int | None) -> None:
    services.handover_export(actor=User.objects.filter(pk=user_id).first() if user_id else None)


@task()
def letters_render_task(institution_id: int) -> None:
    """The PDF of the letters waiting for one institution (students without e-mail)."""
    services.letters_render(institution_id=institution_id)
