from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """An e-mail to send, written in the same transaction as the change it reports."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    attachment = models.ForeignKey(
        "documents.Document",
        verbose_name=_("attachment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class MailboxMessage(models.Model):
    """An e-mail caught by the demo mailbox when no SMTP server is configured."""

    to = models.TextField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    attachments = models.CharField(_("attachments"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo mailbox message")
        verbose_name_plural = _("demo mailbox")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class MailboxAttachment(models.Model):
    """A file attached to a caught e-mail, kept so that the demo mailbox opens it."""

    message = models.ForeignKey(
        MailboxMessage, verbose_name=_("message"), on_delete=models.CASCADE, related_name="files"
    )
    filename = models.CharField(_("file name"), max_length=250)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("demo mailbox attachment")
        verbose_name_plural = _("demo mailbox attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename
