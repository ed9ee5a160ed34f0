"""Foreign keys kept by the application rather than by database triggers (decision 0008): the
hot tables of a national list do not pay a trigger per row, and this check finds, set-based,
any row whose reference points nowhere. Run daily; it reads, it never mends."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models


@dataclass(frozen=True)
class Orphans:
    table: str
    column: str
    target: str
    count: int
    sample: list[int]


def unchecked_foreign_keys() -> list[models.ForeignKey[Any, Any]]:
    """Every foreign key of the project declared without a database constraint."""
    return [
        field
        for model in apps.get_models()
        if model.__module__.startswith("amo.") and model._meta.managed and not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and not getattr(field, "db_constraint", True)
    ]


def orphans_find(sample_size: int = 5) -> list[Orphans]:
    """One anti-join per unchecked foreign key; only the keys with orphans are returned."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for field in unchecked_foreign_keys():
            table, column = field.model._meta.db_table, field.column
            target = field.related_model._meta.db_table  # type: ignore[union-attr]  # a model once apps are ready
            target_column = field.target_field.column
            broken = (
                f"FROM {quote(table)} c WHERE c.{quote(column)} IS NOT NULL AND NOT EXISTS "  # noqa: S608 - names from the models
                f"(SELECT 1 FROM {quote(target)} t WHERE t.{quote(target_column)} = c.{quote(column)})"
            )
            cursor.execute(f"SELECT count(*) {broken}")
            count = int(cursor.fetchone()[0])
            if count:
                pk = quote(field.model._meta.pk.column)
                cursor.execute(f"SELECT c.{pk} {broken} ORDER BY 1 LIMIT %s", [sample_size])
                found.append(Orphans(table, column, target, count, [int(row[0]) for row in cursor.fetchall()]))
    return found
