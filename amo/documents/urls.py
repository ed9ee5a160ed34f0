from django.urls import path

from amo.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.verify, name="verify"),
    path("<str:code>/", views.verify_code, name="verify_code"),
]
