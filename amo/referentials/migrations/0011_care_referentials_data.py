"""The care referentials as known today (DOMAIN.md §7; SOURCES.md §3), each row with its source:
NGAP letter keys (the values found, the others as rows with no value), the reimbursement rates
announced for students, the 41 long-term diseases (1-35 named, 36-41 not found) and the second
agent's threshold."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

START = dt.date(2015, 9, 1)

TNR = (
    "TNR 2006 appliquée par la CNOPS (La Vie éco ; Le360)",
    "التعريفة الوطنية المرجعية 2006 المطبقة من طرف الصندوق",
)
VISIT = ("TNR : visite à domicile (MGPTT)", "التعريفة الوطنية المرجعية: الزيارة المنزلية")
K_PRIVATE = ("Arrêté 1961-06 (2006) : K 22,50 MAD, secteur privé", "القرار 1961-06 (2006): K بـ 22.50 درهم، القطاع الخاص")
K_PUBLIC = ("Convention AMO, grille n° 1 (2007) : K 13 MAD, hôpital public", "اتفاقية التأمين الإجباري، الشبكة 1 (2007): K بـ 13 درهما، المستشفى العمومي")
UNPUBLISHED = ("Non publié : valeur à charger par la CNOPS", "غير منشور: قيمة يحملها الصندوق")

# letter, label, category private, category public, value private, value public, min, max, source
KEYS = [
    ("C", "Consultation du médecin généraliste", "consultation", "consultation", "80", "80", "1", "2", TNR),
    ("CS", "Consultation du médecin spécialiste", "consultation", "consultation", "150", "150", "1", "2", TNR),
    ("V", "Visite à domicile du généraliste", "consultation", "consultation", "120", "120", "1", "2", VISIT),
    ("VS", "Visite à domicile du spécialiste", "consultation", "consultation", "190", "190", "1", "2", VISIT),
    ("K", "Actes de chirurgie et de spécialité", "private_hospitalisation", "public_hospitalisation", "22.50", "13", "1", "600", None),
    ("KC", "Actes de chirurgie", "private_hospitalisation", "public_hospitalisation", None, None, "1", "600", UNPUBLISHED),
    ("Z", "Radiologie et imagerie", "consultation", "consultation", None, None, "1", "300", UNPUBLISHED),
    ("B", "Biologie", "consultation", "consultation", None, None, "1", "3000", UNPUBLISHED),
    ("D", "Soins dentaires", "dental", "dental", None, None, "1", "200", UNPUBLISHED),
    ("SF", "Actes de sage-femme", "consultation", "consultation", None, None, "1", "100", UNPUBLISHED),
    ("AMM", "Actes de masseur-kinésithérapeute", "consultation", "consultation", None, None, "1", "100", UNPUBLISHED),
]

PRESS = ("Annonce du régime des étudiants, janvier 2016 (Barlamane ; La Vie éco)", "إعلان نظام الطلبة، يناير 2016")
DENTAL = (
    "Non publié : taux de l'AMO du secteur public retenu, à confirmer par la CNOPS",
    "غير منشور: نسبة التأمين الإجباري للقطاع العام، في انتظار تأكيد الصندوق",
)
# category, rate, base, source
RATES = [
    ("consultation", "0.80", "tariff", PRESS),
    ("drugs", "0.70", "pbr", PRESS),
    ("private_hospitalisation", "0.90", "tariff", PRESS),
    ("public_hospitalisation", "1.00", "tariff", PRESS),
    ("dialysis", "1.00", "tariff", PRESS),
    ("cancer", "1.00", "tariff", PRESS),
    ("ald", "1.00", "tariff", PRESS),
    ("dental", "0.80", "tariff", DENTAL),
]

ALD_SOURCE = "Arrêté 2518-05 du 5 septembre 2005, liste de l'ANAM"
ALD = [
    "AVC ischémique ou hémorragique",
    "Affections malignes du tissu lymphatique ou hématopoïétique",
    "Anémies hémolytiques chroniques sévères",
    "Aplasies médullaires sévères",
    "Artériopathies chroniques",
    "Asthme sévère",
    "Cardiopathies congénitales",
    "Cirrhoses du foie",
    "Diabète insulinodépendant et non insulinodépendant",
    "Épilepsie grave",
    "État de déficit mental",
    "Formes graves des affections neurologiques et neuromusculaires",
    "Glaucome chronique",
    "HTA sévère",
    "Insuffisance cardiaque",
    "Insuffisance rénale aiguë",
    "Insuffisance rénale chronique terminale",
    "Insuffisance respiratoire chronique grave",
    "Lupus érythémateux aigu disséminé",
    "Maladie coronaire",
    "Maladie de Crohn évolutive",
    "Maladie de Parkinson",
    "Maladies chroniques actives du foie (hépatites B et C)",
    "Myélodysplasies sévères",
    "Néphropathies graves",
    "Polyarthrite rhumatoïde évolutive grave",
    "Psychoses",
    "Rectocolite hémorragique évolutive",
    "Rétinopathie diabétique",
    "Sclérodermie généralisée évolutive",
    "Sclérose en plaques",
    "Spondylarthrite ankylosante grave",
    "SIDA",
    "Syndromes néphrotiques",
    "Troubles graves de la personnalité",
]


def load(apps, schema_editor):
    Key = apps.get_model("referentials", "NgapKey")
    Rate = apps.get_model("referentials", "ReimbursementRate")
    Ald = apps.get_model("referentials", "AldDisease")
    Parameter = apps.get_model("referentials", "RegimeParameter")
    for letter, label, cat_private, cat_public, v_private, v_public, low, high, source in KEYS:
        for sector, category, value, src in (
            ("private", cat_private, v_private, source or K_PRIVATE),
            ("public", cat_public, v_public, source or K_PUBLIC),
        ):
            Key.objects.get_or_create(
                letter=letter,
                sector=sector,
                valid_from=START,
                defaults={
                    "label": label,
                    "category": category,
                    "value": Decimal(value) if value else None,
                    "coefficient_min": Decimal(low),
                    "coefficient_max": Decimal(high),
                    "source": src[0],
                    "source_ar": src[1],
                },
            )
    for category, rate, base, (source, source_ar) in RATES:
        for sector in ("private", "public"):
            Rate.objects.get_or_create(
                category=category,
                sector=sector,
                valid_from=START,
                defaults={"rate": Decimal(rate), "base": base, "source": source, "source_ar": source_ar},
            )
    for number in range(1, 42):
        known = number <= len(ALD)
        Ald.objects.get_or_create(
            number=number,
            defaults={
                "name": ALD[number - 1] if known else f"ALD n° {number} (intitulé non trouvé)",
                "known": known,
                "source": ALD_SOURCE if known else "Non trouvé dans les copies lues de la liste",
            },
        )
    Parameter.objects.get_or_create(
        key="claim_confirmation_threshold",
        valid_from=START,
        defaults={
            "value": "5000.00",
            "source": "Choix de la plateforme : contrôle par un second agent",
            "source_ar": "اختيار المنصة: مراقبة من طرف عون ثان",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("referentials", "0010_care_tariffs_rates_drugs")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
