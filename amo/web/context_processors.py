from typing import Any

from django.conf import settings
from django.http import HttpRequest

from amo.accounts.actors import actor_for
from amo.common.regime import regime_context


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "actor": actor_for(getattr(request, "user", None)),
        "demo_mailbox": settings.DEMO_MAILBOX,
        "call_centre_phone": settings.CALL_CENTRE_PHONE,
        # Read once per page, and only by a page that quotes a parameter.
        "regime": regime_context(),
    }
