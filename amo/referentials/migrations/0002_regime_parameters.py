"""The regime's parameters as known today (DOMAIN.md §5-6, §10), each with its source."""

import datetime as dt

from django.db import migrations

START = dt.date(2015, 9, 1)

PARAMETERS = [
    ("contribution_amount", "400.00", "Law 116-12: 400 MAD per period of 12 months or less"),
    ("contribution_period_months", "12", "Law 116-12"),
    ("payment_deadline_days", "15", "Decree 2-15-657 art. 7 per the brochure (a CNOPS page says 30)"),
    ("age_limit_years", "30", "CNOPS eligibility page: aged 30 or less"),
    ("age_reference", "academic_year_start", "Not published: first day of the academic year (decision 0004)"),
    ("maintenance_months", "6", "Law 65-00 art. 34"),
    ("closure_notice_days", "30", "CNOPS: rights closed 30 days after the registered letter"),
    ("student_claim_deadline_days", "60", "CNOPS: 60 days after the first act"),
    ("provider_claim_deadline_days", "90", "CNOPS: 90 days for a provider's bill"),
    ("coverage_max_months", "12", "Inferred: the academic year, at most 12 months"),
    ("regime_end_date", "2027-02-01", "Law 54.23 (BO 29 January 2026): provisional, date to be fixed by texts"),
    ("managing_body", "CNOPS", "Law 116-12"),
    ("cnops_rib", "310810100013070176970116", "Brochure: CNOPS account for contributions"),
]

YEARS = [
    ("2024-2025", dt.date(2024, 9, 1), dt.date(2025, 8, 31), False),
    ("2025-2026", dt.date(2025, 9, 1), dt.date(2026, 8, 31), False),
    ("2026-2027", dt.date(2026, 9, 1), dt.date(2027, 8, 31), True),
]


def load(apps, schema_editor):
    Parameter = apps.get_model("referentials", "RegimeParameter")
    Year = apps.get_model("referentials", "AcademicYear")
    for key, value, source in PARAMETERS:
        Parameter.objects.get_or_create(
            key=key, valid_from=START, defaults={"value": value, "source": source}
        )
    for code, start, end, open_ in YEARS:
        Year.objects.get_or_create(
            code=code, defaults={"starts_on": start, "ends_on": end, "registration_open": open_}
        )


class Migration(migrations.Migration):
    dependencies = [("referentials", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
