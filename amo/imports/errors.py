from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import register_codes


@register_codes
class ImportProblem(models.TextChoices):
    # file-level: nothing is applied
    EMPTY_FILE = "empty_file", _("The file is empty.")
    NO_ROWS = "no_rows", _("The file has its header but no rows of students.")
    UNREADABLE = (
        "unreadable_file",
        _(
            "The file cannot be read: send a CSV (UTF-8, UTF-16, Windows-1256 or Latin-1) or an XLSX file, "
            "as a spreadsheet saves it."
        ),
    )
    MISSING_COLUMNS = "missing_columns", _("Required columns are missing: %(columns)s.")
    TOO_LARGE = "file_too_large", _("The file is larger than the allowed size.")
    INTERRUPTED = (
        "import_interrupted",
        _("The file could not be applied because of an error on the platform; upload it again."),
    )
    # row-level: the row is reported and skipped, the others are kept
    REQUIRED = "required", _("Required value missing")
    DATE_FORMAT = "date_format", _("Date not understood (use YYYY-MM-DD, DD/MM/YYYY or an Excel date)")
    SEX_FORMAT = "sex_format", _("Sex must be F or M")
    BOOL_FORMAT = "bool_format", _("Answer with yes/no (oui/non, 1/0)")
    ID_TYPE = "id_type_unknown", _("Unknown identity document type (cin, residence_card, passport)")
    NATIONALITY_FOREIGN = (
        "nationality_required_foreign",
        _("Nationality required for a student identified by a passport or a residence card (a CIN means Moroccan)"),
    )
    DUPLICATE_IN_FILE = "duplicate_in_file", _("This student already appears on an earlier line of the file")
    INSTITUTION_UNKNOWN = "institution_unknown", _("Unknown institution code")
    INSTITUTION_OUTSIDE = "institution_outside_perimeter", _("This institution is outside your perimeter")
    OTHER_INSTITUTION = "registered_elsewhere", _("Already registered this academic year at another institution")
    OTHER_COVERAGE = (
        "other_coverage_in_list",
        _("The student declared another basic health coverage: not eligible this academic year"),
    )
    EMAIL_FORMAT = "email_format", _("Enter a valid e-mail address.")
