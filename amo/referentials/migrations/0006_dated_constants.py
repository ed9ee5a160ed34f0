"""Constants that pages and rules wrote as figures become dated parameters (issue 13, rule 6): the
youngest plausible age of a student, CNOPS's postal address for care files sent by mail, the call
centre's opening hours. Each with its source in both languages."""

import datetime as dt


from django.db import migrations, models


START = dt.date(2015, 9, 1)

PARAMETERS = [
    (
        "minimum_age_years",
        "14",
        "Choix de la plateforme : une date de naissance donnant moins de 14 ans est une erreur de saisie",
        "اختيار المنصة: تاريخ ازدياد يعطي أقل من 14 سنة خطأ في الإدخال",
    ),
    (
        "cnops_postal_address",
        "8 rue Al Khalil, BP 209, Rabat",
        "Brochure de la CNOPS : dépôt des dossiers de la formation professionnelle privée",
        "مطوية الصندوق: إيداع ملفات طلبة التكوين المهني بالقطاع الخاص",
    ),
    (
        "cnops_postal_address_ar",
        "8، زنقة الخليل، ص.ب 209، الرباط",
        "Brochure de la CNOPS : dépôt des dossiers de la formation professionnelle privée",
        "مطوية الصندوق: إيداع ملفات طلبة التكوين المهني بالقطاع الخاص",
    ),
    (
        "call_centre_opens",
        "08:30",
        "Brochure de la CNOPS : centre d'appels du lundi au vendredi, de 8h30 à 16h30",
        "مطوية الصندوق: مركز الاتصال من الاثنين إلى الجمعة، من 8:30 إلى 16:30",
    ),
    (
        "call_centre_closes",
        "16:30",
        "Brochure de la CNOPS : centre d'appels du lundi au vendredi, de 8h30 à 16h30",
        "مطوية الصندوق: مركز الاتصال من الاثنين إلى الجمعة، من 8:30 إلى 16:30",
    ),
]


def load(apps, schema_editor):
    Parameter = apps.get_model("referentials", "RegimeParameter")
    for key, value, source, source_ar in PARAMETERS:
        Parameter.objects.get_or_create(
            key=key, valid_from=START, defaults={"value": value, "source": source, "source_ar": source_ar}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('referentials', '0005_parameter_source_ar'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalregimeparameter',
            name='key',
            field=models.CharField(choices=[('contribution_amount', 'Contribution per period (MAD)'), ('contribution_period_months', 'Length of a contribution period (months)'), ('payment_deadline_days', 'Transfer deadline after (re-)registration (days)'), ('age_limit_years', 'Age limit (years, inclusive)'), ('age_reference', 'Date at which the age limit is checked'), ('maintenance_months', 'Rights maintained after conditions stop (months)'), ('closure_notice_days', 'Days after the registered letter before rights close'), ('student_claim_deadline_days', "Deadline for a student's care file (days after the act)"), ('provider_claim_deadline_days', "Deadline for a provider's bill (days)"), ('coverage_max_months', 'Longest coverage period (months)'), ('regime_end_date', 'End date of the student regime'), ('managing_body', 'Managing body'), ('cnops_rib', 'CNOPS bank account (RIB) for contributions'), ('reminder_days_before', 'Days before the deadline for the reminder e-mail'), ('minimum_age_years', 'Youngest plausible age of a student (years)'), ('cnops_postal_address', 'CNOPS postal address (French)'), ('cnops_postal_address_ar', 'CNOPS postal address (Arabic)'), ('call_centre_opens', 'Call centre opens at (Monday to Friday)'), ('call_centre_closes', 'Call centre closes at (Monday to Friday)')], max_length=40, verbose_name='parameter'),
        ),
        migrations.AlterField(
            model_name='regimeparameter',
            name='key',
            field=models.CharField(choices=[('contribution_amount', 'Contribution per period (MAD)'), ('contribution_period_months', 'Length of a contribution period (months)'), ('payment_deadline_days', 'Transfer deadline after (re-)registration (days)'), ('age_limit_years', 'Age limit (years, inclusive)'), ('age_reference', 'Date at which the age limit is checked'), ('maintenance_months', 'Rights maintained after conditions stop (months)'), ('closure_notice_days', 'Days after the registered letter before rights close'), ('student_claim_deadline_days', "Deadline for a student's care file (days after the act)"), ('provider_claim_deadline_days', "Deadline for a provider's bill (days)"), ('coverage_max_months', 'Longest coverage period (months)'), ('regime_end_date', 'End date of the student regime'), ('managing_body', 'Managing body'), ('cnops_rib', 'CNOPS bank account (RIB) for contributions'), ('reminder_days_before', 'Days before the deadline for the reminder e-mail'), ('minimum_age_years', 'Youngest plausible age of a student (years)'), ('cnops_postal_address', 'CNOPS postal address (French)'), ('cnops_postal_address_ar', 'CNOPS postal address (Arabic)'), ('call_centre_opens', 'Call centre opens at (Monday to Friday)'), ('call_centre_closes', 'Call centre closes at (Monday to Friday)')], max_length=40, verbose_name='parameter'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
