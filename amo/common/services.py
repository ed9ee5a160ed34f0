"""The audit trail. Every service calls `audit_record` inside its transaction."""

import json
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, models
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, JSONObject

from amo.common import clock
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


def audit_record_set(
    *,
    actor: ActingUser,
    action: str,
    objects: QuerySet[Any],
    before: dict[str, str],
    after: dict[str, Any],
    reason: str | Combinable = "",
) -> int:
    """One audit row per object of a set, written by the database in one INSERT … SELECT (a
    national run moves a million rows: no object is built in Python). Call it before the UPDATE:
    `before` names the fields read from each row (key -> field), `after` is the same for every row,
    `reason` a text or an expression of each row. Returns the number of rows written."""
    rows = (
        objects.order_by()
        .annotate(
            audit_id=Cast("pk", CharField(max_length=64)),
            audit_before=JSONObject(**{key: F(field) for key, field in before.items()}),
            audit_reason=reason if isinstance(reason, Combinable) else Value(reason, output_field=CharField()),
        )
        .values_list("audit_id", "audit_before", "audit_reason")
    )
    sql, params = rows.query.sql_with_params()
    after_sql = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AuditEvent._meta.db_table} "
            "(actor_id, action, object_type, object_id, before, after, reason, created_at) "
            f"SELECT %s, %s, %s, t.audit_id, t.audit_before, {after_sql}, t.audit_reason, %s FROM ({sql}) t",
            [
                actor.pk if actor is not None else None,
                action,
                objects.model._meta.label_lower,
                json.dumps(_jsonable(after)),
                clock.now(),
                *params,
            ],
        )
        return max(int(cursor.rowcount), 0)


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
