"""Each parameter's source in both languages, in the words of a public page: the first rows'
sources carried internal notes (a decision record's number, a remark on a CNOPS page)."""

import datetime as dt

from django.db import migrations, models

START = dt.date(2015, 9, 1)

SOURCES = {
    "contribution_amount": (
        "Loi n° 116.12 : 400 MAD par période de 12 mois au plus",
        "القانون رقم 116.12: 400 درهم عن كل فترة لا تتعدى 12 شهرا",
    ),
    "contribution_period_months": ("Loi n° 116.12", "القانون رقم 116.12"),
    "payment_deadline_days": (
        "Décret n° 2.15.657, article 7, selon la brochure de la CNOPS",
        "المرسوم رقم 2.15.657، المادة 7، حسب مطوية الصندوق",
    ),
    "age_limit_years": (
        "CNOPS, conditions d'éligibilité : 30 ans au plus",
        "الصندوق، شروط الاستفادة: 30 سنة على الأكثر",
    ),
    "age_reference": (
        "Non publié : la plateforme retient le premier jour de l'année universitaire",
        "غير منشور: تعتمد المنصة اليوم الأول من السنة الجامعية",
    ),
    "maintenance_months": ("Loi n° 65.00, article 34", "القانون رقم 65.00، المادة 34"),
    "closure_notice_days": (
        "CNOPS : droits clos 30 jours après la lettre recommandée",
        "الصندوق: تُغلق الحقوق بعد 30 يوما من الرسالة المضمونة",
    ),
    "student_claim_deadline_days": (
        "CNOPS : 60 jours après le premier acte",
        "الصندوق: 60 يوما بعد أول عمل طبي",
    ),
    "provider_claim_deadline_days": (
        "CNOPS : 90 jours pour la facture d'un prestataire de soins",
        "الصندوق: 90 يوما لفاتورة مقدم العلاجات",
    ),
    "coverage_max_months": (
        "L'année universitaire : 12 mois au plus",
        "السنة الجامعية: 12 شهرا على الأكثر",
    ),
    "regime_end_date": (
        "Loi n° 54.23 (Bulletin officiel du 29 janvier 2026) : date provisoire, fixée par les textes d'application",
        "القانون رقم 54.23 (الجريدة الرسمية بتاريخ 29 يناير 2026): تاريخ مؤقت تحدده النصوص التطبيقية",
    ),
    "managing_body": ("Loi n° 116.12", "القانون رقم 116.12"),
    "cnops_rib": (
        "Brochure de la CNOPS : compte des cotisations",
        "مطوية الصندوق: حساب الاشتراكات",
    ),
    "reminder_days_before": ("Choix de la plateforme", "اختيار المنصة"),
}


def load(apps, schema_editor):
    # Only the first rows, as the platform loaded them: a value an administrator started keeps its words.
    Parameter = apps.get_model("referentials", "RegimeParameter")
    for key, (french, arabic) in SOURCES.items():
        Parameter.objects.filter(key=key, valid_from=START).update(source=french, source_ar=arabic)


class Migration(migrations.Migration):
    dependencies = [("referentials", "0004_reminder_days_before")]

    operations = [
        migrations.AddField(
            model_name="historicalregimeparameter",
            name="source_ar",
            field=models.CharField(blank=True, max_length=250, verbose_name="source (Arabic)"),
        ),
        migrations.AddField(
            model_name="regimeparameter",
            name="source_ar",
            field=models.CharField(blank=True, max_length=250, verbose_name="source (Arabic)"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
