"""Each checked student carries the date their age is measured on (issue 13, rule 2): the
academic year's reference date, not the batch's. Entries of batches sent before are given their
year's first day (the `age_reference` parameter's default, decision 0004)."""

from django.db import migrations, models

FILL = (
    "UPDATE eligibility_checkentry SET age_reference_date = ("
    "SELECT y.starts_on FROM eligibility_checkbatch b "
    "JOIN referentials_academicyear y ON y.id = b.academic_year_id WHERE b.id = eligibility_checkentry.batch_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("eligibility", "0003_registry_covering_index"),
        ("referentials", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkentry",
            name="age_reference_date",
            field=models.DateField(null=True, verbose_name="age measured on"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="checkentry",
            name="age_reference_date",
            field=models.DateField(verbose_name="age measured on"),
        ),
    ]
