from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    REGISTRATION_LIST = "registration_list", _("List of students (registration)")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")


class ImportJob(models.Model):
    """An uploaded file, parsed and applied as a whole (valid rows) or not at all."""

    kind = models.CharField(_("kind"), max_length=32, choices=ImportKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    academic_year = models.ForeignKey(
        "referentials.AcademicYear", verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=250)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    language = models.CharField(_("language of the report"), max_length=8, default="fr")
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    file_error = models.CharField(_("file error"), max_length=64, blank=True)
    file_error_detail = models.TextField(_("detail"), blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("created"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("already there"), default=0)
    rows_error = models.PositiveIntegerField(_("in error"), default=0)
    error_report = models.FileField(_("error report"), upload_to="imports/reports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"
