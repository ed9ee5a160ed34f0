"""On PostgreSQL, an index on the registry's document number that carries every column the check
reads, so that each student is answered from the index alone (docs/decisions/0007). SQLite has
no such index: it keeps the unique (id_number, scheme, role) one."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS registry_check_idx ON eligibility_coveredperson (id_number) "
    "INCLUDE (scheme, role, birth_date, starts_on, ends_on)"
)
DROP = "DROP INDEX IF EXISTS registry_check_idx"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # RunPython takes any callable
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # RunPython takes any callable
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0002_verdict_without_db_constraints")]

    operations = [migrations.RunPython(forwards, backwards)]
