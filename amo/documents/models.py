from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    AFFILIATION_CERTIFICATE = "affiliation_certificate", _("Affiliation certificate")
    REGISTRATION_FORM = "registration_form", _("Signed registration form")
    RECEIPT = "receipt", _("Contribution receipt")
    COVERAGE_CERTIFICATE = "coverage_certificate", _("Coverage certificate")
    STUDENT_LETTERS = "student_letters", _("Letters to students without e-mail")
    CARE_STATEMENT = "care_statement", _("Statement of a care file")
    APPROVAL_DECISION = "approval_decision", _("Medical control decision")


class Document(models.Model):
    """An issued PDF, with the public verification code printed on it and its SHA-256."""

    code = models.CharField(_("verification code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=250)
    holder = models.CharField(_("issued to"), max_length=250)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"
