from django.urls import path

from amo.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("format/", views.file_format, name="format"),
    path("format/template.csv", views.file_template, name="template"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/errors.csv", views.job_report, name="job_report"),
]
