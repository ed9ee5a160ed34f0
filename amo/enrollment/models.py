"""Registration (DOMAIN.md §4): students, their yearly requests, aggregation lists, certification."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Trim, Upper
from django.utils.translation import gettext_lazy as _


class IdType(models.TextChoices):
    CIN = "cin", _("National identity card (CIN)")
    RESIDENCE_CARD = "residence_card", _("Residence card (foreign student)")
    PASSPORT = "passport", _("Passport (foreign student)")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Student(models.Model):
    """A person, once: identified by their identity document; their requests are yearly."""

    # One student per account at most (constraint below). Not a OneToOneField: its unique index
    # would hold an entry for each of the million students a list brings without an account.
    # No database trigger either (decision 0008): it fired for each of them, even with no
    # account; Django sets the link to NULL when an account is deleted, integrity_check watches.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # the partial unique index below serves it
        db_constraint=False,
        related_name="students",
    )
    id_type = models.CharField(_("identity document"), max_length=16, choices=IdType.choices)
    id_number = models.CharField(_("document number"), max_length=20)
    massar = models.CharField(_("CNE / Massar code"), max_length=10, blank=True)
    last_name = models.CharField(_("last name"), max_length=80)
    first_name = models.CharField(_("first name"), max_length=80)
    last_name_ar = models.CharField(_("last name (Arabic)"), max_length=80, blank=True)
    first_name_ar = models.CharField(_("first name (Arabic)"), max_length=80, blank=True)
    birth_date = models.DateField(_("birth date"))
    birth_place = models.CharField(_("birth place"), max_length=80, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    nationality = models.CharField(_("nationality"), max_length=60, default="Marocaine")
    address = models.CharField(_("address"), max_length=250, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    rib = models.CharField(_("RIB for reimbursements"), max_length=24, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number"], name="student_identity_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(user__isnull=False), name="one_student_per_account"
            ),
        ]
        # Searched by exact code only: no second "LIKE" index, which each new student would pay for.
        indexes = [
            models.Index(fields=["massar"], name="student_massar_idx"),
            # Probable duplicates (the same person under a CIN and a passport): same names, case
            # and surrounding spaces aside, and same birth date (services.duplicates_flag).
            models.Index(
                Upper(Trim("last_name")), Upper(Trim("first_name")), "birth_date", name="student_same_person_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name} ({self.id_number})"


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TO_CORRECT = "to_correct", _("To correct")
    VALIDATED = "validated", _("Validated by the institution")
    REJECTED = "rejected", _("Rejected")
    IN_LIST = "in_list", _("In an aggregation list")
    SENT_TO_CNOPS = "sent_to_cnops", _("Sent to CNOPS")
    PENDING_ANAM = "pending_anam", _("Being checked by ANAM (no other coverage)")
    REFUSED_ANAM = "refused_anam", _("Refused after the ANAM check")
    INSURED = "insured", _("Rights open")
    SUSPENDED = "suspended", _("Rights suspended: contribution not received")
    CLOSURE_NOTICE = "closure_notice", _("Notice before closing the rights")
    CLOSED = "closed", _("Rights closed")
    EXPIRED = "expired", _("Rights expired (end of the period)")


class RegistrationSource(models.TextChoices):
    PORTAL = "portal", _("Student portal")
    UPLOAD = "upload", _("List uploaded by the institution")


class RejectReason(models.TextChoices):
    NOT_ENROLLED = "not_enrolled", _("Not enrolled in the institution")
    WRONG_DATA = "wrong_data", _("Declared data do not match the institution's records")
    INCOMPLETE_FILE = "incomplete_file", _("Registration file incomplete (signed form missing)")
    OTHER_COVERAGE = "other_coverage", _("The student has another health coverage")
    DUPLICATE = "duplicate", _("Duplicate: the same student already has a request this year")
    OTHER = "other", _("Other reason (see comment)")


class ConsentText(models.Model):
    """The text of the consent to personal data processing (law 09-08), versioned."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text_fr = models.TextField(_("text (French)"))
    text_ar = models.TextField(_("text (Arabic)"))
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.version


class AggregationStatus(models.TextChoices):
    CLOSED = "closed", _("Closed")
    SENT = "sent", _("Sent to CNOPS")


class AggregationList(models.Model):
    """A dated, numbered, frozen list of validated requests of one aggregator's channel."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    aggregator = models.ForeignKey(
        "organisations.Aggregator",
        verbose_name=_("aggregator"),
        on_delete=models.PROTECT,
        related_name="aggregation_lists",
    )
    academic_year = models.ForeignKey(
        "referentials.AcademicYear",
        verbose_name=_("academic year"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AggregationStatus.choices,
        default=AggregationStatus.CLOSED,
    )
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("students"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("aggregation list")
        verbose_name_plural = _("aggregation lists")
        ordering = ["-closed_at"]

    def __str__(self) -> str:
        return self.number


class Certification(models.Model):
    """A legal entity's electronic signature of its list of eligible students for a year."""

    legal_entity = models.ForeignKey(
        "organisations.LegalEntity",
        verbose_name=_("legal entity"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    academic_year = models.ForeignKey(
        "referentials.AcademicYear",
        verbose_name=_("academic year"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("certified by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    certified_at = models.DateTimeField(_("certified at"))
    row_count = models.PositiveIntegerField(_("students"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    payment_references = models.TextField(_("payment references"), blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-certified_at"]

    def __str__(self) -> str:
        return f"{self.legal_entity} {self.academic_year} {self.certified_at:%Y-%m-%d}"


class RegistrationRequest(models.Model):
    """A student's request for one academic year, at one institution (one per student and year)."""

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,  # enforced by Django, and checked daily by integrity_check
        db_index=False,  # the unique (student, academic_year) constraint serves it
        db_constraint=False,  # a database trigger per row doubles a national import (decision 0008)
        related_name="requests",
    )
    academic_year = models.ForeignKey(
        "referentials.AcademicYear",
        verbose_name=_("academic year"),
        on_delete=models.PROTECT,
        db_index=False,
        # Referential rows, never deleted: no database-level check, which costs each of the
        # million rows of a national list a lookup (decision 0008); the services check them.
        db_constraint=False,
        related_name="+",
    )
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        db_index=False,  # served by the (institution, status, submitted_at) index
        db_constraint=False,  # as academic_year (decision 0008)
        related_name="registration_requests",
    )
    aggregator = models.ForeignKey(
        "organisations.Aggregator",
        verbose_name=_("aggregator"),
        on_delete=models.PROTECT,
        db_index=False,  # derived from the institution; served by the aggregator index
        db_constraint=False,
        related_name="registration_requests",
    )
    track = models.CharField(_("track"), max_length=120, blank=True)
    fee_paying = models.BooleanField(_("fee-paying track"), default=False)
    registered_on = models.DateField(_("registration date at the institution"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.SUBMITTED,
    )
    source = models.CharField(
        _("source"),
        max_length=8,
        choices=RegistrationSource.choices,
        default=RegistrationSource.PORTAL,
    )
    no_other_coverage = models.BooleanField(_("declares no other basic coverage"))
    consent = models.ForeignKey(
        ConsentText,
        verbose_name=_("consent text"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,  # referential text, never deleted (decision 0008)
        related_name="+",
    )
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("electronically acknowledged at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=32, choices=RejectReason.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    aggregation_list = models.ForeignKey(
        AggregationList,
        verbose_name=_("aggregation list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # partial index below: most requests are in no list yet
        db_constraint=False,  # frozen lists are never deleted (decision 0008)
        related_name="requests",
    )
    signed_form = models.ForeignKey(
        "documents.Document",
        verbose_name=_("signed form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        db_constraint=False,  # decision 0008
        related_name="+",
    )
    import_job = models.ForeignKey(
        "imports.ImportJob",
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # read once per import by its background tasks
        db_constraint=False,
        related_name="+",
    )
    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        db_constraint=False,  # certifications are never deleted (decision 0008)
        related_name="requests",
    )

    class Meta:
        verbose_name = _("registration request")
        verbose_name_plural = _("registration requests")
        constraints = [
            models.UniqueConstraint(fields=["student", "academic_year"], name="one_request_per_student_and_year")
        ]
        indexes = [
            models.Index(fields=["institution", "status", "-submitted_at"]),
            models.Index(fields=["aggregator", "academic_year", "status"]),
            models.Index(
                fields=["aggregation_list"],
                condition=models.Q(aggregation_list__isnull=False),
                name="request_in_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.academic_year_id}"

    def timeline(self) -> list[Any]:
        """The steps the student sees. A request uploaded in a list is born validated: that first
        step is the request itself, not a stored event (a national list writes none). The legal
        entity's certification of its list is a step too, though not a change of status."""
        events: list[Any] = list(self.events.all())
        if self.source == RegistrationSource.UPLOAD:
            events.insert(0, RegistrationEvent(request=self, status=RegistrationStatus.VALIDATED, at=self.submitted_at))
        if self.certification_id is not None and self.certification is not None:
            events.append(CertifiedStep(at=self.certification.certified_at))
            events.sort(key=lambda step: step.at)  # stable: steps of the same moment keep their order
        return events


@dataclass(frozen=True)
class CertifiedStep:
    """The certification, shown in the timeline like a step (see RegistrationRequest.timeline)."""

    at: Any
    status: str = "certified"
    reason: str = ""
    comment: str = ""

    def get_status_display(self) -> str:
        return str(_("Certified by the legal entity"))


class DuplicateDecision(models.TextChoices):
    PENDING = "pending", _("To decide by the institution")
    DISTINCT = "distinct", _("Not the same person: both requests kept")
    DUPLICATE = "duplicate", _("The same person: the later request rejected as a duplicate")


class ProbableDuplicate(models.Model):
    """Two requests of one academic year whose students have the same names and birth date under
    different identity documents (a CIN and a passport, say): never merged, flagged for the
    institution of the later request to decide."""

    request = models.ForeignKey(
        "RegistrationRequest",
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="probable_duplicates",
    )
    other = models.ForeignKey(
        "RegistrationRequest", verbose_name=_("earlier request"), on_delete=models.CASCADE, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=DuplicateDecision.choices, default=DuplicateDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("probable duplicate")
        verbose_name_plural = _("probable duplicates")
        constraints = [models.UniqueConstraint(fields=["request", "other"], name="probable_duplicate_unique")]

    def __str__(self) -> str:
        return f"{self.request_id} ~ {self.other_id}"


class RegistrationEvent(models.Model):
    """One step of a request's timeline, as the student sees it."""

    request = models.ForeignKey(
        RegistrationRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.status}"


class RibChange(models.Model):
    """A new RIB a student asked for: applied only when they open the link e-mailed to their
    account's address (`confirmed_at`); a newer request, or three days, makes the link worthless."""

    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+")
    rib = models.CharField(_("new RIB"), max_length=24)
    sent_to = models.EmailField(_("link sent to"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("RIB change")
        verbose_name_plural = _("RIB changes")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.student_id} {self.requested_at:%Y-%m-%d}"
