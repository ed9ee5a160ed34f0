"""The audit trail. Every service calls `audit_record` inside its transaction."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from amo.common.models import AuditEvent

# Who does an operation: a user, or None for the platform itself (a task, a command). Common
# cannot name the accounts app's User (a layer above): its base class stands for it.
ActingUser = AbstractBaseUser | None


def audit_record(
    *,
    actor: ActingUser,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor_id=actor.pk if actor is not None else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        reason=reason,
    )


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, models.Model):
            out[key] = value.pk
        elif isinstance(value, str | int | float | bool) or value is None:
            out[key] = value
        elif isinstance(value, list | tuple):
            out[key] = [v.pk if isinstance(v, models.Model) else str(v) for v in value]
        else:
            out[key] = str(value)
    return out
