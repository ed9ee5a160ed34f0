"""Demo data: real Moroccan institutions by name across every category, and one login per role.

Loaded by `manage.py load_demo`; idempotent (natural keys, get-or-create), so `make demo` can
run it at every start. Identifiers marked "demo" (ICE, INPE) are computed, not real.
"""

import csv
import datetime as dt
import tempfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction

from amo.accounts.models import Role, User
from amo.accounts.services import email_verification_token, email_verify, membership_grant, user_create
from amo.approvals import services as approvals
from amo.approvals.models import ApprovalRequest
from amo.claims import services as claims
from amo.claims.models import CareFile
from amo.common import clock
from amo.common.clock import today
from amo.common.errors import DomainError
from amo.coverage.services import after_batch_now
from amo.eligibility import registry
from amo.eligibility.services import batch_send, verdicts_apply
from amo.enrollment.models import RegistrationRequest, Student
from amo.enrollment.services import (
    aggregation_close,
    aggregation_send,
    certification_sign,
    registration_decide,
    registration_input,
    registration_submit,
)
from amo.organisations.models import (
    AffiliationRequest,
    Aggregator,
    CareProvider,
    CnopsOffice,
    DepositPoint,
    Institution,
    InstitutionCategory,
    LegalEntity,
    Region,
)
from amo.organisations.services import affiliation_approve, affiliation_submit
from amo.referentials.models import DrugList
from amo.referentials.selectors import academic_year_open
from amo.referentials.services import drug_list_import

DEMO_PASSWORD = "Amo-Demo-2026"  # noqa: S105 - published in the README for the demo only


def demo_ice(seed: int) -> str:
    """A 15-digit ICE whose number is divisible by 97, as python-stdnum checks it."""
    base = f"{seed:013d}"
    return base + f"{(97 - int(base) * 100 % 97) % 97:02d}"


# name_fr, name_ar, law, city
LEGAL_ENTITIES: dict[str, tuple[str, str, str, str]] = {
    "UM5": ("Université Mohammed V de Rabat", "جامعة محمد الخامس بالرباط", "public", "Rabat"),
    "UH2C": (
        "Université Hassan II de Casablanca",
        "جامعة الحسن الثاني بالدار البيضاء",
        "public",
        "Casablanca",
    ),
    "UCA": ("Université Cadi Ayyad", "جامعة القاضي عياض", "public", "Marrakech"),
    "USMBA": (
        "Université Sidi Mohamed Ben Abdellah",
        "جامعة سيدي محمد بن عبد الله",
        "public",
        "Fès",
    ),
    "UAQ": ("Université Al Quaraouiyine", "جامعة القرويين", "public", "Fès"),
    "MAGRI": ("Ministère de l'Agriculture", "وزارة الفلاحة", "public", "Rabat"),
    "MEQ": ("Ministère de l'Équipement et de l'Eau", "وزارة التجهيز والماء", "public", "Rabat"),
    "MHABOUS": (
        "Ministère des Habous et des Affaires Islamiques",
        "وزارة الأوقاف والشؤون الإسلامية",
        "public",
        "Rabat",
    ),
    "MCOM": (
        "Ministère de la Jeunesse, de la Culture et de la Communication",
        "وزارة الشباب والثقافة والتواصل",
        "public",
        "Rabat",
    ),
    "MEN": ("Ministère de l'Éducation Nationale", "وزارة التربية الوطنية", "public", "Rabat"),
    "MTOUR": ("Ministère du Tourisme", "وزارة السياحة", "public", "Rabat"),
    "OFPPT": (
        "Office de la Formation Professionnelle et de la Promotion du Travail",
        "مكتب التكوين المهني وإنعاش الشغل",
        "public",
        "Casablanca",
    ),
    "AUI": ("Université Al Akhawayn d'Ifrane", "جامعة الأخوين بإفران", "private", "Ifrane"),
    "UIR": ("Université Internationale de Rabat SA", "الجامعة الدولية للرباط", "private", "Salé"),
    "UM6SS": ("Fondation Cheikh Khalifa (UM6SS)", "مؤسسة الشيخ خليفة", "private", "Casablanca"),
    "EMSI": ("EMSI SA", "المدرسة المغربية لعلوم المهندس", "private", "Casablanca"),
    "HEM": ("HEM Business School SA", "مدرسة التدبير العليا", "private", "Rabat"),
    "SOUSSFORM": ("Institut Souss Formation SARL", "معهد سوس للتكوين", "private", "Agadir"),
    "TRADPRIV": (
        "Association Madrasa Al Atiqa de Tiznit",
        "جمعية المدرسة العتيقة بتيزنيت",
        "private",
        "Tiznit",
    ),
    "CPGEPRIV": ("Groupe Scolaire Ibn Ghazi SARL", "مجموعة مدارس ابن غازي", "private", "Rabat"),
}

# code, name_fr, name_ar, city, region code, category code, legal entity key
INSTITUTIONS: list[tuple[str, str, str, str, str, str, str]] = [
    (
        "UM5-FSR",
        "Faculté des Sciences de Rabat",
        "كلية العلوم بالرباط",
        "Rabat",
        "04",
        "univ",
        "UM5",
    ),
    (
        "UM5-FMPR",
        "Faculté de Médecine et de Pharmacie de Rabat",
        "كلية الطب والصيدلة بالرباط",
        "Rabat",
        "04",
        "univ",
        "UM5",
    ),
    (
        "UM5-ENSIAS",
        "École Nationale Supérieure d'Informatique et d'Analyse des Systèmes",
        "المدرسة الوطنية العليا للمعلوميات وتحليل النظم",
        "Rabat",
        "04",
        "univ",
        "UM5",
    ),
    (
        "UM5-FSJES",
        "Faculté des Sciences Juridiques, Économiques et Sociales Agdal",
        "كلية العلوم القانونية والاقتصادية والاجتماعية أكدال",
        "Rabat",
        "04",
        "univ",
        "UM5",
    ),
    (
        "UH2C-FSBM",
        "Faculté des Sciences Ben M'Sick",
        "كلية العلوم بنمسيك",
        "Casablanca",
        "06",
        "univ",
        "UH2C",
    ),
    (
        "UH2C-ENSEM",
        "École Nationale Supérieure d'Électricité et de Mécanique",
        "المدرسة الوطنية العليا للكهرباء والميكانيك",
        "Casablanca",
        "06",
        "univ",
        "UH2C",
    ),
    (
        "UH2C-FMPC",
        "Faculté de Médecine et de Pharmacie de Casablanca",
        "كلية الطب والصيدلة بالدار البيضاء",
        "Casablanca",
        "06",
        "univ",
        "UH2C",
    ),
    (
        "UCA-FSSM",
        "Faculté des Sciences Semlalia",
        "كلية العلوم السملالية",
        "Marrakech",
        "07",
        "univ",
        "UCA",
    ),
    (
        "UCA-ENSAM",
        "École Nationale des Sciences Appliquées de Marrakech",
        "المدرسة الوطنية للعلوم التطبيقية بمراكش",
        "Marrakech",
        "07",
        "univ",
        "UCA",
    ),
    (
        "USMBA-FSDM",
        "Faculté des Sciences Dhar El Mahraz",
        "كلية العلوم ظهر المهراز",
        "Fès",
        "03",
        "univ",
        "USMBA",
    ),
    (
        "UAQ-CHARIA",
        "Faculté de Charia de Fès",
        "كلية الشريعة بفاس",
        "Fès",
        "03",
        "quaraouiyine",
        "UAQ",
    ),
    (
        "UAQ-DARHADITH",
        "Dar El Hadith El Hassania",
        "دار الحديث الحسنية",
        "Rabat",
        "04",
        "quaraouiyine",
        "UAQ",
    ),
    (
        "IAV",
        "Institut Agronomique et Vétérinaire Hassan II",
        "معهد الحسن الثاني للزراعة والبيطرة",
        "Rabat",
        "04",
        "non_univ",
        "MAGRI",
    ),
    (
        "EHTP",
        "École Hassania des Travaux Publics",
        "المدرسة الحسنية للأشغال العمومية",
        "Casablanca",
        "06",
        "non_univ",
        "MEQ",
    ),
    (
        "IM6LEC",
        "Institut Mohammed VI des lecteurs et des études coraniques",
        "معهد محمد السادس للقراءات والدراسات القرآنية",
        "Rabat",
        "04",
        "traditional_public",
        "MHABOUS",
    ),
    (
        "TRAD-TIZNIT",
        "École d'enseignement traditionnel Al Atiqa (cycle final)",
        "المدرسة العتيقة (السلك النهائي)",
        "Tiznit",
        "09",
        "traditional_private",
        "TRADPRIV",
    ),
    (
        "ISIC",
        "Institut Supérieur de l'Information et de la Communication",
        "المعهد العالي للإعلام والاتصال",
        "Rabat",
        "04",
        "other_higher",
        "MCOM",
    ),
    (
        "CPGE-MYOUSSEF",
        "CPGE Lycée Moulay Youssef",
        "الأقسام التحضيرية ثانوية مولاي يوسف",
        "Rabat",
        "04",
        "cpge_public",
        "MEN",
    ),
    (
        "CPGE-MOHV",
        "CPGE Lycée Mohammed V",
        "الأقسام التحضيرية ثانوية محمد الخامس",
        "Casablanca",
        "06",
        "cpge_public",
        "MEN",
    ),
    (
        "CRMEF-RSK",
        "CRMEF Rabat-Salé-Kénitra",
        "المركز الجهوي لمهن التربية والتكوين الرباط سلا القنيطرة",
        "Rabat",
        "04",
        "crmef",
        "MEN",
    ),
    (
        "BTS-KHAWARIZMI",
        "BTS Lycée Technique Al Khawarizmi",
        "أقسام التقني العالي ثانوية الخوارزمي التقنية",
        "Casablanca",
        "06",
        "bts",
        "MEN",
    ),
    (
        "AUI",
        "Université Al Akhawayn d'Ifrane",
        "جامعة الأخوين بإفران",
        "Ifrane",
        "03",
        "akhawayn",
        "AUI",
    ),
    (
        "EMSI-CASA",
        "École Marocaine des Sciences de l'Ingénieur, Casablanca",
        "المدرسة المغربية لعلوم المهندس، الدار البيضاء",
        "Casablanca",
        "06",
        "private_higher",
        "EMSI",
    ),
    (
        "HEM-RABAT",
        "HEM Business School, Rabat",
        "مدرسة التدبير العليا، الرباط",
        "Rabat",
        "04",
        "private_higher",
        "HEM",
    ),
    (
        "UIR",
        "Université Internationale de Rabat",
        "الجامعة الدولية للرباط",
        "Salé",
        "04",
        "ppp_higher",
        "UIR",
    ),
    (
        "UM6SS",
        "Université Mohammed VI des Sciences de la Santé",
        "جامعة محمد السادس لعلوم الصحة",
        "Casablanca",
        "06",
        "ppp_higher",
        "UM6SS",
    ),
    (
        "CPGE-IBNGHAZI",
        "Classes préparatoires Ibn Ghazi",
        "الأقسام التحضيرية ابن غازي",
        "Rabat",
        "04",
        "cpge_private",
        "CPGEPRIV",
    ),
    (
        "ISTA-NTIC-RABAT",
        "ISTA NTIC Hay Riad",
        "المعهد المتخصص للتكنولوجيا التطبيقية NTIC حي الرياض",
        "Rabat",
        "04",
        "ofppt",
        "OFPPT",
    ),
    (
        "ISTA-HH-CASA",
        "ISTA Hay Hassani",
        "المعهد المتخصص للتكنولوجيا التطبيقية الحي الحسني",
        "Casablanca",
        "06",
        "ofppt",
        "OFPPT",
    ),
    (
        "ISTA-TANGER",
        "ISTA Tanger",
        "المعهد المتخصص للتكنولوجيا التطبيقية طنجة",
        "Tanger",
        "01",
        "ofppt",
        "OFPPT",
    ),
    (
        "ISF-AGADIR",
        "Institut Souss Formation aux métiers de la santé",
        "معهد سوس للتكوين في مهن الصحة",
        "Agadir",
        "09",
        "private_vocational",
        "SOUSSFORM",
    ),
    (
        "ITHT-TANGER",
        "Institut de Technologie Hôtelière et Touristique de Tanger",
        "معهد التكنولوجيا الفندقية والسياحية بطنجة",
        "Tanger",
        "01",
        "ministry_vocational",
        "MTOUR",
    ),
    (
        "ITHT-AGADIR",
        "Institut de Technologie Hôtelière et Touristique d'Agadir",
        "معهد التكنولوجيا الفندقية والسياحية بأكادير",
        "Agadir",
        "09",
        "ministry_vocational",
        "MTOUR",
    ),
]

# code, name_fr, name_ar, city, region codes served
DELEGATIONS = [
    (
        "DR-CASA",
        "Délégation régionale de Casablanca",
        "المندوبية الجهوية للدار البيضاء",
        "Casablanca",
        ["06"],
    ),
    (
        "DR-MARRAKECH",
        "Délégation régionale de Marrakech",
        "المندوبية الجهوية لمراكش",
        "Marrakech",
        ["07", "08"],
    ),
    ("DR-FES", "Délégation régionale de Fès", "المندوبية الجهوية لفاس", "Fès", ["03"]),
    ("DR-TANGER", "Délégation régionale de Tanger", "المندوبية الجهوية لطنجة", "Tanger", ["01"]),
    ("DR-OUJDA", "Délégation régionale d'Oujda", "المندوبية الجهوية لوجدة", "Oujda", ["02"]),
    (
        "DR-AGADIR",
        "Délégation régionale d'Agadir",
        "المندوبية الجهوية لأكادير",
        "Agadir",
        ["09", "10", "11", "12"],
    ),
]

DEPOSIT_POINTS = [
    (
        "ONOUSC-RABAT",
        "ONOUSC, bureau de Rabat",
        "المكتب الوطني للأعمال الجامعية، مكتب الرباط",
        "onousc_offices",
        "Rabat",
        "04",
    ),
    (
        "ONOUSC-CASA",
        "ONOUSC, bureau de Casablanca",
        "المكتب الوطني للأعمال الجامعية، مكتب الدار البيضاء",
        "onousc_offices",
        "Casablanca",
        "06",
    ),
    (
        "OFPPT-CASA",
        "OFPPT, direction régionale Casablanca-Settat",
        "مكتب التكوين المهني، المديرية الجهوية الدار البيضاء سطات",
        "ofppt_offices",
        "Casablanca",
        "06",
    ),
    (
        "CNOPS-COURRIER",
        "CNOPS, bureau d'ordre (8 rue Al Khalil, Rabat)",
        "الصندوق، مكتب الضبط (8 زنقة الخليل، الرباط)",
        "cnops_mail",
        "Rabat",
        "04",
    ),
]

PROVIDERS = [
    ("Clinique des Nations Unies", "مصحة الأمم المتحدة", "clinic", "100000001", "Rabat", "04"),
    (
        "Centre d'Oncologie Al Azhar",
        "مركز الأزهر للأنكولوجيا",
        "cancer_centre",
        "100000002",
        "Rabat",
        "04",
    ),
    (
        "Centre d'Hémodialyse Anfa",
        "مركز تصفية الدم أنفا",
        "dialysis_centre",
        "100000003",
        "Casablanca",
        "06",
    ),
    (
        "Clinique Internationale de Marrakech",
        "المصحة الدولية بمراكش",
        "clinic",
        "100000004",
        "Marrakech",
        "07",
    ),
]

# email, full name, role, organisation field, organisation key
USERS: list[tuple[str, str, Role, str | None, str | None]] = [
    ("etudiant@demo.amo.ma", "Salma Bennani", Role.STUDENT, None, None),
    (
        "etablissement@demo.amo.ma",
        "Karim Alaoui (FSR)",
        Role.INSTITUTION_AGENT,
        "institution",
        "UM5-FSR",
    ),
    (
        "etablissement-ofppt@demo.amo.ma",
        "Nadia Tazi (ISTA)",
        Role.INSTITUTION_AGENT,
        "institution",
        "ISTA-HH-CASA",
    ),
    (
        "etablissement-prive@demo.amo.ma",
        "Rachid Amrani (EMSI)",
        Role.INSTITUTION_AGENT,
        "institution",
        "EMSI-CASA",
    ),
    (
        "personne-morale@demo.amo.ma",
        "Youssef Idrissi (UM5)",
        Role.LEGAL_ENTITY_AGENT,
        "legal_entity",
        "UM5",
    ),
    (
        "personne-morale-privee@demo.amo.ma",
        "Leila Chraibi (EMSI)",
        Role.LEGAL_ENTITY_AGENT,
        "legal_entity",
        "EMSI",
    ),
    ("onousc@demo.amo.ma", "Agent ONOUSC", Role.AGGREGATOR_AGENT, "aggregator", "ONOUSC"),
    ("ofppt@demo.amo.ma", "Agent OFPPT", Role.AGGREGATOR_AGENT, "aggregator", "OFPPT"),
    ("anam@demo.amo.ma", "Agent ANAM", Role.AGGREGATOR_AGENT, "aggregator", "ANAM"),
    ("cnops@demo.amo.ma", "Hicham Berrada (CNOPS)", Role.CNOPS_AGENT, "cnops_office", "CENTRAL"),
    (
        "delegation-casa@demo.amo.ma",
        "Samira Fassi (DR Casablanca)",
        Role.CNOPS_AGENT,
        "cnops_office",
        "DR-CASA",
    ),
    ("medecin@demo.amo.ma", "Dr Omar Kettani", Role.MEDICAL_CONTROLLER, "cnops_office", "CENTRAL"),
    (
        "depot@demo.amo.ma",
        "Agent dépôt ONOUSC Rabat",
        Role.DEPOSIT_POINT_AGENT,
        "deposit_point",
        "ONOUSC-RABAT",
    ),
    (
        "clinique@demo.amo.ma",
        "Accueil Clinique des Nations Unies",
        Role.PROVIDER_AGENT,
        "provider",
        "100000001",
    ),
    (
        "clinique-casa@demo.amo.ma",
        "Accueil Centre d'Hémodialyse Anfa",
        Role.PROVIDER_AGENT,
        "provider",
        "100000003",
    ),
    ("medecin-casa@demo.amo.ma", "Dr Leila Tazi (DR Casablanca)", Role.MEDICAL_CONTROLLER, "cnops_office", "DR-CASA"),
    (
        "medecin-casa2@demo.amo.ma",
        "Dr Youssef Amrani (DR Casablanca)",
        Role.MEDICAL_CONTROLLER,
        "cnops_office",
        "DR-CASA",
    ),
    ("admin@demo.amo.ma", "Administrateur CNOPS", Role.CNOPS_ADMIN, "cnops_office", "CENTRAL"),
    ("centre-appel@demo.amo.ma", "Conseillère centre d'appel", Role.CALL_CENTRE_AGENT, "cnops_office", "CENTRAL"),
]


def _organisation(field: str, key: str) -> models.Model:
    finders: dict[str, Callable[[], models.Model]] = {
        "institution": lambda: Institution.objects.get(code=key),
        "legal_entity": lambda: LegalEntity.objects.get(name_fr=LEGAL_ENTITIES[key][0]),
        "aggregator": lambda: Aggregator.objects.get(code=key),
        "cnops_office": lambda: CnopsOffice.objects.get(code=key),
        "deposit_point": lambda: DepositPoint.objects.get(code=key),
        "provider": lambda: CareProvider.objects.get(inpe=key),
    }
    return finders[field]()


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create or refresh the demo data; returns the demo logins (e-mail, role, organisation)."""
    regions = {r.code: r for r in Region.objects.all()}
    categories = {c.code: c for c in InstitutionCategory.objects.all()}
    entities = {}
    for n, (key, (fr, ar, law, city)) in enumerate(LEGAL_ENTITIES.items(), start=1):
        entities[key], _ = LegalEntity.objects.update_or_create(
            name_fr=fr,
            defaults={
                "name_ar": ar,
                "law": law,
                "city": city,
                "ice": demo_ice(1_000_000 + n) if law == "private" else "",
                "email": f"contact-{key.lower()}@demo.amo.ma",
            },
        )
    for code, fr, ar, city, region, category, entity in INSTITUTIONS:
        Institution.objects.update_or_create(
            code=code,
            defaults={
                "name_fr": fr,
                "name_ar": ar,
                "city": city,
                "region": regions[region],
                "category": categories[category],
                "legal_entity": entities[entity],
                "on_eligible_list": True,
            },
        )
    for code, fr, ar, city, served in DELEGATIONS:
        office, _ = CnopsOffice.objects.update_or_create(
            code=code, defaults={"name_fr": fr, "name_ar": ar, "kind": "delegation", "city": city}
        )
        office.regions.set([regions[r] for r in served])
    for code, fr, ar, channel, city, region in DEPOSIT_POINTS:
        DepositPoint.objects.update_or_create(
            code=code,
            defaults={
                "name_fr": fr,
                "name_ar": ar,
                "deposit_channel": channel,
                "city": city,
                "region": regions[region],
            },
        )
    for n, (name, ar, kind, inpe, city, region) in enumerate(PROVIDERS, start=1):
        CareProvider.objects.update_or_create(
            inpe=inpe,
            defaults={
                "name": name,
                "name_ar": ar,
                "kind": kind,
                "city": city,
                "region": regions[region],
                "ice": demo_ice(2_000_000 + n),
            },
        )
    logins = []
    users: dict[str, User] = {}
    for email, name, role, org_field, org_key in USERS:
        user = User.objects.filter(email=email).first() or user_create(
            actor=None, email=email, password=DEMO_PASSWORD, full_name=name
        )
        users[email] = user
        org = _organisation(org_field, org_key) if org_field and org_key else None
        membership_grant(actor=None, user=user, role=role, **({org_field: org} if org_field else {}))
        logins.append((email, str(role.label), str(org or "")))
    _demo_affiliations(entities, users)
    _demo_rights(users)
    _demo_care(users)
    _demo_registrations(users)
    _demo_approvals(users)
    return logins


def _demo_affiliations(entities: dict[str, LegalEntity], users: dict[str, User]) -> None:
    """UM5 affiliated two institutions (certificate issued); EMSI's request awaits CNOPS."""
    cnops = users["cnops@demo.amo.ma"]
    if not AffiliationRequest.objects.filter(legal_entity=entities["UM5"]).exists():
        request = affiliation_submit(
            actor=users["personne-morale@demo.amo.ma"],
            legal_entity=entities["UM5"],
            institution_ids=list(
                Institution.objects.filter(code__in=["UM5-FSR", "UM5-FMPR"]).values_list("pk", flat=True)
            ),
        )
        affiliation_approve(actor=cnops, request=request)
    if not AffiliationRequest.objects.filter(legal_entity=entities["EMSI"]).exists():
        emsi = affiliation_submit(
            actor=users["personne-morale-privee@demo.amo.ma"],
            legal_entity=entities["EMSI"],
            institution_ids=list(entities["EMSI"].institutions.values_list("pk", flat=True)),
        )
        affiliation_approve(actor=cnops, request=emsi)
    # Each entry has institutions to register at: OFPPT's, a private and a ministry vocational one.
    for key in ("OFPPT", "SOUSSFORM", "MTOUR"):
        if not AffiliationRequest.objects.filter(legal_entity=entities[key]).exists():
            request = affiliation_submit(
                actor=cnops,
                legal_entity=entities[key],
                institution_ids=list(entities[key].institutions.values_list("pk", flat=True)),
            )
            affiliation_approve(actor=cnops, request=request)
    if not AffiliationRequest.objects.filter(legal_entity=entities["HEM"]).exists():
        affiliation_submit(
            actor=cnops,
            legal_entity=entities["HEM"],
            institution_ids=list(entities["HEM"].institutions.values_list("pk", flat=True)),
        )


def _demo_registrations(users: dict[str, User]) -> None:
    """The demo student's request (validated, waiting for ONOUSC's list) and a few other
    students of the Faculté des Sciences in every state, so each space has something to show."""
    import datetime as dt

    year = academic_year_open()
    fsr = Institution.objects.get(code="UM5-FSR")
    emsi = Institution.objects.get(code="EMSI-CASA")
    if year is None or RegistrationRequest.objects.filter(institution=fsr).exists():
        return
    agent = users["etablissement@demo.amo.ma"]
    people = [
        (
            "etudiant@demo.amo.ma",
            "Salma Bennani",
            "AB123456",
            "R130000001",
            "Bennani",
            "Salma",
            "بناني",
            "سلمى",
            "F",
            "validated",
        ),
        (
            "yassine@demo.amo.ma",
            "Yassine Alaoui",
            "BE654321",
            "R130000002",
            "Alaoui",
            "Yassine",
            "العلوي",
            "ياسين",
            "M",
            "submitted",
        ),
        (
            "imane@demo.amo.ma",
            "Imane Tazi",
            "BK112233",
            "R130000003",
            "Tazi",
            "Imane",
            "التازي",
            "إيمان",
            "F",
            "to_correct",
        ),
        ("omar@demo.amo.ma", "Omar Fassi", "BJ445566", "R130000004", "Fassi", "Omar", "الفاسي", "عمر", "M", "rejected"),
        (
            "hajar@demo.amo.ma",
            "Hajar Kettani",
            "BH778899",
            "R130000005",
            "Kettani",
            "Hajar",
            "الكتاني",
            "هاجر",
            "F",
            "emsi",
        ),
        (
            "mehdi@demo.amo.ma",
            "Mehdi Berrada",
            "BL101010",
            "R130000006",
            "Berrada",
            "Mehdi",
            "برادة",
            "مهدي",
            "M",
            "emsi",
        ),
    ]
    for n, (email, full_name, cin, massar, last, first, last_ar, first_ar, sex, target) in enumerate(people):
        institution = emsi if target == "emsi" else fsr
        user = _demo_student(email, full_name)
        request = registration_submit(
            actor=user,
            entry_channel="higher_education",
            data=registration_input(
                id_type="cin",
                id_number=cin,
                massar=massar,
                last_name=last,
                first_name=first,
                last_name_ar=last_ar,
                first_name_ar=first_ar,
                birth_date=dt.date(2004, 5, 10 + n),
                birth_place="Rabat",
                sex=sex,
                nationality="Marocaine",
                address="Agdal, Rabat",
                email=email,
                phone=f"06123456{70 + n}",
                rib="",
                institution_id=institution.pk,
                academic_year_id=year.pk,
                track="Cycle ingénieur" if target == "emsi" else "Licence Sciences Mathématiques et Informatique",
                fee_paying=False,
                registered_on=year.starts_on + dt.timedelta(days=14),
                no_other_coverage=True,
                consent=True,
                acknowledged=True,
            ),
        )
        if target == "emsi":
            registration_decide(actor=users["etablissement-prive@demo.amo.ma"], request=request, target="validated")
        elif target == "validated":
            registration_decide(actor=agent, request=request, target="validated")
        elif target == "to_correct":
            registration_decide(actor=agent, request=request, target="to_correct", comment="Code Massar à vérifier")
        elif target == "rejected":
            registration_decide(actor=agent, request=request, target="rejected", reason="not_enrolled")


DEMO_INSURED = [
    ("nadia@demo.amo.ma", "BA202020", "Chraibi", "Nadia", "الشرايبي", "نادية", "F"),
    ("karim@demo.amo.ma", "BB303030", "Idrissi", "Karim", "الإدريسي", "كريم", "M"),
    ("sara@demo.amo.ma", "BC404040", "Benjelloun", "Sara", "بنجلون", "سارة", "F"),
]


def _demo_rights(users: dict[str, User]) -> None:
    """Three students of the Faculté de Médecine taken through the whole chain: list sent and
    certified, ANAM check against a demo registry (Karim is covered as a CNSS dependant), rights
    open for Nadia and Sara with their certificates and e-mails, a publication list for UM5."""
    import datetime as dt
    import tempfile

    year = academic_year_open()
    fmpr = Institution.objects.get(code="UM5-FMPR")
    if year is None or RegistrationRequest.objects.filter(institution=fmpr).exists():
        return
    birth = dt.date(2004, 2, 1)
    lines = ["id_number;birth_date;scheme;role;starts_on;ends_on"]
    schemes = ("cnss", "cnops", "far", "art114", "tadamon")
    lines += [f"ZD{n:06d};1980-01-01;{schemes[n % 5]};insured;2015-01-01;" for n in range(1, 301)]
    lines.append(f"BB303030;{birth.isoformat()};cnss;dependant;2010-01-01;")
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
        handle.flush()
        registry.registry_load(
            actor=users["admin@demo.amo.ma"], path=handle.name, filename="registre-demo.csv", kind="full"
        )
    for email, cin, last, first, last_ar, first_ar, sex in DEMO_INSURED:
        user = _demo_student(email, f"{first} {last}")
        request = registration_submit(
            actor=user,
            entry_channel="higher_education",
            data=registration_input(
                id_type="cin",
                id_number=cin,
                massar="",
                last_name=last,
                first_name=first,
                last_name_ar=last_ar,
                first_name_ar=first_ar,
                birth_date=birth,
                birth_place="Rabat",
                sex=sex,
                nationality="Marocaine",
                address="Souissi, Rabat",
                email=email,
                phone="0612340000",
                rib="",
                institution_id=fmpr.pk,
                academic_year_id=year.pk,
                track="Doctorat en médecine",
                fee_paying=False,
                registered_on=year.starts_on + dt.timedelta(days=10),
                no_other_coverage=True,
                consent=True,
                acknowledged=True,
            ),
        )
        registration_decide(actor=users["cnops@demo.amo.ma"], request=request, target="validated")
    onousc = users["onousc@demo.amo.ma"]
    listed = aggregation_close(actor=onousc, aggregator=Aggregator.objects.get(code="ONOUSC"), academic_year=year)
    aggregation_send(actor=onousc, aggregation_list=listed)
    certification_sign(
        actor=users["personne-morale@demo.amo.ma"],
        legal_entity=fmpr.legal_entity,
        academic_year=year,
        payment_references="",
    )
    batch = batch_send(actor=users["cnops@demo.amo.ma"], academic_year=year)
    registry.batch_answer(batch_id=batch.pk)
    verdicts_apply(batch_id=batch.pk, actor=users["cnops@demo.amo.ma"])
    after_batch_now(batch_id=batch.pk)


DEMO_DRUGS = [
    # code, name, DCI, dosage, form, presentation, PPV, PH, PBR, type, reimbursable
    (
        "6118000010011",
        "Doliprane",
        "Paracétamol",
        "1 g",
        "Comprimé",
        "Boîte de 8",
        "20,00",
        "15,00",
        "18,35",
        "Princeps",
        "oui",
    ),
    (
        "6118000010028",
        "Paracétamol Sothema",
        "Paracétamol",
        "1 g",
        "Comprimé",
        "Boîte de 8",
        "12,00",
        "",
        "12,00",
        "Générique",
        "oui",
    ),
    (
        "6118000010035",
        "Augmentin",
        "Amoxicilline + acide clavulanique",
        "1 g",
        "Sachet",
        "Boîte de 12",
        "78,50",
        "60,00",
        "60,10",
        "Princeps",
        "oui",
    ),
    (
        "6118000010042",
        "Ventoline",
        "Salbutamol",
        "100 µg",
        "Suspension pour inhalation",
        "Flacon de 200 doses",
        "35,20",
        "",
        "35,20",
        "Princeps",
        "oui",
    ),
    (
        "6118000010059",
        "Vitamine C Upsa",
        "Acide ascorbique",
        "500 mg",
        "Comprimé effervescent",
        "Tube de 20",
        "30,00",
        "",
        "",
        "Princeps",
        "non",
    ),
    ("6118000010066", "Sans prix (ligne refusée)", "—", "", "", "", "", "", "", "Princeps", "oui"),
]


def _demo_care(users: dict[str, User]) -> None:
    """Care files for Nadia and Sara (insured at the Faculté de Médecine): the drug list loaded
    with its report (a row without a price refused), a file liquidated and confirmed (its statement
    e-mailed by the worker), a slip sent to CNOPS to receive, a deposited file waiting for a slip
    at the ONOUSC office in Rabat, and a pre-declared file with its cover sheet."""
    nadia = Student.objects.filter(id_number="BA202020").first()
    sara = Student.objects.filter(id_number="BC404040").first()
    if nadia is None or sara is None or CareFile.objects.exists():
        return
    admin, cnops, agent = users["admin@demo.amo.ma"], users["cnops@demo.amo.ma"], users["depot@demo.amo.ma"]
    if not DrugList.objects.exists():
        with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(
                ["Code", "Nom", "DCI", "Dosage", "Forme", "Présentation", "PPV", "PH", "PBR", "Type", "Remboursable"]
            )
            writer.writerows(DEMO_DRUGS)
            handle.flush()
            drug_list_import(
                actor=admin,
                path=handle.name,
                filename="guide-medicaments-demo.csv",
                valid_from=dt.date(2026, 1, 1),
                source="Démonstration : extrait fictif du guide de l'ANAM",
            )
    point = DepositPoint.objects.get(code="ONOUSC-RABAT")
    day = today()

    def deposited(student: Student, amount: str, kind: str = "ordinary") -> CareFile:
        return claims.care_file_create_at_deposit(
            actor=agent,
            deposit_point=point,
            student=student,
            kind=kind,
            first_act_on=day,
            declared_amount=Decimal(amount),
        )

    # Nadia's file: received, entered and liquidated (a consultation and a box of drugs reimbursed,
    # a non-reimbursable drug refused with its reason)
    done = deposited(nadia, "260.00")
    slip = claims.slip_prepare(actor=agent, deposit_point=point, files=CareFile.objects.filter(pk=done.pk))
    claims.slip_send(actor=agent, slip=slip)
    claims.slip_receive(actor=cnops, slip=slip)
    inpe = "100200300"
    claims.care_line_add(
        actor=cnops,
        care_file=done,
        act_on=day,
        practitioner_inpe=inpe,
        kind="act",
        letter="CS",
        coefficient=Decimal("1"),
        amount_paid=Decimal("200.00"),
    )
    for code, paid in (("6118000010035", "78.50"), ("6118000010059", "30.00")):
        claims.care_line_add(
            actor=cnops,
            care_file=done,
            act_on=day,
            practitioner_inpe=inpe,
            kind="drug",
            drug_code=code,
            quantity=1,
            amount_paid=Decimal(paid),
        )
    claims.care_file_liquidate(actor=cnops, care_file=done)
    # a slip sent to CNOPS, to receive
    waiting = deposited(nadia, "150.00", "dental")
    sent = claims.slip_prepare(actor=agent, deposit_point=point, files=CareFile.objects.filter(pk=waiting.pk))
    claims.slip_send(actor=agent, slip=sent)
    # a deposited file to put on a slip, and a pre-declared file (its cover sheet to print)
    deposited(sara, "80.00")
    claims.care_file_predeclare(
        actor=sara.user, student=sara, kind="ordinary", first_act_on=day, declared_amount=Decimal("120.00")
    )


def _demo_student(email: str, full_name: str) -> Any:
    """A student's account, verified as if they had opened the e-mailed link."""
    user = User.objects.filter(email=email).first() or user_create(
        actor=None, email=email, password=DEMO_PASSWORD, full_name=full_name
    )
    membership_grant(actor=None, user=user, role=Role.STUDENT)
    if user.email_verified_at is None:
        email_verify(token=email_verification_token(user))
    return user


def _demo_approvals(users: dict[str, User]) -> None:
    """The Casablanca dialysis centre's PEC requests for Nadia and Sara, one in each state, decided
    by the Casablanca delegation's controllers: waiting (one overdue), waiting for information,
    waiting for a second controller, agreed in part, refused, withdrawn. Only when the students are
    covered on the planned dates (the academic year open)."""
    provider = CareProvider.objects.get(inpe="100000003")
    if ApprovalRequest.objects.filter(provider=provider).exists():
        return
    clinic, first, second = (
        users["clinique-casa@demo.amo.ma"],
        users["medecin-casa@demo.amo.ma"],
        users["medecin-casa2@demo.amo.ma"],
    )
    start = clock.today() + dt.timedelta(days=2)
    report = b"%PDF-1.4\n% compte rendu de demonstration\n%%EOF\n"

    def send(cin: str, kind: str, diagnosis: str, acts: str, quote: str, urgent: bool = False) -> ApprovalRequest:
        return approvals.approval_request_submit(
            actor=clinic,
            provider=provider,
            id_number=cin,
            kind_code=kind,
            planned_from=start,
            planned_to=start + dt.timedelta(days=28),
            diagnosis=diagnosis,
            planned_acts=acts,
            quote=Decimal(quote),
            urgent=urgent,
            files=[SimpleUploadedFile("compte-rendu.pdf", report)],
        )

    try:
        send("BA202020", "dialysis_series", "N18.5", "K 50\nCS 1", "14000.00")
        late = send("BC404040", "imaging", "C50.9", "Z 60", "3500.00", urgent=True)
        asked = send("BA202020", "hospitalisation", "N18.5", "K 30", "9000.00")
        big = send("BC404040", "chemotherapy_cycle", "C50.9", "K 120", "95000.00")
        partial = send("BA202020", "dialysis_series", "N18.5", "K 50", "16000.00")
        refused = send("BC404040", "surgery", "K35.8", "K 80", "12000.00")
        withdrawn = send("BA202020", "imaging", "N18.5", "Z 40", "2500.00")
    except DomainError:  # not covered on the planned dates (no open academic year): no requests
        return
    # The demo's overdue request: sent three days ago, past its urgent service level.
    sent_at = clock.now() - dt.timedelta(days=3)
    ApprovalRequest.objects.filter(pk=late.pk).update(submitted_at=sent_at, due_at=sent_at + dt.timedelta(hours=24))
    approvals.approval_information_request(
        actor=first, request=asked, question="Merci de joindre le dernier bilan biologique (créatinine)."
    )
    approvals.approval_agree(
        actor=first,
        request=big,
        ceiling=Decimal("95000.00"),
        sessions=6,
        valid_from=start,
        valid_to=start + dt.timedelta(days=180),
    )
    approvals.approval_agree(
        actor=first,
        request=partial,
        ceiling=Decimal("12000.00"),
        sessions=12,
        valid_from=start,
        valid_to=start + dt.timedelta(days=60),
        comment="12 séances sur 16 demandées",
    )
    approvals.approval_refuse(
        actor=second, request=refused, reason_code="not_medically_justified", comment="Indication non établie."
    )
    approvals.approval_withdraw(actor=clinic, request=withdrawn)
