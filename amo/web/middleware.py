"""Turn a refused operation raised by a page into a translated error page, never a crash; refuse
at the door what the database cannot hold."""

import json
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from amo.common.errors import DomainError, ErrorCode, label_for
from amo.common.errorstatus import http_status


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(
                request,
                "web/error.html",
                {"code": exception.code, "message": exception.message},
                status=http_status(exception),
            )
        return None


# A NUL escaped in a JSON text ("\u0000" after an even number of backslashes).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class NulByteMiddleware:
    """PostgreSQL cannot hold a NUL byte: one in a path, a query string or a JSON body reached a
    query and answered 500. Such a request is refused at the door with the text rule's translated
    message on each field that holds one (422 with the API's field errors; a 400 page otherwise).
    Urlencoded and multipart bodies are left to the forms, whose fields refuse it themselves and
    keep the rest of the form; files may hold any byte."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = self._nul_in(request)
        if not where:
            return self.get_response(request)
        message = str(label_for(ErrorCode.TEXT_CONTROL))
        if request.path.startswith("/api/"):
            fields = {name: [message] for name in where}
            body = {
                "code": ErrorCode.INVALID_INPUT.value,
                "message": str(ErrorCode.INVALID_INPUT.label),
                "fields": fields,
            }
            return JsonResponse(body, status=422)
        return render(request, "web/error.html", {"code": ErrorCode.TEXT_CONTROL.value, "message": message}, status=400)

    @staticmethod
    def _nul_in(request: HttpRequest) -> list[str]:
        """The names of the places that hold a NUL byte (none: the request goes on)."""
        if "\x00" in request.path:
            return ["path"]
        found = [name.replace("\x00", "") for name, values in request.GET.lists() if "\x00" in name + "".join(values)]
        if request.content_type == "application/json" and _JSON_NUL.search(request.body):
            try:
                found += _nul_paths(json.loads(request.body), "") or ["body"]
            except ValueError:
                found.append("body")
        return found


def _nul_paths(value: Any, path: str) -> list[str]:
    """The dotted paths of a JSON value's strings (keys included) that hold a NUL byte."""
    if isinstance(value, str):
        return [path or "body"] if "\x00" in value else []
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _nul_paths(item, f"{path}.{i}" if path else str(i))]
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            found += [name.replace("\x00", "")] if "\x00" in str(key) else _nul_paths(item, name)
        return found
    return []
