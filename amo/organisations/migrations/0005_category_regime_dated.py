"""The contribution exemption as dated data (issue 13, rule 6): each category's regime, an undated
field until now, becomes a row valid from the regime's start; the field is then removed."""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models


START = dt.date(2015, 9, 1)
SOURCE = "Loi n° 116.12 ; CNOPS, brochure « تحصيل الاشتراكات » (l'État paie pour les étudiants du public)"


def copy_regimes(apps, schema_editor):
    Category = apps.get_model("organisations", "InstitutionCategory")
    Regime = apps.get_model("organisations", "CategoryContributionRegime")
    for category in Category.objects.all():
        Regime.objects.get_or_create(
            category=category,
            valid_from=START,
            defaults={"regime": category.contribution_regime, "source": SOURCE},
        )


def load(apps, schema_editor):
    """The rows a new database gets (0002's categories), for the browser tests' reload after a flush."""
    from importlib import import_module

    Category = apps.get_model("organisations", "InstitutionCategory")
    Regime = apps.get_model("organisations", "CategoryContributionRegime")
    categories = import_module("amo.organisations.migrations.0002_reference_data").CATEGORIES
    for code, _fr, _ar, _channel, _sector, regime, _exempt in categories:
        Regime.objects.get_or_create(
            category=Category.objects.get(code=code),
            valid_from=START,
            defaults={"regime": regime, "source": SOURCE},
        )


def restore_regimes(apps, schema_editor):
    Regime = apps.get_model("organisations", "CategoryContributionRegime")
    for row in Regime.objects.filter(valid_from=START).select_related("category"):
        row.category.contribution_regime = row.regime
        row.category.save(update_fields=["contribution_regime"])


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_city_names_in_arabic"),
    ]

    operations = [
        migrations.CreateModel(
            name="CategoryContributionRegime",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "regime",
                    models.CharField(
                        choices=[
                            ("state_funded", "State pays, except fee-paying tracks"),
                            (
                                "collected",
                                "Contribution collected by the institution and transferred by the legal entity",
                            ),
                        ],
                        max_length=16,
                        verbose_name="contribution regime",
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="valid from")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="valid to")),
                ("source", models.CharField(blank=True, max_length=250, verbose_name="source")),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="regimes",
                        to="organisations.institutioncategory",
                        verbose_name="category",
                    ),
                ),
            ],
            options={
                "verbose_name": "category contribution regime",
                "verbose_name_plural": "category contribution regimes",
                "ordering": ["category", "-valid_from"],
                "constraints": [
                    models.UniqueConstraint(fields=("category", "valid_from"), name="category_regime_from_unique")
                ],
            },
        ),
        migrations.RunPython(copy_regimes, restore_regimes),
        migrations.RemoveField(
            model_name="institutioncategory",
            name="contribution_regime",
        ),
    ]
