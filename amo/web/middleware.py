"""Turn a refused operation raised by a page into a translated error page, never a crash."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amo.common.errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(
                request,
                "web/error.html",
                {"code": exception.code, "message": exception.message},
                status=exception.status,
            )
        return None
