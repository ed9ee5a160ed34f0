"""Contributions (DOMAIN.md §5): dues, payment references, declared transfers, bank statements,
reconciliation and receipts. Whether a due is paid is read through its transfer, not copied."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContributionStatus(models.TextChoices):
    """What the student, the legal entity and the eligibility step read about one due."""

    EXEMPT = "exempt", _("exempt (paid by the State)")
    PAID = "paid", _("paid")
    DECLARED = "declared", _("transfer declared, not yet received")
    AWAITED = "awaited", _("awaited")
    OVERDUE = "overdue", _("overdue")
    NOT_COMPUTED = "not_computed", _("not computed yet")


class DueKind(models.TextChoices):
    DUE = "due", _("Contribution due")
    EXEMPT = "exempt", _("Exempt (paid by the State)")


class Due(models.Model):
    """What one registration owes for its academic year, computed from the dated rules."""

    request = models.OneToOneField(
        "enrollment.RegistrationRequest",
        verbose_name=_("registration request"),
        on_delete=models.CASCADE,
        related_name="due",
    )
    legal_entity = models.ForeignKey(
        "organisations.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="dues",
        db_index=False,
    )
    academic_year = models.ForeignKey(
        "referentials.AcademicYear",
        verbose_name=_("academic year"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=8, choices=DueKind.choices)
    amount = models.DecimalField(_("amount (MAD)"), max_digits=10, decimal_places=2)
    periods = models.PositiveSmallIntegerField(_("periods"), default=0)
    exemption = models.CharField(_("exemption"), max_length=32, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    reminded_before_at = models.DateTimeField(_("reminder before the deadline"), null=True, blank=True)
    reminded_after_at = models.DateTimeField(_("reminder after the deadline"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("due")
        verbose_name_plural = _("dues")
        indexes = [models.Index(fields=["legal_entity", "academic_year", "kind"])]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.amount}"


class PaymentReference(models.Model):
    """The structured reference a legal entity writes in its transfer label, per academic year."""

    legal_entity = models.ForeignKey(
        "organisations.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="payment_references",
    )
    academic_year = models.ForeignKey(
        "referentials.AcademicYear", verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("payment reference"), max_length=24, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment reference")
        verbose_name_plural = _("payment references")
        constraints = [
            models.UniqueConstraint(fields=["legal_entity", "academic_year"], name="one_reference_per_entity_and_year")
        ]

    def __str__(self) -> str:
        return self.reference


class TransferStatus(models.TextChoices):
    DECLARED = "declared", _("Declared, not yet received")
    RECEIVED = "received", _("Received")
    UNDERPAID = "underpaid", _("Received, amount too low")
    OVERPAID = "overpaid", _("Received, amount too high")


class Transfer(models.Model):
    """A bank transfer declared by the legal entity, with the students it pays for."""

    legal_entity = models.ForeignKey(
        "organisations.LegalEntity", verbose_name=_("legal entity"), on_delete=models.PROTECT, related_name="transfers"
    )
    payment_reference = models.ForeignKey(
        PaymentReference, verbose_name=_("payment reference"), on_delete=models.PROTECT, related_name="transfers"
    )
    bank_reference = models.CharField(_("bank transfer reference"), max_length=40)
    amount = models.DecimalField(_("amount (MAD)"), max_digits=12, decimal_places=2)
    transferred_on = models.DateField(_("transfer date"))
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.DECLARED
    )
    received_amount = models.DecimalField(_("amount received"), max_digits=12, decimal_places=2, null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("declared by"), on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["legal_entity", "bank_reference"], name="transfer_declared_once")
        ]
        indexes = [models.Index(fields=["payment_reference", "status"])]

    def __str__(self) -> str:
        return f"{self.bank_reference} ({self.amount})"


class TransferLine(models.Model):
    """One student's due paid by a transfer; a due is in one transfer at most."""

    transfer = models.ForeignKey(Transfer, verbose_name=_("transfer"), on_delete=models.CASCADE, related_name="lines")
    due = models.OneToOneField(Due, verbose_name=_("due"), on_delete=models.PROTECT, related_name="line")

    class Meta:
        verbose_name = _("transfer line")
        verbose_name_plural = _("transfer lines")

    def __str__(self) -> str:
        return f"{self.transfer_id}/{self.due_id}"


class Statement(models.Model):
    """A bank statement of CNOPS's account, imported whole or not at all."""

    filename = models.CharField(_("file name"), max_length=250)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    layout = models.CharField(_("layout"), max_length=16)
    account = models.CharField(_("account"), max_length=34, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"))
    credits = models.PositiveIntegerField(_("credits"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    to_review = models.PositiveIntegerField(_("to review"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.filename


class Outcome(models.TextChoices):
    EXACT = "exact", _("Matched exactly")
    UNDERPAID = "underpaid", _("Under-paid")
    OVERPAID = "overpaid", _("Over-paid")
    UNKNOWN_REFERENCE = "unknown_reference", _("Unknown or invalid reference")
    NOT_DECLARED = "not_declared", _("No declared transfer for this reference")
    DUPLICATE = "duplicate", _("Duplicate credit (already imported)")
    MANUAL = "manual", _("Matched by hand")
    DISMISSED = "dismissed", _("Set aside by hand")


class Credit(models.Model):
    """One credit line of a statement and what reconciliation made of it."""

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="credit_lines"
    )
    key = models.CharField(_("credit key"), max_length=64, unique=True)
    booked_on = models.DateField(_("booking date"))
    amount = models.DecimalField(_("amount (MAD)"), max_digits=12, decimal_places=2)
    bank_reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    label = models.CharField(_("label"), max_length=250, blank=True)
    payment_reference = models.CharField(_("payment reference found"), max_length=24, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("transfer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credits",
        db_index=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        indexes = [
            models.Index(
                fields=["outcome"],
                condition=models.Q(outcome__in=["underpaid", "unknown_reference", "not_declared"]),
                name="credit_to_review_idx",
            ),
            models.Index(fields=["transfer"], condition=models.Q(transfer__isnull=False), name="credit_transfer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount} {self.label}"


class Receipt(models.Model):
    """A numbered receipt for a reconciled payment; its PDF is rendered by the worker."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    transfer = models.OneToOneField(
        Transfer, verbose_name=_("transfer"), on_delete=models.PROTECT, related_name="receipt"
    )
    legal_entity = models.ForeignKey(
        "organisations.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="receipts",
        db_index=False,
    )
    amount = models.DecimalField(_("amount (MAD)"), max_digits=12, decimal_places=2)
    issued_at = models.DateTimeField(_("issued at"))
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("PDF"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["legal_entity", "-issued_at"])]

    def __str__(self) -> str:
        return self.number
