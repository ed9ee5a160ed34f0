"""Medical control's referentials (DOMAIN.md §7-8; decision 0016): the kinds of request, the
refusal reasons and the first routing rules. Data: CNOPS's administrators change them in the
admin. Kinds and reasons are the platform's choice (no official list is published, §10)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

SINCE = dt.date(2015, 9, 1)

# code, French, Arabic, sent by care providers
KINDS = (
    ("hospitalisation", "Hospitalisation", "الاستشفاء", True),
    ("surgery", "Intervention chirurgicale", "عملية جراحية", True),
    ("dialysis_series", "Série de séances de dialyse", "سلسلة حصص تصفية الدم", True),
    ("chemotherapy_cycle", "Cycle de chimiothérapie", "دورة العلاج الكيميائي", True),
    ("costly_drug", "Médicament coûteux", "دواء باهظ الثمن", True),
    ("imaging", "Imagerie médicale", "التصوير الطبي", True),
    ("other", "Autre prise en charge", "تحمل آخر", True),
    ("prior_approval", "Accord préalable", "موافقة مسبقة", False),
    ("ald_exemption", "Exonération du ticket modérateur (ALD/ALC)", "الإعفاء من الجزء المتبقي على عاتق المؤمن (مرض طويل الأمد أو مكلف)", False),
)

# code, French, Arabic
REASONS = (
    ("not_medically_justified", "Acte non justifié médicalement", "عمل غير مبرر طبيا"),
    ("not_covered_act", "Acte non couvert par le régime", "عمل غير مشمول بالنظام"),
    ("incomplete_file", "Dossier incomplet après demande d'information", "ملف غير مكتمل بعد طلب المعلومات"),
    ("quote_not_tariff", "Devis non conforme à la tarification nationale", "تسعيرة غير مطابقة للتعريفة الوطنية المرجعية"),
    ("duplicate", "Demande déjà accordée", "طلب سبقت الموافقة عليه"),
    ("not_ald", "Affection hors liste des ALD/ALC", "مرض خارج لائحة الأمراض طويلة الأمد أو المكلفة"),
)


def load(apps, schema_editor):
    Kind = apps.get_model("approvals", "RequestKind")
    Reason = apps.get_model("approvals", "RefusalReason")
    Rule = apps.get_model("approvals", "RoutingRule")
    Office = apps.get_model("organisations", "CnopsOffice")
    for position, (code, fr, ar, providers) in enumerate(KINDS, start=1):
        Kind.objects.update_or_create(
            code=code,
            defaults={"label_fr": fr, "label_ar": ar, "for_providers": providers, "valid_from": SINCE, "position": position},
        )
    for position, (code, fr, ar) in enumerate(REASONS, start=1):
        Reason.objects.update_or_create(
            code=code, defaults={"label_fr": fr, "label_ar": ar, "valid_from": SINCE, "position": position}
        )
    if not Rule.objects.exists():
        central = Office.objects.get(code="CENTRAL")
        # Costly drugs and large quotes are decided centrally; everything else by the delegation
        # serving the provider's region (the central office where none does).
        Rule.objects.create(priority=10, kind=Kind.objects.get(code="costly_drug"), office=central, valid_from=SINCE)
        Rule.objects.create(priority=20, min_amount=Decimal("200000.00"), office=central, valid_from=SINCE)
        Rule.objects.create(priority=100, valid_from=SINCE)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial"), ("organisations", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
