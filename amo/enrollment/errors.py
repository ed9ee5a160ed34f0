from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import ErrorKind, declare_kinds, register_codes, register_detail


@register_codes
class EnrollmentError(models.TextChoices):
    OTHER_COVERAGE = (
        "other_coverage_declared",
        _(
            "You declared another basic health coverage: you are not eligible to the students' "
            "insurance for this academic year."
        ),
    )
    CONSENT_REQUIRED = (
        "consent_required",
        _("Your consent to the processing of your personal data is needed to register."),
    )
    ACKNOWLEDGEMENT_REQUIRED = (
        "acknowledgement_required",
        _("Confirm that the information given is accurate to sign your request."),
    )
    AGE_LIMIT = "age_limit", _("The age limit of the scheme is exceeded at the reference date.")
    INSTITUTION_NOT_AFFILIATED = (
        "institution_not_affiliated",
        _("This institution is not affiliated yet: its legal entity must first ask CNOPS."),
    )
    INSTITUTION_NOT_ELIGIBLE = (
        "institution_not_eligible",
        _("This institution is not on the list of eligible institutions."),
    )
    WRONG_CHANNEL = (
        "wrong_channel",
        _("This institution registers through another entry: use the entry of its channel."),
    )
    ALREADY_REGISTERED = (
        "already_registered",
        _("A request already exists for this student and academic year (see its number)."),
    )
    REGISTRATION_CLOSED = "registration_closed", _("Registration is closed for this academic year.")
    DATE_OUTSIDE_YEAR = (
        "registration_date_outside_year",
        _("The registration date must fall within the academic year."),
    )
    BIRTH_DATE_INVALID = "birth_date_invalid", _("The birth date is not plausible.")
    ID_FORMAT = (
        "id_number_format",
        _("A residence card or passport number has 5 to 20 letters and digits."),
    )
    REASON_REQUIRED = "reject_reason_required", _("Give a reason (and a comment for 'other').")
    COMMENT_REQUIRED = "correction_comment_required", _("Say what the student must correct.")
    NOTHING_TO_CLOSE = "nothing_to_close", _("No validated request is waiting for a list.")
    LIST_ALREADY_SENT = "list_already_sent", _("This list has already been sent to CNOPS.")
    NOTHING_TO_CERTIFY = "nothing_to_certify", _("No student of yours is in a list for this year.")
    ALREADY_CERTIFIED = (
        "already_certified",
        _(
            "Every student of your lists is already certified for this year: the next lists will be "
            "certified as they come."
        ),
    )
    PAYMENT_REFERENCE_REQUIRED = (
        "payment_reference_required",
        _("Students are due a contribution: enter the bank transfer references."),
    )
    EMAIL_NOT_VERIFIED = "email_not_verified", _("Verify your e-mail address first.")


@register_codes
class EnrollmentMoreError(models.TextChoices):
    IDENTITY_TAKEN = (
        "identity_taken",
        _("This identity document is already used by another account. Contact the call centre."),
    )
    CLAIM_REQUIRED = (
        "identity_claim_required",
        _(
            "Your institution has already registered a student with this identity document. To link this "
            "record to your account, prove that it is yours: receive a link at the e-mail address your "
            "institution declared, or ask your institution to confirm the link. Nothing was changed."
        ),
    )
    CLAIM_NO_DECLARED_EMAIL = (
        "claim_no_declared_email",
        _(
            "Your institution declared no e-mail address for this student: ask it to link the record to your "
            "account (bring your identity document and give the e-mail address of your account)."
        ),
    )
    CLAIM_NOTHING_TO_CLAIM = (
        "claim_nothing_to_claim",
        _("No student record waiting for an account has this identity document: submit your request directly."),
    )
    CLAIM_TOO_MANY = (
        "claim_too_many_links",
        _("Too many links were asked for today: try again tomorrow, or ask your institution to link the record."),
    )
    CLAIM_TOO_MANY_ATTEMPTS = (
        "claim_too_many_attempts",
        _("Too many requests were made from this account today: try again tomorrow, or ask your institution."),
    )
    CLAIM_LINK_INVALID = (
        "claim_link_invalid",
        _(
            "This link is invalid, expired, or was asked for by another account, or the record has changed "
            "since: ask for a new one."
        ),
    )
    CLAIM_STUDENT_UNKNOWN = (
        "claim_student_unknown",
        _("None of your institution's students without an account has this identity document."),
    )
    CLAIM_ACCOUNT_UNKNOWN = (
        "claim_account_unknown",
        _("No student account with a verified e-mail address has this address."),
    )
    ACCOUNT_HAS_STUDENT = (
        "account_has_student",
        _(
            "This account is already linked to a student record with another identity document. One account "
            "per student: to correct an identity document, contact the call centre."
        ),
    )
    INSTITUTION_UNKNOWN = (
        "registration_institution_unknown",
        _("This institution does not exist: choose one from the list of institutions."),
    )
    DUPLICATE_DECIDED = "duplicate_decided", _("This probable duplicate has already been decided.")
    DUPLICATE_TOO_LATE = (
        "duplicate_too_late",
        _(
            "This request is past the institution's decision (validated or further): it can no longer be "
            "rejected here. Keep both, or ask CNOPS to close the duplicate."
        ),
    )


@register_codes
class RibChangeError(models.TextChoices):
    NO_RECORD = (
        "rib_no_student_record",
        _("Your account has no student record yet: submit your registration request first (the RIB is on it)."),
    )
    UNCHANGED = "rib_unchanged", _("This is already the RIB of your file.")
    TOO_MANY = "rib_too_many_links", _("Too many RIB changes were asked for today: try again tomorrow.")
    LINK_INVALID = (
        "rib_link_invalid",
        _("This link is invalid, expired, already used, or a newer change was asked for: ask for the change again."),
    )


# The codes that are not INVALID (400): what sort of refusal each one is.
declare_kinds(
    {
        EnrollmentError.NOTHING_TO_CLOSE: ErrorKind.CONFLICT,
        EnrollmentError.LIST_ALREADY_SENT: ErrorKind.CONFLICT,
        EnrollmentError.NOTHING_TO_CERTIFY: ErrorKind.CONFLICT,
        EnrollmentError.ALREADY_CERTIFIED: ErrorKind.CONFLICT,
        EnrollmentError.EMAIL_NOT_VERIFIED: ErrorKind.FORBIDDEN,
        EnrollmentMoreError.CLAIM_REQUIRED: ErrorKind.CONFLICT,
        EnrollmentMoreError.ACCOUNT_HAS_STUDENT: ErrorKind.CONFLICT,
        EnrollmentMoreError.CLAIM_NO_DECLARED_EMAIL: ErrorKind.CONFLICT,
        EnrollmentMoreError.CLAIM_NOTHING_TO_CLAIM: ErrorKind.NOT_FOUND,
        EnrollmentMoreError.CLAIM_STUDENT_UNKNOWN: ErrorKind.NOT_FOUND,
        EnrollmentMoreError.CLAIM_ACCOUNT_UNKNOWN: ErrorKind.NOT_FOUND,
        EnrollmentMoreError.CLAIM_TOO_MANY: ErrorKind.TOO_MANY,
        EnrollmentMoreError.CLAIM_TOO_MANY_ATTEMPTS: ErrorKind.TOO_MANY,
        EnrollmentMoreError.DUPLICATE_DECIDED: ErrorKind.CONFLICT,
        EnrollmentMoreError.DUPLICATE_TOO_LATE: ErrorKind.CONFLICT,
        RibChangeError.NO_RECORD: ErrorKind.CONFLICT,
        RibChangeError.TOO_MANY: ErrorKind.TOO_MANY,
    }
)

# The age limit said with its figures, where the case is known (the form, the API, the list import).
register_detail(
    EnrollmentError.AGE_LIMIT,
    _(
        "Over %(limit)s on %(date)s, the reference date of academic year %(year)s: the scheme covers "
        "students aged %(limit)s or less on that date."
    ),
)
