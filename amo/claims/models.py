"""Care files (DOMAIN.md §7): a student's paper file, deposited at the deposit point of their
channel, forwarded to CNOPS on a transmittal slip, entered line by line and liquidated against the
referentials in force on each act's date. A line keeps the values it was liquidated with."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.referentials.models import CareCategory, CareSector


class CareFileKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary care")
    DENTAL = "dental", _("Dental care")
    COSTLY_DRUGS = "costly_drugs", _("Costly drugs")
    PRIOR_APPROVAL = "prior_approval", _("Prior-approval request")
    ALD_EXEMPTION = "ald_exemption", _("Request for exemption (long-term disease)")


class CareFileStatus(models.TextChoices):
    PRE_DECLARED = "pre_declared", _("Pre-declared online")
    DEPOSITED = "deposited", _("Deposited")
    ON_SLIP = "on_slip", _("On a transmittal slip")
    RECEIVED = "received", _("Received by CNOPS")
    LIQUIDATED = "liquidated", _("Liquidated")
    CONFIRMED = "confirmed", _("Liquidation confirmed")
    PAID = "paid", _("Paid")


class CareFile(models.Model):
    number = models.CharField(_("file number"), max_length=20, unique=True)
    student = models.ForeignKey(
        "enrollment.Student", verbose_name=_("student"), on_delete=models.PROTECT, related_name="care_files"
    )
    kind = models.CharField(_("kind of file"), max_length=16, choices=CareFileKind.choices)
    first_act_on = models.DateField(_("date of the first act"))
    declared_amount = models.DecimalField(_("amount declared (MAD)"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=CareFileStatus.choices)
    deposit_point = models.ForeignKey(
        "organisations.DepositPoint",
        verbose_name=_("deposit point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_files",
    )
    pre_declared_at = models.DateTimeField(_("pre-declared at"), null=True, blank=True)
    deposited_on = models.DateField(_("deposited on"), null=True, blank=True)
    received_on = models.DateField(_("received by CNOPS on"), null=True, blank=True)
    liquidated_at = models.DateTimeField(_("liquidated at"), null=True, blank=True)
    liquidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    total_paid = models.DecimalField(_("total paid by the student (MAD)"), max_digits=12, decimal_places=2, default=0)
    total_reimbursed = models.DecimalField(_("total reimbursed (MAD)"), max_digits=12, decimal_places=2, default=0)
    needs_confirmation = models.BooleanField(_("second agent's confirmation needed"), default=False)
    statement = models.ForeignKey(
        "documents.Document",
        verbose_name=_("statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("care file")
        verbose_name_plural = _("care files")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["deposit_point", "status"]),
            models.Index(fields=["status"]),
            models.Index(fields=["student", "-first_act_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(declared_amount__gt=0), name="care_file_declared_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class LineKind(models.TextChoices):
    ACT = "act", _("Medical act (letter key × coefficient)")
    DRUG = "drug", _("Drug (code × quantity)")


class CareLine(models.Model):
    care_file = models.ForeignKey(CareFile, verbose_name=_("care file"), on_delete=models.CASCADE, related_name="lines")
    # The student, copied from the file: the duplicate check is one index lookup, file or no file.
    student_id_ref = models.BigIntegerField(_("student"), db_index=False)
    kind = models.CharField(_("kind of line"), max_length=8, choices=LineKind.choices)
    act_on = models.DateField(_("act date"))
    practitioner_inpe = models.CharField(_("practitioner's INPE"), max_length=20)
    sector = models.CharField(_("sector"), max_length=8, choices=CareSector.choices, default=CareSector.PRIVATE)
    category = models.CharField(_("care category"), max_length=32, choices=CareCategory.choices, blank=True)
    letter = models.CharField(_("letter key"), max_length=8, blank=True)
    coefficient = models.DecimalField(_("coefficient"), max_digits=8, decimal_places=2, null=True, blank=True)
    drug_code = models.CharField(_("drug code"), max_length=32, blank=True)
    quantity = models.PositiveSmallIntegerField(_("quantity"), null=True, blank=True)
    amount_paid = models.DecimalField(_("amount paid (MAD)"), max_digits=12, decimal_places=2)
    care_form_present = models.BooleanField(_("care form present"), default=True)
    prescription_present = models.BooleanField(_("prescription present"), default=True)
    # The liquidation: its result and the referential values it used (never re-read later).
    base = models.DecimalField(_("base (MAD)"), max_digits=12, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4, null=True, blank=True)
    reimbursed = models.DecimalField(_("reimbursed (MAD)"), max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    used_key_value = models.DecimalField(_("key value used"), max_digits=10, decimal_places=2, null=True, blank=True)
    used_pbr = models.DecimalField(_("drug base used"), max_digits=12, decimal_places=2, null=True, blank=True)
    used_deadline_days = models.PositiveSmallIntegerField(_("deadline used (days)"), null=True, blank=True)
    liquidated_at = models.DateTimeField(_("liquidated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("care line")
        verbose_name_plural = _("care lines")
        ordering = ["care_file", "act_on", "pk"]
        indexes = [models.Index(fields=["student_id_ref", "act_on", "practitioner_inpe"], name="claims_line_dup_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_paid__gt=0), name="care_line_paid_positive"),
            models.CheckConstraint(
                condition=models.Q(reimbursed__gte=0) | models.Q(reimbursed__isnull=True),
                name="care_line_reimbursed_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.care_file_id} {self.act_on} {self.letter or self.drug_code}"


class SlipStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    SENT = "sent", _("Sent to CNOPS")
    RECEIVED = "received", _("Received by CNOPS")


class TransmittalSlip(models.Model):
    """A deposit point's batch of files forwarded to CNOPS: numbered, counted, totalled."""

    number = models.CharField(_("slip number"), max_length=32, unique=True)
    deposit_point = models.ForeignKey(
        "organisations.DepositPoint", verbose_name=_("deposit point"), on_delete=models.PROTECT, related_name="slips"
    )
    status = models.CharField(_("status"), max_length=10, choices=SlipStatus.choices, default=SlipStatus.PREPARED)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    total_declared = models.DecimalField(_("total declared (MAD)"), max_digits=14, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_count = models.PositiveIntegerField(_("files received"), default=0)
    missing_count = models.PositiveIntegerField(_("files missing"), default=0)
    extra_count = models.PositiveIntegerField(_("extra files"), default=0)

    class Meta:
        verbose_name = _("transmittal slip")
        verbose_name_plural = _("transmittal slips")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.number


class EntryOutcome(models.TextChoices):
    LISTED = "listed", _("Listed")
    RECEIVED = "received", _("Received")
    MISSING = "missing", _("Missing")
    EXTRA = "extra", _("Extra (not on the slip)")


class SlipEntry(models.Model):
    slip = models.ForeignKey(TransmittalSlip, on_delete=models.CASCADE, related_name="entries")
    care_file = models.ForeignKey(CareFile, on_delete=models.PROTECT, related_name="slip_entries")
    outcome = models.CharField(_("outcome"), max_length=10, choices=EntryOutcome.choices, default=EntryOutcome.LISTED)

    class Meta:
        verbose_name = _("slip entry")
        verbose_name_plural = _("slip entries")
        constraints = [models.UniqueConstraint(fields=["slip", "care_file"], name="slip_entry_unique")]

    def __str__(self) -> str:
        return f"{self.slip_id}:{self.care_file_id} {self.outcome}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class LiquidationRun(models.Model):
    """A national liquidation of every received file, run by the worker, with its progress."""

    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    files_total = models.PositiveIntegerField(_("files"), default=0)
    files_done = models.PositiveIntegerField(_("files liquidated"), default=0)
    lines_done = models.PositiveIntegerField(_("lines liquidated"), default=0)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("liquidation run")
        verbose_name_plural = _("liquidation runs")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"run {self.pk} {self.status}"
