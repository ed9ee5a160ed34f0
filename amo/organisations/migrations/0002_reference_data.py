"""Reference data of the scheme: regions, aggregators, channels and institution categories.

The mapping category -> channel -> aggregator / deposit channel follows the brochure's prose
(DOMAIN.md §3); Arabic names use the brochure's wording. Edit through the admin, not code.
"""

from django.db import migrations

REGIONS = [
    ("01", "Tanger-Tétouan-Al Hoceïma", "طنجة تطوان الحسيمة"),
    ("02", "L'Oriental", "الشرق"),
    ("03", "Fès-Meknès", "فاس مكناس"),
    ("04", "Rabat-Salé-Kénitra", "الرباط سلا القنيطرة"),
    ("05", "Béni Mellal-Khénifra", "بني ملال خنيفرة"),
    ("06", "Casablanca-Settat", "الدار البيضاء سطات"),
    ("07", "Marrakech-Safi", "مراكش آسفي"),
    ("08", "Drâa-Tafilalet", "درعة تافيلالت"),
    ("09", "Souss-Massa", "سوس ماسة"),
    ("10", "Guelmim-Oued Noun", "كلميم واد نون"),
    ("11", "Laâyoune-Sakia El Hamra", "العيون الساقية الحمراء"),
    ("12", "Dakhla-Oued Ed-Dahab", "الداخلة وادي الذهب"),
]

AGGREGATORS = [
    ("ONOUSC", "Office National des Œuvres Universitaires Sociales et Culturelles",
     "المكتب الوطني للأعمال الجامعية والاجتماعية والثقافية"),
    ("OFPPT", "Office de la Formation Professionnelle et de la Promotion du Travail",
     "مكتب التكوين المهني وإنعاش الشغل"),
    ("ANAM", "Agence Nationale de l'Assurance Maladie", "الوكالة الوطنية للتأمين الصحي"),
]

CHANNELS = [
    ("higher_education", "Enseignement supérieur public et privé", "التعليم العالي بالقطاع العام والخاص",
     "Étudiants des universités, grandes écoles, CPGE, CRMEF, BTS, enseignement traditionnel et "
     "enseignement supérieur privé. Inscription validée par l'établissement, listes agrégées par l'ONOUSC.",
     "طلبة الجامعات والمدارس العليا والأقسام التحضيرية والمراكز الجهوية لمهن التربية والتكوين "
     "وأقسام التقني العالي والتعليم العتيق والتعليم العالي الخاص. يجمع المكتب الوطني للأعمال الجامعية الطلبات.",
     "https://cme.enssup.gov.ma", "ONOUSC", "onousc_offices", 1),
    ("public_vocational", "Formation professionnelle publique (OFPPT)", "التكوين المهني بالقطاع العام",
     "Stagiaires des établissements de l'Office de la Formation Professionnelle et de la Promotion du "
     "Travail. Listes agrégées par l'OFPPT.",
     "متدربو المؤسسات التابعة لمكتب التكوين المهني وإنعاش الشغل. يجمع المكتب الطلبات.",
     "https://www.inscription-ofppt.ma", "OFPPT", "ofppt_offices", 2),
    ("private_vocational", "Formation professionnelle privée et des départements ministériels",
     "التكوين المهني بالقطاع الخاص والتابع للقطاعات الوزارية",
     "Stagiaires de la formation professionnelle privée et des établissements de formation relevant "
     "des départements ministériels. Listes agrégées par l'ANAM; dossiers de soins envoyés par courrier à la CNOPS.",
     "طلبة التكوين المهني بالقطاع الخاص والتابعين للقطاعات الوزارية. تجمع الوكالة الوطنية للتأمين الصحي "
     "الطلبات، وترسل ملفات المرض بالبريد إلى الصندوق.",
     "https://cme.anam.ma", "ANAM", "cnops_mail", 3),
]

# code, French, Arabic, channel, sector, contribution regime, no age limit
CATEGORIES = [
    ("univ", "Établissements d'enseignement supérieur relevant d'une université",
     "مؤسسات التعليم العالي التابعة للجامعات", "higher_education", "public", "state_funded", False),
    ("non_univ", "Établissements d'enseignement supérieur ne relevant pas d'une université",
     "مؤسسات التعليم العالي غير التابعة للجامعات", "higher_education", "public", "state_funded", False),
    ("quaraouiyine", "Établissements de l'Université Al Quaraouiyine",
     "المؤسسات التابعة لجامعة القرويين", "higher_education", "public", "state_funded", False),
    ("traditional_public", "Enseignement traditionnel public (cycle final)",
     "مؤسسات التعليم العتيق بالقطاع العام", "higher_education", "public", "state_funded", True),
    ("traditional_private", "Enseignement traditionnel privé (cycle final)",
     "مؤسسات التعليم العتيق بالقطاع الخاص", "higher_education", "private", "collected", True),
    ("other_higher", "Autres établissements d'enseignement supérieur",
     "مؤسسات أخرى للتعليم العالي", "higher_education", "public", "state_funded", False),
    ("cpge_public", "Classes préparatoires aux grandes écoles (public)",
     "مؤسسات القطاع العام التي تحتضن الأقسام التحضيرية", "higher_education", "public", "state_funded", False),
    ("crmef", "Centres régionaux des métiers de l'éducation et de la formation (CRMEF)",
     "المراكز الجهوية لمهن التربية والتكوين", "higher_education", "public", "state_funded", False),
    ("bts", "Classes de brevet de technicien supérieur (BTS)",
     "المؤسسات التي تضم أقسام لنيل شهادة تقني متخصص عالي", "higher_education", "public", "state_funded", False),
    ("akhawayn", "Université Al Akhawayn",
     "المؤسسات التابعة لجامعة الأخوين", "higher_education", "private", "collected", False),
    ("private_higher", "Enseignement supérieur privé",
     "مؤسسات التعليم العالي الخاصة", "higher_education", "private", "collected", False),
    ("ppp_higher", "Enseignement supérieur en partenariat public-privé",
     "مؤسسات التعليم العالي المدرجة في إطار الشراكة بين القطاعين العام والخاص", "higher_education",
     "private", "collected", False),
    ("cpge_private", "Classes préparatoires aux grandes écoles (privé)",
     "مؤسسات القطاع الخاص التي تحتضن الأقسام التحضيرية", "higher_education", "private", "collected", False),
    ("ofppt", "Formation professionnelle publique (établissements de l'OFPPT)",
     "المؤسسات التابعة لمكتب التكوين المهني وانعاش الشغل", "public_vocational", "public", "state_funded", False),
    ("private_vocational", "Formation professionnelle privée",
     "مؤسسات التكوين المهني بالقطاع الخاص", "private_vocational", "private", "collected", False),
    ("ministry_vocational", "Formation professionnelle relevant des départements ministériels",
     "التكوين المهني التابع للقطاعات الوزارية", "private_vocational", "public", "state_funded", False),
]


def load(apps, schema_editor):
    Region = apps.get_model("organisations", "Region")
    Aggregator = apps.get_model("organisations", "Aggregator")
    Channel = apps.get_model("organisations", "Channel")
    Category = apps.get_model("organisations", "InstitutionCategory")
    CnopsOffice = apps.get_model("organisations", "CnopsOffice")
    for code, fr, ar in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name_fr": fr, "name_ar": ar})
    for code, fr, ar in AGGREGATORS:
        Aggregator.objects.update_or_create(code=code, defaults={"name_fr": fr, "name_ar": ar})
    for code, fr, ar, dfr, dar, url, agg, deposit, pos in CHANNELS:
        Channel.objects.update_or_create(
            code=code,
            defaults={
                "name_fr": fr, "name_ar": ar, "description_fr": dfr, "description_ar": dar,
                "portal_url": url, "aggregator": Aggregator.objects.get(code=agg),
                "deposit_channel": deposit, "position": pos,
            },
        )
    # The regime became dated rows (0005_category_regime_dated): the field is set only where it exists
    # (here in the migration; not when the browser tests reload these rows into today's models).
    has_regime = any(f.name == "contribution_regime" for f in Category._meta.get_fields())
    for pos, (code, fr, ar, channel, sector, regime, exempt) in enumerate(CATEGORIES, start=1):
        defaults = {
            "name_fr": fr, "name_ar": ar, "channel": Channel.objects.get(code=channel),
            "sector": sector, "age_limit_exempt": exempt, "position": pos,
        }
        if has_regime:
            defaults["contribution_regime"] = regime
        Category.objects.update_or_create(code=code, defaults=defaults)
    central, _ = CnopsOffice.objects.update_or_create(
        code="CENTRAL",
        defaults={"name_fr": "CNOPS, siège central (Rabat)", "name_ar": "الصندوق الوطني لمنظمات الاحتياط الاجتماعي، المقر المركزي (الرباط)",
                  "kind": "central", "city": "Rabat"},
    )
    central.regions.set(Region.objects.all())


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
