"""The REST API: one NinjaAPI mounting each app's router; errors as stable codes.

Every error answers `{code, message, fields}` (ErrorOut) in the caller's language, and every
status an operation can answer is declared in the OpenAPI schema: `declare_error_responses`
adds the ones that follow from the operation's shape (authentication, parameters, body) to
those each router declares."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from ninja import NinjaAPI, Router
from ninja.constants import NOT_SET
from ninja.errors import AuthenticationError, HttpError, ValidationError

from amo.accounts.api import router as accounts_router
from amo.api.auth import AUTH
from amo.api.docs import docs_access
from amo.api.errors import ApiError, field_message
from amo.approvals.api import router as approvals_router
from amo.claims.api import router as claims_router
from amo.common.apitypes import ErrorOut
from amo.common.errors import DomainError, ErrorCode, label_for
from amo.common.errorstatus import http_status
from amo.contributions.api import router as contributions_router
from amo.coverage.api import router as coverage_router
from amo.documents.api import router as documents_router
from amo.eligibility.api import router as eligibility_router
from amo.enrollment.api import router as enrollment_router
from amo.imports.api import router as imports_router
from amo.organisations.api import router as organisations_router
from amo.referentials.api import router as referentials_router

api = NinjaAPI(
    title="AMO Etudiants API",
    version="1",
    description=(
        "API of the students' mandatory health insurance platform. Authenticate with the "
        "browser session or with `Authorization: Bearer <token>` (tokens: /accounts/tokens/). "
        "Errors are `{code, message, fields}`: read the code, show the message (in the language "
        "of `Accept-Language`, French or Arabic); `fields` gives the messages of each invalid field."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_decorator=docs_access,  # behind a login in production (amo/api/docs.py)
)

ROUTERS = [
    ("/accounts", accounts_router),
    ("/organisations", organisations_router),
    ("/referentials", referentials_router),
    ("/documents", documents_router),
    ("/registration", enrollment_router),
    ("/registration", imports_router),  # the lists' uploads: /registration/imports
    ("/contributions", contributions_router),
    ("/eligibility", eligibility_router),
    ("/coverage", coverage_router),
    ("/approvals", approvals_router),
    ("/claims", claims_router),
]


def declare_error_responses(router: Router) -> None:
    """Declare, on each operation of the router, the errors its shape allows: 401 and 403 when
    it needs a login, 422 when it takes parameters, 400 when it reads a body (JSON that cannot
    be read, a multipart without boundary, a form body to an operation that takes JSON, a refused
    operation), 404 when its path names an
    object. A status the router declared itself keeps its own schema."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            sources = {getattr(model, "__ninja_param_source__", None) for model in operation.models}
            statuses = set()
            if operation.auth_param is NOT_SET or operation.auth_param:
                statuses |= {401, 403}
            if sources:
                statuses.add(422)
            if sources & {"body", "form", "file"}:
                statuses.add(400)
            if "path" in sources:
                statuses.add(404)
            for status in statuses - set(operation.response_models):
                operation.response_models[status] = operation._create_response_model(ErrorOut)


for prefix, router in ROUTERS:
    declare_error_responses(router)
    api.add_router(prefix, router)


def _error(request: HttpRequest, code: str, status: int, fields: dict[str, list[str]] | None = None) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": str(label_for(code)), "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    fields = {name: [exc.message_of(c) for c in codes if c] for name, codes in exc.fields.items()}
    return api.create_response(
        request,
        {"code": exc.code, "message": exc.message, "fields": fields},
        status=http_status(exc),
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query", "path")]
        fields.setdefault(".".join(loc) or "body", []).append(field_message(error))
    return _error(request, ErrorCode.INVALID_INPUT, 422, fields)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, ApiError.UNAUTHENTICATED, 401)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """get_object_or_404 and the like: the same coded answer as a perimeter's NotFound, without
    naming the model or the value that was looked for."""
    return _error(request, ErrorCode.NOT_FOUND, 404)


@api.exception_handler(MultiPartParserError)
def unreadable_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _error(request, ApiError.INVALID_MULTIPART, 400)


@api.exception_handler(RawPostDataException)
def form_body_to_a_json_operation(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    """A session login's CSRF check reads a form body (multipart or urlencoded) to look for the
    token; the stream is then consumed and the JSON body cannot be read: the operation takes JSON."""
    return _error(request, ApiError.JSON_BODY_REQUIRED, 400)


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, ErrorCode.INVALID_BODY, 400)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {
        400: ErrorCode.INVALID_BODY,
        403: ErrorCode.FORBIDDEN,
        404: ErrorCode.NOT_FOUND,
        405: ApiError.METHOD_NOT_ALLOWED,
        429: ApiError.TOO_MANY_REQUESTS,
    }.get(exc.status_code)
    if code is None:
        return api.create_response(
            request, {"code": "http_error", "message": str(exc), "fields": {}}, status=exc.status_code
        )
    return _error(request, code, exc.status_code)
