from django.urls import path

from amo.approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.provider_list, name="provider_list"),
    path("new/", views.new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("figures/", views.figures, name="figures"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/take/", views.take, name="take"),
    path("<int:pk>/release/", views.release, name="release"),
    path("<int:pk>/agree/", views.agree, name="agree"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/ask/", views.ask, name="ask"),
    path("<int:pk>/ask/withdraw/", views.ask_withdraw, name="ask_withdraw"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/decision.pdf", views.decision_pdf, name="decision"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
]
