"""One way to hand a document (PDF, CSV, XLSX) to a page or an API client: as an attachment, with
its name; the no-store header is added for every document by `amo.common.middleware`."""

from collections.abc import Iterable
from typing import IO, Protocol, runtime_checkable

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@runtime_checkable
class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def download(
    content: IO[bytes] | bytes | str | Iterable[bytes] | Iterable[str],
    filename: str,
    content_type: str | None = PDF,
) -> HttpResponseBase:
    """An attachment: a file is streamed, rows made one at a time (a generator) are streamed,
    bytes or text made in memory are sent as they are. Without a content type, a file's is
    guessed from its name."""
    if isinstance(content, _Readable):
        return FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)
    headers = {"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename) or ""}
    if isinstance(content, bytes | str):
        return HttpResponse(content, content_type=content_type, headers=headers)
    return StreamingHttpResponse(content, content_type=content_type, headers=headers)
