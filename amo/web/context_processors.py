from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from amo.accounts.actors import actor_for
from amo.common.regime import regime_context


def call_centre_hours(regime: Mapping[str, Any]) -> dict[str, Any]:
    """The call centre's opening hours for the footer of every page (dated parameters); none when
    the parameters cannot be read, so that no page fails for its footer (a database not yet migrated)."""
    try:
        return {"opens": regime["call_centre_opens"], "closes": regime["call_centre_closes"]}
    except (DatabaseError, KeyError):
        return {}


def platform(request: HttpRequest) -> dict[str, Any]:
    regime = regime_context()
    return {
        "actor": actor_for(getattr(request, "user", None)),
        "demo_mailbox": settings.DEMO_MAILBOX,
        "call_centre_phone": settings.CALL_CENTRE_PHONE,
        # Read once per page, and only by a page that quotes a parameter.
        "regime": regime,
        "call_centre_hours": SimpleLazyObject(lambda: call_centre_hours(cast(Mapping[str, Any], regime))),
    }
