from django.urls import path

from amo.contributions import views

app_name = "contributions"

urlpatterns = [
    path("", views.entity_space, name="entity"),
    path("receipts/<int:pk>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("cnops/", views.cnops_space, name="cnops"),
    path("cnops/demo-statement.csv", views.demo_statement, name="demo_statement"),
    path("credits/<int:pk>/match/", views.credit_match, name="credit_match"),
    path("credits/<int:pk>/dismiss/", views.credit_dismiss, name="credit_dismiss"),
]
