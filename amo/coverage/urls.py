from django.urls import path

from amo.coverage import views

app_name = "coverage"

urlpatterns = [
    path("lookup/", views.lookup, name="lookup"),
    path("lookup/log/", views.lookup_log, name="lookup_log"),
    path("students/<int:pk>/", views.student_file, name="student_file"),
    path("publications/", views.publication_list, name="publications"),
    path("publications/<int:pk>/", views.publication_detail, name="publication"),
    path("publications/<int:pk>.csv", views.publication_csv, name="publication_csv"),
    path("publications/<int:pk>.pdf", views.publication_pdf, name="publication_pdf"),
    path("rights/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate"),
    path("rights/<int:pk>/report-coverage/", views.report_coverage, name="report_coverage"),
    path("rights/<int:pk>/studies-stopped/", views.studies_stopped, name="studies_stopped"),
    path("rights/<int:pk>/proof/", views.proof_received, name="proof"),
    path("letters/", views.letters, name="letters"),
    path("letters/<int:pk>.pdf", views.letters_pdf, name="letters_pdf"),
    path("outbox/", views.outbox, name="outbox"),
    path("handover/", views.handover, name="handover"),
    path("handover/<int:pk>/", views.handover_file, name="handover_file"),
]
