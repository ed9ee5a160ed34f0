"""How contributions answers the earlier step (enrollment), connected in ContributionsConfig.ready:
enrollment sends its signal, or asks its step reader, and never imports this app."""

from typing import Any

from amo.contributions.models import ContributionStatus
from amo.contributions.selectors import contribution_of
from amo.contributions.services import dues_refresh
from amo.enrollment.models import RegistrationRequest


def due_for_validated(sender: Any, *, request_ids: list[int], **kwargs: Any) -> None:
    """A validated request gets its due, in the transaction of the validation."""
    dues_refresh(request_ids=request_ids)


def contribution_status(request: RegistrationRequest) -> tuple[str, Any]:
    """The contribution status of a request as its student reads it: (code, label)."""
    status = contribution_of(request)
    return status, ContributionStatus(status).label
