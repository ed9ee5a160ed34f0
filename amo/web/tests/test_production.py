"""Production hardening: HTTPS only with HSTS, a Content-Security-Policy and a Permissions-Policy
on every page, personal documents never cached, translated error pages in the site's layout, the
API documentation behind a login, and `check --deploy` clean with the documented settings."""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path

from amo.common.middleware import SecurityHeadersMiddleware
from amo.web.tests.production import ROOT, SMTP, manage, run


def _refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# This module is also the URL configuration of the error-page tests: the platform plus two views.
urlpatterns = [
    path("test-refused/", _refused),
    path("test-broken/", _broken),
    path("api/test-broken/", _broken),
    path("", include("config.urls")),
]
handler500 = "amo.web.errors.server_error"

PRODUCTION_REQUESTS = """
import json, django
django.setup()
from django.test import Client
answers = {}
for name, secure, path in (("http", False, "/accounts/login/"), ("https", True, "/accounts/login/"),
                           ("docs", True, "/api/docs"), ("schema", True, "/api/openapi.json")):
    r = Client(HTTP_HOST="amo-etudiants.ma").get(path, secure=secure)
    answers[name] = {"status": r.status_code, "headers": dict(r.headers)}
print(json.dumps(answers))
"""


def test_check_deploy_is_clean_with_the_production_settings() -> None:
    """The probe: `check --deploy` warned about HSTS (W004) and the SSL redirect (W008)."""
    check = manage("check", "--deploy", "--fail-level", "WARNING", **SMTP)
    assert check.returncode == 0, check.stderr
    assert "no issues" in check.stdout


def test_production_answers_over_https_only_with_hsts_and_the_docs_need_a_login() -> None:
    answer = run(["-c", PRODUCTION_REQUESTS], **SMTP)
    assert answer.returncode == 0, answer.stderr
    answers = json.loads(answer.stdout.strip().splitlines()[-1])
    assert answers["http"]["status"] == 301
    assert answers["http"]["headers"]["Location"] == "https://amo-etudiants.ma/accounts/login/"
    secure = answers["https"]
    assert secure["status"] == 200
    assert secure["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in secure["headers"]["Content-Security-Policy"]
    assert "camera=()" in secure["headers"]["Permissions-Policy"]
    assert answers["docs"]["status"] == 302 and "/accounts/login/" in answers["docs"]["headers"]["Location"]
    assert answers["schema"]["status"] == 401


def test_a_local_plain_http_trial_of_the_production_settings_can_relax_them() -> None:
    relaxed = {"SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0", **SMTP}
    answer = run(["-c", PRODUCTION_REQUESTS], **relaxed)
    assert json.loads(answer.stdout.strip().splitlines()[-1])["http"]["status"] == 200, answer.stderr


def test_every_page_sends_a_content_security_policy_and_a_permissions_policy(db) -> None:
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe" not in policy
    assert "geolocation=()" in response["Permissions-Policy"]


def _page_templates() -> list[Path]:
    """Every template that ends up in a page: not e-mails, not the standalone documents that are
    rendered to PDF (a full document of its own that does not extend the site's layout)."""
    found = []
    for template in sorted((ROOT / "amo").glob("*/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        standalone = "<!doctype" in text.lower() and template.name != "base.html"
        if "/email/" not in template.as_posix() and not standalone:
            found.append(template)
    return found


def test_no_page_carries_inline_script_or_style_that_the_policy_would_block() -> None:
    """The policy allows no inline code: behaviour comes from web/app.js, looks from app.css."""
    inline = re.compile(r"<script(?![^>]*\ssrc=)|<style|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.IGNORECASE)
    templates = _page_templates()
    assert len(templates) > 50  # the guard: the glob found the platform's templates
    offending = [f"{t.relative_to(ROOT)}: {m.group(0)}" for t in templates for m in inline.finditer(t.read_text())]
    assert offending == []


@pytest.mark.django_db
def test_personal_documents_are_never_cached(world) -> None:
    from amo.enrollment.services import registration_submit
    from amo.enrollment.tests.factories import open_year, registration_input

    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    request = registration_submit(
        actor=world.users["student"], entry_channel="higher_education", data=registration_input(world.mine.institution)
    )
    signed_form = world.client("student").get(f"/registration/requests/{request.pk}/form.pdf")
    template = Client().get("/imports/format/template.csv")
    for response in (signed_form, template):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "no-store" not in Client().get("/").get("Cache-Control", "")  # pages stay as they were


def test_every_kind_of_document_is_marked_no_store_whatever_view_sends_it(tmp_path: Path) -> None:
    xlsx = tmp_path / "list.xlsx"
    xlsx.write_bytes(b"PK")
    kinds: list[Any] = [
        lambda: FileResponse(xlsx.open("rb")),
        lambda: HttpResponse(b"%PDF", content_type="application/pdf"),
        lambda: HttpResponse("a;b", content_type="text/csv; charset=utf-8"),
        lambda: HttpResponse(b"x", headers={"Content-Disposition": 'attachment; filename="x.bin"'}),
    ]
    for make in kinds:

        def view(request: HttpRequest, make: Callable[[], HttpResponse] = make) -> HttpResponse:
            return make()

        response = SecurityHeadersMiddleware(view)(RequestFactory().get("/x"))
        assert "no-store" in response["Cache-Control"], response["Content-Type"]
        assert "Content-Security-Policy" not in response  # the PDF viewer runs under no page's policy


ERROR_PAGES = {
    # path, status, French title, Arabic title
    "404": ("/no-such-page/", 404, "Page introuvable", "الصفحة غير موجودة"),
    "403": ("/test-refused/", 403, "Accès refusé", "الولوج مرفوض"),
    "500": ("/test-broken/", 500, "Problème momentané", "مشكل مؤقت"),
}


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("kind", ERROR_PAGES)
def test_error_pages_are_translated_and_in_the_site_layout(kind: str, language: str) -> None:
    url, status, title_fr, title_ar = ERROR_PAGES[kind]
    client = Client(raise_request_exception=False)
    client.cookies["amo_language"] = language
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert (title_fr if language == "fr" else title_ar) in html
    assert f'data-testid="error-{kind}"' in html and 'class="main"' in html  # the site's layout
    assert ('dir="rtl"' in html) == (language == "ar")
    assert "05 38 00 20 20" in html  # the call centre, in the footer


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_refused_form_says_it_expired_in_the_visitors_language() -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies["amo_language"] = "ar"
    response = client.post("/accounts/login/", {"username": "a@example.ma", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-testid="error-csrf"' in html and "انتهت صلاحية الاستمارة" in html and 'dir="rtl"' in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_under_the_api_answers_in_the_api_error_shape() -> None:
    response = Client(raise_request_exception=False).get("/api/test-broken/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 500 and response.json()["code"] == "server_error"


@pytest.mark.django_db
@override_settings(API_DOCS_PUBLIC=False)
def test_the_api_documentation_needs_a_login_in_production(world) -> None:
    from amo.accounts.services import api_token_create

    anonymous = Client()
    assert anonymous.get("/api/docs")["Location"] == "/accounts/login/?next=/api/docs"
    refused = anonymous.get("/api/openapi.json")
    assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"
    assert world.client("provider").get("/api/docs").status_code == 200
    _token, key = api_token_create(user=world.users["provider"], name="HIS")
    schema = Client().get("/api/openapi.json", headers={"Authorization": f"Bearer {key}"})
    assert schema.status_code == 200 and "paths" in schema.json()


@pytest.mark.django_db
@override_settings(API_DOCS_PUBLIC=True)
def test_the_api_documentation_is_open_in_debug() -> None:
    assert Client().get("/api/docs").status_code == 200
    assert Client().get("/api/openapi.json").status_code == 200
