"""The age up to which a student is covered as a parent's dependant once the student regime ends:
law 54.23 raises it from 26 to 30 for unmarried children in higher education or vocational
training (SOURCES §0: lematin.ma, 4 February 2026)."""

import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    Parameter = apps.get_model("referentials", "RegimeParameter")
    Parameter.objects.get_or_create(
        key="dependant_age_limit_years",
        valid_from=dt.date(2015, 9, 1),
        defaults={
            "value": "30",
            "source": "Loi n° 54.23 : enfants à charge poursuivant des études supérieures, jusqu'à 30 ans",
            "source_ar": "القانون رقم 54.23: الأبناء المتكفل بهم المتابعون لدراستهم العليا، إلى غاية 30 سنة",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("referentials", "0008_parameter_keys_dependant_age")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
