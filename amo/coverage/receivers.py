"""How coverage answers the earlier step (enrollment), connected in CoverageConfig.ready:
enrollment asks its step reader and never imports this app."""

from amo.coverage.models import RightsPeriod
from amo.enrollment.models import RegistrationRequest


def rights_of(request: RegistrationRequest) -> RightsPeriod | None:
    """The rights period opened for a request (with its insured), or None."""
    return RightsPeriod.objects.filter(request=request).select_related("insured").first()
