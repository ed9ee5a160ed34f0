from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from amo.accounts.actors import actor_for
from amo.common.clock import today
from amo.referentials.rules import parse_parameter
from amo.referentials.selectors import parameters_in_force


def regime_in_force() -> dict[str, Any]:
    """The regime's parameters in force today, typed, for the pages that quote them (the amount of
    a contribution, the months rights are maintained...): a page never writes a figure the
    parameters hold."""
    return {key: parse_parameter(key, row.value) for key, _label, row in parameters_in_force(today()) if row}


def call_centre_hours(regime: Mapping[str, Any]) -> dict[str, Any]:
    """The call centre's opening hours for the footer of every page (dated parameters); none when
    the parameters cannot be read, so that no page fails for its footer (a database not yet migrated)."""
    try:
        return {"opens": regime["call_centre_opens"], "closes": regime["call_centre_closes"]}
    except (DatabaseError, KeyError):
        return {}


def platform(request: HttpRequest) -> dict[str, Any]:
    regime = SimpleLazyObject(regime_in_force)
    return {
        "actor": actor_for(getattr(request, "user", None)),
        "demo_mailbox": settings.DEMO_MAILBOX,
        "call_centre_phone": settings.CALL_CENTRE_PHONE,
        # Read once per page, and only by a page that quotes a parameter.
        "regime": regime,
        "call_centre_hours": SimpleLazyObject(lambda: call_centre_hours(cast(Mapping[str, Any], regime))),
    }
