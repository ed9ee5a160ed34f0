from django.urls import path

from amo.enrollment import views

app_name = "enrollment"

urlpatterns = [
    path("", views.entries, name="entries"),
    path("entry/<slug:channel>/", views.register, name="register"),
    path("claim/", views.claim, name="claim"),
    path("claim/<str:token>/", views.claim_confirm, name="claim_confirm"),
    path("my/", views.my_requests, name="my_requests"),
    path("my/<int:pk>/correct/", views.my_request_correct, name="my_request_correct"),
    path("my/rib/", views.my_rib, name="my_rib"),
    path("my/rib/<str:token>/", views.rib_confirm, name="rib_confirm"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:pk>/duplicates/<int:duplicate>/", views.duplicate_decide, name="duplicate_decide"),
    path("requests/<int:pk>/form.pdf", views.request_form_pdf, name="request_form_pdf"),
    path("institution/", views.institution_queue, name="institution_queue"),
    path("institution/bulk/", views.institution_bulk, name="institution_bulk"),
    path("institution/link-account/", views.institution_claim, name="institution_claim"),
    path("aggregator/", views.aggregator_space, name="aggregator"),
    path("aggregator/close/", views.aggregator_close, name="aggregator_close"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("lists/<int:pk>/send/", views.list_send, name="list_send"),
    path("lists/<int:pk>/export.<str:fmt>", views.list_export, name="list_export"),
    path("legal-entity/", views.legal_entity_space, name="legal_entity"),
    path("legal-entity/to-certify.csv", views.legal_entity_export, name="legal_entity_export"),
    path("cnops/", views.cnops_space, name="cnops"),
]
