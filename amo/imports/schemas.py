from django.urls import reverse
from ninja import Schema

from amo.common.errors import label_for
from amo.imports.models import ImportJob


class ImportJobOut(Schema):
    """An upload's result: `file_error` is the code of a refused file, `file_error_message` says it
    in the caller's language (naming the missing columns), `report_url` gives the refused rows."""

    id: int
    filename: str
    status: str
    file_error: str
    file_error_message: str
    missing_columns: list[str]
    ignored_columns: list[str]
    rows_total: int
    rows_created: int
    rows_unchanged: int
    rows_error: int
    report_url: str | None

    @staticmethod
    def resolve_file_error_message(obj: ImportJob) -> str:
        if not obj.file_error:
            return ""
        message = str(label_for(obj.file_error))
        return message % {"columns": obj.file_error_detail} if "%(columns)s" in message else message

    @staticmethod
    def resolve_missing_columns(obj: ImportJob) -> list[str]:
        if obj.file_error != "missing_columns":
            return []
        return [c.strip() for c in obj.file_error_detail.split(",") if c.strip()]

    @staticmethod
    def resolve_ignored_columns(obj: ImportJob) -> list[str]:
        if obj.file_error or obj.status != "done":
            return []
        return [c.strip() for c in obj.file_error_detail.split(",") if c.strip()]

    @staticmethod
    def resolve_report_url(obj: ImportJob) -> str | None:
        return reverse("api:import_job_report", kwargs={"pk": obj.pk}) if obj.error_report else None
