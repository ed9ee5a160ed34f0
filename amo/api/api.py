"""The REST API: one NinjaAPI mounting each app's router; errors as stable codes."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from amo.accounts.api import router as accounts_router
from amo.api.auth import AUTH
from amo.api.docs import docs_access
from amo.common.errors import DomainError, ErrorCode
from amo.contributions.api import router as contributions_router
from amo.coverage.api import router as coverage_router
from amo.documents.api import router as documents_router
from amo.eligibility.api import router as eligibility_router
from amo.enrollment.api import router as enrollment_router
from amo.organisations.api import router as organisations_router
from amo.referentials.api import router as referentials_router

api = NinjaAPI(
    title="AMO Etudiants API",
    version="1",
    description=(
        "API of the students' mandatory health insurance platform. Authenticate with the "
        "browser session or with `Authorization: Bearer <token>` (tokens: /accounts/tokens/). "
        "Errors are `{code, message, fields}`: read the code, show the message."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_decorator=docs_access,  # behind a login in production (amo/api/docs.py)
)

api.add_router("/accounts", accounts_router)
api.add_router("/organisations", organisations_router)
api.add_router("/referentials", referentials_router)
api.add_router("/documents", documents_router)
api.add_router("/registration", enrollment_router)
api.add_router("/contributions", contributions_router)
api.add_router("/eligibility", eligibility_router)
api.add_router("/coverage", coverage_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    from amo.common.errors import label_for

    fields = {name: [str(label_for(c)) for c in codes if c] for name, codes in exc.fields.items()}
    return api.create_response(
        request,
        {"code": exc.code, "message": exc.message, "fields": fields},
        status=exc.status,
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query", "path")]
        fields.setdefault(".".join(loc) or "body", []).append(str(error.get("msg", "")))
    return api.create_response(
        request,
        {
            "code": ErrorCode.INVALID_INPUT.value,
            "message": str(ErrorCode.INVALID_INPUT.label),
            "fields": fields,
        },
        status=422,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "code": "unauthenticated",
            "message": _("Log in or give a valid API token."),
            "fields": {},
        },
        status=401,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {
        400: ErrorCode.INVALID_BODY,
        403: ErrorCode.FORBIDDEN,
        404: ErrorCode.NOT_FOUND,
    }.get(exc.status_code)
    message = str(code.label) if code else str(exc)
    return api.create_response(
        request,
        {"code": code.value if code else "http_error", "message": message, "fields": {}},
        status=exc.status_code,
    )
