from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "amo.claims"
    label = "claims"
    verbose_name = _("Claims (care files and their liquidation)")
