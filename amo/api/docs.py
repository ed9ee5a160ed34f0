"""Who may read the API's documentation (/api/docs) and its OpenAPI schema (/api/openapi.json).

In debug both are open. In production (API_DOCS_PUBLIC off) they need a login: the browser
session (a person is sent to the login page) or an API token (a program gets a 401 in the API's
error shape), so that the map of every endpoint is not handed to strangers."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse

from amo.api.auth import TokenAuth
from amo.api.errors import ApiError


def docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.API_DOCS_PUBLIC or request.user.is_authenticated or TokenAuth()(request) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            code = ApiError.UNAUTHENTICATED
            return JsonResponse({"code": code.value, "message": str(code.label), "fields": {}}, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded
