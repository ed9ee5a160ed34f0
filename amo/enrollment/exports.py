"""List exports (CSV, XLSX, PDF). Every cell goes through `amo.common.csvfiles.neutralise`: a
value a spreadsheet could run as a formula (starting with =, +, -, @, tab or carriage return)
gets a leading quote, and control characters no file takes are replaced."""

import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amo.common import csvfiles
from amo.common.csvfiles import neutralise
from amo.common.text import local_name
from amo.documents.services import render_pdf
from amo.enrollment.models import AggregationList, IdType, RegistrationRequest, RegistrationStatus, Sex

PDF_MAX_ROWS = 20_000


def header() -> list[str]:
    return [
        _("Reference"),
        _("Identity document"),
        _("Document number"),
        _("CNE / Massar code"),
        _("Last name"),
        _("First name"),
        _("Last name (Arabic)"),
        _("First name (Arabic)"),
        _("Birth date"),
        _("Sex"),
        _("Institution code"),
        _("Institution"),
        _("Track"),
        _("Fee-paying"),
        _("Registration date"),
        _("Status"),
    ]


def row_values(r: RegistrationRequest) -> list[Any]:
    """A request as people read it, in the reader's language: labels rather than codes, the
    institution's name in Arabic on an Arabic export, dates as dates (real dates in XLSX)."""
    s = r.student
    return [
        f"REG-{r.pk:08d}",
        str(IdType(s.id_type).label),
        s.id_number,
        s.massar,
        s.last_name,
        s.first_name,
        s.last_name_ar,
        s.first_name_ar,
        s.birth_date,
        str(Sex(s.sex).label),
        r.institution.code,
        local_name(r.institution),
        r.track,
        _("Yes") if r.fee_paying else _("No"),
        r.registered_on,
        str(RegistrationStatus(r.status).label),
    ]


def _rows(queryset: QuerySet[RegistrationRequest]) -> Iterator[list[Any]]:
    for request in queryset.iterator(chunk_size=5000):
        yield [neutralise(v) for v in row_values(request)]


def csv_stream(queryset: QuerySet[RegistrationRequest]) -> Iterable[str]:
    """UTF-8 with BOM (Excel opens Arabic correctly), ';'-separated, streamed row by row."""
    return csvfiles.csv_stream(header(), _rows(queryset), bom=True)


def xlsx_file(queryset: QuerySet[RegistrationRequest]) -> IO[bytes]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("liste")
    sheet.append([neutralise(c) for c in header()])
    for row in _rows(queryset):
        sheet.append(row)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - returned open, closed by the response
    workbook.save(handle)
    handle.seek(0)
    return handle


def pdf_bytes(aggregation_list: AggregationList, queryset: QuerySet[RegistrationRequest]) -> bytes:
    rows = list(_rows(queryset[:PDF_MAX_ROWS]))
    return render_pdf(
        "enrollment/list_pdf.html",
        {
            "list": aggregation_list,
            "header": header(),
            "rows": rows,
            "truncated": aggregation_list.row_count > PDF_MAX_ROWS,
            "max_rows": PDF_MAX_ROWS,
        },
    )
