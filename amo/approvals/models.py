"""Medical control: the referentials it reads (kinds of request, refusal reasons, routing rules),
the requests of care providers and students, their attachments and decisions (DOMAIN.md §7-8)."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amo.approvals import rules
from amo.common import clock


class _Labelled(models.Model):
    """A coded row of a referential with its French and Arabic labels, dated."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_ar = models.CharField(_("label (Arabic)"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_ar if get_language() == "ar" else self.label_fr


class RequestKind(_Labelled):
    """Hospitalisation, surgery, dialysis series, chemotherapy cycle, costly drug, imaging, prior
    approval, ALD exemption, other: data, so CNOPS adds a kind without code."""

    for_providers = models.BooleanField(_("sent by care providers"), default=True)

    class Meta(_Labelled.Meta):
        verbose_name = _("kind of request")
        verbose_name_plural = _("kinds of request")


class RefusalReason(_Labelled):
    class Meta(_Labelled.Meta):
        verbose_name = _("refusal reason")
        verbose_name_plural = _("refusal reasons")


class RoutingRule(models.Model):
    """Which CNOPS office decides a request: the first rule (by priority) whose filters match.
    No office: the regional delegation serving the provider's region (the central office where
    none does). CNOPS's administrators edit these rows in the admin."""

    priority = models.PositiveIntegerField(_("priority (lowest first)"))
    region = models.ForeignKey(
        "organisations.Region", verbose_name=_("provider's region"), null=True, blank=True, on_delete=models.PROTECT
    )
    kind = models.ForeignKey(RequestKind, verbose_name=_("kind"), null=True, blank=True, on_delete=models.PROTECT)
    min_amount = models.DecimalField(
        _("from this quoted amount (MAD)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    office = models.ForeignKey(
        "organisations.CnopsOffice",
        verbose_name=_("office that decides"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: the regional delegation serving the provider's region."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority"]

    def __str__(self) -> str:
        where = f"{self.region or '*'} / {self.kind or '*'} / {self.min_amount or 0}"
        return f"{self.priority}: {where} → {self.office or '-'}"


class ApprovalStatus(models.TextChoices):
    SUBMITTED = rules.SUBMITTED, _("Waiting for a decision")
    INFORMATION = rules.INFORMATION, _("Information requested")
    CONFIRMATION = rules.CONFIRMATION, _("Waiting for a second controller")
    AGREED = rules.AGREED, _("Agreed")
    REFUSED = rules.REFUSED, _("Refused")
    WITHDRAWN = rules.WITHDRAWN, _("Withdrawn")


class ApprovalSource(models.TextChoices):
    PROVIDER = "provider", _("Care provider's PEC request")
    CARE_FILE = "care_file", _("Student's request deposited as a care file")


class ApprovalRequest(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=ApprovalSource.choices)
    provider = models.ForeignKey(
        "organisations.CareProvider",
        verbose_name=_("care provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approval_requests",
    )
    care_file_ref = models.CharField(_("care file"), max_length=40, blank=True)
    insured = models.ForeignKey(
        "coverage.Insured", verbose_name=_("insured student"), on_delete=models.PROTECT, related_name="approvals"
    )
    kind = models.ForeignKey(RequestKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    urgent = models.BooleanField(_("urgent"), default=False)
    planned_from = models.DateField(_("planned from"))
    planned_to = models.DateField(_("planned to"), null=True, blank=True)
    diagnosis = models.ForeignKey(
        "referentials.Icd10Code", verbose_name=_("diagnosis (ICD-10)"), on_delete=models.PROTECT
    )
    planned_acts = models.TextField(_("planned acts"))
    quote = models.DecimalField(_("quote (MAD)"), max_digits=12, decimal_places=2)
    office = models.ForeignKey(
        "organisations.CnopsOffice",
        verbose_name=_("office that decides"),
        on_delete=models.PROTECT,
        related_name="approval_requests",
    )
    status = models.CharField(_("status"), max_length=24, choices=ApprovalStatus.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    due_at = models.DateTimeField(_("to decide by"))
    waiting_since = models.DateTimeField(_("waiting for information since"), null=True, blank=True)
    # True exactly while the provider is asked (the clock stopped): the queue puts these last
    waiting = models.BooleanField(_("waiting for information"), default=False)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approvals_held",
    )
    question = models.TextField(_("information requested"), blank=True)
    question_withdrawn = models.BooleanField(_("question withdrawn"), default=False)
    answer = models.TextField(_("provider's answer"), blank=True)
    # The decision
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approvals_decided",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approvals_confirmed",
    )
    ceiling = models.DecimalField(_("ceiling (MAD)"), max_digits=12, decimal_places=2, null=True, blank=True)
    sessions = models.PositiveIntegerField(_("number of sessions"), null=True, blank=True)
    sessions_used = models.PositiveIntegerField(_("sessions used"), default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    partial = models.BooleanField(_("partial"), default=False)
    refusal_reason = models.ForeignKey(
        RefusalReason, verbose_name=_("refusal reason"), null=True, blank=True, on_delete=models.PROTECT
    )
    comment = models.TextField(_("comment"), blank=True)
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("decision document"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approvals_created",
    )

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-submitted_at"]
        indexes = [
            # the controller's queue: an office's open requests, the running clocks first by
            # deadline, then those waiting for an answer (selectors.queue_for_offices' order)
            models.Index(
                F("office"),
                F("waiting"),
                F("due_at"),
                F("id"),
                name="approval_queue",
                condition=Q(status__in=list(rules.OPEN)),
            ),
            # the provider's list, newest first
            models.Index(F("provider"), F("submitted_at").desc(), F("id").desc(), name="approval_provider_list"),
            # the figures: an office's month
            models.Index(fields=["office", "submitted_at"], name="approval_office_month"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return rules.is_overdue(self.status, self.due_at, clock.now())


def _attachment_path(instance: Any, filename: str) -> str:
    # never the provider's file name, never a guessable number: a random name, served only
    # through the access-checked view
    return f"approvals/{uuid.uuid4().hex}"


class Attachment(models.Model):
    request = models.ForeignKey(
        ApprovalRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    with_answer = models.BooleanField(_("sent with an answer"), default=False)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
