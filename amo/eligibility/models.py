"""The other-coverage check (DOMAIN.md §6).

Two sides that meet only through the exchange contract (`contract.py`):
- ANAM's side: the registry of persons covered by the other schemes, loaded from files, and the
  answer to a check (`registry.py`). It runs inside the platform by default; ANAM's real system
  can take its place by exchanging the same files.
- CNOPS's side: batches of students sent for checking (`CheckEntry`) and the verdicts received
  (`Verdict`), then applied to the requests (`services.py`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    CNSS = "cnss", _("CNSS (private sector)")
    CNOPS = "cnops", _("CNOPS (public sector)")
    FAR = "far", _("Royal Armed Forces (FAR)")
    ART114 = "art114", _("Internal fund (art. 114 of law 65-00)")
    TADAMON = "tadamon", _("AMO-Tadamon")


class CoverRole(models.TextChoices):
    INSURED = "insured", _("as insured")
    DEPENDANT = "dependant", _("as dependant")


class CoveredPerson(models.Model):
    """One coverage of one person by another scheme (ANAM's registry; tens of millions of rows)."""

    id_number = models.CharField(_("document number"), max_length=20)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    scheme = models.CharField(_("scheme"), max_length=8, choices=Scheme.choices)
    role = models.CharField(_("covered"), max_length=9, choices=CoverRole.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("covered person")
        verbose_name_plural = _("other-coverage registry")
        constraints = [
            models.UniqueConstraint(fields=["id_number", "scheme", "role"], name="registry_person_scheme_role")
        ]

    def __str__(self) -> str:
        return f"{self.id_number} {self.scheme} {self.role}"


class LoadKind(models.TextChoices):
    FULL = "full", _("Full load (replaces the registry)")
    INCREMENTAL = "incremental", _("Incremental update")


class RegistryLoad(models.Model):
    """A registry file applied (whole or not at all), with its per-line error report."""

    kind = models.CharField(_("kind"), max_length=12, choices=LoadKind.choices)
    filename = models.CharField(_("file"), max_length=250)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    applied_ok = models.BooleanField(_("applied"), default=False)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    applied = models.PositiveIntegerField(_("rows applied"), default=0)
    ended = models.PositiveIntegerField(_("coverages ended"), default=0)
    rejected = models.PositiveIntegerField(_("lines rejected"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    notices = models.PositiveIntegerField(_("insured students reported covered"), default=0)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("loaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registry load")
        verbose_name_plural = _("registry loads")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return self.filename


class BatchStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting the answer")
    ANSWERED = "answered", _("Answered")
    APPLIED = "applied", _("Answered and applied")


class CheckBatch(models.Model):
    """Students CNOPS sent for the other-coverage check, at one reference date."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    academic_year = models.ForeignKey(
        "referentials.AcademicYear", verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="+"
    )
    reference_date = models.DateField(_("coverage checked on"))
    age_limit = models.PositiveSmallIntegerField(_("age limit"))
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.SENT)
    sent_count = models.PositiveIntegerField(_("students sent"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    answered_by = models.CharField(_("answered by"), max_length=16, blank=True)
    verdict_sha256 = models.CharField(_("verdict file SHA-256"), max_length=64, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("check batch")
        verbose_name_plural = _("check batches")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.number


class CheckEntry(models.Model):
    """One student in a batch: what the exchange file carries to ANAM."""

    batch = models.ForeignKey(CheckBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="entries")
    request = models.ForeignKey(
        "enrollment.RegistrationRequest",
        verbose_name=_("registration request"),
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="checks",
    )
    id_type = models.CharField(_("identity document"), max_length=16)
    id_number = models.CharField(_("document number"), max_length=20)
    birth_date = models.DateField(_("birth date"))
    age_exempt = models.BooleanField(_("no age limit"), default=False)
    # The student's age is measured on the academic year's reference date (referentials'
    # age_reference_date, decision 0004), the date the form and the import measured it on, not
    # on the batch's date: a student accepted at registration is not refused for age later.
    age_reference_date = models.DateField(_("age measured on"))

    class Meta:
        verbose_name = _("checked student")
        verbose_name_plural = _("checked students")
        indexes = [models.Index(fields=["batch", "id_number"])]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.id_number}"


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted: no other coverage")
    REFUSED = "refused", _("Refused")


class Reason(models.TextChoices):
    COVERED_INSURED = "covered_insured", _("Covered by another scheme as insured")
    COVERED_DEPENDANT = "covered_dependant", _("Covered by another scheme as dependant")
    IDENTITY_NOT_FOUND = "identity_not_found", _("Identity not found: document number and birth date do not match")
    AGE = "age", _("Over the age limit at the reference date")
    DUPLICATE = "duplicate", _("Sent twice in the same batch")


class Verdict(models.Model):
    """ANAM's answer for one entry (insert-only: a batch is answered once)."""

    # No database foreign keys: verdicts are written a million at a time by one statement that
    # reads them from the batch's own entries; checking each row again doubled the write.
    entry = models.OneToOneField(
        CheckEntry,
        verbose_name=_("entry"),
        primary_key=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="verdict",
    )
    batch = models.ForeignKey(
        CheckBatch,
        verbose_name=_("batch"),
        on_delete=models.CASCADE,
        db_index=False,
        db_constraint=False,
        related_name="verdicts",
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    scheme = models.CharField(_("scheme"), max_length=8, choices=Scheme.choices, blank=True)
    notified = models.BooleanField(_("student notified"), default=False)

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        indexes = [models.Index(fields=["batch", "outcome"])]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.outcome} {self.reason}"
