from django.urls import path

from amo.referentials import views

app_name = "referentials"

urlpatterns = [
    path("parameters/", views.parameter_list, name="parameter_list"),
    path("parameters/<str:key>/", views.parameter_history, name="parameter_history"),
]
