from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "amo.approvals"
    label = "approvals"
    verbose_name = _("Medical control (PEC requests, prior approvals, ALD exemptions)")
