"""What a later step says about a registration request where enrollment shows it (the student's
"my requests" page, a request's page, the API's request detail): the later app registers its
reader in its AppConfig.ready, so enrollment shows it without importing that app. The read-side
twin of amo.enrollment.signals (docs/decisions/0002-app-boundaries.md)."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # no model import at run time: the app configs import this module
    from amo.enrollment.models import RegistrationRequest

StepReader = Callable[["RegistrationRequest"], Any]

# The steps and what their reader answers.
CONTRIBUTION = "contribution"  # amo.contributions: (status code, translated label)
RIGHTS = "rights"  # amo.coverage: the request's rights period, or None

_readers: dict[str, StepReader] = {}


def step_reader_register(step: str, reader: StepReader) -> None:
    _readers[step] = reader


def step_read(step: str, request: "RegistrationRequest") -> Any:
    """What the later step says about the request (see the steps above)."""
    try:
        reader = _readers[step]
    except KeyError:
        raise RuntimeError(f"No reader registered for the step {step!r}: is its app installed?") from None
    return reader(request)
