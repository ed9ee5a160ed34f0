"""Security headers on every answer, personal documents kept out of every cache, and a request id
on every request (its log lines and its answer's X-Request-ID header)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

from amo.common.logs import request_id, request_id_from

# Files the platform hands out: certificates, signed forms, receipts, lists, exports, reports.
DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel",
        "application/zip",
        "application/octet-stream",
    }
)


def is_document(response: HttpResponseBase) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in DOCUMENT_TYPES or "Content-Disposition" in response


def no_store(response: HttpResponseBase) -> HttpResponseBase:
    """Neither the browser nor a proxy keeps a copy (a shared computer, a cache on the way):
    `Cache-Control: no-store` with Django's other never-cache headers."""
    add_never_cache_headers(response)
    return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy (settings of the same names) on every
    page, and no-store on every document, whichever view produced it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        document = is_document(response)
        if document:
            no_store(response)
        # Not on documents (a browser's PDF viewer may not run under a page's policy), nor, in
        # debug, on Django's technical 404/500 pages, which are styled inline.
        technical = settings.DEBUG and response.status_code in (404, 500)
        if settings.CONTENT_SECURITY_POLICY and not (document or technical):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestIdMiddleware:
    """Each request gets an id: the X-Request-ID a proxy in front sent, when it is plain and short
    (amo.common.logs), otherwise a new one. Every log line written while serving it carries it,
    and the answer returns it in X-Request-ID (gunicorn's access log prints it from there)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        value = request_id_from(request.headers.get("X-Request-ID"))
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response.headers["X-Request-ID"] = value
        return response
