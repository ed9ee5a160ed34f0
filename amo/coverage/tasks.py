from django_tasks import task

from amo.coverage import services


@task()
def after_batch(batch_id: int) -> None:
    """Publication lists to legal entities, then each student's e-mail (with the certificate)."""
    services.after_batch_now(batch_id=batch_id)


@task()
def handover_task(user_id: int | None) -> None:
    from amo.accounts.models import User

    services.handover_export(actor=User.objects.filter(pk=user_id).first() if user_id else None)


@task()
def certificate_render(period_id: int) -> None:
    """A certificate asked for on a page or through the API before it was issued."""
    from amo.coverage.models import RightsPeriod

    period = RightsPeriod.objects.filter(pk=period_id).first()
    if period is not None:
        services.certificate_issue(period=period)
