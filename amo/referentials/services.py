import datetime as dt
from typing import Any

from django.db import transaction

from amo.accounts.actors import ActingUser
from amo.common.errors import DomainError
from amo.common.services import audit_record
from amo.referentials.errors import ReferentialError
from amo.referentials.models import RegimeParameter
from amo.referentials.rules import parse_parameter


@transaction.atomic
def parameter_set(*, actor: ActingUser, key: str, value: str, valid_from: dt.date, source: str = "") -> RegimeParameter:
    """Start a new value of a parameter at a date; the value in force ends the day before."""
    try:
        parse_parameter(key, value)
    except ValueError as exc:
        raise DomainError(str(exc), fields={"value": [str(exc)]}) from exc
    latest = RegimeParameter.objects.select_for_update().filter(key=key).order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise DomainError(ReferentialError.BEFORE_LATEST, fields={"valid_from": [""]})
    before: dict[str, Any] = {}
    if latest is not None and (latest.valid_to is None or latest.valid_to >= valid_from):
        before = {"value": latest.value, "valid_to": latest.valid_to}
        latest.valid_to = valid_from - dt.timedelta(days=1)
        latest.save(update_fields=["valid_to"])
    row = RegimeParameter.objects.create(key=key, value=value.strip(), valid_from=valid_from, source=source)
    audit_record(
        actor=actor,
        action="parameter_set",
        obj=row,
        before=before,
        after={"key": key, "value": row.value, "valid_from": valid_from},
        reason=source,
    )
    return row
