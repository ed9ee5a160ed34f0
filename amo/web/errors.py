"""The server-error page: the site's layout, translated, with the call centre's number.

Django renders 500.html without the request, so without the layout's context (the visitor, the
call-centre number); this handler renders it with the request, and falls back to Django's plain
rendering when that fails too (the database may be what broke). API clients get the API's
error shape instead of a page."""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = _("The platform could not answer this request. Try again in a few minutes.")
        return JsonResponse({"code": "server_error", "message": message, "fields": {}}, status=500)
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the error page itself must never fail
        logger.exception("The 500 page could not be rendered with its context")
        return defaults.server_error(request)
