from django.urls import path

from amo.referentials import views

app_name = "referentials"

urlpatterns = [
    path("parameters/", views.parameter_list, name="parameter_list"),
    path("parameters/<str:key>/", views.parameter_history, name="parameter_history"),
    path("care/", views.care_tariffs, name="care_tariffs"),
    path("drugs/", views.drug_list_page, name="drug_lists"),
    path("drugs/<int:pk>/", views.drug_list_detail, name="drug_list_detail"),
]
