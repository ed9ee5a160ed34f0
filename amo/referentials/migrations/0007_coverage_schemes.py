"""The basic coverage schemes as dated rows (issue 13, rule 6): they were a code tuple in the
eligibility rules."""

import datetime as dt


from django.db import migrations, models


START = dt.date(2015, 9, 1)
SOURCE = "Loi n° 65.00 ; loi n° 98.15 (AMO-Tadamon) ; ANAM, contrôle de la double couverture"

SCHEMES = [
    ("cnss", "CNSS (secteur privé)", "الصندوق الوطني للضمان الاجتماعي (القطاع الخاص)"),
    ("cnops", "CNOPS (secteur public)", "الصندوق الوطني لمنظمات الاحتياط الاجتماعي (القطاع العام)"),
    ("far", "Forces Armées Royales (FAR)", "القوات المسلحة الملكية"),
    ("art114", "Caisse interne (art. 114 de la loi 65.00)", "صندوق داخلي (المادة 114 من القانون 65.00)"),
    ("tadamon", "AMO-Tadamon", "أمو تضامن"),
]


def load(apps, schema_editor):
    Scheme = apps.get_model("referentials", "CoverageScheme")
    for code, fr, ar in SCHEMES:
        Scheme.objects.get_or_create(
            code=code, valid_from=START, defaults={"name_fr": fr, "name_ar": ar, "source": SOURCE}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('referentials', '0006_dated_constants'),
    ]

    operations = [
        migrations.CreateModel(
            name='CoverageScheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=16, verbose_name='code')),
                ('name_fr', models.CharField(max_length=120, verbose_name='name (French)')),
                ('name_ar', models.CharField(max_length=120, verbose_name='name (Arabic)')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid to')),
                ('source', models.CharField(blank=True, max_length=250, verbose_name='source')),
            ],
            options={
                'verbose_name': 'coverage scheme',
                'verbose_name_plural': 'coverage schemes',
                'ordering': ['valid_from', 'code'],
                'constraints': [models.UniqueConstraint(fields=('code', 'valid_from'), name='coverage_scheme_code_from_unique')],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
