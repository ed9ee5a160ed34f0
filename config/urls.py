from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from amo.api.api import api

admin.site.site_header = "AMO Etudiants - CNOPS"
admin.site.site_title = "AMO Etudiants"

urlpatterns = [
    path("", include("amo.web.urls")),
    path("accounts/", include("amo.accounts.urls")),
    path("organisations/", include("amo.organisations.urls")),
    path("registration/", include("amo.enrollment.urls")),
    path("imports/", include("amo.imports.urls")),
    path("contributions/", include("amo.contributions.urls")),
    path("eligibility/", include("amo.eligibility.urls")),
    path("coverage/", include("amo.coverage.urls")),
    path("claims/", include("amo.claims.urls")),
    path("approvals/", include("amo.approvals.urls")),
    path("referentials/", include("amo.referentials.urls")),
    path("verify/", include("amo.documents.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
# Error pages (templates 400, 403, 403_csrf, 404 and 500.html in amo/web): the site's layout, translated.
handler500 = "amo.web.errors.server_error"

if settings.DEMO_MAILBOX:  # debug mode only (settings): a page anyone can read
    urlpatterns.append(path("demo/mailbox/", include("amo.notifications.urls")))
