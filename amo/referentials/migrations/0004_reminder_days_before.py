import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    Parameter = apps.get_model("referentials", "RegimeParameter")
    Parameter.objects.get_or_create(
        key="reminder_days_before",
        valid_from=dt.date(2015, 9, 1),
        defaults={"value": "5", "source": "Choix de la plateforme (décision 0006)"},
    )


class Migration(migrations.Migration):
    dependencies = [("referentials", "0003_reminder_parameter")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
