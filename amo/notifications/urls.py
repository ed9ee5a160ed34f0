from django.urls import path

from amo.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.mailbox, name="mailbox"),
    path("<int:pk>/", views.mailbox_message, name="mailbox_message"),
    path("<int:pk>/files/<int:file_pk>/", views.mailbox_attachment, name="mailbox_attachment"),
]
