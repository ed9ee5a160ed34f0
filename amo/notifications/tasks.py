from django_tasks import task

from amo.notifications.services import outbox_deliver


@task()
def outbox_send(message_id: int) -> None:
    outbox_deliver(message_id=message_id)
