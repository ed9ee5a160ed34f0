from django_tasks import task

from amo.approvals import services


@task()
def decision_document(request_id: int) -> None:
    """The decision's bilingual PDF, rendered by the worker after the decision is committed."""
    services.decision_document_issue(request_id=request_id)
