"""One way to hand a document (PDF, CSV, XLSX) to a page or an API client: as an attachment, with
its name; the no-store header is added for every document by `amo.common.middleware`."""

from typing import IO

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"


def download(content: IO[bytes] | bytes, filename: str, content_type: str = PDF) -> HttpResponseBase:
    """An attachment: a file is streamed, bytes made in memory are sent as they are."""
    if isinstance(content, bytes):
        disposition = content_disposition_header(as_attachment=True, filename=filename)
        return HttpResponse(content, content_type=content_type, headers={"Content-Disposition": disposition or ""})
    return FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)
