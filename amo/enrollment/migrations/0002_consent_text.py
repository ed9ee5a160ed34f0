import datetime as dt

from django.db import migrations

TEXT_FR = (
    "J'accepte que les données personnelles de ce formulaire soient traitées par la CNOPS, mon "
    "établissement, sa personne morale, l'organisme agrégateur de ma filière et l'ANAM, dans le seul "
    "but de gérer mon assurance maladie obligatoire (loi 116-12), conformément à la loi 09-08 relative "
    "à la protection des personnes physiques à l'égard du traitement des données à caractère personnel. "
    "Je peux exercer mes droits d'accès, de rectification et d'opposition auprès de la CNOPS."
)
TEXT_AR = (
    "أوافق على أن تعالج المعطيات الشخصية الواردة في هذه الاستمارة من طرف الصندوق الوطني لمنظمات "
    "الاحتياط الاجتماعي ومؤسستي والشخص المعنوي التابعة له وهيئة التجميع الخاصة بقناتي والوكالة الوطنية "
    "للتأمين الصحي، لغرض وحيد هو تدبير تأميني الإجباري عن المرض (القانون رقم 12-116)، طبقاً للقانون رقم "
    "08-09 المتعلق بحماية الأشخاص الذاتيين تجاه معالجة المعطيات ذات الطابع الشخصي. ويمكنني ممارسة "
    "حقوقي في الولوج والتصحيح والتعرض لدى الصندوق."
)


def load(apps, schema_editor):
    ConsentText = apps.get_model("enrollment", "ConsentText")
    ConsentText.objects.get_or_create(
        version="2026-1", defaults={"text_fr": TEXT_FR, "text_ar": TEXT_AR, "valid_from": dt.date(2026, 9, 1)}
    )


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
