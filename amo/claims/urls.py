from django.urls import path

from amo.claims import views

app_name = "claims"

urlpatterns = [
    path("", views.my_files, name="my_files"),
    path("files/<int:pk>/", views.file_detail, name="file_detail"),
    path("files/<int:pk>/cover.pdf", views.cover_sheet, name="cover_sheet"),
    path("files/<int:pk>/receipt.pdf", views.deposit_receipt, name="deposit_receipt"),
    path("files/<int:pk>/statement.pdf", views.statement, name="statement"),
    path("files/<int:pk>/deposit/", views.file_deposit, name="file_deposit"),
    path("files/<int:pk>/lines/", views.line_add, name="line_add"),
    path("files/<int:pk>/liquidate/", views.file_liquidate, name="file_liquidate"),
    path("files/<int:pk>/confirm/", views.file_confirm, name="file_confirm"),
    path("deposit/", views.deposit_point_page, name="deposit"),
    path("deposit/new/", views.deposit_new, name="deposit_new"),
    path("deposit/slip/", views.slip_create, name="slip_create"),
    path("slips/<int:pk>/", views.slip_detail, name="slip_detail"),
    path("slips/<int:pk>/pdf", views.slip_pdf, name="slip_pdf"),
    path("slips/<int:pk>/send/", views.slip_send, name="slip_send"),
    path("slips/<int:pk>/receive/", views.slip_receive, name="slip_receive"),
    path("cnops/", views.cnops_page, name="cnops"),
    path("runs/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("lookup/", views.lookup, name="lookup"),
]
