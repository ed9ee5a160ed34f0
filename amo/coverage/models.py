"""Rights of insured students (DOMAIN.md §6): the insured number kept across years, one rights
period per academic year, its history, the coverage certificate and the publication lists."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common import clock


class Insured(models.Model):
    """A student once registered with CNOPS; the number stays the same at each renewal."""

    student = models.OneToOneField(
        "enrollment.Student", verbose_name=_("student"), on_delete=models.PROTECT, related_name="insured"
    )
    number = models.CharField(_("insured number"), max_length=16, unique=True)
    id_number = models.CharField(_("document number"), max_length=20, db_index=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("insured student")
        verbose_name_plural = _("insured students")

    def __str__(self) -> str:
        return self.number


class RightsStatus(models.TextChoices):
    OPEN = "open", _("Rights open")
    SUSPENDED = "suspended", _("Suspended: contribution not received")
    NOTICE = "notice", _("Closure notice sent")
    CLOSED = "closed", _("Rights closed")
    EXPIRED = "expired", _("Expired (end of the period)")


class ClosureReason(models.TextChoices):
    OTHER_COVERAGE_REGISTRY = "other_coverage_registry", _("Another coverage reported by ANAM")
    OTHER_COVERAGE_STUDENT = "other_coverage_student", _("Another coverage reported by the student")
    STUDIES_STOPPED = "studies_stopped", _("Studies stopped, reported by the institution")


class RightsPeriod(models.Model):
    """The coverage opened by one registration request (an academic year, 12 months at most)."""

    insured = models.ForeignKey(Insured, verbose_name=_("insured"), on_delete=models.PROTECT, related_name="periods")
    request = models.OneToOneField(
        "enrollment.RegistrationRequest",
        verbose_name=_("registration request"),
        on_delete=models.PROTECT,
        related_name="rights",
    )
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
    )
    legal_entity = models.ForeignKey(
        "organisations.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
    )
    academic_year = models.ForeignKey(
        "referentials.AcademicYear",
        verbose_name=_("academic year"),
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
    )
    starts_on = models.DateField(_("covered from"))
    ends_on = models.DateField(_("covered until"))
    status = models.CharField(_("status"), max_length=10, choices=RightsStatus.choices, default=RightsStatus.OPEN)
    # Suspensions, as "from:to" dates separated by ";" (an open one ends with ":"): read by the
    # lookup without a second query; the events keep the full history.
    suspensions = models.CharField(_("suspensions"), max_length=400, blank=True)
    notice_reason = models.CharField(_("closure reason"), max_length=24, choices=ClosureReason.choices, blank=True)
    notice_on = models.DateField(_("notice sent on"), null=True, blank=True)
    notice_until = models.DateField(_("proof expected by"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    maintained_until = models.DateField(_("rights maintained until"), null=True, blank=True)
    certificate = models.ForeignKey(
        "documents.Document",
        verbose_name=_("coverage certificate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        related_name="+",
    )
    batch = models.ForeignKey(
        "eligibility.CheckBatch",
        verbose_name=_("check batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))

    class Meta:
        verbose_name = _("rights period")
        verbose_name_plural = _("rights periods")
        indexes = [
            models.Index(fields=["insured", "-starts_on"]),
            models.Index(fields=["status", "ends_on"]),
            models.Index(fields=["legal_entity", "academic_year"]),
        ]

    def __str__(self) -> str:
        return f"{self.insured_id} {self.starts_on}–{self.ends_on} {self.status}"


class RightsEventKind(models.TextChoices):
    OPENED = "opened", _("Rights opened")
    SUSPENDED = "suspended", _("Suspended: contribution not received")
    RESUMED = "resumed", _("Resumed: contribution received")
    NOTICE = "notice", _("Closure notice sent (waiting for a proof until the date given)")
    PROOF = "proof", _("Proof received: rights kept")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired at the end of the period")
    # Law 54.23: a period running past the regime's last day ends on it.
    REGIME_END = "regime_end", _("Ends with the student regime (law 54.23)")


class RightsEvent(models.Model):
    period = models.ForeignKey(
        RightsPeriod, verbose_name=_("rights period"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=10, choices=RightsEventKind.choices)
    effective_on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=24, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rights event")
        verbose_name_plural = _("rights events")
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.period_id} {self.kind} {self.effective_on}"


class Publication(models.Model):
    """The list of registered students and of refusals with their reasons, for one legal entity
    after one check batch. Its rows are the batch's verdicts, which never change."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    legal_entity = models.ForeignKey(
        "organisations.LegalEntity", verbose_name=_("legal entity"), on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        "eligibility.CheckBatch", verbose_name=_("check batch"), on_delete=models.PROTECT, related_name="publications"
    )
    registered = models.PositiveIntegerField(_("registered"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication list")
        verbose_name_plural = _("publication lists")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["legal_entity", "batch"], name="one_publication_per_entity_and_batch")
        ]

    def __str__(self) -> str:
        return self.number


class HandoverExport(models.Model):
    """Every student's file, exported for the body that takes over after the regime ends."""

    file = models.FileField(_("file"), upload_to="handover/")
    rows = models.PositiveIntegerField(_("rows"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hand-over export")
        verbose_name_plural = _("hand-over exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.file.name)


class LookupChannel(models.TextChoices):
    PAGE = "page", _("Page")
    API = "api", _("API")


class LookupLogQuerySet(models.QuerySet["LookupLog"]):
    def update(self, **kwargs: object) -> int:
        raise TypeError("The rights lookup log is append-only.")


class LookupLog(models.Model):
    """Who looked up which document number, when, and what they were told (law 09-08: a
    consultation of personal data). Append-only: rows are never changed; they are deleted only
    after the retention period (services.lookup_log_purge, README)."""

    at = models.DateTimeField(_("looked up at"), default=clock.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    user_email = models.CharField(_("user's e-mail"), max_length=254)
    id_number = models.CharField(_("document number"), max_length=20)
    on = models.DateField(_("covered on"))
    covered = models.BooleanField(_("covered"))
    channel = models.CharField(_("channel"), max_length=8, choices=LookupChannel.choices)

    objects = LookupLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("rights lookup")
        verbose_name_plural = _("rights lookups")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"], name="coverage_lookup_user_at"),
            models.Index(fields=["id_number", "at"], name="coverage_lookup_number_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user_email} {self.id_number} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The rights lookup log is append-only.")
        super().save(*args, **kwargs)


class LetterKind(models.TextChoices):
    RIGHTS_OPENED = "rights_opened", _("Rights opened")
    CLOSURE_NOTICE = "closure_notice", _("Closure notice")


class Letter(models.Model):
    """A paper letter for a student without an e-mail address (issue 13, rule 4: imports make the
    e-mail optional, so these students were never told): their rights opened, or a closure notice.
    CNOPS prints them per institution (one PDF, one letter a page, care of the institution) and marks
    them sent; a letter waits while `printed_at` is empty."""

    kind = models.CharField(_("kind"), max_length=16, choices=LetterKind.choices)
    period = models.ForeignKey(RightsPeriod, verbose_name=_("rights"), on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        "enrollment.Student", verbose_name=_("student"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "organisations.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    notice_until = models.DateField(_("proof expected by"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    printed_at = models.DateTimeField(_("printed and sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["institution_id", "created_at", "id"]
        indexes = [models.Index(fields=["institution", "printed_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.student_id}"
