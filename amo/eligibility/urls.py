from django.urls import path

from amo.eligibility import views

app_name = "eligibility"

urlpatterns = [
    path("", views.cnops_space, name="cnops"),
    path("format/", views.format_page, name="format"),
    path("send/", views.batch_send, name="send"),
    path("batches/<int:pk>/students.csv", views.exchange_csv, name="exchange_csv"),
    path("batches/<int:pk>/verdicts.csv", views.verdicts_csv, name="verdicts_csv"),
    path("batches/<int:pk>/verdicts/", views.verdicts_upload, name="verdicts_upload"),
    path("registry/", views.registry_upload, name="registry_upload"),
    path("registry/<int:pk>/errors.csv", views.registry_errors, name="registry_errors"),
    path("requests/<int:pk>/recheck/", views.recheck, name="recheck"),
]
