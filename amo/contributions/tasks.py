from django_tasks import task

from amo.contributions.services import receipts_render_now


@task()
def receipts_render(transfer_ids: list[int]) -> None:
    receipts_render_now(transfer_ids=transfer_ids)
