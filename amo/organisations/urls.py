from django.urls import path

from amo.organisations import views

app_name = "organisations"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("legal-entities/", views.legal_entity_list, name="legal_entity_list"),
    path("legal-entities/<int:pk>/", views.legal_entity_detail, name="legal_entity_detail"),
    path(
        "legal-entities/<int:entity_pk>/affiliation/new/",
        views.affiliation_new,
        name="affiliation_new",
    ),
    path("affiliations/", views.affiliation_list, name="affiliation_list"),
    path("affiliations/<int:pk>/", views.affiliation_detail, name="affiliation_detail"),
    path("affiliations/<int:pk>/approve/", views.affiliation_approve, name="affiliation_approve"),
    path("affiliations/<int:pk>/reject/", views.affiliation_reject, name="affiliation_reject"),
    path(
        "affiliations/<int:pk>/certificate.pdf",
        views.affiliation_certificate,
        name="affiliation_certificate",
    ),
    path("providers/", views.provider_list, name="provider_list"),
    path("deposit-points/", views.deposit_point_list, name="deposit_point_list"),
]
