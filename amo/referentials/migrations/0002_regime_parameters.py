"""The regime's parameters as known today (DOMAIN.md §5-6, §10), each with its source."""

import datetime as dt

from django.db import migrations

START = dt.date(2015, 9, 1)

PARAMETERS = [
    ("contribution_amount", "400.00", "Loi 116-12 : 400 MAD par période de 12 mois au plus"),
    ("contribution_period_months", "12", "Loi 116-12"),
    ("payment_deadline_days", "15", "Décret 2-15-657 art. 7 selon la brochure (une page CNOPS indique 30)"),
    ("age_limit_years", "30", "Page CNOPS d'éligibilité : 30 ans au plus"),
    ("age_reference", "academic_year_start", "Non publié : premier jour de l'année universitaire (décision 0004)"),
    ("maintenance_months", "6", "Loi 65-00 art. 34"),
    ("closure_notice_days", "30", "CNOPS : droits clos 30 jours après la lettre recommandée"),
    ("student_claim_deadline_days", "60", "CNOPS : 60 jours après le premier acte"),
    ("provider_claim_deadline_days", "90", "CNOPS : 90 jours pour la facture d'un prestataire"),
    ("coverage_max_months", "12", "Déduit : l'année universitaire, 12 mois au plus"),
    ("regime_end_date", "2027-02-01", "Loi 54.23 (BO du 29 janvier 2026) : provisoire, date à fixer par les textes"),
    ("managing_body", "CNOPS", "Loi 116-12"),
    ("cnops_rib", "310810100013070176970116", "Brochure : compte de la CNOPS pour les cotisations"),
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
