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
    MINIMUM_AGE_YEARS = "minimum_age_years", _("Youngest plausible age of a student (years)")
    CNOPS_POSTAL_ADDRESS = "cnops_postal_address", _("CNOPS postal address (French)")
    CNOPS_POSTAL_ADDRESS_AR = "cnops_postal_address_ar", _("CNOPS postal address (Arabic)")
    CALL_CENTRE_OPENS = "call_centre_opens", _("Call centre opens at (Monday to Friday)")
    CALL_CENTRE_CLOSES = "call_centre_closes", _("Call centre closes at (Monday to Friday)")
    DEPENDANT_AGE_LIMIT_YEARS = (
        "dependant_age_limit_years",
        _("Age limit of a student covered as a parent's dependant (years, inclusive)"),
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
